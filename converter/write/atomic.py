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

Only regular files are read (a FIFO would block the read forever, a device may never end), and a
write keeps the file's mode, owner and group (where the process may set them), and its inode when
other hard links share it.
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
from typing import BinaryIO

from seq2tfdata.write import temporaries
from seq2tfdata.write.limits import signals_deferred

UTF8_WITH_BOM = "utf-8-sig"
_BARE_LF = re.compile(r"(?<!\r)\n")


class SourceError(Exception):
    """A file cannot be read or written faithfully; the message names the file."""


class NotRegularFile(SourceError):
    """A FIFO, socket or device where a source file was expected."""


class FileTooLarge(SourceError):
    """A file over the size limit, refused before it is read."""


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str
    encoding: str  # as ``tokenize.detect_encoding`` names it; ``utf-8-sig`` means a BOM
    newline: str | None  # the only line ending used, or None for a mix (or no line ending)
    mode: int
    mtime_ns: int
    size: int
    uid: int = -1  # -1: unknown, leave the owner alone
    gid: int = -1

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


def read_source(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> SourceText:
    """Read a regular file; one larger than ``max_bytes`` is refused before it is read."""
    path = Path(path)
    try:
        with open_regular_file(path) as file:
            info = os.fstat(file.fileno())
            if max_bytes is not None and info.st_size > max_bytes:
                raise FileTooLarge(
                    f"{path}: {describe_size(info.st_size)} is over the {describe_size(max_bytes)} size limit; "
                    "skipped (raise it with --max-file-size)"
                )
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
        uid=info.st_uid,
        gid=info.st_gid,
    )


def open_regular_file(path: Path) -> BinaryIO:
    """Open ``path`` for reading if it is a regular file; raise :class:`NotRegularFile` if not.

    Opening a FIFO for reading waits until some process opens it for writing, so the file is
    opened with ``O_NONBLOCK`` (which changes nothing for a regular file) and checked once open,
    where it can no longer be swapped for something else.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotRegularFile(f"{path}: not a regular file; skipped")
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def describe_size(size: int) -> str:
    for unit, scale in (("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def write_if_changed(path: str | os.PathLike[str], text: str, source: SourceText) -> bool:
    """Write ``text`` to ``path`` unless it equals what ``source`` read. True if written."""
    if text == source.text and Path(path) == source.path:
        return False
    write_atomic(path, text, source)
    return True


def write_atomic(path: str | os.PathLike[str], text: str, source: SourceText) -> None:
    """Replace ``path`` with ``text``, encoded like ``source``, so that readers see the old or
    the new file and never half of it; mode, owner and group are those of ``source`` (owner and
    group as far as the process may set them).

    A file with more than one hard link is rewritten in place instead, so that every name keeps
    seeing the same file: the new bytes are first written to a temp file next to it and read
    back, and only then copied over the file (that copy is not atomic). Writes go through a
    symbolic link to the file it points at. Rewriting ``source`` itself is refused if it changed
    since it was read (an editor or another hook got there first), and any write is refused if
    the new bytes would be decoded with another encoding (a coding cookie pushed below line 2
    by an inserted import). Temp files that killed writers left next to the file are removed.
    """
    data = source.encode(text)
    redetected = _detect_encoding(source.path, data)
    if redetected != source.encoding:
        raise SourceError(
            f"{source.path}: not written: the converted file would be read as "
            f"{redetected} instead of {source.encoding} (coding cookie moved?)"
        )
    target = Path(os.path.realpath(path))
    current = _current_state(target, source)
    temporaries.remove_stale(target)
    try:
        if current is not None and current.st_nlink > 1:
            _write_in_place(target, data, source)
        else:
            temporary = _write_temporary(target, data, source)
            try:
                os.replace(temporary, target)
            except BaseException:
                _remove(temporary)
                raise
    except OSError as error:
        raise SourceError(f"{path}: cannot write: {error.strerror or error}") from None
    _fsync_directory(target.parent)


def _write_temporary(target: Path, data: bytes, source: SourceText) -> str:
    """A complete, flushed copy of ``data`` next to ``target``, with the source's owner and mode."""
    descriptor, temporary = tempfile.mkstemp(
        prefix=temporaries.prefix_for(target.name), suffix=temporaries.SUFFIX, dir=target.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        _keep_owner(temporary, source)
        os.chmod(temporary, source.mode)  # mkstemp creates 0600; after chown, which clears set-id bits
    except BaseException:
        _remove(temporary)
        raise
    return temporary


def _keep_owner(temporary: str, source: SourceText) -> None:
    if source.uid < 0 or not hasattr(os, "chown"):
        return
    try:
        os.chown(temporary, source.uid, source.gid)
    except PermissionError:
        # Only root may give a file away; a user may still keep a group they belong to.
        with contextlib.suppress(PermissionError):
            os.chown(temporary, -1, source.gid)


def _write_in_place(target: Path, data: bytes, source: SourceText) -> None:
    temporary = _write_temporary(target, data, source)
    try:
        with open(temporary, "rb") as file:
            if file.read() != data:
                raise SourceError(f"{source.path}: not written: the temporary copy read back differently")
        # A Ctrl-C or SIGTERM between writing and truncating would leave the file half old, half new.
        with signals_deferred():
            try:
                _overwrite(target, data)
            except OSError:
                if target == Path(os.path.realpath(source.path)):  # put the text it had back
                    with contextlib.suppress(OSError, SourceError):
                        _overwrite(target, source.encode(source.text))
                raise
    finally:
        _remove(temporary)


def _overwrite(target: Path, data: bytes) -> None:
    descriptor = os.open(target, os.O_WRONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.ftruncate(descriptor, len(data))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


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


def _current_state(target: Path, source: SourceText) -> os.stat_result | None:
    """The target's ``stat`` (None if it does not exist yet); refuses to overwrite ``source`` if
    it changed on disk since it was read."""
    is_source = target == Path(os.path.realpath(source.path))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        if not is_source:
            return None
        raise SourceError(f"{source.path}: not written: it was removed since it was read") from None
    except OSError as error:
        raise SourceError(f"{source.path}: cannot write: {error.strerror or error}") from None
    if is_source and (info.st_mtime_ns, info.st_size) != (source.mtime_ns, source.size):
        raise SourceError(f"{source.path}: not written: it changed on disk since it was read")
    return info


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
