"""What the evaluation of ``__getitem__`` learnt: the ``Program`` the native planner reads."""

from __future__ import annotations

import builtins
import keyword
from dataclasses import dataclass, field, fields

import libcst as cst

from seq2tfdata.analyse.native.gathers import GatheredOutput
from seq2tfdata.analyse.native.image_formats import ImageReads
from seq2tfdata.analyse.native.statements import Branch, Statements, bound_names, copied_statements
from seq2tfdata.analyse.native.values import NotNative, PadSpec, Permutation, PythonStep, PyColumn, TensorValue
from seq2tfdata.translate.helpers import Helpers


@dataclass
class Program:
    """What the evaluation learnt: how rows are selected and what is computed from them."""

    stage: str | None = None  # "batch" (rows idx*bs:(idx+1)*bs) or "sample" (row idx)
    batch_size: str | None = None
    columns: list[str] = field(default_factory=list)
    padding: dict[str, PadSpec] = field(default_factory=dict)
    permutation: Permutation | None = None
    permuted: bool = False  # rows are taken through ``permutation`` rather than in order
    # Python source of the number of rows when no column or permutation gives it (np.arange).
    row_count: str | None = None
    # Rows are numbered batch by batch up to the batch count, so every batch is full.
    full_batches: bool = False
    # Per-row values: output name -> tf source over ``k`` (the row) and the tables below.
    sample_outputs: dict[str, str] = field(default_factory=dict)
    # Outputs of stacked rows not yet assigned to a variable, whose name they would then take.
    unnamed_outputs: set[str] = field(default_factory=set)
    # Per-row outputs that are rows of an attribute at the row position plus offsets.
    gathered: dict[str, GatheredOutput] = field(default_factory=dict)
    # Outputs filled into ``np.empty((batch_size, ...))`` buffers: every batch has batch_size rows.
    buffers: list[str] = field(default_factory=list)
    # Build-time Python tables: name -> source of the list/array it holds, one entry per row.
    tables: dict[str, str] = field(default_factory=dict)
    npy_paths: str = ""  # the table of .npy paths the rows are read from, if any
    images: ImageReads = field(default_factory=ImageReads)
    # Hybrid per-row steps: name -> Python source of a pure function of the row ``k``.
    python_rows: dict[str, str] = field(default_factory=dict)
    # Hybrid per-batch steps: name -> the step.
    python_batches: dict[str, PythonStep] = field(default_factory=dict)
    # Functions from other modules the hybrid steps call, which cannot be read here.
    assumed_pure: list[str] = field(default_factory=list)
    # Random draw sites: per row (seeded by ``row_seed``) and per batch or sample (``element_seed``).
    row_draws: int = 0
    element_draws: int = 0
    # Locals of the generated per-row and per-batch (per-sample) functions, in order: name -> tf source.
    row_bindings: Statements = field(default_factory=list)
    element_bindings: Statements = field(default_factory=list)
    # numpy translations written as functions, by name, defined once in the pipeline.
    helpers: Helpers = field(default_factory=dict)
    # Module names the generated code uses (the tf and numpy aliases): no local may shadow them.
    reserved: frozenset[str] = frozenset()

    def column(self, attribute: str, stage: str, node: cst.CSTNode) -> TensorValue:
        if self.stage not in (None, stage):
            raise NotNative(node, "mixes per-sample and per-batch indexing")
        self.stage = stage
        if attribute not in self.columns:
            self.columns.append(attribute)
        self.sample_outputs.setdefault(column_variable(attribute), f"{column_variable(attribute)}_row(k)")
        return TensorValue(column_variable(attribute), rowwise=stage == "batch")

    def fresh_name(self, preferred: str) -> str:
        """A name for a generated local or output: the user's own, unless a parameter, table,
        local or anything the generated functions read from outside already has it."""
        taken = {*self.columns, *self.sample_outputs, *self.tables}
        taken |= {*bound_names(self.row_bindings), *bound_names(self.element_bindings)}
        taken |= {f"{c}_row" for c in self.columns} | {"k", "row_seed", "element_seed", "columns", "self"}
        taken |= {*self.helpers, *self.python_rows, *self.python_batches, *self.reserved, *OUTER_NAMES}
        if preferred not in taken and not keyword.iskeyword(preferred):
            return preferred
        number = 1
        while f"{preferred}_{number}" in taken:
            number += 1
        return f"{preferred}_{number}"

    def checkpoint(self) -> Program:
        """A copy of everything learnt so far, to ``rollback`` to when an attempt fails: a
        translation abandoned halfway leaves no tables, readers or helpers behind."""
        return Program(**{f.name: _copied(getattr(self, f.name)) for f in fields(self)})

    def rollback(self, saved: Program) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(saved, f.name))

    def name_output(self, output: str, preferred: str) -> str:
        """Renames an unnamed output to the variable the Sequence assigns it to."""
        name = self.fresh_name(preferred)
        self.sample_outputs = {name if key == output else key: code for key, code in self.sample_outputs.items()}
        if output in self.gathered:
            self.gathered[name] = self.gathered.pop(output)
        self.unnamed_outputs.discard(output)
        return name

    def assume_pure(self, functions: list[str]) -> None:
        self.assumed_pure += [name for name in functions if name not in self.assumed_pure]

    def column_row(self, python_source: str) -> str | None:
        """``self.<column>[k]`` is the column's row function at ``k``, which also serves rows of
        different lengths (a table could not hold them)."""
        for column in self.columns:
            if python_source == f"self.{column}[k]":
                return f"{column}_row(k)"
        return None

    def table(self, column: PyColumn, purpose: str = "table") -> str:
        """The name of a build-time table holding ``column`` for every row: after what the
        Sequence calls the values, else what the pipeline reads them for."""
        for name, source in self.tables.items():
            if source == column.code:
                return name
        name = self.fresh_name(f"{column.name}_table" if column.name else purpose)
        self.tables[name] = column.code
        return name


def _copied(value: object) -> object:
    # Entries are immutable values; only the containers, branches and image reads change.
    if isinstance(value, list) and any(isinstance(entry, Branch) for entry in value):
        return copied_statements(value)
    if isinstance(value, (dict, list, set)):
        return type(value)(value)
    if isinstance(value, ImageReads):
        return ImageReads(set(value.converted), list(value.stored_tables), value.keras_package, value.default_data_format)
    return value


# What the generated per-row and per-batch functions read from the pipeline around them or from
# builtins (templates/native_body.py.j2, images.py.j2): a local of the same name would shadow it.
OUTER_NAMES = frozenset(dir(builtins)) | {
    "tf", "np", "read_npy", "decode_image_file", "image_layout", "png_layout", "bmp_layout",
    "image_floatx", "keras_backend", "stored_layouts", "npy_header", "npy_dtype", "npy_shape",
    "npy_little_endian", "rows", "row", "per_batch", "per_sample", "batch_rows", "batch_size",
    "num_rows", "num_batches", "positions", "dataset", "sequence", "rows_at", "windows_at", "inside", "whole_table",
}


def column_variable(attribute: str) -> str:
    # The attribute's own name reads best in generated code; Python mangles ``__x`` the same way
    # in the generated method as in the user's, so it stays consistent.
    return attribute
