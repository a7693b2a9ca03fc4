"""The on-disk cache: per-file summaries for the pre-pass, and the outcome of converting a file
that a run may reuse ("nothing to convert", or for ``--check`` "would change").

Entries are keyed on content hashes, never on paths or mtimes, and the directory on the tool
version and ``OUTPUT_VERSION``, so a changed file or a new release can never be served a stale
answer. Each store is one pickle written atomically (temp file + ``os.replace``) after merging
with what is on disk then: two runs racing each leave a whole file, at worst without the other's
newest entries. A file that does not load (truncated, corrupted, another format) is ignored and
rewritten.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from seq2tfdata import __version__
from seq2tfdata.model import OUTPUT_VERSION

CACHE_DIR_VARIABLE = "SEQ2TFDATA_CACHE_DIR"
_FORMAT = 1
# A store past this many entries starts again empty rather than growing without bound.
_MAX_ENTRIES = 200_000


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def key_of(*parts: object) -> str:
    """One key for several values (options, a module name, a set of bases)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def user_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$SEQ2TFDATA_CACHE_DIR``, else the platform's user cache directory (XDG on Linux)."""
    environ = os.environ if environ is None else environ
    if environ.get(CACHE_DIR_VARIABLE):
        return Path(environ[CACHE_DIR_VARIABLE])
    if sys.platform == "win32" and environ.get("LOCALAPPDATA"):
        base = Path(environ["LOCALAPPDATA"])
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "seq2tfdata"


class Store:
    """One named map of key -> value, loaded lazily and saved once at the end of a run."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, Any] | None = None
        self._new: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        if key in self._new:
            return self._new[key]
        return self._loaded().get(key)

    def __contains__(self, key: str) -> bool:
        return key in self._new or key in self._loaded()

    def put(self, key: str, value: Any) -> None:
        if self.path is not None:
            self._new[key] = value

    def save(self) -> None:
        if self.path is None or not self._new:
            return
        merged = {**_read(self.path), **self._new}  # what a racing run saved meanwhile is kept
        if len(merged) > _MAX_ENTRIES:
            merged = dict(self._new)
        try:
            _write_atomic(self.path, pickle.dumps((_FORMAT, merged), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            return  # a read-only or full cache directory only costs speed
        self._entries, self._new = merged, {}

    def _loaded(self) -> dict[str, Any]:
        if self._entries is None:
            self._entries = _read(self.path) if self.path is not None else {}
        return self._entries


class Cache:
    """The stores of one tool version; ``Cache(None)`` caches nothing (``--no-cache``)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.summaries = Store(directory / "summaries.pickle" if directory else None)
        self.outcomes = Store(directory / "outcomes.pickle" if directory else None)

    @classmethod
    def open(cls, *, enabled: bool = True, environ: Mapping[str, str] | None = None) -> Cache:
        if not enabled:
            return cls(None)
        return cls(user_cache_dir(environ) / f"{__version__}-output{OUTPUT_VERSION}")

    def save(self) -> None:
        self.summaries.save()
        self.outcomes.save()


def _read(path: Path) -> dict[str, Any]:
    try:
        data = pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - any unreadable cache is as good as none
        return {}
    if not (isinstance(data, tuple) and len(data) == 2 and data[0] == _FORMAT and isinstance(data[1], dict)):
        return {}
    return data[1]


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
