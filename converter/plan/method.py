"""What a tier planner decides for one class, as values: ``render/methods.py`` alone turns a plan
into the ``to_tf_dataset()`` method's code."""

from __future__ import annotations

from dataclasses import dataclass, field

from seq2tfdata.analyse.native.gathers import GatheredOutput
from seq2tfdata.analyse.native.image_formats import ImageReads
from seq2tfdata.analyse.native.statements import Statements
from seq2tfdata.analyse.native.values import PadSpec, Permutation, PythonStep
from seq2tfdata.markers import BlockFacts
from seq2tfdata.model import Tier
from seq2tfdata.translate.helpers import Helpers


@dataclass(frozen=True)
class GeneratorFacts:
    """The generator pipeline's parts; the faster tiers fall back to the same pipeline."""

    tf: str
    np: str
    signature: str  # Python source of the output_signature, or "" when only the data can tell
    length_call: str  # how a pass reads its batch count; "" when only the run time can tell
    may_be_infinite: bool
    cardinality_blocker: str  # why len() may change during a pass, or ""
    on_epoch_begin: str  # the call that starts a pass, or ""
    # A method may write an array a served batch shares memory with, so batches are copied.
    copies_batches: bool = True


@dataclass(frozen=True)
class GeneratorPlan:
    generator: GeneratorFacts
    why_not_native: list[str]
    tier: Tier = Tier.GENERATOR

    @property
    def block(self) -> BlockFacts:
        return BlockFacts("generator", reshuffles=False, draws=False)


@dataclass(frozen=True)
class NativePipeline:
    """The tf.data pipeline the native evaluator proved equivalent to ``__getitem__``. Code-valued
    fields (``row_code``, bindings, tables) are tf or Python expressions over the pipeline's own
    names, printed as they are."""

    class_name: str
    notes: list[str]
    # A batch that is the same every time (attributes returned unchanged): its Python source.
    constant: str = ""
    columns: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    row_code: list[str] = field(default_factory=list)
    # The row function returns its one output bare rather than in a 1-tuple.
    bare_row: bool = False
    tables: dict[str, str] = field(default_factory=dict)
    npy_table: str = ""
    images: ImageReads = field(default_factory=ImageReads)
    permutation: Permutation | None = None
    stage: str | None = None
    slices: bool = False
    batch_size: str | None = None
    drop_remainder: bool = False
    pad_rows: list[tuple[str, PadSpec]] = field(default_factory=list)
    left_align: list[str] = field(default_factory=list)
    pad_values: dict[str, str] = field(default_factory=dict)
    structure: str = ""
    identity: bool = False
    python_rows: dict[str, str] = field(default_factory=dict)
    python_batches: dict[str, PythonStep] = field(default_factory=dict)
    row_count: str | None = None
    row_draws: int = 0
    element_draws: int = 0
    row_bindings: Statements = field(default_factory=list)
    element_bindings: Statements = field(default_factory=list)
    numpy_helpers: Helpers = field(default_factory=dict)
    # Batches gathered at once from whole attributes (windows and the rows after them): each
    # output's gather, and the table each attribute is read into.
    gathers: dict[str, GatheredOutput] = field(default_factory=dict)
    gather_tables: dict[str, str] = field(default_factory=dict)
    # The per-batch work is element-wise with numbers: it runs on each row, before batching.
    rowwise: bool = False

    @property
    def tier(self) -> Tier:
        return Tier.HYBRID if self.python_rows or self.python_batches else Tier.NATIVE

    @property
    def reshuffles(self) -> bool:
        return bool(self.permutation is not None and self.permutation.condition)

    @property
    def draws(self) -> bool:
        return bool(self.row_draws or self.element_draws)


@dataclass(frozen=True)
class HybridPipeline:
    """``__getitem__`` itself run by ``tf.numpy_function`` in a parallel, ordered map."""

    hooks: list[str]
    assumed_pure: list[str]
    # on_epoch_end changes what __getitem__ reads: called once each pass's batches are made.
    calls_on_epoch_end: bool = False

    tier = Tier.HYBRID
    reshuffles = False
    draws = False


@dataclass(frozen=True)
class GuardedPlan:
    """A faster pipeline behind the run-time checks that fall back to the generator pipeline."""

    pipeline: NativePipeline | HybridPipeline
    generator: GeneratorFacts
    warnings_module: str  # the name the module binds ``warnings`` to

    @property
    def tier(self) -> Tier:
        return self.pipeline.tier

    @property
    def block(self) -> BlockFacts:
        return BlockFacts(self.tier.value, reshuffles=self.pipeline.reshuffles, draws=self.pipeline.draws)


MethodPlan = GeneratorPlan | GuardedPlan
