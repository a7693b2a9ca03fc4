"""Read a source file exactly and write it back the same way, atomically.

Line endings are not translated: the bytes are decoded as they are, so ``\\r\\n`` stays in the
text handed to the converter. libcst keeps every line ending it parsed
(``parse_module(text).code == text`` holds for CRLF and for mixed files) and gives nodes it
inserts the module's own newline, so translating to ``\\n`` and back would only add a way to
get it wrong. As a safety net, a file that used CRLF (or CR) throughout gets any bare ``\\n``
the converter introduced turned into its newline; this cannot change meaning because Python
reads source with universal newlines.

The encoding is what Python itself would use (BOM, then PEP 263 cookie, then UTF-8), and it is
used again on write, BOM included.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path

UTF8_WITH_BOM = "utf-8-sig"
_BARE_LF = re.compile(r"(?<!\r)\n")


class SourceError(Exception):
    """A file cannot be read or written faithfully; the message names the file."""


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str
    encoding: str  # as ``tokenize.detect_encoding`` names it; ``utf-8-sig`` means a BOM
    newline: str | None  # the only line ending used, or None for a mix (or no line ending)
    mode: int
    mtime_ns: int
    size: int

    @property
    def has_bom(self) -> bool:
        return self.encoding == UTF8_WITH_BOM

    def encode(self, text: str) -> bytes:
        """``text`` as bytes in this file's encoding; ``encode(self.text)`` is the file."""
        if self.newline in ("\r\n", "\r"):
            text = _BARE_LF.sub(self.newline, text)
        try:
            return text.encode(self.encoding)
        except UnicodeEncodeError as error:
            raise SourceError(
                f"{self.path}: the converted text cannot be encoded as {self.encoding}: {error}"
            ) from None


def read_source(path: str | os.PathLike[str]) -> SourceText:
    path = Path(path)
    try:
        with open(path, "rb") as file:
            info = os.fstat(file.fileno())
            data = file.read()
    except OSError as error:
        raise SourceError(f"{path}: cannot read: {error.strerror or error}") from None
    encoding = _detect_encoding(path, data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise SourceError(f"{path}: cannot decode as {encoding}: {error}") from None
    return SourceText(
        path=path,
        text=text,
        encoding=encoding,
        newline=_sole_newline(text),
        mode=stat.S_IMODE(info.st_mode),
        mtime_ns=info.st_mtime_ns,
        size=info.st_size,
    )


def write_if_changed(path: str | os.PathLike[str], text: str, source: SourceText) -> bool:
    """Write ``text`` to ``path`` unless it equals what ``source`` read. True if written."""
    if text == source.text and Path(path) == source.path:
        return False
    write_atomic(path, text, source)
    return True


def write_atomic(path: str | os.PathLike[str], text: str, source: SourceText) -> None:
    """Replace ``path`` with ``text``, encoded like ``source``, so that readers see the old or
    the new file and never half of it; the file mode is that of ``source``.

    Writes go through a symbolic link to the file it points at. Rewriting ``source`` itself is
    refused if it changed since it was read (an editor or another hook got there first), and
    any write is refused if the new bytes would be decoded with another encoding (a coding
    cookie pushed below line 2 by an inserted import).
    """
    data = source.encode(text)
    redetected = _detect_encoding(source.path, data)
    if redetected != source.encoding:
        raise SourceError(
            f"{source.path}: not written: the converted file would be read as "
            f"{redetected} instead of {source.encoding} (coding cookie moved?)"
        )
    target = Path(os.path.realpath(path))
    if target == Path(os.path.realpath(source.path)):
        _refuse_if_modified(target, source)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, source.mode)  # mkstemp creates 0600
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise SourceError(f"{path}: cannot write: {error.strerror or error}") from None
        raise
    _fsync_directory(target.parent)


def _detect_encoding(path: Path, data: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # bad cookie, a BOM with another cookie, or bad UTF-8 early
        if "invalid or missing encoding declaration" in error.msg:
            message = "cannot decode as utf-8 and no coding cookie names another encoding"
        else:
            message = error.msg
        raise SourceError(f"{path}: {message}") from None
    return encoding


def _sole_newline(text: str) -> str | None:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    kinds = [ending for ending, count in (("\r\n", crlf), ("\n", lf), ("\r", cr)) if count]
    return kinds[0] if len(kinds) == 1 else None


def _refuse_if_modified(target: Path, source: SourceText) -> None:
    try:
        info = os.stat(target)
    except OSError as error:
        raise SourceError(f"{source.path}: cannot write: {error.strerror or error}") from None
    if (info.st_mtime_ns, info.st_size) != (source.mtime_ns, source.size):
        raise SourceError(f"{source.path}: not written: it changed on disk since it was read")


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable; not possible on every platform, and not worth failing.
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
