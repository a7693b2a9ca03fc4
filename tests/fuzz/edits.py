"""Line-level editing helpers the mutation strategies share."""

from __future__ import annotations

import random
import re

from tests.fuzz.lines import BOM, content, dominant_ending, split_lines

_DEF = re.compile(r"([ \t]*)(?:async[ \t]+)?def[ \t]+(\w+)[^\r\n]*:[ \t]*(?:#[^\r\n]*)?$")
_FUTURE = re.compile(r"from[ \t]+__future__[ \t]+import[^\r\n(]*$")


def indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t\f"))]


def insert_lines(text: str, index: int, new_lines: list[str]) -> str:
    """``new_lines`` (without line breaks) inserted before line ``index``, ended like the file."""
    lines = split_lines(text)
    end = dominant_ending(text)
    if index > 0 and index == len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += end  # the new lines must not run on from a last line that has no break
    lines[index:index] = [line + end for line in new_lines]
    return "".join(lines)


def insert_at_top(text: str, new_lines: list[str]) -> str:
    """Imports go after a BOM and any ``from __future__`` line, where Python accepts them."""
    bom = BOM if text.startswith(BOM) else ""
    body = text[len(bom):]
    lines = split_lines(body)
    after = max((i + 1 for i, line in enumerate(lines) if _FUTURE.match(content(line))), default=0)
    return bom + insert_lines(body, after, new_lines)


def functions(text: str) -> list[tuple[int, str, str]]:
    """``(line index, indentation, name)`` of every one-line ``def`` header."""
    found = []
    for index, line in enumerate(split_lines(text)):
        match = _DEF.match(content(line))
        if match:
            found.append((index, match.group(1), match.group(2)))
    return found


def body_span(lines: list[str], header: int, header_indent: str) -> tuple[int, int, str]:
    """First and one-past-last line of the body below ``header``, and the body's indentation."""
    body_indent = None
    last = header
    for index in range(header + 1, len(lines)):
        if not content(lines[index]).strip():
            continue
        indent = indent_of(lines[index])
        if len(indent) <= len(header_indent):
            break
        body_indent = body_indent or indent
        last = index
    return header + 1, last + 1, body_indent or header_indent + "    "


def pick_function(text: str, rng: random.Random, prefer: str = "__getitem__") -> tuple[int, str] | None:
    """A ``def`` header to edit below, ``prefer`` most of the time: ``(line index, indentation)``."""
    found = functions(text)
    if not found:
        return None
    preferred = [f for f in found if f[2] == prefer]
    index, indent, _ = rng.choice(preferred if preferred and rng.random() < 0.7 else found)
    return index, indent


def insert_in_function(text: str, rng: random.Random, snippet: list[str]) -> str:
    """``snippet`` (lines relative to the body's indentation; a line starting with ``\\0`` stays at
    column 0, as the inside of a multi-line string does) at the top or bottom of a function body,
    or at the end of the module when there is no function."""
    picked = pick_function(text, rng)
    if picked is None:
        return insert_lines(text, len(split_lines(text)), [line.lstrip("\0") for line in snippet])
    header, header_indent = picked
    start, stop, indent = body_span(split_lines(text), header, header_indent)
    placed = [line[1:] if line.startswith("\0") else indent + line for line in snippet]
    return insert_lines(text, rng.choice((start, stop)), placed)


def random_line_index(text: str, rng: random.Random) -> int:
    return rng.randrange(len(split_lines(text)) + 1)
