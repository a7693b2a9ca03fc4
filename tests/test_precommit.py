"""The pre-commit hook, run by the real ``pre-commit`` against a committed copy of this checkout.

``pre-commit try-repo`` clones the repository at HEAD; for a local path with uncommitted
changes it adds only changes to *tracked* files, so a new, untracked module (or the hook file
itself, before its first commit) would be missing. The tests therefore commit a snapshot of the
working tree (tracked and untracked, minus what .gitignore ignores) to a temporary repository
and point pre-commit at that.

try-repo installs the hook into a store in its own temporary directory, ignoring
PRE_COMMIT_HOME, so each call builds the environment again (pip, PyPI). It is called once; the
other runs go through an ordinary ``.pre-commit-config.yaml`` naming the same repository and
commit, whose environment lives in a PRE_COMMIT_HOME shared by the whole module and is built once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("pre_commit", reason="pre-commit is not installed; `pip install -e '.[test]'` installs it")
from pre_commit.clientlib import load_manifest  # noqa: E402 - only once pre-commit is known to exist

from tests.repo_generator import NOTEBOOK_CLASS_CELL, notebook_with_sequence  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HOOK_ID = "seq2tfdata"
MANIFEST = ".pre-commit-hooks.yaml"
# Copied when the checkout is not a git work tree (an unpacked sdist, say).
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "__pycache__", "*.egg-info", "build", "dist", ".*_cache", "out"
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")

GENERATOR = textwrap.dedent(
    """\
    import math

    import keras


    class Batches(keras.utils.Sequence):
        def __init__(self, x, y, batch_size=4, **kwargs):
            super().__init__(**kwargs)
            self.x, self.y, self.batch_size = x, y, batch_size

        def __len__(self):
            return math.ceil(len(self.x) / self.batch_size)

        def __getitem__(self, idx):
            low, high = idx * self.batch_size, (idx + 1) * self.batch_size
            return self.x[low:high], self.y[low:high]
    """
)
OLD_LEN = "return math.ceil(len(self.x) / self.batch_size)"
NEW_LEN = "return len(self.x) // self.batch_size"  # drop the last, partial batch
BROKEN = "import keras\n\n\nclass Half(keras.utils.Sequence)\n    def __len__(self):\n        return 1\n"
GENERATED_BLOCK = re.compile(
    r"# seq2tfdata: begin generated to_tf_dataset.*?# seq2tfdata: end generated to_tf_dataset", re.S
)


def _environment(**extra: str) -> dict[str, str]:
    # Git sets GIT_DIR, GIT_INDEX_FILE and others while it runs hooks (this suite may run in
    # one); inherited, they would make every git call here act on the outer repository.
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    return {**environment, **extra}


def _git(cwd: Path, *arguments: str) -> str:
    command = ["git", "-c", "user.name=seq2tfdata tests", "-c", "user.email=tests@example.invalid",
               "-c", "commit.gpgsign=false", *arguments]  # fmt: skip
    completed = subprocess.run(command, cwd=cwd, env=_environment(), capture_output=True, text=True, check=True)
    return completed.stdout


def _source_files(root: Path) -> list[str] | None:
    """What git would commit from ``root`` (tracked and untracked, not ignored); None without git."""
    try:
        listed = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    except subprocess.CalledProcessError:
        return None
    return [entry for entry in listed.split("\0") if entry and (root / entry).is_file()]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A repository with this checkout's working tree committed: (path, commit)."""
    snapshot = tmp_path_factory.mktemp("hook-repo") / "seq2tfdata"
    files = _source_files(ROOT)
    if files is None:
        shutil.copytree(ROOT, snapshot, ignore=_NOT_SOURCE)
    else:
        for relative in files:
            (snapshot / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / relative, snapshot / relative, follow_symlinks=False)
    assert (snapshot / MANIFEST).is_file(), f"{MANIFEST} is missing from {ROOT}"
    _git(snapshot, "init", "-q")
    _git(snapshot, "add", "-A")
    _git(snapshot, "commit", "-q", "--no-verify", "-m", "snapshot of the working tree")
    return snapshot, _git(snapshot, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def config(hook_repo: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A .pre-commit-config.yaml using the hook the way a project would: repo, rev, id."""
    path, rev = hook_repo
    config = tmp_path_factory.mktemp("config") / ".pre-commit-config.yaml"
    # A JSON string is a valid YAML scalar, whatever characters the temporary path holds.
    repo = json.dumps(path.as_posix())
    config.write_text(f"repos:\n-   repo: {repo}\n    rev: {rev}\n    hooks:\n    -   id: {HOOK_ID}\n")
    return config


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A user's repository with one Keras generator and one file that does not parse, committed."""
    project = tmp_path / "project"
    (project / "pkg").mkdir(parents=True)
    (project / "pkg" / "data.py").write_text(GENERATOR)
    (project / "pkg" / "broken.py").write_text(BROKEN)
    _git(project, "init", "-q")
    _git(project, "config", "user.name", "seq2tfdata tests")
    _git(project, "config", "user.email", "tests@example.invalid")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "--no-verify", "-m", "initial")
    return project


def _pre_commit(project: Path, home: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pre_commit", *arguments, "--color", "never"]
    environment = _environment(PRE_COMMIT_HOME=str(home))
    return subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, timeout=900)


def _run_hook(project: Path, home: Path, config: Path, *files: str) -> subprocess.CompletedProcess[str]:
    return _pre_commit(project, home, "run", HOOK_ID, "--config", str(config), "--files", *files)


def _output(completed: subprocess.CompletedProcess[str]) -> str:
    return f"exit {completed.returncode}\n{completed.stdout}\n{completed.stderr}"


def test_manifest_declares_the_hook() -> None:
    (hook,) = load_manifest(str(ROOT / MANIFEST))  # validates it as pre-commit would
    assert hook["id"] == hook["name"] == HOOK_ID
    assert hook["entry"] == "seq2tfdata convert --write"
    assert hook["language"] == "python"
    assert hook["types_or"] == ["python", "jupyter"]
    assert hook["additional_dependencies"] == []  # the package alone, without extras


def test_try_repo_converts_a_generator(hook_repo: tuple[Path, str], pre_commit_home: Path, project: Path) -> None:
    repo = str(hook_repo[0])
    completed = _pre_commit(project, pre_commit_home, "try-repo", repo, HOOK_ID, "--files", "pkg/data.py")
    assert completed.returncode == 1, _output(completed)
    assert "files were modified by this hook" in completed.stdout, _output(completed)
    assert (project / "pkg" / "data.py").read_text().count("def to_tf_dataset(self)") == 1


def test_hook_is_idempotent_and_regenerates_after_an_edit(
    pre_commit_home: Path, config: Path, project: Path
) -> None:
    data = project / "pkg" / "data.py"
    first = _run_hook(project, pre_commit_home, config, "pkg/data.py")
    assert first.returncode == 1, _output(first)
    assert "files were modified by this hook" in first.stdout, _output(first)
    converted = data.read_text()
    (block,) = GENERATED_BLOCK.findall(converted)

    second = _run_hook(project, pre_commit_home, config, "pkg/data.py")
    assert second.returncode == 0, _output(second)
    assert data.read_text() == converted

    assert OLD_LEN in converted
    data.write_text(converted.replace(OLD_LEN, NEW_LEN))
    third = _run_hook(project, pre_commit_home, config, "pkg/data.py")
    assert third.returncode == 1, _output(third)
    assert "files were modified by this hook" in third.stdout, _output(third)
    regenerated = data.read_text()
    assert regenerated.count("def to_tf_dataset(self)") == 1
    (new_block,) = GENERATED_BLOCK.findall(regenerated)
    assert new_block != block
    assert NEW_LEN in regenerated


def test_hook_fails_on_a_file_that_does_not_parse_and_leaves_it_alone(
    pre_commit_home: Path, config: Path, project: Path
) -> None:
    broken = project / "pkg" / "broken.py"
    before = broken.read_bytes()
    completed = _run_hook(project, pre_commit_home, config, "pkg/broken.py", "pkg/data.py")
    assert completed.returncode == 1, _output(completed)
    assert "exit code: 123" in completed.stdout, _output(completed)
    assert "pkg/broken.py:4:" in completed.stdout and "cannot parse" in completed.stdout, _output(completed)
    assert broken.read_bytes() == before
    # The error does not stop the other file from being converted.
    assert "def to_tf_dataset(self)" in (project / "pkg" / "data.py").read_text()


def test_hook_is_given_notebooks_and_converts_their_code_cells(
    pre_commit_home: Path, config: Path, project: Path
) -> None:
    notebook = project / "explore.ipynb"
    notebook.write_text(notebook_with_sequence("NotebookBatches"), encoding="utf-8")
    _git(project, "add", "explore.ipynb")
    _git(project, "commit", "-q", "--no-verify", "-m", "notebook")
    before = json.loads(notebook.read_text(encoding="utf-8"))
    completed = _run_hook(project, pre_commit_home, config, "explore.ipynb")
    assert completed.returncode == 1, _output(completed)  # types_or lets it through
    after = json.loads(notebook.read_text(encoding="utf-8"))
    assert "def to_tf_dataset(self)" in "".join(after["cells"][NOTEBOOK_CLASS_CELL]["source"])
    assert [cell["outputs"] for cell in after["cells"] if "outputs" in cell] == [
        cell["outputs"] for cell in before["cells"] if "outputs" in cell
    ]


def test_hook_environment_holds_the_core_dependencies_only(
    pre_commit_home: Path, config: Path, project: Path
) -> None:
    completed = _pre_commit(project, pre_commit_home, "install-hooks", "--config", str(config))
    assert completed.returncode == 0, _output(completed)
    installed = {
        re.split(r"-\d", path.name, maxsplit=1)[0].lower().replace("-", "_")
        for path in pre_commit_home.glob("repo*/py_env-*/**/site-packages/*.dist-info")
    }
    assert {"seq2tfdata", "libcst", "jinja2", "pathspec"} <= installed, sorted(installed)
    assert not {name for name in installed if name.startswith(("tensorflow", "keras", "tf_keras"))}


def _formatter_hook(hook_id: str, *module_and_arguments: str) -> str:
    # Local hooks run the formatters installed beside this test run: CI reaches package
    # registries only, not the formatters' git repositories.
    entry = json.dumps(" ".join([Path(sys.executable).as_posix(), "-m", *module_and_arguments]))
    return (
        f"-   repo: local\n    hooks:\n    -   id: {hook_id}\n        name: {hook_id}\n"
        f"        entry: {entry}\n        language: system\n        types: [python]\n"
    )


@pytest.mark.parametrize("formatter", ["black", "ruff"])
def test_formatters_before_and_after_the_hook_pass_on_the_second_run(
    formatter: str, hook_repo: tuple[Path, str], pre_commit_home: Path, tmp_path: Path
) -> None:
    pytest.importorskip(formatter, reason=f"{formatter} is not installed; `pip install -e '.[test]'` installs it")
    arguments = ("black", "-q") if formatter == "black" else ("ruff", "format", "-q")
    path, rev = hook_repo
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(
        "repos:\n"
        + _formatter_hook(f"{formatter}-before", *arguments)
        + f"-   repo: {json.dumps(path.as_posix())}\n    rev: {rev}\n    hooks:\n    -   id: {HOOK_ID}\n"
        + _formatter_hook(f"{formatter}-after", *arguments)
    )
    project = tmp_path / "project"
    project.mkdir()
    (project / "data.py").write_text(GENERATOR)
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    first = _pre_commit(project, pre_commit_home, "run", "--all-files", "--config", str(config))
    assert first.returncode == 1, _output(first)
    formatted = (project / "data.py").read_text()
    assert formatted.count("def to_tf_dataset(self)") == 1
    second = _pre_commit(project, pre_commit_home, "run", "--all-files", "--config", str(config))
    assert second.returncode == 0, _output(second)
    assert (project / "data.py").read_text() == formatted
