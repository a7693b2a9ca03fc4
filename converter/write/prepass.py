"""The repository-wide pre-pass: importable names of every Sequence class, so that subclasses
in other files (``from pkg.base import BaseGen``) are found too."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from converter.find.modules import module_name
from converter.find.repository import sequence_class_names
from converter.write.atomic import SourceError, read_source
from converter.write.gather import NOTEBOOK_SUFFIX, may_contain_sequence

# Each round finds one more level of cross-file subclassing; deeper chains are rare.
_MAX_ROUNDS = 4


def module_for(path: Path, roots: Iterable[Path]) -> str:
    """The file's dotted name relative to the closest given root that contains it."""
    resolved = path.resolve()
    containing = [root.resolve() for root in roots if resolved.is_relative_to(root.resolve())]
    if not containing:
        return module_name(Path(path.name))
    return module_name(resolved.relative_to(max(containing, key=lambda root: len(root.parts))))


def repository_sequence_bases(files: list[Path], roots: list[Path]) -> frozenset[str]:
    texts: dict[Path, str] = {}
    for path in files:
        if path.suffix == NOTEBOOK_SUFFIX:
            continue
        try:
            texts[path] = read_source(path).text
        except SourceError:
            continue
    known: frozenset[str] = frozenset()
    for _ in range(_MAX_ROUNDS):
        short_names = {name.rsplit(".", 1)[-1] for name in known}
        found: set[str] = set()
        for path, text in texts.items():
            if may_contain_sequence(text, short_names):
                found |= sequence_class_names(text, module_for(path, roots), known)
        if found <= known:
            break
        known = known | found
    return known
