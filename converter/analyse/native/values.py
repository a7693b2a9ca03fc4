"""The abstract values ``__getitem__``'s code is evaluated to."""

from __future__ import annotations

import builtins
import keyword
from dataclasses import dataclass, field, fields

import libcst as cst

from seq2tfdata.analyse.native.gathers import Gather, GatheredOutput
from seq2tfdata.analyse.native.image_formats import ImageReads
from seq2tfdata.analyse.native.statements import Branch, Statements, bound_names, copied_statements
from seq2tfdata.translate.helpers import Helpers


class NotNative(Exception):
    """The construct at ``node`` has no proven tf.data translation."""

    def __init__(self, node: cst.CSTNode, message: str, lift: str = "") -> None:
        super().__init__(message)
        self.node = node
        self.message = message
        # What change to the user's code would make this construct translatable.
        self.lift = lift


@dataclass(frozen=True)
class IndexValue:
    """The batch index parameter, possibly plus a constant (``idx + 1``)."""

    offset: int = 0


@dataclass(frozen=True)
class AttrValue:
    name: str


@dataclass(frozen=True)
class ScalarValue:
    """A Python number known when ``to_tf_dataset()`` runs; ``literal`` if spelled in the code."""

    code: str
    literal: bool
    # A ``str`` (a string literal, or ``+``/``%`` with one): paths and keys built from it stay Python.
    text: bool = False


@dataclass(frozen=True)
class BoundValue:
    """``idx * batch_size`` (start) or ``(idx + 1) * batch_size`` (stop)."""

    stop: bool
    batch_size: str


@dataclass(frozen=True)
class LengthValue:
    """``len(self.<attribute>)``."""

    attribute: str


@dataclass(frozen=True)
class SliceValue:
    start: BoundValue
    stop: BoundValue


@dataclass(frozen=True)
class TensorValue:
    """A tf expression over the per-batch (or per-sample) function's parameters."""

    code: str
    # A float64 draw (numpy draws no other float): the same draw made in float32, for a
    # draw cast at once (``np.random.normal(...).astype(np.float32)``).
    float32_draw: str = field(default="", compare=False)
    # Stacked rows, or element-wise arithmetic of them with numbers: the same computed on
    # each row before batching.
    rowwise: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class ListValue:
    """A list display of per-batch values (``inputs = [a, b]``): returned, Keras reads it as a
    tuple of inputs."""

    items: tuple[object, ...]


@dataclass(frozen=True)
class PadSpec:
    maxlen: str | None
    dtype: str
    padding: str
    truncating: str
    value: str


@dataclass(frozen=True)
class PositionsValue:
    """``self.indexes[idx*bs:(idx+1)*bs]`` where ``indexes`` is a per-epoch permutation."""


@dataclass(frozen=True)
class RowIndexValue:
    """The row a per-row expression is about (``i`` in ``[self.x[i] for i in ids]``)."""


@dataclass(frozen=True)
class RowList:
    """A Python list with one value per row of the batch, ``value`` being the per-row value
    (a PyColumn, or a TensorValue over the per-row function's ``k``). ``array`` when numpy
    already holds it as one array (fancy indexing), so returning it returns the stacked rows."""

    value: object
    array: bool = False
    # The variable an ``array`` list is assigned to, which its stacked rows are then called.
    name: str = field(default="", compare=False)


@dataclass(frozen=True)
class PyColumn:
    """A pure Python expression of one item (``item``), evaluated for every row when the dataset
    is built, e.g. ``self.labels[item]`` or ``os.path.join(self.root, item + '.npy')``."""

    code: str
    # An integer row position (``k``, ``k + self.window``): arithmetic on it stays in Python.
    index: bool = False
    # What the Sequence calls these values (``self.paths[k]``: "paths"), to name their table.
    name: str = field(default="", compare=False)
    # A ``str`` per row (an f-string, or a concatenation with a string).
    text: bool = False
    # The row position plus this offset (``k``: "0", ``k + self.window``: "self.window").
    row_offset: str | None = field(default=None, compare=False)
    # Rows of an attribute at the row position plus offsets, which a batch can gather at once.
    gather: Gather | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ShiftedBound:
    """A batch bound plus a number known when the dataset is built: ``idx * bs + self.window``
    or ``min((idx + 1) * bs, self.n) + self.window`` (targets ``window`` rows after the batch)."""

    bound: "BoundValue | ClippedStop"
    offset: str


@dataclass(frozen=True)
class ClippedStop:
    """``min((idx + 1) * batch_size, self.n)``: the stop of a batch of row positions."""

    stop: "BoundValue"
    limit: str


@dataclass(frozen=True)
class BufferValue:
    """``np.empty((batch_size, *row_shape), dtype)``, filled row by row in a loop."""

    dtype: str
    row_shape: str  # Python source of a tuple, evaluated when the dataset is built


@dataclass(frozen=True)
class Permutation:
    """``on_epoch_end`` rebuilds ``self.<attribute> = np.arange(len(self.<length_of>))`` and
    shuffles it when ``condition`` (Python source; "True" when unconditional) holds."""

    attribute: str
    length_of: str
    condition: str | None


@dataclass(frozen=True)
class PythonStep:
    """A pure per-batch step run by ``tf.numpy_function``: Python source over ``parameters``."""

    source: str
    parameters: list[str]


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
