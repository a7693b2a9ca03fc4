"""Repository-scale plumbing: find files, read and write them faithfully, run jobs in parallel.

Nothing here converts code; callers pass the conversion in, so each piece is testable alone.
"""

from seq2tfdata.write.atomic import (
    FileTooLarge,
    NotRegularFile,
    SourceError,
    SourceText,
    read_source,
    write_atomic,
    write_if_changed,
)
from seq2tfdata.write.batch import FileOutcome, run_batch
from seq2tfdata.write.gather import GatherResult, gather_files, is_generated, may_contain_sequence
from seq2tfdata.write.notebook import NotebookError, convert_notebook, locate_line

__all__ = [
    "FileOutcome",
    "FileTooLarge",
    "GatherResult",
    "NotRegularFile",
    "NotebookError",
    "SourceError",
    "SourceText",
    "convert_notebook",
    "gather_files",
    "is_generated",
    "locate_line",
    "may_contain_sequence",
    "read_source",
    "run_batch",
    "write_atomic",
    "write_if_changed",
]
