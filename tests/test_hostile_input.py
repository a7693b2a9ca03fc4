"""Hostile input through the pure core: markers are exact, bytes outside the block are kept,
and text too deep or not encodable comes back unchanged with an error, never an exception."""

from __future__ import annotations

import textwrap
import time

import libcst as cst
import pytest

from seq2tfdata import convert_source
from seq2tfdata.form_feeds import source_lines
from seq2tfdata.markers import BEGIN_PREFIX, END_COMMENT
from tests.fuzz.line_fidelity import lost_or_rewritten_line

SEQUENCE = textwrap.dedent(
    """\
    import math

    from tensorflow import keras


    class Rows(keras.utils.Sequence):
        def __init__(self, x, batch_size):
            super().__init__()
            self.x, self.batch_size = x, batch_size

        def __len__(self):
            return math.ceil(len(self.x) / self.batch_size)

        def __getitem__(self, idx):
            return self.x[idx * self.batch_size:(idx + 1) * self.batch_size]
    """
)


def _outside_block(code: str) -> list[str]:
    """The lines of ``code`` outside generated blocks, line endings included."""
    kept, inside = [], False
    for line in source_lines(code):
        stripped = line.strip()
        if stripped.startswith(BEGIN_PREFIX) and "(fingerprint " in stripped:
            inside = True
        elif inside and stripped == END_COMMENT:
            inside = False
        elif not inside:
            kept.append(line)
    return kept


def _keeps_every_line(before: str, after: str) -> bool:
    remaining = iter(_outside_block(after))
    # A last line without a line break gets one when the block is appended after it.
    return all(
        any(candidate == line or candidate.rstrip("\r\n") == line for candidate in remaining)
        for line in source_lines(before)
    )


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("\ufeff" + SEQUENCE, id="bom"),
        pytest.param(SEQUENCE.replace("\n", "\r\n"), id="crlf"),
        pytest.param(SEQUENCE.replace("\n", "\r"), id="cr-only"),
        pytest.param(SEQUENCE.replace("import math\n", "import math\r\n"), id="mixed"),
        pytest.param(SEQUENCE + "\r", id="trailing-cr"),
        pytest.param(SEQUENCE.rstrip("\n"), id="no-final-newline"),
        pytest.param(SEQUENCE.replace("\n\nclass", "\n\x0c\nclass"), id="form-feed-line"),
        pytest.param(SEQUENCE.replace("\n    def __len__", "\n\x0c    def __len__"), id="form-feed-indent"),
        pytest.param(SEQUENCE.replace("    ", "\t"), id="tabs"),
        pytest.param(SEQUENCE.replace("import math\n", 'import math\nDOC = """\n\x0c    kept\n"""\n'), id="form-feed-in-string"),
    ],
)
def test_every_byte_outside_the_block_is_kept(code: str) -> None:
    result = convert_source(code)
    assert result.error is None, result.error
    assert result.changed
    assert result.code.startswith("\ufeff") == code.startswith("\ufeff")
    assert _keeps_every_line(code, result.code)
    assert convert_source(result.code).code == result.code


def test_a_comment_that_only_looks_like_the_begin_marker_is_user_code() -> None:
    code = SEQUENCE + textwrap.indent(
        textwrap.dedent(
            f"""\

            {BEGIN_PREFIX} -- keep in sync with the loader
            def describe(self):
                return "rows"

            def summary(self):
                return len(self)
            {END_COMMENT}
            """
        ),
        "    ",
    )
    result = convert_source(code)
    assert result.error is None, result.error
    assert "def describe(self):" in result.code and "def summary(self):" in result.code
    assert _keeps_every_line(code, result.code)


def test_a_renamed_earlier_output_is_kept() -> None:
    converted = convert_source(SEQUENCE).code
    renamed = converted.replace("def to_tf_dataset(self):", "def to_tf_dataset_old(self):")
    result = convert_source(renamed)
    assert "def to_tf_dataset_old(self):" in result.code
    assert "def to_tf_dataset(self):" in result.code


