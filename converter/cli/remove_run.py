"""``convert --remove``: strip the generated blocks (``remove.remove_generated``) from files or
stdin, with the same modes as a conversion: list, ``--write``, ``--diff``, ``--check``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from seq2tfdata.report import FileReport
from seq2tfdata.write.atomic import SourceError, read_source, write_if_changed
from seq2tfdata.write.convert_file import unified_diff
from seq2tfdata.write.gather import NOTEBOOK_SUFFIX
from seq2tfdata.write.notebook import NotebookError, convert_notebook


def removed_text(text: str, path: str) -> tuple[str, str | None]:
    """(text without generated code, error)."""
    from seq2tfdata.remove import remove_generated  # libcst: loaded only for --remove

    if not path.endswith(NOTEBOOK_SUFFIX):
        return remove_generated(text), None
    try:
        return convert_notebook(text, remove_generated), None
    except NotebookError as error:
        return text, f"{path}: {error}"


def remove_in_file(path: Path, args: argparse.Namespace) -> FileReport:
    display = path.as_posix()
    try:
        source = read_source(path, max_bytes=args.max_file_size or None)
    except SourceError as error:
        return FileReport(display, error=str(error))
    new_text, error = removed_text(source.text, display)
    if error or new_text == source.text:
        return FileReport(display, error=error)
    if args.write:
        try:
            write_if_changed(path, new_text, source)
        except SourceError as failure:
            return FileReport(display, error=str(failure))
    if args.diff:
        sys.stdout.write(unified_diff(source.text, new_text, display))
    return FileReport(display, changed=True)


def remove_in_stdin(text: str, args: argparse.Namespace, name: str) -> FileReport:
    new_text, error = removed_text(text, name)
    if args.diff:
        sys.stdout.write(unified_diff(text, new_text, name))
    elif not args.check:
        sys.stdout.write(new_text)
    return FileReport(name, error=error, changed=new_text != text)
