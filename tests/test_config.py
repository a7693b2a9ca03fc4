"""``[tool.seq2tfdata]``, ``--config``, opt-out comments, repeatable excludes, ``--stdin-filename``,
``-q``/``-v`` and ``--remove``, run the way a user runs them: ``python -m seq2tfdata``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from seq2tfdata import convert_source
from seq2tfdata.rules import OPTED_OUT
from tests.cli_samples import GOOD, run_cli

run = run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("a", "gen", "b"):
        (tmp_path / "pkg" / name).mkdir(parents=True)
        (tmp_path / "pkg" / name / "data.py").write_text(GOOD)
    return tmp_path


def _would(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {line.split()[-1] for line in result.stderr.splitlines() if line.startswith("would convert ")}


def test_pyproject_sets_options_and_the_cli_wins(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.seq2tfdata]\nexclude = ["/gen/"]\nextend-exclude = "/b/"\n')
    assert _would(run("convert", "pkg", cwd=project)) == {"pkg/a/data.py"}
    # --exclude replaces the configured exclude; extend-exclude still applies.
    assert _would(run("convert", "pkg", "--exclude", "/a/", cwd=project)) == {"pkg/gen/data.py"}
    # --extend-exclude adds to both.
    assert _would(run("convert", "pkg", "--extend-exclude", "/a/", cwd=project)) == set()


def test_repeated_exclude_adds_up(project: Path) -> None:
    result = run("convert", "pkg", "--exclude", "/a/", "--exclude", "/b/", cwd=project)
    assert _would(result) == {"pkg/gen/data.py"}


def test_config_flag_and_mode_from_config(project: Path, tmp_path: Path) -> None:
    config = project / "other.toml"
    config.write_text('[tool.seq2tfdata]\ncheck = true\nexclude = ["/(a|b)/"]\n')
    result = run("convert", "pkg", "--config", str(config), cwd=project)
    assert result.returncode == 1 and _would(result) == {"pkg/gen/data.py"}
    # --diff on the command line beats check = true: they are one mutually exclusive group.
    assert "+    def to_tf_dataset" in run("convert", "pkg", "--config", str(config), "--diff", cwd=project).stdout


@pytest.mark.parametrize(
    "table, message",
    [
        pytest.param("bogus = 1", "unknown option 'bogus'", id="unknown key"),
        pytest.param('tier = "fast"', "'fast' is not one of", id="bad choice"),
        pytest.param("write = 1", "must be true or false", id="flag not a bool"),
        pytest.param('exclude = ["("]', "not a regular expression", id="bad pattern"),
        pytest.param("timeout = -1", "cannot be negative", id="bad number"),
        pytest.param("[[[", "not valid TOML", id="broken toml"),
    ],
)
def test_bad_configuration_is_a_usage_error(project: Path, table: str, message: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.seq2tfdata]\n{table}\n")
    result = run("convert", "pkg", cwd=project)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_class_opt_out_is_reported_and_left_unchanged() -> None:
    code = GOOD.replace("class Gen(keras.utils.Sequence):", "class Gen(keras.utils.Sequence):  # seq2tfdata: skip")
    above = GOOD.replace("class Gen", "# seq2tfdata: skip\nclass Gen")
    for source in (code, above):
        result = convert_source(source)
        assert not result.changed
        (finding,) = result.findings
        assert finding.tier.value == "skipped" and finding.reasons[0].rule == OPTED_OUT
        assert "opted out" in finding.reasons[0].message


def test_other_classes_of_the_file_still_convert() -> None:
    code = GOOD + "\n\n# seq2tfdata: skip\nclass Other(keras.utils.Sequence):\n    def __getitem__(self, i):\n        return [i]\n"
    result = convert_source(code)
    assert [f.tier.value for f in result.findings][1] == "skipped"
    assert result.code.count("def to_tf_dataset") == 1


def test_file_opt_out(project: Path) -> None:
    target = project / "pkg" / "a" / "data.py"
    target.write_text("# seq2tfdata: skip-file\n" + GOOD)
    before = target.read_bytes()
    result = run("convert", "pkg", "--write", cwd=project)
    assert target.read_bytes() == before
    assert "skipped pkg/a/data.py: opted out" in result.stderr


def test_stdin_filename_names_finds_config_and_excludes(project: Path) -> None:
    result = run("convert", "-", "--stdin-filename", "pkg/a/data.py", "--check", cwd=project, stdin=GOOD.replace("[index]", "["))
    assert result.returncode == 123 and "pkg/a/data.py:" in result.stderr
    (project / "pyproject.toml").write_text('[tool.seq2tfdata]\nforce-exclude = "/gen/"\n')
    excluded = run("convert", "-", "--stdin-filename", "pkg/gen/data.py", cwd=project, stdin=GOOD)
    assert excluded.returncode == 0 and excluded.stdout == GOOD
    converted = run("convert", "-", "--stdin-filename", "pkg/a/data.py", cwd=project, stdin=GOOD)
    assert "def to_tf_dataset" in converted.stdout


def test_quiet_and_verbose(project: Path) -> None:
    assert run("convert", "pkg", "-q", cwd=project).stderr == ""
    verbose = run("convert", "pkg", "-v", "--exclude", "/gen/", cwd=project).stderr
    assert "skipped pkg/gen" in verbose
    # Counts appear once the conversion reports them (files served from the cache may not).
    assert "indexing the project: 2 files named, done in" in verbose and "converting: " in verbose


def test_remove_write_restores_the_file(project: Path) -> None:
    target = project / "pkg" / "a" / "data.py"
    before = target.read_bytes()
    assert run("convert", "pkg/a", "--write", cwd=project).returncode == 1
    assert target.read_bytes() != before
    removed = run("convert", "pkg/a", "--remove", "--write", cwd=project)
    assert removed.returncode == 1 and "removed generated code from pkg/a/data.py" in removed.stderr
    assert target.read_bytes() == before
    assert run("convert", "pkg/a", "--remove", "--check", cwd=project).returncode == 0


def test_remove_from_stdin(project: Path) -> None:
    converted = convert_source(GOOD).code
    assert run("convert", "-", "--remove", cwd=project, stdin=converted).stdout == GOOD


def test_remove_with_fix_call_sites_is_a_usage_error(project: Path) -> None:
    assert run("convert", "pkg", "--remove", "--fix-call-sites", cwd=project).returncode == 2
