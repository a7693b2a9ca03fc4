"""A whole repository at once: 2,000 files, converted with one and with two worker processes.

The synthetic repository (tests/repo_generator.py) holds ordinary modules, lookalike classes,
Keras generators under many import spellings, a notebook, broken files, git-ignored and
``@generated`` files. Both runs must do exactly the same thing to every one of them, and a
``--check`` afterwards must find nothing left to do.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.repo_generator import SyntheticRepo, write_repository

ROOT = Path(__file__).resolve().parents[1]
EXIT_CLEAN, EXIT_ERROR = 0, 123
JOB_COUNTS = (1, 2)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed for the .gitignore rules")


@dataclass
class Run:
    tree: Path
    returncode: int
    seconds: float
    report: dict
    report_text: str  # with the tree's own path replaced by <root>, so runs compare equal
    stderr: str


def _convert(tree: Path, *arguments: str, report: Path) -> Run:
    # Git sets GIT_DIR and friends while it runs hooks; they would point the converter's own
    # `git ls-files` at the wrong repository.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "seq2tfdata", "convert", str(tree), *arguments, "--report", str(report)]
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    text = report.read_text(encoding="utf-8").replace(tree.as_posix(), "<root>")
    return Run(tree, completed.returncode, seconds, json.loads(text), text, completed.stderr)


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> SyntheticRepo:
    return write_repository(tmp_path_factory.mktemp("scale") / "original")


@pytest.fixture(scope="module")
def original(synthetic: SyntheticRepo) -> dict[str, bytes]:
    return _tree_bytes(synthetic.root)


@pytest.fixture(scope="module")
def runs(synthetic: SyntheticRepo) -> dict[int, Run]:
    """``--write`` over a fresh copy of the repository, once per job count."""
    results = {}
    for jobs in JOB_COUNTS:
        tree = synthetic.root.parent / f"written_j{jobs}"
        shutil.copytree(synthetic.root, tree, symlinks=True)
        report = synthetic.root.parent / f"report_j{jobs}.json"
        results[jobs] = _convert(tree, "--write", "-j", str(jobs), report=report)
    return results


def test_the_generator_is_deterministic(
    synthetic: SyntheticRepo, original: dict[str, bytes], tmp_path: Path
) -> None:
    again = write_repository(tmp_path / "again")
    assert len(original) == 2000
    assert _tree_bytes(again.root) == original
    assert again.sequence_files == synthetic.sequence_files


def test_both_runs_fail_on_exactly_the_broken_files(
    synthetic: SyntheticRepo, runs: dict[int, Run], capsys: pytest.CaptureFixture[str]
) -> None:
    with capsys.disabled():
        timings = ", ".join(f"-j {jobs}: {run.seconds:.1f}s" for jobs, run in runs.items())
        print(f"\n[repo scale] --write over {len(synthetic.all_files())} files: {timings}")
    for run in runs.values():
        assert run.returncode == EXIT_ERROR, run.stderr[-3000:]
        errors = {error["path"] for error in run.report["errors"]}
        assert errors == {f"<root>/{path}" for path in synthetic.broken_files}
        assert all("cannot parse" in error["message"] for error in run.report["errors"])


def test_one_and_two_jobs_give_the_same_report(runs: dict[int, Run]) -> None:
    assert runs[1].report_text == runs[2].report_text


def test_one_and_two_jobs_write_the_same_tree_and_leave_no_temporary_files(
    original: dict[str, bytes], runs: dict[int, Run]
) -> None:
    trees = [_tree_bytes(run.tree) for run in runs.values()]
    assert sorted(trees[0]) == sorted(original)  # an interrupted atomic write leaves .tmp files
    assert trees[0] == trees[1]


def test_only_the_sequence_files_change(
    synthetic: SyntheticRepo, original: dict[str, bytes], runs: dict[int, Run]
) -> None:
    written = _tree_bytes(runs[1].tree)
    changed = {path for path, data in written.items() if original[path] != data}
    assert changed == set(synthetic.sequence_files)
    # Spelled out, because each group is skipped for its own reason:
    untouched = {
        "broken": synthetic.broken_files,
        "git-ignored or in a default-skipped directory": synthetic.ignored_files,
        "@generated": synthetic.generated_files,
        "lookalike": synthetic.lookalike_files,
    }
    for reason, paths in untouched.items():
        assert paths, reason
        assert [p for p in paths if written[p] != original[p]] == [], reason
    mentioned = {entry["path"] for entry in runs[1].report["classes"] + runs[1].report["errors"]}
    skipped = synthetic.ignored_files + synthetic.generated_files + synthetic.lookalike_files
    assert mentioned.isdisjoint(f"<root>/{path}" for path in skipped)


def test_every_sequence_class_is_reported_and_gets_one_generated_method(
    synthetic: SyntheticRepo, runs: dict[int, Run]
) -> None:
    report = runs[1].report
    reported = {(entry["path"].removeprefix("<root>/"), entry["class"]) for entry in report["classes"]}
    assert reported == synthetic.expected_classes
    assert len(report["classes"]) == len(synthetic.expected_classes) == 40
    assert [entry for entry in report["classes"] if entry["tier"] == "skipped"] == []
    assert report["summary"]["files_changed"] == len(synthetic.sequence_files) == 36
    assert sum(report["summary"]["tiers"].values()) == 40
    for path, names in synthetic.sequence_files.items():
        text = (runs[1].tree / path).read_text(encoding="utf-8")
        assert text.count("def to_tf_dataset(self)") == len(names), path


def test_notebook_code_cell_is_converted_and_everything_else_kept(
    synthetic: SyntheticRepo, runs: dict[int, Run]
) -> None:
    before = json.loads((synthetic.root / synthetic.notebook).read_text(encoding="utf-8"))
    text = (runs[1].tree / synthetic.notebook).read_text(encoding="utf-8")
    after = json.loads(text)
    assert text == json.dumps(after, indent=1, ensure_ascii=False) + "\n"  # Jupyter's own layout
    assert {k: v for k, v in after.items() if k != "cells"} == {k: v for k, v in before.items() if k != "cells"}
    assert len(after["cells"]) == len(before["cells"])
    for old, new in zip(before["cells"], after["cells"], strict=True):
        # outputs, execution counts, ids and cell metadata
        assert {k: v for k, v in new.items() if k != "source"} == {k: v for k, v in old.items() if k != "source"}
    class_cell = "".join(after["cells"][synthetic.notebook_class_cell]["source"])
    assert class_cell.count("def to_tf_dataset(self)") == 1
    assert after["cells"][0] == before["cells"][0]  # markdown
    assert after["cells"][2] == before["cells"][2]  # the cell with the %matplotlib magic


def test_check_on_the_converted_tree_finds_nothing_to_change(
    synthetic: SyntheticRepo, runs: dict[int, Run]
) -> None:
    tree = runs[1].tree
    before = _tree_bytes(tree)
    # The broken files are still broken; leave them out so the exit code can say "clean".
    check = _convert(tree, "--check", "--exclude", "/broken_", "-j", "2", report=tree.parent / "check.json")
    assert check.returncode == EXIT_CLEAN, check.stderr[-3000:]
    assert check.report["summary"]["files_changed"] == 0
    assert check.report["errors"] == []

    def classes(run: Run) -> list[tuple[str, str, str]]:
        return [(entry["path"], entry["class"], entry["tier"]) for entry in run.report["classes"]]

    assert classes(check) == classes(runs[1])  # the same classes, each still at its tier
    assert _tree_bytes(tree) == before


def test_check_gives_the_same_report_with_and_without_the_cache(
    synthetic: SyntheticRepo, runs: dict[int, Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEQ2TFDATA_CACHE_DIR", str(tmp_path / "cache"))
    tree = runs[1].tree
    checks = [
        _convert(tree, "--check", "-j", jobs, *extra, report=tmp_path / f"check_{n}.json")
        for n, (jobs, extra) in enumerate([("1", ("--no-cache",)), ("2", ()), ("1", ()), ("2", ())])
    ]  # no cache, cold, warm, warm
    assert len({check.report_text for check in checks}) == 1
    assert {check.returncode for check in checks} == {EXIT_ERROR}  # the broken files
    assert sorted(p.name for p in (tmp_path / "cache").rglob("*.pickle")) == ["outcomes.pickle", "summaries.pickle"]
