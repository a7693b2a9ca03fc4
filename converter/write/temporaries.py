"""The temp files that writes create next to a file, and removing those a dead writer left behind.

A write first puts the new bytes in ``.NAME.seq2tfdata-PID-XXXXXXXX.tmp`` beside ``NAME``. A
process killed before it renamed or removed that file leaves it there; the next write of ``NAME``
removes it once the process ``PID`` no longer exists. Nothing else is ever removed: the name must
match this pattern exactly, for that very file, and be a regular file, not a link.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from pathlib import Path

SUFFIX = ".tmp"
_TAG = "seq2tfdata"
# mkstemp appends 8 characters from this alphabet (tempfile._RandomNameSequence).
_NAME = re.compile(rf"\.(?P<target>.+)\.{_TAG}-(?P<pid>[0-9]+)-[a-z0-9_]{{8}}{re.escape(SUFFIX)}")


def prefix_for(target_name: str) -> str:
    """What ``tempfile.mkstemp(prefix=..., suffix=SUFFIX)`` needs to name a temp file for ``target_name``."""
    return f".{target_name}.{_TAG}-{os.getpid()}-"


def is_temporary(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def remove_stale(target: Path) -> list[Path]:
    """Remove the temp files of ``target`` whose writer process is gone; return what was removed."""
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return []
    removed = []
    for entry in entries:
        match = _NAME.fullmatch(entry.name)
        if match is None or match["target"] != target.name or _writer_may_run(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            if stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _writer_may_run(pid: int) -> bool:
    if pid == os.getpid() or sys.platform == "win32":
        # Ours may be in use by another thread; on Windows os.kill(pid, 0) would end the process.
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, another user's; anything else: keep to be safe
        return True
    return True
