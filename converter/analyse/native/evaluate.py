"""Evaluate ``__getitem__``'s expressions to abstract values and tf expression source.

Every construct either maps to a value whose tf translation is exact, or raises ``NotNative``
naming the construct; nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import libcst as cst

from seq2tfdata.analyse.dtypes import Names, qualified
from seq2tfdata.analyse.native.calls import Calls
from seq2tfdata.analyse.native.draws import ScalarDraw, compare_draw, weak_combine
from seq2tfdata.analyse.native.index_math import index_arithmetic, makes_text, row_offset
from seq2tfdata.analyse.native.program_facts import Program
from seq2tfdata.analyse.native.rows import RowValues, as_scalar, rowwise_with_number
from seq2tfdata.analyse.native.selection import RowSelection
from seq2tfdata.analyse.native.statements import Binding, Branch
from seq2tfdata.analyse.native.values import (
    AttrValue,
    ListValue,
    NotNative,
    PyColumn,
    RowIndexValue,
    RowList,
    ScalarValue,
    TensorValue,
)
from seq2tfdata.translate import translate_attribute, translate_binary, translate_unary

OPERATORS = {
    cst.Add: "+", cst.Subtract: "-", cst.Multiply: "*", cst.Divide: "/", cst.FloorDivide: "//",
    cst.Modulo: "%", cst.Power: "**",
}
_COMPARISONS = {
    cst.Equal: "==", cst.NotEqual: "!=", cst.LessThan: "<", cst.LessThanEqual: "<=",
    cst.GreaterThan: ">", cst.GreaterThanEqual: ">=",
}
_SELF_ATTRIBUTE = re.compile(r"self\.[A-Za-z_][A-Za-z0-9_]*")
UNARY = {cst.Minus: "-", cst.BitInvert: "~", cst.Plus: "+"}
_code = cst.Module([]).code_for_node

Value = object
# One trace-time branch around the code being evaluated: the user's ``if`` statement, whether its
# body (True) or its ``else`` (False) is taken, and the condition's source.
Guard = tuple[cst.If, bool, str]
# Evaluates a ``self.method(...)`` call by inlining the method body.
Inliner = Callable[[str, list[Value], cst.Call, bool], Value]


class Evaluator(Calls, RowValues, RowSelection):
    def __init__(
        self, names: Names, program: Program, tf: str, env: dict[str, Value], inline: Inliner,
        chain=None, allow_python_rows: bool = False, functions=None,
    ) -> None:
        self.functions = functions or {}
        self.chain = chain
        self.allow_python_rows = allow_python_rows
        self.names = names
        self.program = program
        self.tf = tf
        self.env = env
        self.inline = inline
        # Above 0 while evaluating code that runs once per row (comprehensions, fill loops).
        self.row_depth = 0
        # Inside ``if`` branches: the trace-time branches that lead here (the ``if`` statement, the
        # side taken, the condition), and how many branches of a tf.cond enclose this code (which
        # must stay inside the cond's lambdas).
        self.guards: tuple[Guard, ...] = ()
        self.cond_depth = 0
        # Names the enclosing trace-time ``if`` statements assign, with the local each side
        # assigns (None until the first side does), so both sides set one variable.
        self.branch_locals: dict[str, str | None] = {}
        # Locals this function's own assignments created (not its arguments' or a caller's).
        self.own_locals: set[str] = set()

    def bind(self, name: str, value: Value) -> Value:
        """An array assigned to a variable becomes a local of the generated function, so it is
        computed once and the generated code reads like the user's. Per-row values and the
        rows they stack into take the variable's name too."""
        if isinstance(value, PyColumn) and not value.name:
            return replace(value, name=name)
        if isinstance(value, RowList) and value.array and not value.name:
            value = replace(value, name=name)
        if isinstance(value, RowList) and isinstance(value.value, PyColumn) and not value.value.name:
            return replace(value, value=replace(value.value, name=name))
        if isinstance(value, TensorValue) and value.code in self.program.unnamed_outputs and not self.guards:
            return TensorValue(self.program.name_output(value.code, name), rowwise=value.rowwise)
        if not isinstance(value, TensorValue) or self.cond_depth:
            return value
        if name in self.branch_locals:
            # Inside a trace-time ``if``: the variable both sides of it assign.
            local = self.branch_locals[name] or self.program.fresh_name(name)
            self.branch_locals[name] = local
            if value.code != local:
                self.emit(Binding(local, value.code))
            return TensorValue(local)
        if value.code.isidentifier():
            return value
        local = self.program.fresh_name(name)
        self.own_locals.add(local)
        self.emit(Binding(local, value.code, rowwise=value.rowwise))
        return TensorValue(local, rowwise=value.rowwise)

    def emit(self, binding: Binding) -> None:
        """Appends to the per-row or per-batch function, inside the ``if`` blocks that lead here:
        built only when the branch is taken, as the user's code is."""
        statements = self.program.row_bindings if self.row_depth else self.program.element_bindings
        for origin, taken, condition in self.guards:
            last = statements[-1] if statements else None
            if not (isinstance(last, Branch) and last.origin is origin):
                last = Branch(condition, origin=origin)
                statements.append(last)
            statements = last.then if taken else last.otherwise
        statements.append(binding)

    def draw_seed(self) -> str:
        """The stateless seed of one more draw site: per row, or per batch (per sample)."""
        site = self.program.row_draws + self.program.element_draws
        if self.row_depth:
            self.program.row_draws += 1
            return f"[row_seed, {site}]"
        self.program.element_draws += 1
        return f"[element_seed, {site}]"

    def expr(self, node: cst.BaseExpression) -> Value:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise NotNative(node, f"`{_code(node)}` has no tf.data translation")
        return method(node)

    def operand(self, value: Value, node: cst.CSTNode) -> str:
        """tf source for an array operand; literals stay weakly typed, as in numpy."""
        if isinstance(value, TensorValue):
            return value.code
        if isinstance(value, PyColumn):
            return self.tensor_of(value)
        if isinstance(value, ScalarValue) and (value.literal or _SELF_ATTRIBUTE.fullmatch(value.code)):
            # An attribute's Python type decides numpy's promotion; the translation asks numpy
            # itself at trace time, so it only needs to be a plain ``self.<name>``.
            return value.code
        if isinstance(value, ScalarValue):
            raise NotNative(
                node,
                f"`{_code(node)}` is used in array arithmetic; numpy's result dtype depends on its Python type",
                lift="use a literal number or an explicit `.astype(...)`",
            )
        raise NotNative(node, f"`{_code(node)}` is not an array the pipeline can compute")

    def argument(self, node: cst.BaseExpression) -> str:
        # dtypes and other library constants travel by their canonical name (``numpy.float32``).
        if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
            return node.value
        resolved = qualified(self.names, node)
        constants = sorted(n for n in resolved if n.split(".")[0] in {"numpy", "builtins"})
        if constants and isinstance(node, (cst.Name, cst.Attribute)):
            return constants[0]
        if isinstance(node, (cst.Name, cst.Attribute)) and any(n.startswith("tensorflow.") for n in resolved):
            return _code(node)  # tf.float32, tf.image.ResizeMethod.AREA: the module's own binding
        value = self.expr(node)
        if isinstance(value, AttrValue):
            return f"self.{value.name}"
        if isinstance(value, (TensorValue, ScalarValue)):
            return value.code
        if isinstance(value, PyColumn):
            return self.tensor_of(value)
        if isinstance(value, tuple) and value and all(isinstance(v, ScalarValue) for v in value):
            return f"({', '.join(v.code for v in value)}{',' if len(value) == 1 else ''})"  # type: ignore[union-attr]
        raise NotNative(node, f"`{_code(node)}` is not a value the pipeline can pass on")

    # --- leaves -------------------------------------------------------------------------
    def _Name(self, node: cst.Name) -> Value:
        if node.value in self.env:
            return self.env[node.value]
        if node.value in ("True", "False", "None"):
            return ScalarValue(node.value, literal=True)
        raise NotNative(
            node,
            f"reads `{node.value}`, which is neither an argument nor an attribute of self",
            lift="store it on self in __init__",
        )

    def _Integer(self, node: cst.Integer) -> Value:
        return ScalarValue(node.value, literal=True)

    _Float = _Integer

    def _SimpleString(self, node: cst.SimpleString) -> Value:
        return ScalarValue(node.value, literal=True, text=isinstance(node.evaluated_value, str))

    def _Attribute(self, node: cst.Attribute) -> Value:
        if isinstance(node.value, cst.Name) and node.value.value == "self":
            return AttrValue(node.attr.value)
        base = self.expr(node.value)
        if isinstance(base, TensorValue):
            code = translate_attribute(node.attr.value, base.code, self.program.helpers, tf=self.tf)
            if code is not None:
                return TensorValue(code)
        raise NotNative(node, f"`{_code(node)}` has no tf.data translation")

    def _Dict(self, node: cst.Dict) -> Value:
        # A batch's inputs built in a variable before they are returned (``inputs = {...}``).
        values = {}
        for element in node.elements:
            if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                raise NotNative(node, f"`{_code(node)}` has keys that are not string literals")
            values[element.key.evaluated_value] = self.expr(element.value)
        return values

    def _List(self, node: cst.List) -> Value:
        if any(isinstance(e, cst.StarredElement) for e in node.elements):
            raise NotNative(node, f"`{_code(node)}` unpacks with *")
        return ListValue(tuple(self.expr(e.value) for e in node.elements))

    def _Tuple(self, node: cst.Tuple) -> Value:
        if any(isinstance(e, cst.StarredElement) for e in node.elements):
            raise NotNative(node, f"`{_code(node)}` unpacks with *")
        return tuple(self.expr(e.value) for e in node.elements)

    # --- arithmetic ---------------------------------------------------------------------
    def _UnaryOperation(self, node: cst.UnaryOperation) -> Value:
        operand = as_scalar(self.expr(node.expression))
        if isinstance(node.operator, cst.Not) and isinstance(operand, ScalarValue):
            return ScalarValue(f"(not {operand.code})", operand.literal)
        op = UNARY.get(type(node.operator))
        if isinstance(operand, ScalarValue) and op:
            return ScalarValue(f"{op}{operand.code}", operand.literal)
        if isinstance(operand, ScalarDraw) and op == "-":
            return ScalarDraw(f"(-{operand.code})", operand.integer)
        if isinstance(operand, TensorValue) and op:
            code = translate_unary(op, operand.code, self.program.helpers, tf=self.tf)
            if code is not None:
                return TensorValue(code, rowwise=operand.rowwise)
        raise NotNative(node, f"`{_code(node)}` has no tf.data translation")

    def _Comparison(self, node: cst.Comparison) -> Value:
        if len(node.comparisons) != 1:
            raise NotNative(node, f"`{_code(node)}` chains comparisons")
        target = node.comparisons[0]
        op = _COMPARISONS.get(type(target.operator))
        left, right = as_scalar(self.expr(node.left)), as_scalar(self.expr(target.comparator))
        drawn = compare_draw(op, left, right, self.tf) if op else None
        if drawn is not None:
            return drawn
        if op and isinstance(left, ScalarValue) and isinstance(right, ScalarValue):
            return ScalarValue(f"({left.code} {op} {right.code})", left.literal and right.literal)
        if op and any(isinstance(v, (TensorValue, PyColumn)) for v in (left, right)):
            code = translate_binary(
                op, self.operand(left, node.left), self.operand(right, target.comparator), self.program.helpers, tf=self.tf
            )
            if code is not None:
                return TensorValue(code)
        raise NotNative(node, f"`{_code(node)}` has no tf.data translation")

    def _BinaryOperation(self, node: cst.BinaryOperation) -> Value:
        op = OPERATORS.get(type(node.operator))
        return self.combine(op, as_scalar(self.expr(node.left)), as_scalar(self.expr(node.right)), node)

    def combine(self, op: str | None, left: Value, right: Value, node: cst.CSTNode) -> Value:
        index_math = index_arithmetic(op, left, right)
        if index_math is not None:
            return index_math
        if isinstance(left, RowList) or isinstance(right, RowList):
            # Element-wise over the batch's rows: combine the per-row values.
            inner = [v.value if isinstance(v, RowList) else v for v in (left, right)]
            array = any(isinstance(v, RowList) and v.array for v in (left, right))
            return RowList(self.combine(op, inner[0], inner[1], node), array=array)
        left, right = (PyColumn("k", index=True, row_offset="0") if isinstance(v, RowIndexValue) else v for v in (left, right))
        weak = weak_combine(op, left, right, self.tf, self.program.helpers) if op else None
        if weak is not None:
            return weak
        text = makes_text(op, left, right)
        if isinstance(left, ScalarValue) and isinstance(right, ScalarValue) and op:
            return ScalarValue(f"({left.code} {op} {right.code})", left.literal and right.literal, text=text)
        python_level = all(isinstance(v, (PyColumn, ScalarValue)) for v in (left, right))
        positions = any(isinstance(v, PyColumn) and v.index for v in (left, right))
        if op and PyColumn in (type(left), type(right)) and python_level and (positions or text):
            # Paths, keys (``ID + '.npy'``) and row positions are computed in Python, once per row.
            code = f"({left.code} {op} {right.code})"  # type: ignore[union-attr]
            return PyColumn(code, index=positions, text=text, row_offset=row_offset(op, left, right))
        if op and any(isinstance(v, (TensorValue, PyColumn)) for v in (left, right)):
            code = translate_binary(op, self.operand(left, node), self.operand(right, node), self.program.helpers, tf=self.tf)
            if code is not None:
                return TensorValue(code, rowwise=rowwise_with_number(left, right))
        raise NotNative(node, f"`{_code(node)}` has no tf.data translation")

