"""Running jobs over many files: same ordered results for -j 1 and -j N, errors contained;
and the progress bar the CLI passes in as ``on_progress``."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from seq2tfdata.write.atomic import read_source, write_if_changed
from seq2tfdata.write.batch import FileOutcome, run_batch

MAIN_PROCESS = os.getpid()


def fake_convert(code: str) -> str:
    return code + "# converted\n" if "Sequence" in code else code


def convert_file(path: Path, options: dict) -> FileOutcome:
    """A job as the CLI would write one: module level, so a process pool can pickle it."""
    source = read_source(path)
    # Early files finish last, so completion order differs from input order.
    time.sleep(options["delay"] * (options["count"] - int(path.stem.split("_")[1])))
    if "raise" in source.text:
        raise RuntimeError(f"cannot handle {path.name}")
    if "die" in source.text and os.getpid() != MAIN_PROCESS:
        os._exit(3)
    converted = fake_convert(source.text)
    changed = write_if_changed(path, converted, source) if options["write"] else False
    # ``diff`` carries the process id here, to check where the job ran.
    return FileOutcome(path, changed=changed or converted != source.text, diff=str(os.getpid()))


def _files(root: Path, count: int, poison: dict[int, str] | None = None) -> list[Path]:
    paths = []
    for number in range(count):
        path = root / f"m_{number:03d}.py"
        text = "class G(Sequence): pass\n" if number % 3 == 0 else "x = 1\n"
        path.write_text((poison or {}).get(number, text))
        paths.append(path)
    return paths


def _without_worker_details(outcomes: list[FileOutcome]) -> list[FileOutcome]:
    return [replace(outcome, diff="", detail="") for outcome in outcomes]


def test_one_job_and_two_jobs_give_identical_ordered_results(tmp_path: Path) -> None:
    serial_dir, parallel_dir = tmp_path / "serial", tmp_path / "parallel"
    serial_dir.mkdir()
    parallel_dir.mkdir()
    count = 50
    serial_paths = _files(serial_dir, count, {7: "raise\n"})
    parallel_paths = _files(parallel_dir, count, {7: "raise\n"})
    options = {"delay": 0.001, "count": count, "write": True}

    serial = run_batch(convert_file, serial_paths, options, jobs=1)
    parallel = run_batch(convert_file, parallel_paths, options, jobs=2)

    assert [outcome.path for outcome in parallel] == parallel_paths
    assert {outcome.diff for outcome in serial if not outcome.error} == {str(MAIN_PROCESS)}
    assert str(MAIN_PROCESS) not in {outcome.diff for outcome in parallel}  # really in workers

    def relative(outcomes: list[FileOutcome], root: Path) -> list[FileOutcome]:
        plain = _without_worker_details(outcomes)
        return [replace(outcome, path=outcome.path.relative_to(root)) for outcome in plain]

    assert relative(serial, serial_dir) == relative(parallel, parallel_dir)
    assert sum(outcome.changed for outcome in serial) == len(range(0, count, 3))
    assert serial[7].error == "internal error: RuntimeError: cannot handle m_007.py"
    assert "Traceback" in serial[7].detail and "Traceback" in parallel[7].detail
    for serial_path, parallel_path in zip(serial_paths, parallel_paths, strict=True):
        assert serial_path.read_bytes() == parallel_path.read_bytes()


@pytest.mark.parametrize("jobs", [1, 3])
def test_progress_reaches_the_total(tmp_path: Path, jobs: int) -> None:
    paths = _files(tmp_path, 20)
    calls: list[tuple[int, int]] = []
    options = {"delay": 0, "count": 20, "write": False}
    run_batch(convert_file, paths, options, jobs=jobs, on_progress=lambda *c: calls.append(c))
    done = [finished for finished, _ in calls]
    assert done == sorted(done) and done[-1] == 20
    assert {total for _, total in calls} == {20}


def test_a_dying_worker_becomes_error_outcomes(tmp_path: Path) -> None:
    paths = _files(tmp_path, 12, {5: "die\n"})
    outcomes = run_batch(convert_file, paths, {"delay": 0, "count": 12, "write": False}, jobs=2)
    assert [outcome.path for outcome in outcomes] == paths
    assert outcomes[5].error is not None and "BrokenProcessPool" in outcomes[5].error


def test_nothing_to_do(tmp_path: Path) -> None:
    assert run_batch(convert_file, [], {}, jobs=4) == []