def test_half_a_block_is_left_as_is_and_reported() -> None:
    converted = convert_source(SEQUENCE).code
    half = converted.replace(f"    {END_COMMENT}\n", "")
    result = convert_source(half)
    assert result.code == half
    [finding] = result.findings
    assert "hand-written to_tf_dataset" in finding.reasons[0].message


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(SEQUENCE + "\nX = " + " + ".join(["a"] * 400) + "\n", id="400-term-sum"),
        pytest.param(SEQUENCE + "\nX = " + "+".join(["a"] * 12000) + "\n", id="12000-operator-chain"),
        pytest.param(SEQUENCE + "\nX = " + "(" * 300 + "1" + ")" * 300 + "\n", id="300-brackets"),
        pytest.param(SEQUENCE + "\nX = " + " and ".join(["a"] * 500) + "\n", id="500-and"),
    ],
)
def test_code_too_deep_to_analyse_is_reported_quickly_and_left_unchanged(code: str) -> None:
    started = time.perf_counter()
    result = convert_source(code)
    assert time.perf_counter() - started < 10
    assert result.code == code
    assert result.error is not None and "too complex to analyse" in result.error


def test_long_but_flat_code_still_converts() -> None:
    code = SEQUENCE + "\nTABLE = [" + ", ".join(str(i) for i in range(3000)) + "]\n"
    result = convert_source(code)
    assert result.error is None, result.error
    assert result.changed


def test_a_lone_surrogate_is_an_error_not_an_exception() -> None:
    code = SEQUENCE + "\nX = '\ud800'\n"
    result = convert_source(code)
    assert result.code == code
    assert result.error is not None and "surrogate" in result.error


def test_a_blank_line_before_the_end_marker_converts_stably() -> None:
    converted = convert_source(SEQUENCE).code
    spaced = converted.replace(f"    {END_COMMENT}", f"\n    {END_COMMENT}")
    result = convert_source(spaced)
    assert result.error is None, result.error
    assert convert_source(result.code).code == result.code


def test_an_end_marker_the_user_wrote_after_the_block_is_kept() -> None:
    converted = convert_source(SEQUENCE).code
    end = f"    {END_COMMENT}\n"
    extra = converted.replace(end, end + "\n    def extra(self):\n        return 1\n" + end)
    result = convert_source(extra)
    assert result.error is None, result.error
    assert "def extra(self):" in result.code and result.code.count(END_COMMENT) == 2


def test_a_sequence_nested_in_a_method_converts_stably() -> None:
    code = textwrap.dedent(
        """\
        from tensorflow import keras


        class Factory:
            def make(self, x):
                class Inner(keras.utils.Sequence):
                    def __len__(self):
                        return 1

                    def __getitem__(self, idx):
                        return x

                return Inner
        """
    )
    result = convert_source(code)
    assert result.error is None, result.error
    assert convert_source(result.code).code == result.code


def test_a_comment_above_the_begin_marker_survives_regeneration() -> None:
    # Found by the fuzzer: the user's lines above a begin marker were part of the generated
    # method's leading lines and vanished with the old block.
    converted = convert_source(SEQUENCE).code
    begin = next(line for line in source_lines(converted) if line.strip().startswith(BEGIN_PREFIX))
    annotated = converted.replace(begin, "    # reviewed by the data team\n" + begin)
    stale = annotated.replace("return math.ceil(", "return  math.ceil(")
    result = convert_source(stale)
    assert result.error is None, result.error
    assert "    # reviewed by the data team\n" in result.code
    assert convert_source(result.code).code == result.code


@pytest.mark.parametrize(
    "code",
    [
        # A generated line ending in \r before a user's empty \n line would read as one \r\n.
        pytest.param(SEQUENCE.replace("\n", "\r").replace("\r\r\rclass", "\r\n\n\rclass"), id="cr-then-lf"),
        pytest.param(SEQUENCE.replace("idx * self.batch_size]\n", "idx * self.batch_size]\r"), id="lf-then-cr"),
        pytest.param(SEQUENCE.replace("\n", "\r") + "\nX = 1\n\n", id="cr-file-lf-tail"),
    ],
)
def test_mixed_cr_and_lf_endings_never_merge_lines(code: str) -> None:
    result = convert_source(code)
    assert result.error is None, result.error
    assert result.changed
    assert _keeps_every_line(code, result.code)
    assert convert_source(result.code).code == result.code


