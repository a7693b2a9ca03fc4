"""Sequence classes across files, computed on per-file summaries (``find.summary``) in memory.

A subclass of a Sequence defined in another module of the repository is a Sequence too. The
closure here only decides which *importable names* the conversion treats as Sequence bases; the
conversion itself resolves every base again with ``QualifiedNameProvider``, so a name here that
no import really reaches changes nothing. Pure functions; the file walking is the caller's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from seq2tfdata.find.keras_names import is_keras_sequence_name
from seq2tfdata.find.modules import importable_names, resolve_relative
from seq2tfdata.find.summary import ALIAS, CLASS, EXPRESSION, IMPORT, STAR, ClassSummary, FileSummary

KERAS_BASE_NAMES = frozenset({"Sequence", "PyDataset"})
# ``A = B`` chains longer than this are not followed (and a cycle ends here).
_MAX_ALIAS_DEPTH = 5


@dataclass(frozen=True)
class ModuleSummary:
    module: str  # dotted name relative to the project root
    is_package: bool
    summary: FileSummary


def sequence_closure(modules: Iterable[ModuleSummary]) -> frozenset[str]:
    """Importable names of every module-level Sequence class: each round adds the subclasses of
    the classes the previous rounds found, until nothing new turns up."""
    modules = list(modules)
    known: frozenset[str] = frozenset()
    for _ in range(len(modules) + 1):
        found: set[str] = set()
        for entry in modules:
            for qualname in local_sequence_classes(entry, known):
                found |= importable_names(entry.module, qualname)
        if found <= known:
            break
        known = known | found
    return known


def local_sequence_classes(entry: ModuleSummary, known: frozenset[str]) -> set[str]:
    """Qualnames of the module-level classes of ``entry`` that are certainly Sequences, given
    the importable names ``known`` of other files' Sequence classes."""
    sequences: set[str] = set()
    classes = [cls for cls in entry.summary.classes if cls.at_module_level]
    changed = True
    while changed:
        changed = False
        for cls in classes:
            if cls.qualname not in sequences and _has_sequence_base(cls, entry, known, sequences):
                sequences.add(cls.qualname)
                changed = True
    return sequences


def _has_sequence_base(cls: ClassSummary, entry: ModuleSummary, known: frozenset[str], local: set[str]) -> bool:
    for base in cls.bases:
        if base in (STAR, EXPRESSION):
            continue
        targets = _targets(base, entry, 0)
        # A name bound to a Sequence on one path and to something else on another is left to
        # the conversion, which reports it as unresolved.
        if targets and all(_is_sequence_target(kind, name, known, local) for kind, name in targets):
            return True
    return False


def _is_sequence_target(kind: str, name: str, known: frozenset[str], local: set[str]) -> bool:
    if kind == CLASS:
        return name in local
    return kind == IMPORT and (is_keras_sequence_name(name) or name in known)


def _targets(spelled: str, entry: ModuleSummary, depth: int) -> list[tuple[str, str]]:
    """What a dotted spelling may denote: (IMPORT, absolute name), (CLASS, qualname) or
    (other kind, "") for each binding of its head; empty if its head is bound nowhere."""
    head, dot, rest = spelled.partition(".")
    targets: list[tuple[str, str]] = []
    for kind, target in entry.summary.bindings_of(head):
        if kind == IMPORT:
            name = target + dot + rest
            if name.startswith("."):
                name = resolve_relative(name, entry.module, entry.is_package)
            targets.append((IMPORT, name))
        elif kind == CLASS:
            targets.append((CLASS, target + dot + rest))
        elif kind == ALIAS and depth < _MAX_ALIAS_DEPTH and target.partition(".")[0] != head:
            targets.extend(_targets(target + dot + rest, entry, depth + 1) or [(kind, "")])
        else:
            targets.append((kind, ""))
    return targets


def needs_conversion(summary: FileSummary | None, base_names: Iterable[str]) -> bool:
    """False only if no class of the file can be a Sequence, nor be reported as a possible one.

    Conservative by construction: a class is a candidate when any word of a base's spelling, or
    of what its head is bound to (through aliases), is ``Sequence``, ``PyDataset``, the last
    part of a known cross-file base in ``base_names``; or when a base is starred. A subclass
    of a local candidate needs no test of its own: one candidate is enough. A file Python
    cannot parse always needs the full conversion, which reports the error.
    """
    if summary is None:
        return True
    names = set(KERAS_BASE_NAMES) | {name.rpartition(".")[2] for name in base_names}
    return any(_may_be_sequence(cls, summary, names) for cls in summary.classes)


def _may_be_sequence(cls: ClassSummary, summary: FileSummary, names: set[str]) -> bool:
    if STAR in cls.bases:
        return True
    spellings = [base for base in cls.bases if base != EXPRESSION] + list(cls.mentioned)
    return any(
        not _words(spelled, summary, 0).isdisjoint(names) and not _from_lookalike_module(spelled, summary)
        for spelled in spellings
    )


# Where a class named Sequence is never Keras' (as ``find.sequences`` knows too).
_LOOKALIKE_MODULES = frozenset({"collections", "typing", "typing_extensions", "builtins", "_collections_abc"})


def _from_lookalike_module(spelled: str, summary: FileSummary) -> bool:
    bound = summary.bindings_of(spelled.partition(".")[0])
    return bool(bound) and all(kind == IMPORT and target.split(".")[0] in _LOOKALIKE_MODULES for kind, target in bound)


def _words(spelled: str, summary: FileSummary, depth: int) -> set[str]:
    words = set(spelled.split("."))
    for kind, target in summary.bindings_of(spelled.partition(".")[0]):
        words.update(target.split("."))
        if kind == ALIAS and depth < _MAX_ALIAS_DEPTH:
            words |= _words(target, summary, depth + 1)
    return words
