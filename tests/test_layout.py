"""``render.layout`` against black and ruff format themselves: each statement, at several depths,
comes out as both formatters write it (or, where layout cannot split it, unchanged)."""

from __future__ import annotations

import subprocess
import sys

import black
import libcst as cst
import pytest

from seq2tfdata.render.layout import code, laid_out

STATEMENTS = [
    pytest.param(
        "dataset = tf.data.Dataset.range(num_batches).map(batch_rows, num_parallel_calls=tf.data.AUTOTUNE)",
        id="method-chain-call",
    ),
    pytest.param(
        "return (readings_table[start:start + batch_size], targets_table[start:start + batch_size])",
        id="tuple-display-of-complex-slices",
    ),
    pytest.param(
        "b = np_divide(np_subtract(readings, np_mean(readings, axis=0)), np_add(np_std(readings, axis=0), self.eps))",
        id="nested-helper-calls",
    ),
    pytest.param(
        "value = tf.numpy_function(python_row_0_numpy, [k], Tout=tf.as_dtype(python_row_0_probe.dtype), stateful=0)",
        id="keyword-arguments",
    ),
    pytest.param(
        "raise ValueError('a very long message that does not fit on one line at all, not even close to it, really')",
        id="unsplittable-string-argument",
    ),
    pytest.param(
        "condition = tf.cast(tf.random.stateless_uniform([], seed=[element_seed, 0], dtype=tf.float64) < 0.5, tf.bool)",
        id="comparison-argument",
    ),
    pytest.param(
        "table_0 = tf.constant(np.asarray([os.path.join(self.root, self.ids[k] + '.npy') for k in range(num_rows)]))",
        id="list-comprehension",
    ),
    pytest.param(
        "padding = [tf.constant('') if spec.dtype == tf.string else tf.zeros([], spec.dtype) for spec in specs_of]",
        id="comprehension-split-at-for",
    ),
    pytest.param("row = flat_values[offsets[k]:offsets[k + 1]]", id="short-complex-slice"),
    pytest.param("squares = x**2 + z ** f(a) + (-1) ** n", id="power-hugging"),
    pytest.param("label = 'single quotes'", id="quotes"),
    pytest.param(
        "message = 'a string that is long enough to need parentheses around it when it is assigned'",
        id="long-atom-on-the-right",
    ),
    pytest.param(
        "total = first_long_operand_name + second_long_operand_name - third_long_operand_name * fourth",
        id="operator-chain",
    ),
    # A conditional inside another is split by ruff format but not by black: the converter never
    # writes one long enough to split.
    pytest.param(
        "dtype = x.dtype if x.dtype.is_floating and x.dtype != tf.float16 else tf.float64 or tf.float32",
        id="conditional-expression",
    ),
    pytest.param("batch = (np.asarray(self.x), np.asarray(self.y), np.asarray(self.sample_weight), more)", id="tuple"),
    pytest.param("single = (only_one_element_in_this_tuple_with_a_long_name_so_that_it_needs_to_be_split,)",
                 id="one-tuple"),
]


def _nested(statement: str, depth: int) -> str:
    lines = ["def f():"] + [f"{'    ' * (level + 1)}if condition:" for level in range(depth)]
    return "\n".join([*lines, "    " * (depth + 1) + statement]) + "\n"


def _ruff(source: str) -> str:
    command = [sys.executable, "-m", "ruff", "format", "--isolated", "-"]
    return subprocess.run(command, input=source, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("depth", [0, 2, 4])
@pytest.mark.parametrize("statement", STATEMENTS)
def test_layout_matches_black_and_ruff(statement: str, depth: int) -> None:
    function = cst.parse_statement(_nested(statement, depth))
    assert isinstance(function, cst.FunctionDef)
    ours = code(laid_out(function, depth=0))
    assert ours == black.format_str(ours, mode=black.Mode())
    assert ours == _ruff(ours)
    assert ours == black.format_str(_nested(statement, depth), mode=black.Mode())
