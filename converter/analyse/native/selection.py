"""Which rows a batch takes: slices and positions of the batch index, row-dependent slices,
fancy indexing by per-row positions, and basic indexing of computed arrays."""

from __future__ import annotations

import libcst as cst

from seq2tfdata.analyse.native.gathers import Gather
from seq2tfdata.analyse.native.index_math import basic_index
from seq2tfdata.analyse.native.rows import as_scalar
from seq2tfdata.analyse.native.values import (
    AttrValue,
    BoundValue,
    ClippedStop,
    IndexValue,
    NotNative,
    PositionsValue,
    PyColumn,
    RowIndexValue,
    RowList,
    ScalarValue,
    ShiftedBound,
    SliceValue,
    TensorValue,
)

_code = cst.Module([]).code_for_node
Value = object


class RowSelection:
    """Mixed into the Evaluator (``self.expr``, ``self.program``, ``self.env`` come from it)."""

    def _batch_positions(self, node: cst.Call) -> Value | None:
        """``np.arange(idx*bs, min((idx+1)*bs, self.n))``: the batch's row positions of n rows.
        Unclipped, ``np.arange(idx*bs, (idx+1)*bs)`` numbers the rows of full batches only, so
        there are as many rows as batches times batch_size."""
        start, stop = (self.expr(a.value) for a in node.args)
        return self._positions_between(start, stop)

    def _positions_between(self, start: Value, stop: Value) -> Value | None:
        if not (isinstance(start, BoundValue) and not start.stop):
            return None
        if isinstance(stop, ClippedStop):
            row_count, stop_size = stop.limit, stop.stop.batch_size
        elif isinstance(stop, BoundValue) and stop.stop and self.chain is not None:
            batches = "self.num_batches" if self.chain.defines("num_batches") else "len(self)"
            row_count, stop_size = f"{batches} * {start.batch_size}", stop.batch_size
            self.program.full_batches = True
        else:
            return None
        if stop_size != start.batch_size or self.program.batch_size not in (None, start.batch_size):
            return None
        if self.program.row_count not in (None, row_count):
            return None  # two numberings of the rows
        self.program.stage = "batch"
        self.program.batch_size = start.batch_size
        self.program.row_count = row_count
        return RowList(RowIndexValue())

    def _Subscript(self, node: cst.Subscript) -> Value:
        base = self.expr(node.value)
        shifted = self._shifted_rows(base, node) if isinstance(base, AttrValue) else None
        if shifted is not None:
            return shifted
        if isinstance(base, AttrValue) and len(node.slice) == 1:
            index = node.slice[0].slice
            if isinstance(index, cst.Index):
                key = as_scalar(self.expr(index.value)) if not isinstance(index.value, cst.Name) or index.value.value in self.env else None
                if isinstance(key, RowList) and isinstance(key.value, (PyColumn, RowIndexValue)):
                    return RowList(self._row_read(base, key.value), array=True)
                if isinstance(key, (PyColumn, RowIndexValue)):
                    return self._row_read(base, key)
            if isinstance(index, cst.Slice) and index.step is None and index.lower and index.upper:
                bounds = [as_scalar(self.expr(b)) for b in (index.lower, index.upper)]
                bounds = [PyColumn("k", index=True, row_offset="0") if isinstance(b, RowIndexValue) else b for b in bounds]
                if any(isinstance(b, PyColumn) and b.index for b in bounds) and all(
                    isinstance(b, (PyColumn, ScalarValue)) for b in bounds
                ):
                    lower, upper = (b.row_offset if isinstance(b, PyColumn) else None for b in bounds)
                    window = Gather(base.name, lower, upper) if lower is not None and upper is not None else None
                    code = f"self.{base.name}[{bounds[0].code}:{bounds[1].code}]"
                    return PyColumn(name=base.name, code=code, gather=window)
            return self._row_selection(base, index, node)
        if isinstance(base, TensorValue) and all(basic_index(e.slice) for e in node.slice):
            return TensorValue(f"{base.code}[{', '.join(_code(e.slice) for e in node.slice)}]")
        raise NotNative(node, f"`{_code(node)}` is not a batch slice or basic indexing")

    def _row_read(self, base: AttrValue, key: PyColumn | RowIndexValue) -> PyColumn:
        """``self.x[key]`` for one row: a dict lookup or a read at a row position."""
        code = "k" if isinstance(key, RowIndexValue) else key.code
        offset = "0" if isinstance(key, RowIndexValue) else key.row_offset
        at_position = Gather(base.name, offset) if offset is not None else None
        return PyColumn(name=base.name, code=f"self.{base.name}[{code}]", gather=at_position)

    def _shifted_rows(self, base: AttrValue, node: cst.Subscript) -> Value | None:
        """``self.x[start + c:end + c, ...]`` over a batch of row positions ``start:end``: row
        ``k`` of the batch is ``self.x[k + c, ...]`` (targets some rows after each window)."""
        first, *rest = node.slice
        index = first.slice
        if not (isinstance(index, cst.Slice) and index.step is None and index.lower and index.upper):
            return None
        start, stop = (self.expr(b) for b in (index.lower, index.upper))
        if not (isinstance(start, ShiftedBound) and isinstance(stop, ShiftedBound) and start.offset == stop.offset):
            return None
        if not all(basic_index(e.slice) for e in rest) or self._positions_between(start.bound, stop.bound) is None:
            return None
        extra = tuple(_code(e.slice) for e in rest)
        code = f"self.{base.name}[{', '.join((f'k + {start.offset}', *extra))}]"
        shifted = Gather(base.name, start.offset, rest=extra)
        return RowList(PyColumn(name=base.name, code=code, gather=shifted), array=True)

    def _row_selection(self, base: AttrValue, index: cst.BaseSlice, node: cst.Subscript) -> Value:
        if isinstance(index, cst.Slice) and index.step is None and index.lower and index.upper:
            bounds = SliceValue(self.expr(index.lower), self.expr(index.upper))  # type: ignore[arg-type]
        elif isinstance(index, cst.Index):
            bounds = self.expr(index.value)
        else:
            raise NotNative(node, f"`{_code(node)}` is not a batch slice")
        if bounds == IndexValue(0):
            return self.program.column(base.name, "sample", node)
        if isinstance(bounds, PositionsValue):
            return self.program.column(base.name, "batch", node)
        if (
            isinstance(bounds, SliceValue)
            and isinstance(bounds.start, BoundValue)
            and isinstance(bounds.stop, BoundValue)
            and not bounds.start.stop
            and bounds.stop.stop
            and bounds.start.batch_size == bounds.stop.batch_size
        ):
            if self.program.batch_size not in (None, bounds.start.batch_size):
                raise NotNative(node, "slices batches of different sizes")
            self.program.batch_size = bounds.start.batch_size
            permutation = self.program.permutation
            if permutation is not None and permutation.attribute == base.name:
                self.program.stage = "batch"
                self.program.permuted = True
                return PositionsValue()
            return self.program.column(base.name, "batch", node)
        raise NotNative(node, f"`{_code(node)}` does not select rows idx*batch_size:(idx+1)*batch_size")
