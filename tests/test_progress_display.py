"""The progress display: redrawn in place on a terminal, one line per step in a verbose log,
silent in CI and in pipes, and never on stdout."""

from __future__ import annotations

import argparse
import io

import pytest

from seq2tfdata.cli.progress_display import StepDisplay, display_for


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_one_line_redrawn_with_counts_and_clears_it() -> None:
    stream = FakeTerminal()
    display = StepDisplay(stream, interactive=True, verbose=False)
    display.step("converting")
    display(5, 10)
    display(10, 10)
    display.end()
    drawn = stream.getvalue()
    assert "\rconverting 5/10 files (" in drawn and "\rconverting 10/10 files (" in drawn
    assert "\n" not in drawn
    assert drawn.endswith("\r")  # the line is blanked out again


def test_a_verbose_log_gets_a_start_and_an_end_line_per_step() -> None:
    stream = io.StringIO()
    display = StepDisplay(stream, interactive=False, verbose=True)
    display.step("indexing the project", "3 files named")
    display.step("converting")
    display(2, 2)
    display.end()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "indexing the project: 3 files named ..."
    assert lines[1].startswith("indexing the project: 3 files named, done in ")
    assert lines[2] == "converting ..."
    assert lines[3].startswith("converting: 2/2 files, done in ")
    assert "\r" not in stream.getvalue()


@pytest.mark.parametrize(
    ("stream", "environ", "quiet"),
    [(FakeTerminal(), {"CI": "true"}, False), (io.StringIO(), {}, False), (FakeTerminal(), {}, True)],
    ids=["CI", "not a terminal", "quiet"],
)
def test_the_display_is_silent_in_ci_pipes_and_with_q(
    stream: io.StringIO, environ: dict, quiet: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    display = display_for(argparse.Namespace(quiet=quiet, verbose=False), stream)
    display.step("converting")
    display(1, 2)
    display.end()
    assert not display.enabled
    assert stream.getvalue() == ""
