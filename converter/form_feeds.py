"""Form feeds in indentation: legal Python that libcst neither parses nor prints back.

Python ignores form feeds at the start of a line (old editors used them as page breaks). They
are taken out of those lines before parsing and the user's own lines are put back, as they were,
into the converted text.
"""

from __future__ import annotations

import difflib
import io
import re
import tokenize

_LEADING = re.compile(r"^[ \t\f]*")
# Python's line breaks only; str.splitlines() also breaks at form feeds and other separators.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def source_lines(code: str) -> list[str]:
    """The lines of ``code`` as Python reads them, each with its line break."""
    return _LINE.findall(code)


def without_form_feeds(code: str) -> str:
    """``code`` with the form feeds that lead its lines removed, except inside strings."""
    if "\f" not in code:
        return code
    in_strings = _lines_inside_strings(code)
    lines = source_lines(code)
    for number, line in enumerate(lines, start=1):
        if number not in in_strings:
            lead = _LEADING.match(line).group(0)
            lines[number - 1] = lead.replace("\f", "") + line[len(lead):]
    return "".join(lines)


def with_user_lines(original: str, cleaned: str, converted: str) -> str:
    """``converted`` (made from ``cleaned``) with every line that came from the user unchanged
    replaced by the user's line as written."""
    if original == cleaned:
        return converted
    user_lines = source_lines(original)
    cleaned_lines = source_lines(cleaned)
    output = source_lines(converted)
    # Matched without their line breaks: libcst may re-end the last line (a final lone "\r").
    matcher = difflib.SequenceMatcher(
        None, [line.rstrip("\r\n") for line in cleaned_lines], [line.rstrip("\r\n") for line in output], autojunk=False
    )
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            output[block.b + offset] = user_lines[block.a + offset]
    return "".join(output)


def _lines_inside_strings(code: str) -> set[int]:
    lines: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(code, newline=None).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                lines.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return lines
