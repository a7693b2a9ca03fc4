"""Calls in ``__getitem__``: helper methods (inlined), builtins, numpy and Keras functions through
the translation table, random draws, file reads, and the pure Python computed once per row."""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from seq2tfdata.analyse.dtypes import qualified, static_dtype
from seq2tfdata.analyse.native.draws import DISTRIBUTIONS, draw
from seq2tfdata.analyse.native.images import image_call
from seq2tfdata.analyse.native.lifts import lift_for
from seq2tfdata.analyse.native.index_math import builtin_call
from seq2tfdata.analyse.native.pad_loops import longest_row, padded_buffer
from seq2tfdata.analyse.native.padding import pad_sequences_spec
from seq2tfdata.analyse.native.rows import as_scalar
from seq2tfdata.analyse.native.values import NotNative, PyColumn, RowList, ScalarValue, TensorValue
from seq2tfdata.analyse.randomness import GENERATOR_METHODS
from seq2tfdata.translate import translate_call, translate_method

_LIBRARIES = {"numpy", "keras", "tensorflow", "tf_keras", "math", "os", "random"}
_STACKERS = {"numpy.stack", "numpy.array", "numpy.asarray"}
_BUFFER_FACTORIES = {"numpy.empty", "numpy.zeros", "numpy.ones"}
# Python functions with no side effects, safe to run once per row when the dataset is built.
_PURE_PYTHON_FUNCTIONS = {
    "os.path.join", "builtins.str", "builtins.int", "builtins.float", "builtins.len", "builtins.abs",
    "builtins.round", "posixpath.join",
}
_code = cst.Module([]).code_for_node
Value = object


# TensorFlow ops a Sequence may call on its arrays, which the pipeline can call unchanged.
_TF_NAMESPACES = ("tensorflow.image.", "tensorflow.math.", "tensorflow.signal.", "tensorflow.strings.", "tensorflow.linalg.")
_TF_FUNCTIONS = {
    "cast", "reshape", "concat", "stack", "one_hot", "clip_by_value", "where", "expand_dims", "squeeze", "transpose",
    "pad", "reverse", "gather", "abs", "maximum", "minimum", "round", "sqrt", "square", "exp",
}


def _deterministic_tf_op(name: str) -> bool:
    if "random" in name:
        return False  # draws would not match the Sequence's and are not modelled here
    return name.startswith(_TF_NAMESPACES) or name.removeprefix("tensorflow.") in _TF_FUNCTIONS


class Calls:
    """Mixed into the Evaluator; ``self.expr``, ``self.argument``, ``self.inline``, ``self.program``,
    ``self.names`` and ``self.tf`` come from it."""

    def _Call(self, node: cst.Call) -> Value:
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
            return self.inline(func.attr.value, [self.expr(a.value) for a in node.args if not a.keyword], node, False)
        if m.matches(func, m.Attribute(value=m.Call(func=m.Name("super"), args=[]))):
            return self.inline(func.attr.value, [self.expr(a.value) for a in node.args if not a.keyword], node, True)  # type: ignore[union-attr]
        if m.matches(func, m.Attribute(value=m.Attribute(value=m.Name("self")), attr=m.Name())) and func.attr.value in GENERATOR_METHODS:  # type: ignore[union-attr]
            raise NotNative(
                node,
                f"`{_code(func)}(...)` draws from a random generator kept on self, whose state changes with every call",
                lift="draw with np.random.* instead (the pipeline then draws its own numbers)",
            )
        callees = qualified(self.names, func)
        lift = lift_for(callees)
        if lift:
            raise NotNative(node, f"`{_code(node.func)}(...)` has no exact tf translation", lift=lift)
        image = image_call(self, node, callees)
        if image is not None:
            return image
        longest = longest_row(self, node) if callees == {"builtins.max"} else None
        if longest is not None:
            return longest
        builtin = builtin_call(self, node, callees)
        if builtin is not None:
            return builtin
        drawn = sorted(callees & DISTRIBUTIONS.keys())
        if drawn:
            return draw(self, node, drawn[0])
        if any(name.endswith("pad_sequences") for name in callees):
            return self._pad_sequences(node)
        padded = padded_buffer(self, node, callees)
        if padded is not None:
            return padded
        if callees & _BUFFER_FACTORIES:
            buffer = self._buffer(node)
            if buffer is not None:
                return buffer
        if "numpy.load" in callees:
            return self._load_npy(node)
        if callees in ({"numpy.arange"}, {"builtins.range"}) and len(node.args) == 2 and not any(a.keyword for a in node.args):
            positions = self._batch_positions(node)
            if positions is not None:
                return positions
        if callees & _STACKERS and node.args and node.args[0].keyword is None:
            rows = self.expr(node.args[0].value)
            if isinstance(rows, TensorValue) and rows.rowwise and len(node.args) == 1:
                return rows  # a copy of stacked rows: tensors are never written in place
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
            code = translate_call(name, args, kwargs, self.program.helpers, tf=self.tf)
            if code is not None:
                return TensorValue(code)
        if any(_deterministic_tf_op(name) for name in callees):
            # The Sequence already calls TensorFlow: the pipeline runs the same op.
            passed = args + [f"{keyword}={value}" for keyword, value in kwargs.items()]
            return TensorValue(f"{_code(node.func)}({', '.join(passed)})")
        library = any(name.split(".")[0] in _LIBRARIES for name in callees)
        # A method of a computed value (``np.random.normal(...).astype(...)``), whatever the
        # qualified name of its spelling says.
        computed = isinstance(func, cst.Attribute) and isinstance(func.value, (cst.Call, cst.Subscript, cst.BinaryOperation))
        if isinstance(func, cst.Attribute) and (not library or computed):
            # libcst names ``self.x.astype`` as a local; it is a method of whatever self.x holds.
            receiver = self.expr(func.value)
            if isinstance(receiver, TensorValue) and func.attr.value == "copy" and not args and not kwargs:
                return receiver  # tensors are never written in place, so a copy is the same value
            dtypes = [*args, *kwargs.values()]
            if isinstance(receiver, TensorValue) and receiver.float32_draw and func.attr.value == "astype":
                if dtypes == ["numpy.float32"] and set(kwargs) <= {"dtype"}:
                    # Drawn in float32 at once: the same distribution, without a float64 array.
                    return TensorValue(receiver.float32_draw)
            if isinstance(receiver, TensorValue):
                code = translate_method(func.attr.value, receiver.code, args, kwargs, self.program.helpers, tf=self.tf)
                if code is not None:
                    # A cast is element-wise: rows cast one by one are the batch cast.
                    return TensorValue(code, rowwise=receiver.rowwise and func.attr.value == "astype")
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
