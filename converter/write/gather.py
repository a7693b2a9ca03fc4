"""Which files a run looks at: walk directories, honour .gitignore and the exclude options.

Files given explicitly (pre-commit passes them one by one) are only checked against
``force_exclude`` and the ``@generated`` marker; directories are walked and also filtered by the
built-in directory list, ``exclude`` and git's ignore rules. Every path left out comes back with
its reason, so a verbose run can say why a file was not converted.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from seq2tfdata.write import temporaries
from seq2tfdata.write.atomic import SourceError, open_regular_file
from seq2tfdata.write.ignore_rules import GitignoreFiles, git_ignore_rules

PYTHON_SUFFIX = ".py"
NOTEBOOK_SUFFIX = ".ipynb"

# Black's default exclusions plus the usual tool caches; walking into any of these would either
# rewrite a copy of the code (build/, .ipynb_checkpoints/) or somebody else's code (venv/).
ALWAYS_SKIPPED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".venv", "venv", ".direnv", "__pycache__", "__pypackages__",
        "node_modules", "build", "_build", "buck-out", "dist", ".tox", ".nox", ".eggs",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints",
    }
)  # fmt: skip

GENERATED_MARKER = b"@generated"
_GENERATED_SCAN_BYTES = 1024
_GENERATED_SCAN_LINES = 5

@dataclass
class GatherResult:
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    # Paths given explicitly that do not exist; the CLI decides whether that is an error.
    missing: list[Path] = field(default_factory=list)


def gather_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    exclude: str | None = None,
    force_exclude: str | None = None,
    include_notebooks: bool = True,
    include_generated: bool = False,
) -> GatherResult:
    """Expand ``paths`` into the files to convert, sorted and without duplicates.

    ``exclude`` and ``force_exclude`` are regular expressions searched (``re.search``) in the
    posix path of a file relative to the directory it was found under, with a leading ``/``
    (``/pkg/gen/data.py``), as black does; directories are matched with a trailing ``/`` too,
    so ``/gen/`` prunes a whole directory. ``force_exclude`` also applies to files given
    explicitly, matched against their path as given (again with a leading ``/`` if relative).
    """
    exclude_re = re.compile(exclude) if exclude else None
    force_exclude_re = re.compile(force_exclude) if force_exclude else None
    suffixes = (PYTHON_SUFFIX, NOTEBOOK_SUFFIX) if include_notebooks else (PYTHON_SUFFIX,)
    result = GatherResult()
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            walker = _Walker(path, suffixes, exclude_re, force_exclude_re, result.skipped)
            found.update(dict.fromkeys(walker.walk()))
        elif path.exists():
            # FIFOs, sockets and devices are kept too: reading them reports "not a regular file".
            reason = _explicit_skip_reason(path, force_exclude_re, include_notebooks)
            if reason:
                result.skipped.append((path, reason))
            else:
                found[path] = None
        else:
            result.missing.append(path)
    for path in _one_path_per_file(sorted(found), result.skipped):
        if not include_generated and is_generated(path):
            result.skipped.append((path, "marked @generated"))
        else:
            result.files.append(path)
    result.skipped.sort()
    return result


def _explicit_skip_reason(path: Path, force_exclude: re.Pattern[str] | None, include_notebooks: bool) -> str | None:
    as_given = path.as_posix() if path.is_absolute() else "/" + path.as_posix()
    if force_exclude and force_exclude.search(as_given):
        return "matches --force-exclude"
    if temporaries.is_temporary(path.name):
        return "a seq2tfdata temp file"
    if path.suffix == NOTEBOOK_SUFFIX and not include_notebooks:
        return "notebooks are not included"
    # Any other suffix is taken as Python: pre-commit's ``types: [python]`` also passes
    # extension-less scripts that have a python shebang.
    return None


def _one_path_per_file(paths: list[Path], skipped: list[tuple[Path, str]]) -> list[Path]:
    """Symbolic and hard links to one file are one file: converting it twice would race."""
    seen: dict[tuple[int, int], Path] = {}
    for path in paths:
        try:
            info = os.stat(path)
            identity = (info.st_dev, info.st_ino)
        except OSError:
            identity = (-1, hash(path.resolve()))
        first = seen.setdefault(identity, path)
        if first is not path and not path.is_symlink() and path.resolve() != first.resolve():
            skipped.append((path, f"the same file as {first} (hard link)"))
    return list(seen.values())


def is_generated(path: Path) -> bool:
    """True if ``@generated`` appears in the first lines, the marker libcst and Meta tools use."""
    try:
        with open_regular_file(path) as file:
            head = file.read(_GENERATED_SCAN_BYTES)
    except (OSError, SourceError):
        return False  # reading it properly later reports the problem (a FIFO, for one)
    return any(GENERATED_MARKER in line for line in head.splitlines()[:_GENERATED_SCAN_LINES])


_SEQUENCE_BASE_NAMES = ("Sequence", "PyDataset")
_CALL_SITE_HINTS = ("to_tf_dataset", "fit_generator")


def may_contain_sequence(text: str, extra_base_names: Iterable[str] = ()) -> bool:
    """Cheap text test; False only if converting ``text`` certainly changes nothing.

    Why it cannot miss a class the converter would rewrite:

    * the converter rewrites ``class`` statements, so without the text ``class`` there is
      nothing to rewrite (``type("X", (Sequence,), {})`` is not resolvable statically anyway);
    * a Keras base is a dotted name ending in ``Sequence`` or ``PyDataset``; an alias still
      spells that name in its import (``from keras.utils import Sequence as S``) and a star
      import leaves it in the ``class`` line, so the last component always appears and
      ``keras`` itself need not;
    * a base from another file reaches the converter as a qualified name in
      ``Options.extra_sequence_bases``; pass those as ``extra_base_names`` and, by the same
      argument, their last component (``Base`` of ``pkg.mod.Base``) must appear;
    * Python folds identifiers with NFKC, so non-ASCII text is folded before searching;
    * ``to_tf_dataset``/``fit_generator`` mark call sites or earlier output the converter may
      touch in a file that defines no class.

    A file rejected here is not parsed, so a syntax error in it goes unreported.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if any(hint in text for hint in _CALL_SITE_HINTS):
        return True
    if "class" not in text:
        return False
    names = (*_SEQUENCE_BASE_NAMES, *(name.rpartition(".")[2] for name in extra_base_names))
    return any(name and name in text for name in names)