def test_a_line_the_parser_would_drop_leaves_the_file_unchanged() -> None:
    # A line holding only a backslash is legal Python that libcst does not print back.
    code = SEQUENCE.replace("\nfrom tensorflow", "\n\\\nfrom tensorflow")
    result = convert_source(code)
    assert result.code == code
    assert result.error is not None and ":3:1: cannot convert" in result.error


@pytest.mark.parametrize(
    "expression",
    [
        pytest.param("a" + "[0]" * 12000, id="subscripts"),
        pytest.param("a" + "()" * 12000, id="calls"),
        pytest.param("lambda: " * 12000 + "a", id="lambdas"),
        pytest.param(" if a else ".join(["b"] * 12000), id="conditionals"),
        pytest.param("-" * 12000 + "a", id="unary"),
    ],
)
def test_deep_trailers_and_keywords_are_too_complex_not_a_crash(expression: str) -> None:
    # Each of these shapes crashed the process (SIGSEGV) or hung it before it was measured.
    code = SEQUENCE + f"\nX = {expression}\n"
    result = convert_source(code)
    assert result.code == code
    assert result.error is not None and "too complex to analyse" in result.error


def test_the_safety_check_still_catches_an_unstable_conversion(monkeypatch) -> None:
    # The check reads its own output without re-planning current blocks; a block whose
    # fingerprint does not match what the next run computes must still be an error.
    from seq2tfdata import core

    monkeypatch.setattr(core, "_block_fingerprint", lambda cls: None)
    result = convert_source(SEQUENCE)
    assert result.code == SEQUENCE
    assert result.error is not None and "unstable conversion" in result.error


def test_the_safety_check_catches_a_class_whose_next_fingerprint_differs(monkeypatch) -> None:
    # The next run hashes the output's classes without their blocks; if what it hashes differs
    # from what this run hashed (here: the block is not stripped), the block would be stale.
    from seq2tfdata import core

    class KeepBlocks(cst.CSTTransformer):
        pass

    original = core._WithoutGeneratedBlocks
    calls = []

    def stripping_only_the_input():
        calls.append(None)
        return original() if len(calls) == 1 else KeepBlocks()

    monkeypatch.setattr(core, "_WithoutGeneratedBlocks", stripping_only_the_input)
    result = convert_source(SEQUENCE)
    assert result.code == SEQUENCE
    assert result.error is not None and "unstable conversion" in result.error


def _compiles(code: str) -> bool:
    compile(code.lstrip("\ufeff"), "<output>", "exec", dont_inherit=True)
    return True


def test_a_sparse_tensor_batch_renders_code_that_compiles() -> None:
    # The fuzzer saw an unmatched ")" rendered for a tf.SparseTensor batch.
    code = textwrap.dedent(
        """\
        import tensorflow as tf
        from tensorflow import keras


        class Sparse(keras.utils.Sequence):
            def __len__(self):
                return 2

            def __getitem__(self, idx):
                return tf.SparseTensor(indices=[[0, idx]], values=[1.0], dense_shape=[1, 2])
        """
    )
    result = convert_source(code)
    assert result.error is None, result.error
    assert result.changed and _compiles(result.code)
    assert convert_source(result.code).code == result.code


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param(END_COMMENT, id="end-marker-at-module-end"),
        pytest.param(f"    {END_COMMENT}", id="indented-end-marker-without-newline"),
        pytest.param(f"{BEGIN_PREFIX} (fingerprint 000000000000; do not edit)\n", id="begin-marker-at-module-end"),
    ],
)
def test_a_marker_at_the_end_of_the_module_still_gives_code_that_compiles(tail: str) -> None:
    code = SEQUENCE + "\n" + tail
    result = convert_source(code)
    assert result.error is None, result.error
    assert _compiles(result.code)
    assert lost_or_rewritten_line(code, result.code) is None
    assert convert_source(result.code).code == result.code


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(SEQUENCE.replace("(keras.utils.Sequence):", "(keras.utils.Sequence)"), id="missing-colon"),
        pytest.param(SEQUENCE.replace("return math.ceil", "return 'math.ceil"), id="unterminated-string"),
        pytest.param(SEQUENCE.replace("    def __getitem__", "   def __getitem__"), id="bad-dedent"),
        pytest.param(SEQUENCE + "\nreturn 1\n", id="return-outside-function"),
        pytest.param(SEQUENCE + "\ndef f():\n    x = 1\n    global x\n", id="global-after-use"),
        pytest.param(SEQUENCE + "\nX = 1\x00\n", id="null-byte"),
    ],
)
def test_unparsable_input_is_reported_and_left_byte_identical(broken: str) -> None:
    result = convert_source(broken)
    assert result.code == broken
    assert result.error is not None and "cannot parse" in result.error


