"""What ``__len__`` (or ``num_batches``) says about the last, partial batch.

``ceil(len(x) / batch_size)`` serves the partial batch (``drop_remainder=False``);
``len(x) // batch_size`` never asks for it (``drop_remainder=True``).
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from seq2tfdata.analyse.dtypes import Names, qualified
from seq2tfdata.analyse.native.program_facts import Program
from seq2tfdata.analyse.native.values import NotNative

_code = cst.Module([]).code_for_node


def last_batch_policy(func: cst.FunctionDef, program: Program, names: Names) -> bool:
    """``drop_remainder`` for a batch program, after checking the length matches the rows."""
    returns = m.findall(func.body, m.Return())
    if len(returns) != 1 or returns[0].value is None:  # type: ignore[union-attr]
        raise NotNative(func, f"`{func.name.value}` is not a single return expression")
    expr = returns[0].value  # type: ignore[union-attr]
    reader = _LengthReader(program, names)
    if program.stage == "sample":
        reader.row_count(expr)
        return False
    return reader.drops_remainder(expr)


class _LengthReader:
    def __init__(self, program: Program, names: Names) -> None:
        self.program = program
        self.names = names

    def _callee(self, node: cst.BaseExpression) -> set[str]:
        return qualified(self.names, node.func) if isinstance(node, cst.Call) else set()

    def _unwrap(self, node: cst.BaseExpression, wrappers: set[str]) -> cst.BaseExpression | None:
        if isinstance(node, cst.Call) and len(node.args) == 1 and self._callee(node) & wrappers:
            return node.args[0].value
        return None

    def row_count(self, node: cst.BaseExpression) -> None:
        if self.program.row_count is not None and _code(node) == self.program.row_count:
            return
        inner = self._unwrap(node, {"builtins.len"})
        attribute = inner.attr.value if m.matches(inner, m.Attribute(value=m.Name("self"))) else None  # type: ignore[union-attr]
        permutation = self.program.permutation
        if permutation is not None and attribute == permutation.length_of:
            return
        if attribute not in self.program.columns:
            raise NotNative(node, f"`{_code(node)}` is not len() of an attribute __getitem__ reads rows from")

    def batch_size(self, node: cst.BaseExpression) -> None:
        node = self._unwrap(node, {"builtins.float", "builtins.int"}) or node
        if _code(node) != self.program.batch_size:
            raise NotNative(node, f"`{_code(node)}` is not the batch size __getitem__ slices with")

    def drops_remainder(self, node: cst.BaseExpression) -> bool:
        int_wrapped = self._unwrap(node, {"builtins.int"})
        node = int_wrapped or node
        rounded = self._unwrap(node, {"math.ceil", "numpy.ceil", "math.floor", "numpy.floor"})
        if rounded is not None and m.matches(rounded, m.BinaryOperation(operator=m.Divide())):
            self.row_count(rounded.left)  # type: ignore[union-attr]
            self.batch_size(rounded.right)  # type: ignore[union-attr]
            return "floor" in " ".join(self._callee(node))
        if int_wrapped is not None and m.matches(node, m.BinaryOperation(operator=m.Divide())):
            self.row_count(node.left)  # type: ignore[union-attr]
            self.batch_size(node.right)  # type: ignore[union-attr]
            return True
        if m.matches(node, m.BinaryOperation(operator=m.FloorDivide())):
            left = node.left  # type: ignore[union-attr]
            self.batch_size(node.right)  # type: ignore[union-attr]
            # (n + bs - 1) // bs rounds up.
            if m.matches(left, m.BinaryOperation(operator=m.Subtract(), right=m.Integer("1"))) and m.matches(
                left.left, m.BinaryOperation(operator=m.Add())  # type: ignore[union-attr]
            ):
                self.row_count(left.left.left)  # type: ignore[union-attr]
                self.batch_size(left.left.right)  # type: ignore[union-attr]
                return False
            self.row_count(left)
            return True
        # n // bs + (n % bs > 0) rounds up.
        if m.matches(node, m.BinaryOperation(operator=m.Add(), left=m.BinaryOperation(operator=m.FloorDivide()))):
            remainder = node.right  # type: ignore[union-attr]
            remainder = self._unwrap(remainder, {"builtins.int", "builtins.bool"}) or remainder
            if m.matches(
                remainder,
                m.Comparison(
                    left=m.BinaryOperation(operator=m.Modulo()),
                    comparisons=[m.ComparisonTarget(operator=m.GreaterThan() | m.NotEqual(), comparator=m.Integer("0"))],
                ),
            ):
                self.row_count(node.left.left)  # type: ignore[union-attr]
                self.batch_size(node.left.right)  # type: ignore[union-attr]
                self.row_count(remainder.left.left)  # type: ignore[union-attr]
                self.batch_size(remainder.left.right)  # type: ignore[union-attr]
                return False
        # -(-n // bs) rounds up.
        if m.matches(node, m.UnaryOperation(operator=m.Minus(), expression=m.BinaryOperation(operator=m.FloorDivide()))):
            inner = node.expression  # type: ignore[union-attr]
            negated = inner.left
            if m.matches(negated, m.UnaryOperation(operator=m.Minus())):
                self.row_count(negated.expression)  # type: ignore[union-attr]
                self.batch_size(inner.right)
                return False
        raise NotNative(node, f"`{_code(node)}` is not a recognised ceil/floor batch count")
