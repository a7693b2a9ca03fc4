"""``# seq2tfdata: skip`` on a class line, or on the line above it (see ``seq2tfdata.optout``)."""

from __future__ import annotations

import libcst as cst

from seq2tfdata.optout import SKIP
from seq2tfdata.rules import OPTED_OUT_MESSAGE


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
    return any(SKIP.search(comment.value) for comment in _comments_on_and_above(node))


def mark_opted_out(info):  # info: find.sequences.SequenceClass (not imported: it imports this)
    """``info`` with ``unresolved`` set to the opt-out reason when it is a Sequence (or may be
    one) that opted out; a plain class with the comment is no finding."""
    if (info.is_sequence or info.unresolved) and class_opted_out(info.node):
        info.unresolved = OPTED_OUT_MESSAGE
    return info
