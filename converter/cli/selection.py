"""What a run works on, beyond ``gather_files``: the exclude options combined, the files that
opt out (``# seq2tfdata: skip-file``), and the name and exclusion of stdin."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from seq2tfdata.cli.common import combined
from seq2tfdata.optout import SKIP_FILE_COMMENT, file_opted_out
from seq2tfdata.report import FileReport
from seq2tfdata.write.atomic import SourceError, open_regular_file
from seq2tfdata.write.gather import NOTEBOOK_SUFFIX, GatherResult, gather_files

OPTED_OUT_FILE = f"opted out (`{SKIP_FILE_COMMENT}`)"
_HEAD_BYTES = 4096


def exclude_pattern(args: argparse.Namespace) -> str | None:
    return combined([*(getattr(args, "exclude", None) or []), *(getattr(args, "extend_exclude", None) or [])])


def force_exclude_pattern(args: argparse.Namespace) -> str | None:
    return combined(getattr(args, "force_exclude", None) or [])


def gather(args: argparse.Namespace) -> GatherResult:
    return gather_files(
        [Path(p) for p in args.paths], exclude=exclude_pattern(args), force_exclude=force_exclude_pattern(args)
    )


def split_opted_out(files: list[Path]) -> tuple[list[Path], list[FileReport]]:
    """(files to convert, reports of the files that opted out)."""
    kept, skipped = [], []
    for path in files:
        if _head_opts_out(path):
            skipped.append(FileReport(path.as_posix(), skipped=OPTED_OUT_FILE))
        else:
            kept.append(path)
    return kept, skipped


def _head_opts_out(path: Path) -> bool:
    try:
        # Never a plain open(): a FIFO would block it (the conversion reports such a file).
        with open_regular_file(path) as stream:
            head = stream.read(_HEAD_BYTES if path.suffix != NOTEBOOK_SUFFIX else -1)
    except (OSError, SourceError):
        return False  # the conversion reports the file it cannot read
    text = head.decode("utf-8", errors="replace")
    if path.suffix == NOTEBOOK_SUFFIX:
        return file_opted_out(_first_code_cell(text))
    return file_opted_out(text)


def _first_code_cell(text: str) -> str:
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return ""
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else str(source)
    return ""


def stdin_display_name(args: argparse.Namespace) -> str:
    return getattr(args, "stdin_filename", None) or "<stdin>"


def stdin_excluded(args: argparse.Namespace) -> bool:
    """Whether ``--stdin-filename`` names a file the exclude options leave out (as black's
    ``--force-exclude`` does for stdin, every exclude option applies: the editor names one file)."""
    name = getattr(args, "stdin_filename", None)
    if not name:
        return False
    posix = Path(name).as_posix()
    candidate = posix if posix.startswith("/") else "/" + posix
    patterns = [exclude_pattern(args), force_exclude_pattern(args)]
    return any(pattern and re.search(pattern, candidate) for pattern in patterns)
