"""Opt-out comments: ``# seq2tfdata: skip`` on a class line (or the line above it) leaves the
class unchanged, reported as skipped; ``# seq2tfdata: skip-file`` in a file's first lines leaves
the whole file unchanged, reported as skipped."""

from __future__ import annotations

import re

import libcst as cst

from seq2tfdata.rules import OPTED_OUT_MESSAGE

SKIP_COMMENT = "# seq2tfdata: skip"
SKIP_FILE_COMMENT = "# seq2tfdata: skip-file"
# The first lines: where a module docstring, shebang or coding line leaves room for the marker.
FILE_SCAN_LINES = 10
_SKIP = re.compile(r"#\s*seq2tfdata:\s*skip(?![\w-])")
_SKIP_FILE = re.compile(r"#\s*seq2tfdata:\s*skip-file(?![\w-])")


def file_opted_out(text: str) -> bool:
    return any(_SKIP_FILE.search(line) for line in text.splitlines()[:FILE_SCAN_LINES])


def _comments_on_and_above(node: cst.ClassDef) -> list[cst.Comment]:
    comments: list[cst.Comment | None] = []
    if isinstance(node.body, cst.IndentedBlock):
        comments.append(node.body.header.comment)
    elif isinstance(node.body, cst.SimpleStatementSuite):
        comments.append(node.body.trailing_whitespace.comment)
    # The line above the class line: below the decorators if any, else above the class.
    above = node.lines_after_decorators if node.decorators else node.leading_lines
    if above:
        comments.append(above[-1].comment)
    if node.decorators and node.decorators[0].leading_lines:
        comments.append(node.decorators[0].leading_lines[-1].comment)
    return [comment for comment in comments if comment is not None]


def class_opted_out(node: cst.ClassDef) -> bool:
    return any(_SKIP.search(comment.value) for comment in _comments_on_and_above(node))


def mark_opted_out(info):  # info: find.sequences.SequenceClass (not imported: find imports this)
    """``info`` with ``unresolved`` set to the opt-out reason when it is a Sequence (or may be
    one) that opted out; a plain class with the comment is no finding."""
    if (info.is_sequence or info.unresolved) and class_opted_out(info.node):
        info.unresolved = OPTED_OUT_MESSAGE
    return info
