"""Evaluate ``__getitem__``'s expressions to abstract values and tf expression source.

Every construct either maps to a value whose tf translation is exact, or raises ``NotNative``
naming the construct; nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import libcst as cst
import libcst.matchers as m

from converter.analyse.dtypes import Names, qualified, static_dtype
from converter.analyse.native.images import image_call
from converter.analyse.native.index_math import builtin_call, index_arithmetic, is_string
from converter.analyse.native.padding import pad_sequences_spec
from converter.analyse.native.rows import RowValues, as_scalar
from converter.analyse.native.selection import RowSelection
from converter.analyse.native.values import (
    AttrValue,
    NotNative,
    Program,
    PyColumn,
    RowIndexValue,
    RowList,
    ScalarValue,
    TensorValue,
)
from converter.translate import translate_attribute, translate_binary, translate_call, translate_method, translate_unary

_LIBRARIES = {"numpy", "keras", "tensorflow", "tf_keras", "math", "os", "random"}
_STACKERS = {"numpy.stack", "numpy.array", "numpy.asarray"}
_BUFFER_FACTORIES = {"numpy.empty", "numpy.zeros", "numpy.ones"}
# Python functions with no side effects, safe to run once per row when the dataset is built.
_PURE_PYTHON_FUNCTIONS = {
    "os.path.join", "builtins.str", "builtins.int", "builtins.float", "builtins.len", "builtins.abs",
    "builtins.round", "posixpath.join",
}
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
# Evaluates a ``self.method(...)`` call by inlining the method body.
Inliner = Callable[[str, list[Value], cst.Call, bool], Value]


class Evaluator(RowValues, RowSelection):
    def __init__(
        self, names: Names, program: Program, tf: str, env: dict[str, Value], inline: Inliner,
        chain=None, allow_python_rows: bool = False,
    ) -> None:
        self.chain = chain
        self.allow_python_rows = allow_python_rows
        self.names = names
        self.program = program
        self.tf = tf
        self.env = env
        self.inline = inline

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
            return f"{self.program.table(value.code)}[k]"
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
        constants = sorted(n for n in qualified(self.names, node) if n.split(".")[0] in {"numpy", "builtins"})
        if constants and isinstance(node, (cst.Name, cst.Attribute)):
            return constants[0]
        value = self.expr(node)
        if isinstance(value, AttrValue):
            return f"self.{value.name}"
        if isinstance(value, (TensorValue, ScalarValue)):
            return value.code
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
        return ScalarValue(node.value, literal=True)

    def _Attribute(self, node: cst.Attribute) -> Value:
        if isinstance(node.value, cst.Name) and node.value.value == "self":
            return AttrValue(node.attr.value)
        base = self.expr(node.value)
        if isinstance(base, TensorValue):
            code = translate_attribute(node.attr.value, base.code, tf=self.tf)
            if code is not None:
                return TensorValue(code)
        raise NotNative(node, f"`{_code(node)}` has no tf.data translation")

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
        if isinstance(operand, TensorValue) and op:
            code = translate_unary(op, operand.code, tf=self.tf)
            if code is not None:
                return TensorValue(code)
        raise NotNative(node, f"`{_code(node)}` has no tf.data translation")

    def _Comparison(self, node: cst.Comparison) -> Value:
        if len(node.comparisons) != 1:
            raise NotNative(node, f"`{_code(node)}` chains comparisons")
        target = node.comparisons[0]
        op = _COMPARISONS.get(type(target.operator))
        left, right = as_scalar(self.expr(node.left)), as_scalar(self.expr(target.comparator))
        if op and isinstance(left, ScalarValue) and isinstance(right, ScalarValue):
            return ScalarValue(f"({left.code} {op} {right.code})", left.literal and right.literal)
        if op and any(isinstance(v, (TensorValue, PyColumn)) for v in (left, right)):
            code = translate_binary(op, self.operand(left, node.left), self.operand(right, target.comparator), tf=self.tf)
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
        left, right = (PyColumn("k", index=True) if isinstance(v, RowIndexValue) else v for v in (left, right))
        if isinstance(left, ScalarValue) and isinstance(right, ScalarValue) and op:
            return ScalarValue(f"({left.code} {op} {right.code})", left.literal and right.literal)
        python_level = all(isinstance(v, (PyColumn, ScalarValue)) for v in (left, right))
        positions = any(isinstance(v, PyColumn) and v.index for v in (left, right))
        if op and PyColumn in (type(left), type(right)) and python_level and (positions or is_string(left, right)):
            # Paths, keys (``ID + '.npy'``) and row positions are computed in Python, once per row.
            return PyColumn(f"({left.code} {op} {right.code})", index=positions)  # type: ignore[union-attr]
        if op and any(isinstance(v, (TensorValue, PyColumn)) for v in (left, right)):
            code = translate_binary(op, self.operand(left, node), self.operand(right, node), tf=self.tf)
            if code is not None:
                return TensorValue(code)
        raise NotNative(node, f"`{_code(node)}` has no tf.data translation")

    # --- calls --------------------------------------------------------------------------
    def _Call(self, node: cst.Call) -> Value:
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
            return self.inline(func.attr.value, [self.expr(a.value) for a in node.args if not a.keyword], node, False)
        if m.matches(func, m.Attribute(value=m.Call(func=m.Name("super"), args=[]))):
            return self.inline(func.attr.value, [self.expr(a.value) for a in node.args if not a.keyword], node, True)  # type: ignore[union-attr]
        callees = qualified(self.names, func)
        image = image_call(self, node, callees)
        if image is not None:
            return image
        builtin = builtin_call(self, node, callees)
        if builtin is not None:
            return builtin
        if any(name.endswith("pad_sequences") for name in callees):
            return self._pad_sequences(node)
        if callees & _BUFFER_FACTORIES:
            buffer = self._buffer(node)
            if buffer is not None:
                return buffer
        if "numpy.load" in callees:
            return self._load_npy(node)
        if callees == {"numpy.arange"} and len(node.args) == 2 and not any(a.keyword for a in node.args):
            positions = self._batch_positions(node)
            if positions is not None:
                return positions
        if callees & _STACKERS and node.args and node.args[0].keyword is None:
            rows = self.expr(node.args[0].value)
            if isinstance(rows, RowList):
                extra = [a for a in node.args[1:]]
                dtype_node = next((a.value for a in extra if a.keyword and a.keyword.value == "dtype"), None)
                if any(a is not None and (a.keyword is None or a.keyword.value != "dtype") for a in extra):
                    raise NotNative(node, f"`{_code(node)}` stacks rows with options the pipeline does not follow")
                dtype = static_dtype(dtype_node, self.names) if dtype_node is not None else None
                if dtype_node is not None and dtype is None:
                    raise NotNative(node, f"the dtype of `{_code(node)}` is not spelled plainly")
                return self.row_output(rows.value, dtype)
        if callees & _PURE_PYTHON_FUNCTIONS:
            values = [as_scalar(self.expr(a.value)) for a in node.args]
            if any(isinstance(v, PyColumn) for v in values) and all(
                isinstance(v, (PyColumn, ScalarValue)) and a.keyword is None and not a.star for v, a in zip(values, node.args)
            ):
                return PyColumn(f"{_code(node.func)}({', '.join(v.code for v in values)})")  # type: ignore[union-attr]
        args = [self.argument(a.value) for a in node.args if a.keyword is None and not a.star]
        kwargs = {a.keyword.value: self.argument(a.value) for a in node.args if a.keyword is not None}
        if any(a.star for a in node.args):
            raise NotNative(node, f"`{_code(node)}` passes *args/**kwargs")
        for name in sorted(callees):
            code = translate_call(name, args, kwargs, tf=self.tf)
            if code is not None:
                return TensorValue(code)
        library = any(name.split(".")[0] in _LIBRARIES for name in callees)
        if isinstance(func, cst.Attribute) and not library:
            # libcst names ``self.x.astype`` as a local; it is a method of whatever self.x holds.
            receiver = self.expr(func.value)
            if isinstance(receiver, TensorValue):
                code = translate_method(func.attr.value, receiver.code, args, kwargs, tf=self.tf)
                if code is not None:
                    return TensorValue(code)
        raise NotNative(node, f"`{_code(node.func)}(...)` has no exact tf translation")

    def _pad_sequences(self, node: cst.Call) -> Value:
        if not node.args:
            raise NotNative(node, "pad_sequences() without sequences")
        column = self.expr(node.args[0].value)
        attribute = next((c for c in self.program.columns if TensorValue(c) == column), None)
        if attribute is None or self.program.stage != "batch":
            raise NotNative(node, "pad_sequences() of something other than a batch slice of an attribute")
        self.program.padding[attribute] = pad_sequences_spec(node, self.argument)
        return column
