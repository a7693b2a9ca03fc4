"""Is every line of the user's still in the output, in order, with its own line break?

The converter adds lines (generated blocks, the imports they need) and may replace the generated
blocks already in the input; every other input line must reappear, unchanged, in the same order.
"""

from __future__ import annotations

from tests.fuzz.lines import content, ending, generated_block_lines, split_lines, without_bom


def _user_lines(text: str) -> list[tuple[int, str]]:
    """``(line number, line)`` outside the generated blocks; the BOM is checked on its own."""
    lines = split_lines(without_bom(text))
    owned = generated_block_lines(lines)
    return [(index + 1, line) for index, line in enumerate(lines) if index not in owned]


def _match(wanted: list[str], present: list[str], same) -> tuple[list[int], int | None]:
    """Match ``wanted`` lines in order against ``present`` (greedily, which finds a match in
    order whenever one exists): the positions matched, and the first line with no match left."""
    positions, position = [], 0
    for index, line in enumerate(wanted):
        while position < len(present) and not same(line, present[position]):
            position += 1
        if position == len(present):
            return positions, index
        positions.append(position)
        position += 1
    return positions, None


def lost_or_rewritten_line(before: str, after: str) -> tuple[str, str] | None:
    """``(kind, detail)`` for the first user line the output lost or re-ended, or None."""
    wanted = _user_lines(before)
    present = [line for _, line in _user_lines(after)]
    texts = [line for _, line in wanted]
    by_content, missing = _match(texts, present, lambda a, b: content(a) == content(b))
    if missing is not None:
        number, line = wanted[missing]
        return "user-line-lost", f"input line {number} is not in the output: {line!r}"[:300]
    endings = {ending(line) for line in texts} - {""}

    def same_line(a: str, b: str) -> bool:
        # A last line without a break gains one when something is added after it: any break the
        # file already uses is faithful.
        if not ending(a):
            return content(a) == content(b) and (ending(b) in endings or not endings or not ending(b))
        return a == b

    if _match(texts, present, same_line)[1] is None:
        return None
    # Name the first line whose break differs where the lines line up by their text.
    index = next(i for i, position in enumerate(by_content) if not same_line(texts[i], present[position]))
    number, line = wanted[index]
    was, now = ending(line), ending(present[by_content[index]])
    return "line-ending-changed", f"input line {number} ends in {was!r}, in the output {now!r}: {line!r}"[:300]
