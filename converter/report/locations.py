"""Structured locations for the report formats: ``{"path", "line", "column"}``.

Findings and reasons carry their line and column; errors and call-site notes are rendered
``path:line:col: message`` (or ``path: message``) by the stage that made them, and are read back
here, so every format gets the same location without changing those stages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    path: str
    line: int | None = None
    column: int | None = None
    cell: int | None = None

    def as_json(self) -> dict[str, object]:
        document: dict[str, object] = {"path": self.path, "line": self.line, "column": self.column}
        if self.cell is not None:
            document["cell"] = self.cell
        return document


_POSITION = re.compile(r"(?:cell (\d+):)?(\d+):(\d+): ")


def split_location(path: str, message: str) -> tuple[Location, str]:
    """(where, what) of a message that may start with ``path:line:col: ``."""
    if message.startswith(path + ":"):
        rest = message[len(path) + 1:]
        match = _POSITION.match(rest)
        if match:
            cell = int(match.group(1)) if match.group(1) else None
            return Location(path, int(match.group(2)), int(match.group(3)), cell), rest[match.end():]
        return Location(path), rest.lstrip()
    return Location(path), message