def test_a_hand_written_method_and_a_lookalike_end_marker_give_no_second_method() -> None:
    code = SEQUENCE + textwrap.indent(
        textwrap.dedent(
            f"""\

            def to_tf_dataset(self):
                return None
            {END_COMMENT}
            """
        ),
        "    ",
    )
    result = convert_source(code)
    assert result.code == code
    assert result.code.count("def to_tf_dataset(") == 1
    [finding] = result.findings
    assert "hand-written to_tf_dataset" in finding.reasons[0].message


def test_a_form_feed_on_the_last_line_of_a_cr_file_is_kept() -> None:
    # Found by `make fuzz`: libcst re-ends a final lone "\r", so the user's line with its form
    # feed was not matched back into the output.
    code = (SEQUENCE + "\x0cX = 1\n").replace("\n", "\r")
    result = convert_source(code)
    assert result.error is None, result.error
    assert result.code.endswith("\x0cX = 1\r")
    assert lost_or_rewritten_line(code, result.code) is None
    assert convert_source(result.code).code == result.code


def test_a_sequence_nested_in_another_sequence_is_reported_not_converted() -> None:
    # Found by the fuzzer: the inner class's block sat inside the outer class's __getitem__,
    # whose analysis then saw it, so the next run converted the outer class differently.
    code = SEQUENCE.replace(
        "    def __getitem__(self, idx):\n",
        "    def __getitem__(self, idx):\n"
        "        class Inner(keras.utils.Sequence):\n"
        "            def __getitem__(self, index):\n"
        "                return index\n\n",
    )
    result = convert_source(code)
    assert result.error is None, result.error
    inner = next(f for f in result.findings if f.name.endswith("Inner"))
    assert inner.tier.value == "skipped"
    assert "defined inside the Sequence class `Rows`" in inner.reasons[0].message
    assert inner.reasons[0].rule == "S2T008"
    assert convert_source(result.code).code == result.code


@pytest.mark.parametrize(
    "endings",
    [
        pytest.param(lambda code: code.replace("\n", "\r"), id="cr-only"),
        pytest.param(lambda code: code.replace("\n    def __len__", "\r    def __len__"), id="mixed"),
    ],
)
def test_a_deep_chain_in_a_file_with_cr_endings_is_too_complex_not_a_crash(endings) -> None:
    # Found by `make fuzz` (SIGSEGV): the depth check read "\r" as no line break at all, the
    # tokenizer gave up, and libcst met the 12,000-deep subscript chain.
    code = endings(SEQUENCE + "\nX = a" + "[0]" * 12000 + "\n")
    result = convert_source(code)
    assert result.code == code
    assert result.error is not None and "too complex to analyse" in result.error


def test_a_deep_line_in_text_the_tokenizer_rejects_is_too_complex_not_a_crash() -> None:
    code = SEQUENCE + "\n  bad_indent = 1\nX = a" + "[0]" * 12000 + "\n"
    result = convert_source(code)
    assert result.code == code
    assert result.error is not None and "too complex to analyse" in result.error
