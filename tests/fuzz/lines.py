"""Lines as Python reads them, and the generated blocks among them.

``str.splitlines`` also breaks at form feeds, ``\\v``, ``\\x1c``-``\\x1e``, ``\\x85`` and
``\\u2028``, which Python source treats as ordinary characters; the fuzzer puts exactly those
into files, so it splits only where the tokenizer does: ``\\r\\n``, ``\\r`` and ``\\n``.
"""

from __future__ import annotations

import bisect
import io
import re
import tokenize
from dataclasses import dataclass

from seq2tfdata.markers import BEGIN_PREFIX, END_COMMENT, METHOD_NAME

BOM = "\ufeff"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_BEGIN_LINE = re.compile(
    re.escape(BEGIN_PREFIX) + r" \(fingerprint [0-9a-f]{12}; do not edit\)"
)
_METHOD_LINE = re.compile(r"[ \t\f]*def[ \t]+" + METHOD_NAME + r"\b")
# Tokens that are no code of their own: a line holding only these holds no statement.
_LAYOUT = (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, each with its own line break (the last one may have none)."""
    return _LINE.findall(text)


def ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")):]


def content(line: str) -> str:
    return line.rstrip("\r\n")


def dominant_ending(text: str) -> str:
    counts = {end: 0 for end in ("\n", "\r\n", "\r")}
    for line in split_lines(text):
        if ending(line):
            counts[ending(line)] += 1
    return max(counts, key=counts.get)


def generated_block_lines(lines: list[str]) -> set[int]:
    """Indices of the lines of every whole generated block: the exact begin comment this tool
    writes on the line right above ``def to_tf_dataset(``, through the end comment that closes
    the method. Text inside a string is no marker; a begin line that only starts like it, or one
    with no end below it, is the user's."""
    layout = _layout(lines)
    owned: set[int] = set()
    for method in layout.methods:
        if not _BEGIN_LINE.fullmatch(layout.comments.get(method - 1, "")):
            continue
        end = _closing_end_line(lines, layout, method)
        if end is not None:
            # The blank line right above the begin comment is written with the block.
            above = method - 3
            first = above if above >= 0 and not content(lines[above]) else method - 2
            owned.update(range(first, end))
    return owned


@dataclass(frozen=True)
class _Layout:
    """By 1-based line number: lines holding only a comment, ``def to_tf_dataset`` lines, and
    the lines where code starts (not those inside a multi-line string)."""

    comments: dict[int, str]
    methods: list[int]
    code: list[int]


def _layout(lines: list[str]) -> _Layout:
    try:
        # Universal newlines number the lines as ``split_lines`` does (CR-only files included).
        tokens = list(tokenize.generate_tokens(io.StringIO("".join(lines), newline=None).readline))
    except (tokenize.TokenError, SyntaxError):
        # Python 3.11's tokenize module rejects some code the compiler takes (a line holding
        # only a backslash): read the lines as they look, strings and all.
        return _layout_by_sight(lines)
    alone = [t for t in tokens if t.type == tokenize.COMMENT and _stripped(lines[t.start[0] - 1]) == t.string]
    comments = {t.start[0]: t.string for t in alone}
    methods = [a.start[0] for a, b in zip(tokens, tokens[1:]) if a.string == "def" and b.string == METHOD_NAME]
    code = sorted({t.start[0] for t in tokens if t.type not in _LAYOUT})
    return _Layout(comments, methods, code)


def _layout_by_sight(lines: list[str]) -> _Layout:
    comments = {n: _stripped(line) for n, line in enumerate(lines, 1) if _stripped(line).startswith("#")}
    methods = [n for n, line in enumerate(lines, 1) if _METHOD_LINE.match(line)]
    code = [n for n, line in enumerate(lines, 1) if _stripped(line) and n not in comments]
    return _Layout(comments, methods, code)


def _closing_end_line(lines: list[str], layout: _Layout, method: int) -> int | None:
    """The first end comment after the method's body (1-based): one followed by code no deeper
    than the ``def``, or by nothing. An end comment with more of the method below it is a
    comment inside the method (which the next conversion overwrites, with the rest of the block)."""
    depth = _depth(lines[method - 1])
    for number in sorted(n for n, comment in layout.comments.items() if n > method and comment == END_COMMENT):
        below = bisect.bisect_right(layout.code, number)
        if below == len(layout.code) or _depth(lines[layout.code[below] - 1]) <= depth:
            return number
    return None


def _stripped(line: str) -> str:
    return content(line).strip(" \t\f")


def _depth(line: str) -> int:
    # A form feed resets Python's indentation count, so only what follows the last one counts.
    indent = line[: len(line) - len(line.lstrip(" \t\f"))]
    return len(indent.rpartition("\f")[2])


def without_bom(text: str) -> str:
    return text[len(BOM):] if text.startswith(BOM) else text
