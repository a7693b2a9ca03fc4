"""Progress of the long steps (project index, conversion) with counts and elapsed time, on stderr.

On a terminal outside CI one line is redrawn in place;
with ``-v`` in a log, each step prints one line when it starts and one when it ends, so a CI log
shows where the time went without carriage-return noise. Otherwise nothing is drawn.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import TextIO


class StepDisplay:
    """``on_progress(done, total)`` for the current step; :meth:`step` starts the next one."""

    def __init__(self, stream: TextIO, *, interactive: bool, verbose: bool) -> None:
        self.stream = stream
        self.interactive = interactive
        self.log = verbose and not interactive
        self._label = ""
        self._started = 0.0
        self._drawn = 0
        self._count = ""

    @property
    def enabled(self) -> bool:
        return self.interactive or self.log

    def step(self, label: str, detail: str = "") -> None:
        self.end()
        self._label, self._started, self._count = label, time.monotonic(), detail
        if self.log:
            self._print(f"{label}{': ' + detail if detail else ''} ...")
        elif self.interactive:
            self._draw(f"{label} {detail}".rstrip())

    def __call__(self, done: int, total: int) -> None:
        self._count = f"{done}/{total} files"
        if self.interactive:
            self._draw(f"{self._label} {self._count} ({time.monotonic() - self._started:.1f} s)")

    def end(self) -> None:
        if not self._label:
            return
        if self.log:
            self._print(f"{self._label}: {self._count + ', ' if self._count else ''}done in {time.monotonic() - self._started:.1f} s")
        self._clear()
        self._label = ""

    def _draw(self, line: str) -> None:
        # Pad over a longer previous line instead of relying on terminal escape codes.
        self.stream.write("\r" + line.ljust(self._drawn))
        self.stream.flush()
        self._drawn = len(line)

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()
            self._drawn = 0

    def _print(self, line: str) -> None:
        self._clear()
        print(line, file=self.stream, flush=True)

    def __enter__(self) -> StepDisplay:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.end()


def display_for(args: argparse.Namespace, stream: TextIO | None = None) -> StepDisplay:
    """The one display of this run (kept on ``args`` so every step of the run shares it)."""
    existing = getattr(args, "_display", None)
    if existing is not None:
        return existing
    stream = sys.stderr if stream is None else stream
    interactive = getattr(stream, "isatty", lambda: False)() and not os.environ.get("CI")
    quiet = getattr(args, "quiet", False)
    display = StepDisplay(stream, interactive=interactive and not quiet, verbose=getattr(args, "verbose", False))
    args._display = display
    return display


def conversion_step(args: argparse.Namespace) -> StepDisplay:
    """Ends the step before (the project index) and shows the conversion's progress."""
    display = display_for(args)
    display.step("converting")
    return display
