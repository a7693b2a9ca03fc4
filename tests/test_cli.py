"""The command line: modes, exit codes, reports, and never losing a byte of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from seq2tfdata.cli.main import main
from tests.cli_samples import GOOD

ROOT = Path(__file__).resolve().parent.parent

BROKEN = "import keras\n\nclass Gen(keras.utils.Sequence)\n    pass\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "good.py").write_text(GOOD)
    (tmp_path / "pkg" / "broken.py").write_text(BROKEN)
    (tmp_path / "pkg" / "plain.py").write_text("print('no sequence here')\n")
    return tmp_path


def test_check_and_diff_never_write(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.read_bytes() for p in project.rglob("*.py")}
    assert main(["convert", str(project / "pkg" / "good.py"), "--check"]) == 1
    assert main(["convert", str(project / "pkg" / "good.py"), "--diff"]) == 1
    out = capsys.readouterr().out
    assert "+    def to_tf_dataset(self):" in out
    assert {p: p.read_bytes() for p in project.rglob("*.py")} == before


def test_write_converts_then_is_clean(project: Path) -> None:
    good = project / "pkg" / "good.py"
    assert main(["convert", str(good), "--write"]) == 1
    assert "def to_tf_dataset" in good.read_text()
    assert main(["convert", str(good), "--check"]) == 0
    assert main(["convert", str(good), "--write", "--exit-zero-even-if-changed"]) == 0


def test_unparsable_file_is_named_left_identical_and_others_still_converted(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = project / "pkg" / "broken.py"
    assert main(["convert", str(project / "pkg"), "--write", "--report", str(project / "r.json")]) == 123
    assert broken.read_text() == BROKEN
    assert "def to_tf_dataset" in (project / "pkg" / "good.py").read_text()
    err = capsys.readouterr().err
    assert "broken.py:3:" in err and "cannot parse" in err
    report = json.loads((project / "r.json").read_text())
    assert [e["path"].rsplit("/", 1)[-1] for e in report["errors"]] == ["broken.py"]
    (entry,) = report["classes"]
    assert {k: entry[k] for k in ("class", "line", "tier")} == {"class": "Gen", "line": 4, "tier": "hybrid"}
    assert entry["path"].endswith("pkg/good.py")
    assert entry["reasons"] and {"line", "col", "message"} <= set(entry["reasons"][0])


def test_markdown_report_lists_classes_and_errors(project: Path) -> None:
    main(["convert", str(project / "pkg"), "--report", str(project / "r.md")])
    text = (project / "r.md").read_text()
    assert "| hybrid | 1 |" in text
    assert "good.py:4:7" in text and "broken.py" in text


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    assert main(["convert", str(tmp_path / "nope.py")]) == 123


def test_stdin_to_stdout_via_the_module_entry_point(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "seq2tfdata", "convert", "-"], input=GOOD, capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 1
    assert done.stdout.startswith(GOOD.splitlines()[0]) and "def to_tf_dataset" in done.stdout
    assert "1 files checked; 1 would convert" in done.stderr
    clean = subprocess.run(
        [sys.executable, "-m", "seq2tfdata", "convert", "-"], input=done.stdout, capture_output=True, text=True, cwd=ROOT
    )
    assert (clean.returncode, clean.stdout) == (0, done.stdout)


def test_jobs_do_not_change_results(project: Path) -> None:
    for n in range(12):
        (project / "pkg" / f"gen_{n}.py").write_text(GOOD.replace("class Gen", f"class Gen{n}"))
    reports = []
    for jobs in ("1", "2"):
        target = project / f"r{jobs}.json"
        assert main(["convert", str(project / "pkg"), "-j", jobs, "--report", str(target)]) == 123
        reports.append(target.read_text())
    assert reports[0] == reports[1]


def test_fix_call_sites_uses_classes_converted_in_other_files(project: Path) -> None:
    train = project / "pkg" / "train.py"
    train.write_text(
        "from pkg.good import Gen\n\n\ndef train(model):\n"
        "    gen = Gen()\n    model.fit_generator(gen, epochs=2, workers=4, use_multiprocessing=True)\n"
    )
    (project / "pkg" / "broken.py").unlink()
    report = project / "r.json"
    assert main(["convert", str(project / "pkg"), "--write", "--fix-call-sites", "--report", str(report)]) == 1
    assert "model.fit(gen.to_tf_dataset(), epochs=2)" in train.read_text()
    notes = json.loads(report.read_text())["call_sites"]
    assert any("workers=4" in note["message"] for note in notes)
    assert main(["convert", str(project / "pkg"), "--check", "--fix-call-sites"]) == 0


def test_subclasses_in_other_files_are_found_through_absolute_and_relative_imports(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "base.py").write_text(GOOD.replace("class Gen", "class Base"))
    (package / "child.py").write_text(
        "from pkg.base import Base\nfrom .base import Base as Relative\n\n\n"
        "class Child(Base):\n    pass\n\n\nclass Sibling(Relative):\n    pass\n"
    )
    (package / "grandchild.py").write_text("from pkg.child import Child\n\n\nclass GrandChild(Child):\n    pass\n")
    report = tmp_path / "r.json"
    assert main(["convert", str(tmp_path), "--report", str(report)]) == 1
    classes = {entry["class"]: entry["tier"] for entry in json.loads(report.read_text())["classes"]}
    assert set(classes) == {"Base", "Child", "Sibling", "GrandChild"}
    assert "skipped" not in classes.values()


def test_notebook_findings_point_at_the_cell(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Data\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [], "source": ["import keras\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 2, "outputs": [{"output_type": "stream", "name": "stdout", "text": ["hi\n"]}],
         "source": GOOD.split("import keras\n", 1)[1].lstrip("\n").splitlines(keepends=True)},
    ]
    notebook = {"cells": cells, "metadata": {"kernelspec": {"language": "python", "name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "explore.ipynb"
    path.write_text(json.dumps(notebook, indent=1) + "\n")
    report = tmp_path / "r.json"
    assert main(["convert", str(path), "--write", "--report", str(report)]) == 1
    (entry,) = json.loads(report.read_text())["classes"]
    assert (entry["cell"], entry["line"], entry["col"]) == (2, 1, 7)
    converted = json.loads(path.read_text())
    assert "    def to_tf_dataset(self):\n" in converted["cells"][2]["source"]
    assert converted["cells"][2]["outputs"] == cells[2]["outputs"]


def test_a_file_whose_name_starts_with_an_at_sign_is_converted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "@x.py").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    assert main(["convert", "@x.py", "--write"]) == 1
    assert "def to_tf_dataset" in (tmp_path / "@x.py").read_text()


@pytest.mark.parametrize("abbreviated", ["--fix", "--wr", "--exit-zero"])
def test_abbreviated_options_are_rejected(project: Path, abbreviated: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = (project / "pkg" / "good.py").read_text()
    with pytest.raises(SystemExit) as stopped:
        main(["convert", str(project / "pkg" / "good.py"), abbreviated])
    assert stopped.value.code == 2
    assert f"unrecognized arguments: {abbreviated}" in capsys.readouterr().err
    assert (project / "pkg" / "good.py").read_text() == before
