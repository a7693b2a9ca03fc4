"""Opt-out comments: ``# seq2tfdata: skip`` on a class line (or the line above it) leaves the
class unchanged, reported as skipped; ``# seq2tfdata: skip-file`` in a file's first lines leaves
the whole file unchanged, reported as skipped. The class comments are read in
``find.opt_out``; this module reads text only, so a run that converts nothing need not load libcst."""

from __future__ import annotations

import re

SKIP_COMMENT = "# seq2tfdata: skip"
SKIP_FILE_COMMENT = "# seq2tfdata: skip-file"
# The first lines: where a module docstring, shebang or coding line leaves room for the marker.
FILE_SCAN_LINES = 10
SKIP = re.compile(r"#\s*seq2tfdata:\s*skip(?![\w-])")
_SKIP_FILE = re.compile(r"#\s*seq2tfdata:\s*skip-file(?![\w-])")


def file_opted_out(text: str) -> bool:
    return any(_SKIP_FILE.search(line) for line in text.splitlines()[:FILE_SCAN_LINES])
