"""Line breaks for generated lines in a file whose own lines mix ``\\r`` and ``\\n`` endings.

There a generated line ending in ``\\r`` followed by a user line ending in ``\\n`` (or a user
``\\r`` followed by a generated ``\\n``) would read as one ``\\r\\n`` break: a line would vanish
and the next run would see another file. ``\\r\\n`` never merges with a neighbour, so generated
lines use it explicitly; the user's lines keep their own breaks.
"""

from __future__ import annotations

import re

import libcst as cst

_BARE_CR = re.compile(r"\r(?!\n)")
_BARE_LF = re.compile(r"(?<!\r)\n")


def generated_newline(code: str) -> str | None:
    """The break generated lines must carry explicitly, or None for the module's default."""
    if _BARE_CR.search(code) and _BARE_LF.search(code):
        return "\r\n"
    return None


class _ExplicitNewlines(cst.CSTTransformer):
    def __init__(self, value: str) -> None:
        super().__init__()
        self._value = value

    def leave_Newline(self, original_node: cst.Newline, updated_node: cst.Newline) -> cst.Newline:
        return updated_node.with_changes(value=self._value) if updated_node.value is None else updated_node


def with_newlines(node: cst.CSTNodeT, value: str | None) -> cst.CSTNodeT:
    """``node`` with every default line break made ``value`` (nothing changes for None)."""
    return node if value is None else node.visit(_ExplicitNewlines(value))


def blank_line(value: str | None, indent: bool = True) -> cst.EmptyLine:
    return cst.EmptyLine(indent=indent, newline=cst.Newline(value))


def comment_line(text: str, value: str | None) -> cst.EmptyLine:
    return cst.EmptyLine(indent=True, comment=cst.Comment(text), newline=cst.Newline(value))
