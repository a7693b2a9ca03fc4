from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from seq2tfdata.cli import report_cmd

CONVERTIBLE = """\
from tensorflow import keras


class Batches(keras.utils.Sequence):
    def __len__(self):
        return 2

    def __getitem__(self, index):
        return [index], [index]
"""

ABSTRACT = """\
from tensorflow import keras


class Base(keras.utils.Sequence):
    def __len__(self):
        return 0
"""

PLAIN = "def add(a, b):\n    return a + b\n"
BROKEN = "import keras\nclass Broken(keras.utils.Sequence:\n"  # the prefilter skips files that cannot hold a Sequence


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers()
    report_cmd.register(subparsers)
    args = parser.parse_args(["report", *argv])
    return args.func(args)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "convertible.py").write_text(CONVERTIBLE, encoding="utf-8")
    (tmp_path / "abstract.py").write_text(ABSTRACT, encoding="utf-8")
    (tmp_path / "plain.py").write_text(PLAIN, encoding="utf-8")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "more.py").write_text(CONVERTIBLE, encoding="utf-8")
    return tmp_path


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_json_report_lists_classes_blockers_and_counts(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _snapshot(tree)
    assert _run([str(tree), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    classes = {(Path(c["path"]).relative_to(tree).as_posix(), c["class"]): c for c in document["classes"]}
    assert set(classes) == {
        ("abstract.py", "Base"),
        ("convertible.py", "Batches"),
        ("generated/more.py", "Batches"),
    }
    assert classes["convertible.py", "Batches"]["line"] == 4
    assert classes["convertible.py", "Batches"]["tier"] != "skipped"
    blocked = classes["abstract.py", "Base"]
    assert (blocked["line"], blocked["col"], blocked["tier"]) == (4, 7, "skipped")
    assert blocked["reasons"][0]["line"] == 4 and "abstract" in blocked["reasons"][0]["message"]
    assert document["errors"] == []
    assert document["summary"]["tiers"]["skipped"] == 1
    assert sum(document["summary"]["tiers"].values()) == 3
    assert document["summary"]["files_changed"] == 2
    assert _snapshot(tree) == before, "report must not write any source file"


def test_markdown_report_is_the_default(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run([str(tree / "abstract.py"), str(tree / "convertible.py")]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# seq2tfdata report")
    assert f"| `Batches` | `{(tree / 'convertible.py').as_posix()}:4:7` |" in text
    assert f"{(tree / 'abstract.py').as_posix()}:4:7: not converted:" in text


def test_unparsable_file_is_reported_and_exits_123(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "broken.py").write_text(BROKEN, encoding="utf-8")
    assert _run([str(tree), "--format", "json"]) == 123
    document = json.loads(capsys.readouterr().out)
    [error] = document["errors"]
    assert Path(error["path"]).name == "broken.py"
    assert "cannot parse" in error["message"]
    assert len(document["classes"]) == 3, "the other files are still reported"


def test_missing_path_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run([str(tmp_path / "nope.py"), "--format", "json"]) == 123
    assert "no such file" in json.loads(capsys.readouterr().out)["errors"][0]["message"]


def test_output_file_instead_of_stdout(tree: Path, tmp_path_factory: pytest.TempPathFactory, capsys) -> None:
    target = tmp_path_factory.mktemp("out") / "report.md"
    assert _run([str(tree), "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8").startswith("# seq2tfdata report")


def test_exclude_skips_matching_directories(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run([str(tree), "--format", "json", "--exclude", "/generated/"]) == 0
    paths = {Path(c["path"]).relative_to(tree).as_posix() for c in json.loads(capsys.readouterr().out)["classes"]}
    assert paths == {"abstract.py", "convertible.py"}


def test_tier_caps_the_reported_tier(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run([str(tree / "convertible.py"), "--format", "json", "--tier", "generator"]) == 0
    [finding] = json.loads(capsys.readouterr().out)["classes"]
    assert finding["tier"] == "generator"
