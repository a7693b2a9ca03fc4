"""Hand-written padding, as ``padded_batch``:

    longest = max(len(s) for s in batch)
    padded = np.zeros((len(batch), longest), dtype=np.int32)   # or np.full(..., value, dtype)
    for i, s in enumerate(batch):
        padded[i, :len(s)] = s                                   # or padded[i, -len(s):] = s

The buffer has one row per row of the batch (``len(batch)``, so a partial last batch is right
too) and is as wide as the longest row or a fixed width. A row longer than a fixed width makes
numpy raise, and so does ``padded_batch``: nothing is truncated.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
import libcst.matchers as m

from seq2tfdata.analyse.dtypes import static_dtype
from seq2tfdata.analyse.native.rows import as_scalar
from seq2tfdata.analyse.native.values import NotNative, PadSpec, PyColumn, RowList, ScalarValue, TensorValue

_code = cst.Module([]).code_for_node
_FILLS = {"numpy.zeros": "0", "numpy.ones": "1", "numpy.full": None}


@dataclass(frozen=True)
class LongestRow:
    """``max(len(s) for s in batch)``: the length of the longest row of column ``column``."""

    column: str


@dataclass(frozen=True)
class PaddedBuffer:
    dtype: str
    value: str
    width: str | None  # None: as wide as the longest row of the batch


def longest_row(evaluator, node: cst.Call) -> LongestRow | None:
    """``max`` over the lengths of a column's rows in this batch."""
    if len(node.args) != 1 or node.args[0].keyword is not None:
        return None
    lengths = evaluator.expr(node.args[0].value)
    if isinstance(lengths, RowList) and isinstance(lengths.value, PyColumn):
        for column in evaluator.program.columns:
            if lengths.value.code == f"len(self.{column}[k])":
                return LongestRow(column)
    return None


def padded_buffer(evaluator, node: cst.Call, callees: set[str]) -> PaddedBuffer | None:
    """``np.zeros((len(batch), width), dtype)`` where width is the longest row or a number."""
    factory = sorted(callees & _FILLS.keys())
    positional = [a.value for a in node.args if a.keyword is None]
    shape = positional[0] if positional else None
    if not factory or not isinstance(shape, cst.Tuple) or len(shape.elements) != 2:
        return None
    if not _is_batch_length(evaluator, shape.elements[0].value):
        return None
    width = as_scalar(evaluator.expr(shape.elements[1].value))
    if not isinstance(width, (LongestRow, ScalarValue)):
        return None
    keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
    fill = _FILLS[factory[0]]
    if fill is None:
        fill_node = positional[1] if len(positional) > 1 else keywords.get("fill_value")
        fill = None if fill_node is None else evaluator.argument(fill_node)
        if fill is None:
            return None
    dtype_node = keywords.get("dtype") or (positional[2] if factory[0] == "numpy.full" and len(positional) > 2 else None)
    if dtype_node is None and factory[0] == "numpy.full":
        raise NotNative(node, f"the dtype of `{_code(node)}` depends on its fill value", lift="pass dtype=")
    dtype = "float64" if dtype_node is None else static_dtype(dtype_node, evaluator.names)
    if dtype is None:
        raise NotNative(node, f"the dtype of `{_code(node)}` is not spelled plainly")
    return PaddedBuffer(dtype, fill, None if isinstance(width, LongestRow) else width.code)


def _is_batch_length(evaluator, node: cst.BaseExpression) -> bool:
    if not m.matches(node, m.Call(func=m.Name("len"), args=[m.Arg(keyword=None)])):
        return False
    rows = evaluator.expr(node.args[0].value)  # type: ignore[attr-defined]
    return isinstance(rows, TensorValue) and rows.code in evaluator.program.columns


def fill_padded_row(evaluator, small: cst.Assign, buffer: PaddedBuffer, name: str, position: str) -> tuple[str, PadSpec]:
    """``padded[i, :len(s)] = s`` (post) or ``padded[i, -len(s):] = s`` (pre): the row's tensor,
    and the buffer's padding for ``padded_batch``."""
    target = small.targets[0].target
    assert isinstance(target, cst.Subscript)
    value_source = _code(small.value)
    side = _padding_side(target, position, value_source)
    if side is None:
        raise NotNative(
            small,
            f"`{_code(small)}` is not `{name}[{position}, :len(row)] = row` or `{name}[{position}, -len(row):] = row`",
        )
    spec = PadSpec(maxlen=buffer.width, dtype=buffer.dtype, padding=side, truncating="error", value=buffer.value)
    return evaluator.tensor_of(evaluator.expr(small.value)), spec


def _padding_side(target: cst.Subscript, position: str, value_source: str) -> str | None:
    if len(target.slice) != 2 or not m.matches(target.slice[0].slice, m.Index(value=m.Name(position))):
        return None
    columns = target.slice[1].slice
    if not isinstance(columns, cst.Slice) or columns.step is not None:
        return None
    length = f"len({value_source})"
    if columns.lower is None and columns.upper is not None and _code(columns.upper) == length:
        return "post"
    if columns.upper is None and columns.lower is not None and _code(columns.lower) == f"-{length}":
        return "pre"
    return None
