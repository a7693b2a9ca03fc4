"""Exit codes 0 / 1 / 2 / 123, each with one line and never a traceback for user error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_samples import run_cli
from tests.test_config import GOOD

run = run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "plain.py").write_text("x = 1\n")
    return tmp_path


@pytest.mark.parametrize(
    "argv, code, says",
    [
        pytest.param(["convert", "plain.py"], 0, "1 files checked", id="clean"),
        pytest.param(["convert", "good.py"], 1, "would convert good.py", id="would change"),
        pytest.param(["convert", "good.py", "--exclude", "("], 2, "not a regular expression", id="bad exclude"),
        pytest.param(["convert", "good.py", "--fix"], 2, "unrecognized arguments: --fix", id="no abbreviations"),
        pytest.param(["convert", "good.py", "--diff", "--output-format", "json"], 2, "writes to stdout", id="json and diff"),
        pytest.param(["convert", "good.py", "--report", "no/such/dir/r.json"], 123, "cannot write the report", id="unwritable report"),
        pytest.param(["convert", "missing.py"], 123, "no such file", id="missing file"),
        pytest.param(["report", "good.py", "--output", "no/such/dir/r.md"], 123, "cannot write", id="unwritable report output"),
    ],
)
def test_exit_code(project: Path, argv: list[str], code: int, says: str) -> None:
    result = run(*argv, cwd=project)
    assert result.returncode == code, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr


def test_report_reads_stdin(project: Path) -> None:
    result = run("report", "-", "--stdin-filename", "good.py", cwd=project, stdin=GOOD)
    assert result.returncode == 0 and "Gen" in result.stdout


def test_help_documents_exit_codes_and_examples(project: Path) -> None:
    for argv in (["--help"], ["convert", "--help"], ["report", "--help"]):
        out = run(*argv, cwd=project).stdout
        assert "exit codes:" in out and "123" in out and "examples:" in out
