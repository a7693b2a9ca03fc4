"""Index arithmetic (``idx * batch_size``, ``min(stop, len(x))``), builtins and basic indexing."""

from __future__ import annotations

import libcst as cst

from seq2tfdata.analyse.native.gathers import shifted_offset
from seq2tfdata.analyse.native.rows import as_scalar

from seq2tfdata.analyse.native.values import (
    AttrValue,
    BoundValue,
    ClippedStop,
    IndexValue,
    LengthValue,
    PyColumn,
    ScalarValue,
    ShiftedBound,
    SliceValue,
)

Value = object


def makes_text(op: str | None, left: Value, right: Value) -> bool:
    """``a + b`` with a ``str`` on either side, or ``fmt % args`` with a ``str`` format, is a
    ``str`` (or a TypeError in the Sequence too)."""
    def text(value: Value) -> bool:
        return isinstance(value, (ScalarValue, PyColumn)) and value.text

    if op == "+":
        return text(left) or text(right)
    return op == "%" and text(left)



def row_offset(op: str, left: Value, right: Value) -> str | None:
    """``k + n``, ``n + k`` and ``k - n`` for the row position ``k`` and a number ``n`` keep
    a row position; the offset is what a batch adds to all its positions at once."""
    def number(value: Value) -> bool:
        return isinstance(value, ScalarValue) and not value.text

    if isinstance(left, PyColumn) and left.row_offset is not None and op in ("+", "-") and number(right):
        return shifted_offset(left.row_offset, op, right.code)  # type: ignore[union-attr]
    if isinstance(right, PyColumn) and right.row_offset is not None and op == "+" and number(left):
        return shifted_offset(right.row_offset, op, left.code)  # type: ignore[union-attr]
    return None


def basic_index(index: cst.BaseSlice) -> bool:
    def plain(expr: cst.BaseExpression | None) -> bool:
        if expr is None or isinstance(expr, (cst.Integer, cst.Ellipsis)):
            return True
        if isinstance(expr, cst.Name) and expr.value == "None":
            return True
        if isinstance(expr, cst.Attribute) and expr.attr.value == "newaxis":
            return True
        return isinstance(expr, cst.UnaryOperation) and isinstance(expr.expression, cst.Integer)

    if isinstance(index, cst.Slice):
        return plain(index.lower) and plain(index.upper) and plain(index.step)
    return plain(index.value)  # type: ignore[union-attr]


def index_arithmetic(op: str | None, left: Value, right: Value) -> Value | None:
    if op == "+" and isinstance(left, IndexValue) and isinstance(right, ScalarValue) and right.code.isdigit():
        return IndexValue(left.offset + int(right.code))
    if op == "*" and isinstance(right, IndexValue):
        left, right = right, left
    if op == "*" and isinstance(left, IndexValue) and isinstance(right, ScalarValue) and left.offset in (0, 1):
        return BoundValue(stop=left.offset == 1, batch_size=right.code)
    if op == "+" and isinstance(right, BoundValue):
        left, right = right, left
    if op == "+" and isinstance(left, BoundValue) and not left.stop and isinstance(right, ScalarValue):
        if right.code == left.batch_size:
            return BoundValue(stop=True, batch_size=left.batch_size)
    if op == "+" and isinstance(right, (BoundValue, ClippedStop)):
        left, right = right, left
    if op == "+" and isinstance(left, (BoundValue, ClippedStop)) and isinstance(right, ScalarValue) and not right.text:
        return ShiftedBound(left, right.code)
    return None


def builtin_call(evaluator, node: cst.Call, callees: set[str]) -> Value | None:
    if callees == {"builtins.len"} and len(node.args) == 1:
        target = evaluator.expr(node.args[0].value)
        if isinstance(target, AttrValue):
            return LengthValue(target.name)
    if callees == {"builtins.slice"} and len(node.args) == 2:
        return SliceValue(evaluator.expr(node.args[0].value), evaluator.expr(node.args[1].value))  # type: ignore[arg-type]
    if callees == {"builtins.min"} and len(node.args) == 2:
        values = [evaluator.expr(a.value) for a in node.args]
        # Slicing past the end already stops at the end, so min(stop, len(x)) changes nothing.
        stops = [v for v in values if isinstance(v, BoundValue) and v.stop]
        if len(stops) == 1 and any(isinstance(v, LengthValue) for v in values):
            return stops[0]
        limits = [as_scalar(v) for v in values if not isinstance(v, BoundValue)]
        if len(stops) == 1 and len(limits) == 1 and isinstance(limits[0], ScalarValue):
            return ClippedStop(stops[0], limits[0].code)
    if callees & {"builtins.int", "builtins.float"} and len(node.args) == 1:
        inner = evaluator.expr(node.args[0].value)
        if isinstance(inner, ScalarValue):
            return ScalarValue(f"{sorted(callees)[0].split('.')[1]}({inner.code})", inner.literal)
    return None
