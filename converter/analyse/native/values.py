"""The abstract values ``__getitem__``'s code is evaluated to."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from seq2tfdata.analyse.native.gathers import Gather


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
