"""The cache and the project-wide pre-pass: same results with and without either, work skipped
on a warm run (counted, not timed), damaged or racing cache files survived, and results that do
not depend on which files of the project are named."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import seq2tfdata.write.convert_file as convert_file_module
import seq2tfdata.write.prepass as prepass_module
from seq2tfdata.cli.main import main
from seq2tfdata.find.repository import ModuleSummary, needs_conversion, sequence_closure
from seq2tfdata.find.summary import summarize
from seq2tfdata.write.cache import CACHE_DIR_VARIABLE, Cache

ROOT = Path(__file__).resolve().parents[1]
BASE = '''\
from keras.utils import Sequence


class Base(Sequence):
    def __init__(self, x, batch_size=2):
        self.x, self.batch_size = x, batch_size

    def __len__(self):
        return len(self.x) // self.batch_size
'''
CHILD = '''\
{import_line}


class Child(Base):
    def __getitem__(self, index):
        return self.x[index * self.batch_size:(index + 1) * self.batch_size]
'''
ORDINARY = '''\
from collections.abc import Sequence


class Rows{n}(Sequence):
    """Not Keras': must be left alone."""

    def __len__(self):
        return {n}


def helper_{n}(values):
    return [value * {n} for value in values]
'''


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(directory))
    return directory


def _project(root: Path, import_line: str = "from pkg.base import Base", ordinary: int = 60) -> Path:
    (root / "pkg" / "util").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n", encoding="utf-8")
    (root / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (root / "pkg" / "base.py").write_text(BASE, encoding="utf-8")
    (root / "pkg" / "child.py").write_text(CHILD.format(import_line=import_line), encoding="utf-8")
    for n in range(ordinary):
        (root / "pkg" / "util" / f"rows_{n:02d}.py").write_text(ORDINARY.format(n=n), encoding="utf-8")
    return root


def _report(root: Path, *arguments: str) -> tuple[int, dict]:
    report = root.parent / "report.json"
    status = main(["convert", *arguments, "--check", "--report", str(report)])
    return status, json.loads(report.read_text(encoding="utf-8").replace(root.as_posix(), "<root>"))


def _classes(report: dict) -> set[tuple[str, str, str]]:
    return {(entry["path"], entry["class"], entry["tier"]) for entry in report["classes"]}


class _Counter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.summaries: list[str] = []
        self.conversions: list[str] = []
        summarize_, convert_ = prepass_module.summarize, convert_file_module.convert_source
        monkeypatch.setattr(prepass_module, "summarize", lambda code: self.summaries.append(code) or summarize_(code))
        monkeypatch.setattr(
            convert_file_module, "convert_source", lambda code, options: self.conversions.append(options.path) or convert_(code, options)
        )


def test_results_are_the_same_with_one_or_two_jobs_and_with_or_without_the_cache(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    runs = [
        _report(root, str(root / "pkg"), "-j", "1", "--no-cache"),
        _report(root, str(root / "pkg"), "-j", "2", "--no-cache"),
        _report(root, str(root / "pkg"), "-j", "2"),  # cold
        _report(root, str(root / "pkg"), "-j", "1"),  # warm
        _report(root, str(root / "pkg"), "-j", "2"),  # warm
    ]
    assert {status for status, _ in runs} == {1}
    assert all(report == runs[0][1] for _, report in runs)
    assert ("<root>/pkg/child.py", "Child", "generator") in _classes(runs[0][1])
    assert not any("Rows" in name for _, name, _ in _classes(runs[0][1]))


def test_a_warm_cache_parses_nothing_and_a_changed_file_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "project", ordinary=3)
    _, cold = _report(root, str(root / "pkg"), "-j", "1")
    counter = _Counter(monkeypatch)
    _, warm = _report(root, str(root / "pkg"), "-j", "1")
    assert warm == cold
    assert counter.summaries == [] and counter.conversions == []
    (root / "pkg" / "child.py").write_text(CHILD.format(import_line="from .base import Base"), encoding="utf-8")
    _report(root, str(root / "pkg"), "-j", "1")
    assert len(counter.summaries) == 1 and [Path(p).name for p in counter.conversions] == ["child.py"]


def test_files_without_a_candidate_class_are_never_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path / "project", ordinary=2)
    (root / "pkg" / "plain.py").write_text("def f():\n    return 1\n", encoding="utf-8")
    counter = _Counter(monkeypatch)
    _report(root, str(root / "pkg"), "-j", "1", "--no-cache")
    converted = sorted(Path(p).name for p in counter.conversions)
    assert converted == ["base.py", "child.py"]  # the collections.abc lookalikes are summarised only
    assert not any("def f()" in code for code in counter.summaries)


@pytest.mark.parametrize("damage", [b"", b"not a pickle at all", "truncated"], ids=["empty", "garbage", "truncated"])
def test_a_damaged_cache_file_is_ignored_and_rewritten(tmp_path: Path, cache_dir: Path, damage: object) -> None:
    root = _project(tmp_path / "project", ordinary=3)
    _, first = _report(root, str(root / "pkg"))
    stores = sorted(cache_dir.rglob("*.pickle"))
    assert [store.name for store in stores] == ["outcomes.pickle", "summaries.pickle"]
    for store in stores:
        data = store.read_bytes()
        store.write_bytes(data[: len(data) // 2] if damage == "truncated" else damage)
    _, second = _report(root, str(root / "pkg"))
    assert second == first
    for store in stores:
        version, entries = pickle.loads(store.read_bytes())
        assert entries


def test_two_runs_at_once_share_the_cache_without_damaging_it(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "project", ordinary=30)
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "seq2tfdata", "convert", str(root / "pkg"), "--check", "-j", "1",
             "--report", str(tmp_path / f"race_{n}.json")],
            cwd=ROOT, env=environment, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        for n in range(2)
    ]
    for run in runs:
        _, stderr = run.communicate(timeout=300)
        assert run.returncode == 1, stderr[-2000:]
    reports = [(tmp_path / f"race_{n}.json").read_text(encoding="utf-8") for n in range(2)]
    assert reports[0] == reports[1]
    assert not list(cache_dir.rglob("*.tmp"))
    counter = _Counter(monkeypatch)
    _, after = _report(root, str(root / "pkg"), "-j", "1")
    assert counter.conversions == []
    assert after == json.loads(reports[0].replace(root.as_posix(), "<root>"))


def test_naming_only_the_subclass_still_finds_its_base_in_another_file(tmp_path: Path) -> None:
    root = _project(tmp_path / "project", ordinary=2)
    status, report = _report(root, str(root / "pkg" / "child.py"))
    assert status == 1
    assert _classes(report) == {("<root>/pkg/child.py", "Child", "generator")}


@pytest.mark.parametrize("import_line", ["from pkg.base import Base", "from .base import Base", "import pkg.base as b\nBase = b.Base"])
def test_the_package_directory_named_finds_absolute_and_relative_imports(tmp_path: Path, import_line: str) -> None:
    root = _project(tmp_path / "project", import_line=import_line, ordinary=0)
    _, report = _report(root, str(root / "pkg"))
    assert ("<root>/pkg/child.py", "Child", "generator") in _classes(report)


def test_the_closure_follows_chains_across_files_but_not_mixed_bindings() -> None:
    modules = [
        ModuleSummary("pkg.base", False, summarize("import keras\nclass A(keras.utils.PyDataset): pass\n")),
        ModuleSummary("pkg.mid", False, summarize("from pkg.base import A\nclass B(A): pass\n")),
        ModuleSummary("pkg.leaf", False, summarize("from .mid import B as C\nclass D(C): pass\n")),
        ModuleSummary(
            "pkg.mixed", False,
            summarize("try:\n    from pkg.base import A\nexcept ImportError:\n    A = object\nclass E(A): pass\n"),
        ),
    ]  # fmt: skip
    known = sequence_closure(modules)
    assert {"pkg.base.A", "pkg.mid.B", "pkg.leaf.D", "leaf.D", "D"} <= known
    assert not any(name.endswith("E") for name in known)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("class A(Sequence): pass\n", True),
        ("from keras.utils import PyDataset as P\nclass A(P): pass\n", True),
        ("import keras\nS = keras.utils\nclass A(S.Sequence): pass\n", True),
        ("class A(*bases): pass\n", True),
        ("class A(Generic[T], Base): pass\n", True),  # a cross-file base by its last name
        ("class A(object): pass\ndef f():\n    return Sequence\n", False),
        ("from collections.abc import Sequence\nclass A(Sequence): pass\n", False),
        ("import typing\nclass A(typing.Sequence): pass\n", False),
        ("x = 'class A(Sequence)'\n", False),
        ("def broken(:\n", True),  # the conversion reports the syntax error
    ],
)
def test_needs_conversion_is_conservative(code: str, expected: bool) -> None:
    assert needs_conversion(summarize(code), {"pkg.base.Base"}) is expected


def test_no_cache_writes_nothing(tmp_path: Path, cache_dir: Path) -> None:
    root = _project(tmp_path / "project", ordinary=1)
    _report(root, str(root / "pkg"), "--no-cache")
    assert not cache_dir.exists()
    assert Cache.open(enabled=False).directory is None
