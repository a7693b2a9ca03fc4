"""Huge inputs cost a bounded time: a per-file time budget (--timeout) and a size limit
(--max-file-size); a file over either is reported and skipped, and the run goes on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from seq2tfdata.cli.main import main
from seq2tfdata.write.batch import FileOutcome, run_batch
from seq2tfdata.write.limits import end_budget
from tests.cli_samples import GOOD

ROOT = Path(__file__).resolve().parent.parent
needs_alarm = pytest.mark.skipif(not hasattr(__import__("signal"), "setitimer"), reason="no SIGALRM here")


def _huge_list_module(entries: int) -> str:
    # Converting this takes about 90 s for 20,000 entries.
    return GOOD + "\n\nTABLE = [\n" + "".join(f"    {i},\n" for i in range(entries)) + "]\n"


@needs_alarm
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_over_the_time_budget_is_reported_and_the_others_converted(tmp_path: Path, jobs: str) -> None:
    huge = tmp_path / "huge.py"
    huge.write_text(_huge_list_module(20_000))
    for number in range(3):
        (tmp_path / f"gen_{number}.py").write_text(GOOD.replace("class Gen", f"class Gen{number}"))
    report = tmp_path / "r.json"
    command = [sys.executable, "-m", "seq2tfdata", "convert", str(tmp_path), "--write", "--timeout", "5", "-j", jobs]
    started = time.monotonic()
    done = subprocess.run(
        [*command, "--report", str(report)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    # Unbounded, the huge file alone takes over a minute; the budget is generous for a loaded machine.
    assert time.monotonic() - started < 60
    assert done.returncode == 123, done.stderr
    assert f"{huge.as_posix()}: took longer than 5 s; skipped" in done.stderr
    assert huge.read_text() == _huge_list_module(20_000)
    assert all("def to_tf_dataset" in (tmp_path / f"gen_{n}.py").read_text() for n in range(3))
    errors = json.loads(report.read_text())["errors"]
    assert [e["path"] for e in errors] == [huge.as_posix()]


def slow_job(path: Path, mode: str) -> FileOutcome:
    """A job for run_batch: module level, so that worker processes can unpickle it."""
    if path.name.startswith("slow"):
        deadline = time.monotonic() + 30
        if mode == "loses the alarm":
            try:
                while time.monotonic() < deadline:
                    pass
            except BaseException:  # what libcst's failing `finally` does to the exception
                raise KeyError("node") from None
        elif mode == "swallows the first alarm":
            for _ in range(2):
                try:
                    while time.monotonic() < deadline:
                        pass
                except BaseException:
                    pass
        elif mode == "writes after its work":
            end_budget()
            time.sleep(1.0)
            return FileOutcome(path, changed=True)
        while time.monotonic() < deadline:
            pass
    return FileOutcome(path, changed=True)


@needs_alarm
@pytest.mark.parametrize("mode", ["plain", "loses the alarm", "swallows the first alarm"])
@pytest.mark.parametrize("jobs", [1, 2])
def test_the_budget_holds_whatever_the_job_does_with_the_alarm(tmp_path: Path, mode: str, jobs: int) -> None:
    paths = [tmp_path / name for name in ("a.py", "slow.py", "z.py")]
    started = time.monotonic()
    outcomes = run_batch(slow_job, paths, mode, jobs=jobs, timeout=0.3)
    assert time.monotonic() - started < 10
    over = f"{paths[1].as_posix()}: took longer than 0.3 s; skipped (raise the budget with --timeout)"
    assert [o.error for o in outcomes] == [None, over, None]
    assert [o.changed for o in outcomes] == [True, False, True]
    assert outcomes[1].over_limit


@needs_alarm
def test_a_job_that_began_writing_is_not_stopped_by_its_budget(tmp_path: Path) -> None:
    (outcome,) = run_batch(slow_job, [tmp_path / "slow.py"], "writes after its work", jobs=1, timeout=0.3)
    assert (outcome.error, outcome.changed) == (None, True)


def test_a_file_over_the_size_limit_is_reported_before_it_is_parsed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.py"
    big.write_text(GOOD + "".join(f"# comment {i:05d}\n" for i in range(200)))
    (tmp_path / "small.py").write_text(GOOD)
    assert main(["convert", str(tmp_path), "--write", "--max-file-size", "2K"]) == 123
    err = capsys.readouterr().err
    size = f"{big.stat().st_size / 1024:.1f} KiB"
    assert f"{big}: {size} is over the 2.0 KiB size limit; skipped (raise it with --max-file-size)" in err
    assert "def to_tf_dataset" not in big.read_text()
    assert "def to_tf_dataset" in (tmp_path / "small.py").read_text()
    assert main(["convert", str(big), "--check", "--max-file-size", "4K"]) == 1
    assert main(["report", str(big), "--max-file-size", "2K"]) == 123


def test_the_default_size_limit_skips_megabytes_of_comments_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = tmp_path / "huge.py"
    huge.write_text(GOOD + ("# " + "y" * 78 + "\n") * 40_000)  # 3.2 MB, minutes to convert
    started = time.monotonic()
    assert main(["convert", str(huge), "--check"]) == 123
    assert time.monotonic() - started < 5
    assert "is over the 2.0 MiB size limit; skipped" in capsys.readouterr().err


def test_a_notebook_is_measured_by_its_code_cells(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def notebook(code: str, output_bytes: int) -> str:
        output = {"output_type": "stream", "name": "stdout", "text": ["x" * output_bytes]}
        cell = {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [output]}
        cell["source"] = code
        metadata = {"kernelspec": {"language": "python", "name": "python3"}}
        return json.dumps({"cells": [cell], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})

    outputs_only = tmp_path / "plots.ipynb"
    outputs_only.write_text(notebook(GOOD, 8000))
    assert main(["convert", str(outputs_only), "--check", "--max-file-size", "2K"]) == 1
    long_code = tmp_path / "long.ipynb"
    long_code.write_text(notebook(GOOD + "# padding\n" * 300, 0))
    assert main(["convert", str(long_code), "--check", "--max-file-size", "2K"]) == 123
    assert "its code cells hold 3.1 KiB, over the 2.0 KiB size limit; skipped" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argument", "message"), [("--timeout=-1", "negative"), ("--max-file-size=lots", "not a size")]
)
def test_bad_limits_are_rejected(
    tmp_path: Path, argument: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["convert", str(tmp_path), argument])
    assert message in capsys.readouterr().err
