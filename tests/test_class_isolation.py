"""One class never spoils another, and user text reaches generated code only as inert text."""

from __future__ import annotations

import ast
import textwrap

import pytest

from seq2tfdata import Options, Tier, convert_source
from seq2tfdata.plan import tiers as tier_module
from seq2tfdata.render.text import one_line

SOURCE = textwrap.dedent(
    """\
    import numpy as np
    from tensorflow import keras


    class First(keras.utils.Sequence):
        def __init__(self, x, batch_size):
            super().__init__()
            self.x, self.batch_size = x, batch_size

        def __len__(self):
            return -(-len(self.x) // self.batch_size)

        def __getitem__(self, idx):
            return self.x[idx * self.batch_size:(idx + 1) * self.batch_size]


    class Second(First):
        pass
    """
)


def _tiers(code: str) -> dict[str, Tier]:
    result = convert_source(code, Options())
    assert result.error is None, result.error
    return {finding.name: finding.tier for finding in result.findings}


def _failing_for(name: str, planner):
    def planner_that_fails_on_one_class(chain, facts, reasons):
        if chain.cls.name == name:
            raise RuntimeError("planner bug")
        return planner(chain, facts, reasons)

    return planner_that_fails_on_one_class


def test_a_failing_native_planner_drops_only_that_class(monkeypatch: pytest.MonkeyPatch) -> None:
    planners = [(tier, _failing_for("Second", p) if tier is Tier.NATIVE else p) for tier, p in tier_module.TIER_PLANNERS]
    monkeypatch.setattr("seq2tfdata.core.TIER_PLANNERS", planners)
    result = convert_source(SOURCE)
    found = {finding.name: finding for finding in result.findings}
    assert found["First"].tier is Tier.NATIVE
    assert found["Second"].tier is not Tier.NATIVE
    assert any("native tier failed: RuntimeError: planner bug" in r.message for r in found["Second"].reasons)


def test_a_class_no_tier_can_convert_is_reported_and_left_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    planners = [(tier, _failing_for("Second", p)) for tier, p in tier_module.TIER_PLANNERS]
    monkeypatch.setattr("seq2tfdata.core.TIER_PLANNERS", planners)
    result = convert_source(SOURCE)
    assert result.error is None
    found = {finding.name: finding.tier for finding in result.findings}
    assert found == {"First": Tier.NATIVE, "Second": Tier.SKIPPED}
    assert result.code.count("def to_tf_dataset") == 1
    assert result.code.endswith("class Second(First):\n    pass\n")


def test_generated_code_that_does_not_compile_drops_to_the_next_tier(monkeypatch: pytest.MonkeyPatch) -> None:
    import libcst as cst

    broken = cst.parse_statement("def to_tf_dataset(self):\n    nonlocal x\n")

    def planner_with_broken_output(chain, facts, reasons):
        return broken

    planners = [(Tier.NATIVE, planner_with_broken_output), *tier_module.TIER_PLANNERS[1:]]
    monkeypatch.setattr("seq2tfdata.core.TIER_PLANNERS", planners)
    found = _tiers(SOURCE)
    assert found["First"] is not Tier.NATIVE and found["First"] is not Tier.SKIPPED


@pytest.mark.parametrize(
    "text",
    [
        "line one\nopen('/tmp/x', 'w').write('pwned')",
        "carriage\rreturn",
        "form\x0cfeed and \x00 nul",
        "unicode line\u2028separator",
        "tab\there",
    ],
)
def test_user_text_in_a_comment_stays_one_comment_line(text: str) -> None:
    code = f"def f():\n    # {one_line(text)}\n    return 1\n"
    module = ast.parse(code)
    assert len(module.body) == 1 and len(module.body[0].body) == 1
    assert code.count("\n") == 3


def test_a_multi_line_string_quoted_in_a_reason_cannot_become_code() -> None:
    code = textwrap.dedent(
        '''\
        from tensorflow import keras


        class Notes(keras.utils.Sequence):
            def __len__(self):
                return 1

            def __getitem__(self, idx):
                return """first
        open('/tmp/x', 'w').write('pwned')
        """
        '''
    )
    result = convert_source(code)
    assert result.error is None, result.error
    tree = ast.parse(result.code)
    calls = [node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)]
    assert "write" not in calls  # the text stays inside the user's string literal
    assert "open('/tmp/x', 'w').write('pwned')\n" in result.code.split("def to_tf_dataset")[0]
