"""Comments that look like, or are, the markers fencing a generated block.

The converter owns a block only when the exact begin line sits right above ``def to_tf_dataset``
and an end line follows it; anything else shaped like a marker is the user's and must survive.
"""

from __future__ import annotations

import random

from seq2tfdata.markers import BEGIN_PREFIX, END_COMMENT, begin_comment
from tests.fuzz.edits import functions, indent_of, insert_in_function, insert_lines, random_line_index
from tests.fuzz.lines import content, split_lines

LOOKALIKE_BEGINS = (
    BEGIN_PREFIX,
    BEGIN_PREFIX + " (hand-written, keep me)",
    BEGIN_PREFIX + " (fingerprint 0123; do not edit)",
    BEGIN_PREFIX.upper(),
    "#" + BEGIN_PREFIX[1:].replace(" ", "  ", 1),
)


def _fake_fingerprint(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(12))


def _insert_above_function(text: str, rng: random.Random, comments: list[str]) -> str:
    """``comments`` above a ``def`` (a ``to_tf_dataset`` one when there is), at its indentation."""
    found = functions(text)
    if not found:
        return insert_lines(text, random_line_index(text, rng), comments)
    methods = [f for f in found if f[2] == "to_tf_dataset"]
    index, indent, _ = rng.choice(methods if methods and rng.random() < 0.6 else found)
    return insert_lines(text, index, [indent + comment for comment in comments])


def lookalike_begin_marker(text: str, rng: random.Random) -> str:
    return _insert_above_function(text, rng, [rng.choice(LOOKALIKE_BEGINS)])


def exact_begin_marker(text: str, rng: random.Random) -> str:
    """A begin line in this tool's exact format above a hand-written method: half a block."""
    return _insert_above_function(text, rng, [begin_comment(_fake_fingerprint(rng))])


def lone_end_marker(text: str, rng: random.Random) -> str:
    lines = split_lines(text)
    index = random_line_index(text, rng)
    indent = indent_of(lines[index]) if index < len(lines) else ""
    return insert_lines(text, index, [indent + END_COMMENT])


def two_begin_markers(text: str, rng: random.Random) -> str:
    """The begin line of an existing block doubled, or two fresh ones above a method."""
    lines = split_lines(text)
    begins = [i for i, line in enumerate(lines) if content(line).lstrip().startswith(BEGIN_PREFIX)]
    if begins:
        index = rng.choice(begins)
        lines.insert(index, lines[index])
        return "".join(lines)
    fingerprint = _fake_fingerprint(rng)
    return _insert_above_function(text, rng, [begin_comment(fingerprint)] * 2)


def _marker_lines(lines: list[str], marker: str) -> list[int]:
    return [i for i, line in enumerate(lines) if content(line).strip() == marker]


def blank_before_end_marker(text: str, rng: random.Random) -> str:
    lines = split_lines(text)
    ends = _marker_lines(lines, END_COMMENT)
    if not ends:
        return lone_end_marker(text, rng)
    return insert_lines(text, rng.choice(ends), [rng.choice(("", "    ", "# between"))])


def drop_end_marker(text: str, rng: random.Random) -> str:
    lines = split_lines(text)
    ends = _marker_lines(lines, END_COMMENT)
    if ends:
        del lines[rng.choice(ends)]
    return "".join(lines)


def duplicate_generated_block(text: str, rng: random.Random) -> str:
    """A whole generated block twice in one class, as a bad merge leaves it."""
    lines = split_lines(text)
    begins = [i for i, line in enumerate(lines) if content(line).lstrip().startswith(BEGIN_PREFIX)]
    ends = _marker_lines(lines, END_COMMENT)
    if not begins or not ends:
        return exact_begin_marker(text, rng)
    begin = rng.choice(begins)
    after = [end for end in ends if end > begin]
    if not after:
        return text
    block = lines[begin : after[0] + 1]
    return "".join(lines[: after[0] + 1] + block + lines[after[0] + 1 :])


def markers_inside_string(text: str, rng: random.Random) -> str:
    """A whole block, as text inside a triple-quoted string (at column 0, where strings allow)."""
    block = [begin_comment(_fake_fingerprint(rng)), "def to_tf_dataset(self):", "    return None", END_COMMENT]
    quote = rng.choice(('"""', "'''"))
    return insert_in_function(text, rng, [f"text = {quote}"] + ["\0" + line for line in block] + [f"\0{quote}"])


def edit_inside_block(text: str, rng: random.Random) -> str:
    """A line typed into a generated block, which the next conversion may overwrite."""
    lines = split_lines(text)
    begins = [i for i, line in enumerate(lines) if content(line).lstrip().startswith(BEGIN_PREFIX)]
    if not begins:
        return lone_end_marker(text, rng)
    index = rng.choice(begins) + 2
    if index >= len(lines):
        return text
    return insert_lines(text, index, [indent_of(lines[index]) + "user_edit = 1  # typed inside the block"])
