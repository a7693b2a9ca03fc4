"""The repository-wide pre-pass: importable names of every Sequence class, so that subclasses
in other files (``from pkg.base import BaseGen``) are found too."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from seq2tfdata.find.modules import module_name
from seq2tfdata.find.repository import sequence_class_names
from seq2tfdata.write.atomic import SourceError, read_source
from seq2tfdata.write.gather import NOTEBOOK_SUFFIX, may_contain_sequence
from seq2tfdata.write.limits import OverBudget, raise_if_interrupted, time_budget

# Each round finds one more level of cross-file subclassing; deeper chains are rare.
_MAX_ROUNDS = 4


def module_for(path: Path, roots: Iterable[Path]) -> str:
    """The file's dotted name relative to the closest given root that contains it."""
    resolved = path.resolve()
    containing = [root.resolve() for root in roots if resolved.is_relative_to(root.resolve())]
    if not containing:
        return module_name(Path(path.name))
    return module_name(resolved.relative_to(max(containing, key=lambda root: len(root.parts))))


@dataclass(frozen=True)
class PrePass:
    bases: frozenset[str]
    # Files whose parse alone took longer than the budget: the later passes skip them too.
    over_budget: tuple[Path, ...] = ()


def repository_sequence_bases(
    files: list[Path], roots: list[Path], *, timeout: float | None = None, max_bytes: int | None = None
) -> PrePass:
    """The importable names of every Sequence class in ``files``. Files over ``max_bytes`` are
    not read, and a file that takes longer than ``timeout`` seconds is given up (both are
    reported by the conversion pass)."""
    texts: dict[Path, str] = {}
    for path in files:
        if path.suffix == NOTEBOOK_SUFFIX:
            continue
        try:
            texts[path] = read_source(path, max_bytes=max_bytes).text
        except SourceError:
            continue
    known: frozenset[str] = frozenset()
    over_budget: list[Path] = []
    for _ in range(_MAX_ROUNDS):
        short_names = {name.rsplit(".", 1)[-1] for name in known}
        found: set[str] = set()
        for path, text in list(texts.items()):
            if not may_contain_sequence(text, short_names):
                continue
            names = _class_names_within(timeout, text, module_for(path, roots), known)
            raise_if_interrupted()
            if names is None:
                over_budget.append(path)
                del texts[path]
            else:
                found |= names
        if found <= known:
            break
        known = known | found
    return PrePass(known, tuple(sorted(over_budget)))


def _class_names_within(timeout: float | None, text: str, module: str, known: frozenset[str]) -> set[str] | None:
    """``sequence_class_names``, or None if it took longer than ``timeout`` seconds."""
    try:
        with time_budget(timeout) as budget:
            try:
                names = sequence_class_names(text, module, known)
            except Exception:
                if budget is None or not budget.expired:
                    raise
                names = set()  # the alarm's exception was turned into another one on its way out
            if budget is not None and budget.expired:
                raise OverBudget(budget.seconds)
    except OverBudget:
        return None
    return names
