"""A one-line progress bar for interactive runs; the CLI creates it and owns the stream.

Only a terminal gets the bar: in CI logs, pipes and pre-commit output the carriage returns would
be noise, so :func:`progress_for` returns a bar that draws nothing there.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TextIO


class ProgressBar:
    """Call it as ``on_progress(done, total)``; call :meth:`close` (or leave the ``with``
    block) before printing anything else to the same stream."""

    def __init__(self, stream: TextIO, *, width: int = 30, label: str = "converting") -> None:
        self.stream = stream
        self.width = width
        self.label = label
        self._drawn = 0

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // total if total else self.width
        line = f"{self.label} [{'#' * filled}{' ' * (self.width - filled)}] {done}/{total}"
        # Pad over a longer previous line instead of relying on terminal escape codes.
        self.stream.write("\r" + line.ljust(self._drawn))
        self.stream.flush()
        self._drawn = len(line)

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()
            self._drawn = 0

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class NoProgress:
    """Stands in for :class:`ProgressBar` where nothing should be drawn."""

    def __call__(self, done: int, total: int) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> NoProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass


def progress_for(
    stream: TextIO, environ: Mapping[str, str] | None = None
) -> ProgressBar | NoProgress:
    """A bar drawing on ``stream`` if it is a terminal outside CI, else one drawing nothing."""
    environ = os.environ if environ is None else environ
    interactive = getattr(stream, "isatty", lambda: False)()
    return ProgressBar(stream) if interactive and not environ.get("CI") else NoProgress()
