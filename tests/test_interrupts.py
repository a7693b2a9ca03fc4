"""Ctrl-C stops a conversion with exit code 130, every time, wherever the signal lands.

The signal is real in both tests: raised by the child on itself at chosen points inside libcst's
code generation (where a KeyboardInterrupt used to turn into ``KeyError`` and be reported as an
internal error of one file), and sent from outside at random moments, to the process alone and
to its whole process group as a terminal's Ctrl-C does.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXIT_INTERRUPTED = 130
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

# Raises SIGINT in this very process at the N-th CodeRange that libcst builds while the
# converter prints code and records positions, then runs `convert` and exits with its status.
_SELF_INTERRUPTING = """
import itertools, signal, sys
import libcst._position as position

calls = itertools.count()
build_range = position.CodeRange.__init__

def interrupting(self, *args, **kwargs):
    if next(calls) == int(sys.argv[2]):
        signal.raise_signal(signal.SIGINT)
    build_range(self, *args, **kwargs)

position.CodeRange.__init__ = interrupting
from seq2tfdata.cli.main import main
sys.exit(main(["convert", sys.argv[1], "--check", "-j", "1"]))
"""


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sixty Sequence files, about a minute of converting on one core."""
    root = tmp_path_factory.mktemp("many")
    cases = sorted(p for p in FIXTURES.iterdir() if (p / "input.py").is_file())[:30]
    for case in cases:
        for copy in range(2):
            shutil.copy(case / "input.py", root / f"{case.name}_{copy}.py")
    return root


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}


def _assert_stopped_by_the_interrupt(returncode: int, stderr: str) -> None:
    assert returncode == EXIT_INTERRUPTED, stderr[-3000:]
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr[-3000:]


@pytest.mark.parametrize("at_call", [1_000, 5_000, 12_000, 20_000])
def test_an_interrupt_inside_libcst_code_generation_stops_the_run(tree: Path, at_call: int) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _SELF_INTERRUPTING, str(tree), str(at_call)],
        cwd=ROOT, env=_environment(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    _assert_stopped_by_the_interrupt(done.returncode, done.stderr)


@pytest.mark.parametrize(
    ("jobs", "to_group"),
    [("1", False), ("1", True), ("2", False), ("2", True)],
    ids=["one process", "one process, Ctrl-C to the group", "two workers", "two workers, Ctrl-C to the group"],
)
def test_ctrl_c_at_random_moments_always_exits_130_promptly(tree: Path, jobs: str, to_group: bool) -> None:
    chance = random.Random(f"{jobs}{to_group}")
    for _ in range(3):
        run = subprocess.Popen(
            [sys.executable, "-m", "seq2tfdata", "convert", str(tree), "--check", "-j", jobs],
            cwd=ROOT, env=_environment(), stderr=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        time.sleep(chance.uniform(1.0, 3.5))  # start-up takes about half a second
        if to_group:
            os.killpg(run.pid, signal.SIGINT)
        else:
            run.send_signal(signal.SIGINT)
        sent = time.monotonic()
        _, stderr = run.communicate(timeout=60)
        _assert_stopped_by_the_interrupt(run.returncode, stderr)
        assert time.monotonic() - sent < 10, "did not stop promptly"
        with pytest.raises(ProcessLookupError):  # no worker outlived the run
            os.killpg(run.pid, 0)
