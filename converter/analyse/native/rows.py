"""Per-row values: list comprehensions over a batch's rows, fill-loop buffers, .npy reads and
the pure Python expressions (paths, dict lookups) computed once per row when the dataset is built.
"""

from __future__ import annotations

import libcst as cst

from seq2tfdata.analyse.dtypes import static_dtype
from seq2tfdata.analyse.native.gathers import GatheredOutput
from seq2tfdata.analyse.native.python_rows import python_batch_source, python_row_source
from seq2tfdata.analyse.native.values import (
    BufferValue,
    NotNative,
    PositionsValue,
    PyColumn,
    PythonStep,
    RowIndexValue,
    RowList,
    ScalarValue,
    TensorValue,
)
from seq2tfdata.source_text import tuple_display

_code = cst.Module([]).code_for_node
Value = object


def as_scalar(value):
    """An attribute in index arithmetic is a number read when the dataset is built."""
    from seq2tfdata.analyse.native.values import AttrValue

    return ScalarValue(f"self.{value.name}", literal=False) if isinstance(value, AttrValue) else value


class RowValues:
    """Mixed into the Evaluator; ``self.expr``, ``self.program``, ``self.env``, ``self.names``
    and ``self.tf`` come from it."""

    def _buffer(self, node: cst.Call) -> BufferValue | None:
        """``np.empty((batch_size, *row_shape), dtype=...)``: a batch filled row by row."""
        shape = node.args[0].value if node.args and node.args[0].keyword is None else None
        elements = list(shape.elements) if isinstance(shape, (cst.Tuple, cst.List)) else [cst.Element(shape)] if shape else []
        if not elements or isinstance(elements[0], cst.StarredElement):
            return None
        first = elements[0].value
        if _code(first.with_changes(lpar=[], rpar=[])) != self.program.batch_size:
            return None
        dtype_node = next((a.value for a in node.args if a.keyword and a.keyword.value == "dtype"), None)
        if len([a for a in node.args if a.keyword is None]) != 1:
            return None
        dtype = "float64" if dtype_node is None else static_dtype(dtype_node, self.names)
        if dtype is None:
            raise NotNative(node, f"the dtype of `{_code(node)}` is not spelled plainly")
        rest = [("*" if isinstance(e, cst.StarredElement) else "") + _code(e.value) for e in elements[1:]]
        return BufferValue(dtype, tuple_display(rest) if rest else "()")

    def _load_npy(self, node: cst.Call) -> TensorValue:
        path = self.expr(node.args[0].value) if len(node.args) == 1 and node.args[0].keyword is None else None
        if not isinstance(path, PyColumn):
            raise NotNative(node, "np.load() of something other than a per-row path, or with options")
        table = self.program.table(path, "npy_paths")
        if self.program.npy_paths not in ("", table):
            raise NotNative(node, "reads .npy files from two different path lists")
        self.program.npy_paths = table
        return TensorValue(f"read_npy({table}[k])")

    def _FormattedString(self, node: cst.FormattedString) -> Value:
        parts = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(part.value)
                continue
            value = as_scalar(self.expr(part.expression))
            if not isinstance(value, (PyColumn, ScalarValue)) or part.format_spec or part.conversion:
                raise NotNative(node, f"`{_code(node)}` formats something the pipeline cannot precompute")
            parts.append("{" + value.code + "}")
        return PyColumn(f"{node.start}{''.join(parts)}{node.end}", text=True)

    def _GeneratorExp(self, node: cst.GeneratorExp) -> Value:
        # Only ever consumed whole, by max() or a stacking call, so it is the list it would build.
        return self._ListComp(node)  # type: ignore[arg-type]

    def _ListComp(self, node: cst.ListComp) -> Value:
        loop = node.for_in
        if not isinstance(loop.target, cst.Name) or loop.inner_for_in is not None or loop.ifs:
            raise NotNative(node, f"`{_code(node)}` has no tf.data translation")
        item = self.row_item(loop.iter)
        outer = self.env
        self.env = {**outer, loop.target.value: item}
        self.row_depth += 1
        try:
            return RowList(self.row_value(node.elt))
        finally:
            self.env = outer
            self.row_depth -= 1

    def row_item(self, node: cst.BaseExpression) -> Value:
        """What a loop over ``node`` binds its variable to, per row."""
        iterated = self.expr(node)
        if isinstance(iterated, PositionsValue):
            return RowIndexValue()
        if isinstance(iterated, RowList):
            return iterated.value
        if isinstance(iterated, TensorValue) and iterated.code in self.program.columns:
            return PyColumn(f"self.{iterated.code}[k]", name=iterated.code)
        raise NotNative(node, f"`{_code(node)}` is not one value per row of the batch")

    def row_output(self, value: Value, dtype: str | None = None, name: str = "") -> TensorValue:
        """A per-row value as one more output of the per-row function; batching stacks it. It
        is called ``name`` if given, else after the variable it is assigned to later."""
        gathered = None
        if isinstance(value, PyColumn) and value.gather and not self.program.permuted and not self.program.column_row(value.code):
            # Also readable per row from a table, should the pipeline be built row by row.
            gathered = GatheredOutput(value.gather, dtype, self.program.table(value))
        code = f"{gathered.table}[k]" if gathered else self.tensor_of(value)
        if dtype is not None:
            code = f"{self.tf}.cast({code}, {self.tf}.{dtype})"
        output = self.program.fresh_name(name or "rows")
        self.program.sample_outputs[output] = code
        if not name:
            self.program.unnamed_outputs.add(output)
        if gathered:
            self.program.gathered[output] = gathered
        return TensorValue(output, rowwise=True)

    def row_value(self, node: cst.BaseExpression) -> Value:
        """A per-row expression; without a tf translation, a hybrid numpy_function step if the
        caller allows them and the expression is a pure function of the row."""
        saved = self.program.checkpoint() if self.allow_python_rows else None
        try:
            return self.expr(node)
        except NotNative:
            if not self.allow_python_rows:
                raise
            self.program.rollback(saved)  # type: ignore[arg-type]
        source, imported = python_row_source(node, self.env, self.names, self.chain, self.functions)
        self.program.assume_pure(imported)
        name = f"python_row_{len(self.program.python_rows)}"
        self.program.python_rows[name] = source
        return TensorValue(f"{name}(k)")

    def batch_value(self, node: cst.BaseExpression) -> Value:
        """A per-batch (or per-sample) expression; without a tf translation, a hybrid
        numpy_function step over the arrays it reads if the caller allows them and it is pure."""
        saved = self.program.checkpoint() if self.allow_python_rows else None
        try:
            return self.expr(node)
        except NotNative as untranslated:
            if not self.allow_python_rows or self.row_depth or self.cond_depth or self.guards:
                raise
            self.program.rollback(saved)  # type: ignore[arg-type]
            step = python_batch_source(node, self.env, self.names, self.chain, self.functions)
            if step is None:
                raise untranslated
        source, arrays, imported = step
        name = f"python_batch_{len(self.program.python_batches)}"
        self.program.python_batches[name] = PythonStep(source, [parameter for parameter, _ in arrays])
        self.program.assume_pure(imported)
        return TensorValue(f"{name}({', '.join(code for _, code in arrays)})")

    def tensor_of(self, value: Value) -> str:
        if isinstance(value, TensorValue):
            return value.code
        if isinstance(value, PyColumn):
            return self.program.column_row(value.code) or f"{self.program.table(value)}[k]"
        raise NotNative(cst.Name("value"), "a per-row value is not an array")


def rowwise_with_number(left: Value, right: Value) -> bool:
    """Stacked rows with a number literal: row by row, the same arithmetic (a broadcast array,
    even an attribute holding one, may line up with the batch axis instead)."""
    def number(value: Value) -> bool:
        return isinstance(value, ScalarValue) and value.literal and not value.text

    def rows(value: Value) -> bool:
        return isinstance(value, TensorValue) and value.rowwise

    return (rows(left) and number(right)) or (number(left) and rows(right))
