"""Value types shared by every stage: what goes into a conversion and what comes out."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from seq2tfdata.rules import classify

# The version of what the converter emits: part of every fingerprint and cache key. Bump it when
# the templates change their output, so existing blocks are regenerated.
OUTPUT_VERSION = "8"


class Tier(str, Enum):
    """How a class was converted, best first. ``SKIPPED`` means it was reported, not rewritten."""

    NATIVE = "native"
    HYBRID = "hybrid"
    GENERATOR = "generator"
    SKIPPED = "skipped"

    @property
    def rank(self) -> int:
        return list(Tier).index(self)


@dataclass(frozen=True)
class Reason:
    """Why a class did not reach a better tier (or was skipped), anchored in the source."""

    line: int
    col: int
    message: str
    # The stable id of this kind of reason (``rules.RULES``); documented in docs/json-schema.md.
    rule: str = ""

    def __post_init__(self) -> None:
        # Reasons the analysis builds from a message alone get their id from its shape.
        if not self.rule:
            object.__setattr__(self, "rule", classify(self.message))

    @property
    def line_col(self) -> tuple[int, int]:
        return self.line, self.col

    def render(self, path: str) -> str:
        return f"{path}:{self.line}:{self.col}: {self.message}"


@dataclass(frozen=True)
class ClassFinding:
    """One Keras Sequence subclass found in a file, and what happened to it."""

    name: str
    line: int
    col: int
    tier: Tier
    reasons: tuple[Reason, ...] = ()
    warnings: tuple[Reason, ...] = ()
    # For a notebook: the index of the cell, ``line`` then counting within it.
    cell: int | None = None


@dataclass(frozen=True)
class Options:
    """Knobs for one conversion. ``path`` is only used to label findings."""

    path: str = "<string>"
    max_tier: Tier = Tier.NATIVE
    # Qualified names (``pkg.module.Class``) of Sequence subclasses defined in *other* files,
    # found by a repository-wide pre-pass, so that subclasses of them are recognised too.
    extra_sequence_bases: frozenset[str] = field(default_factory=frozenset)
    # This file's dotted module name, to resolve relative imports of those bases.
    module: str = ""


@dataclass(frozen=True)
class Result:
    """The outcome of converting one source text. ``error`` is set when the text could not be
    converted at all (for example a syntax error); then ``code`` is the input, unchanged."""

    code: str
    original: str
    findings: tuple[ClassFinding, ...] = ()
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.code != self.original