@dataclass
class _Walker:
    """Walks one directory given on the command line."""

    root: Path
    suffixes: tuple[str, ...]
    exclude: re.Pattern[str] | None
    force_exclude: re.Pattern[str] | None
    skipped: list[tuple[Path, str]]

    def __post_init__(self) -> None:
        self.ignore = git_ignore_rules(self.root) or GitignoreFiles(self.root)

    def walk(self) -> list[Path]:
        files: list[Path] = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            directory = Path(dirpath)
            self.ignore.enter(directory)
            kept = []
            for name in sorted(dirnames):
                reason = self._directory_skip_reason(directory / name)
                if reason:
                    self.skipped.append((directory / name, reason))
                else:
                    kept.append(name)
            dirnames[:] = kept  # os.walk descends only into what is left here
            for name in sorted(filenames):
                path = directory / name
                if path.suffix not in self.suffixes:
                    continue
                reason = self._file_skip_reason(path)
                if reason:
                    self.skipped.append((path, reason))
                else:
                    files.append(path)
        return files

    def _relative(self, path: Path) -> str:
        return "/" + path.relative_to(self.root).as_posix()

    def _directory_skip_reason(self, path: Path) -> str | None:
        if path.name in ALWAYS_SKIPPED_DIRS:
            return "directory skipped by default"
        if path.is_symlink():
            return "symbolic link"
        return self._pattern_reason(self._relative(path) + "/") or self.ignore.reason(path, True)

    def _file_skip_reason(self, path: Path) -> str | None:
        if path.is_symlink():
            # The target is found on its own if it is inside the tree; writing through a link
            # found by walking could change a file outside it.
            return "symbolic link"
        return self._pattern_reason(self._relative(path)) or self.ignore.reason(path, False)

    def _pattern_reason(self, relative: str) -> str | None:
        if self.force_exclude and self.force_exclude.search(relative):
            return "matches --force-exclude"
        if self.exclude and self.exclude.search(relative):
            return "matches --exclude"
        return None
