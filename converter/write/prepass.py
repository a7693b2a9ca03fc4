"""The repository-wide pre-pass: importable names of every Sequence class of the project, so that
subclasses in other files (``from pkg.base import BaseGen``) are found too, and which of the
named files need the full conversion at all.

It indexes the project the named files belong to (the nearest directory above them holding
``.git`` or ``pyproject.toml``), not only the files named, so ``convert pkg/child.py`` alone
still knows ``pkg/base.py``'s classes. Each file is parsed at most once, with ``ast`` rather than
libcst (``find.summary``), and only if its text can mention a Sequence; the closure across files
is computed on those summaries in memory. Summaries are cached by content hash.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from seq2tfdata.find.modules import module_name
from seq2tfdata.find.repository import ModuleSummary, needs_conversion, sequence_closure
from seq2tfdata.find.summary import SUMMARY_VERSION, FileSummary, summarize
from seq2tfdata.write.atomic import SourceError, read_source
from seq2tfdata.write.batch import map_in_order
from seq2tfdata.write.cache import Cache, content_hash, key_of
from seq2tfdata.write.gather import NOTEBOOK_SUFFIX, gather_files, may_contain_sequence
from seq2tfdata.write.limits import OverBudget, time_budget

PROJECT_MARKERS = (".git", "pyproject.toml")


def module_for(path: Path, roots: Iterable[Path]) -> str:
    """The file's dotted name relative to the closest given root that contains it."""
    resolved = path.resolve()
    containing = [root.resolve() for root in roots if resolved.is_relative_to(root.resolve())]
    if not containing:
        return module_name(Path(path.name))
    return module_name(resolved.relative_to(max(containing, key=lambda root: len(root.parts))))


def project_root(start: Path) -> Path | None:
    """The nearest directory at or above ``start`` that holds ``.git`` or ``pyproject.toml``."""
    directory = start.resolve()
    for candidate in (directory, *directory.parents):
        if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
            return candidate
    return None


@dataclass(frozen=True)
class PrePass:
    bases: frozenset[str]
    # Files whose parse alone took longer than the budget: the later passes skip them too.
    over_budget: tuple[Path, ...] = ()
    # What module names are relative to: the project roots, or the named roots outside any.
    roots: tuple[Path, ...] = ()
    # The named files the conversion must read; None means all of them.
    candidates: frozenset[Path] | None = None
    digests: dict[Path, str] = field(default_factory=dict)  # content hashes of the files read


@dataclass(frozen=True)
class _Summarise:
    """The picklable per-file job: (path, text) -> summary, or None when over the budget."""

    timeout: float | None

    def __call__(self, item: tuple[Path, str]) -> tuple[FileSummary | None] | None:
        try:
            with time_budget(self.timeout) as budget:
                summary = summarize(item[1])
                if budget is not None and budget.expired:
                    raise OverBudget(budget.seconds)
        except OverBudget:
            return None
        return (summary,)


def repository_sequence_bases(
    files: list[Path],
    roots: list[Path],
    *,
    timeout: float | None = None,
    max_bytes: int | None = None,
    jobs: int | None = 1,
    cache: Cache | None = None,
) -> PrePass:
    """The importable names of every Sequence class of the project ``files`` belong to, and
    which of ``files`` may hold one. ``roots`` are the directories named (or those of the
    files named). Files over ``max_bytes`` are not read, and a file that takes longer than
    ``timeout`` seconds is given up (both are reported by the conversion pass)."""
    cache = cache or Cache(None)
    index_roots = _index_roots(roots)
    texts = _read_texts(_index_files(files, roots, index_roots), max_bytes)
    digests = {path: content_hash(text) for path, text in texts.items()}
    # A notebook is not indexed (nothing imports from one), but its conversion is cached too.
    digests |= _notebook_digests(files)
    summaries: dict[Path, FileSummary | None] = {}
    over_budget: list[Path] = []
    known: frozenset[str] = frozenset()
    # Each round summarises the files whose text can mention a base the last round found.
    while True:
        short_names = {name.rpartition(".")[2] for name in known}
        wanted = [
            path for path, text in texts.items()
            if path not in summaries and path not in over_budget and may_contain_sequence(text, short_names)
        ]
        if not wanted:
            break
        found = _summaries(wanted, texts, digests, cache, timeout, jobs)
        over_budget += [path for path in wanted if path not in found]
        summaries.update(found)
        known = sequence_closure(
            ModuleSummary(module_for(path, index_roots), path.stem == "__init__", summary)
            for path, summary in summaries.items()
            if summary is not None
        )
    candidates = frozenset(
        path
        for path in files
        if path.suffix == NOTEBOOK_SUFFIX
        or path not in texts
        or (path in summaries and needs_conversion(summaries[path], known))
    )
    named = set(files)
    return PrePass(known, tuple(sorted(p for p in over_budget if p in named)), tuple(index_roots), candidates, digests)


def _index_roots(roots: list[Path]) -> list[Path]:
    found = {project_root(root) or root.resolve() for root in roots}
    # A root inside another adds nothing to the index and would shorten module names.
    return sorted(root for root in found if not any(root != other and root.is_relative_to(other) for other in found))


def _index_files(files: list[Path], roots: list[Path], index_roots: list[Path]) -> list[Path]:
    """The named files, then the rest of the project (gitignore rules honoured, notebooks and
    ``@generated`` files left out: nothing imports from them)."""
    named_dirs = {root.resolve() for root in roots if root.is_dir()}
    if all(root in named_dirs for root in index_roots):
        return list(files)  # the walk already done covers the whole project
    seen = {path.resolve() for path in files}
    extra = [p for p in gather_files(index_roots, include_notebooks=False).files if p.resolve() not in seen]
    return [*files, *extra]


def _notebook_digests(files: list[Path]) -> dict[Path, str]:
    digests = {}
    for path in files:
        if path.suffix == NOTEBOOK_SUFFIX:
            try:
                # Outputs may be large; the conversion reads the whole file too.
                digests[path] = content_hash(read_source(path, max_bytes=None).text)
            except SourceError:
                continue
    return digests


def _read_texts(paths: list[Path], max_bytes: int | None) -> dict[Path, str]:
    texts: dict[Path, str] = {}
    for path in paths:
        if path.suffix == NOTEBOOK_SUFFIX:
            continue
        try:
            texts[path] = read_source(path, max_bytes=max_bytes).text
        except SourceError:
            continue
    return texts


def _summaries(
    wanted: list[Path], texts: dict[Path, str], digests: dict[Path, str], cache: Cache,
    timeout: float | None, jobs: int | None,
) -> dict[Path, FileSummary | None]:
    """Summaries of ``wanted`` (None: Python cannot parse it), from the cache or computed;
    a file over the time budget is left out."""
    keys = {path: key_of(SUMMARY_VERSION, digests[path]) for path in wanted}
    found = {path: cache.summaries.get(keys[path]) for path in wanted if keys[path] in cache.summaries}
    missing = [path for path in wanted if path not in found]
    results = map_in_order(_Summarise(timeout), [(path, texts[path]) for path in missing], jobs=jobs)
    for path, result in zip(missing, results):
        if result is not None:
            found[path] = result[0]
            cache.summaries.put(keys[path], result[0])
    return found
