"""File discovery: .gitignore (with and without git), exclude options, @generated, prefilter."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from seq2tfdata.write.gather import gather_files, may_contain_sequence

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _write(root: Path, relative: str, text: str = "x = 1\n") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def _relative(root: Path, paths: list[Path]) -> list[str]:
    return [path.relative_to(root).as_posix() for path in paths]


def _tree_with_ignores(root: Path) -> None:
    _write(root, ".gitignore", "ignored_dir/\n*.gen.py\n!keep.gen.py\n")
    _write(root, "a.py")
    _write(root, "notebook.ipynb", "{}")
    _write(root, "README.md", "text")
    _write(root, "ignored_dir/b.py")
    _write(root, "x.gen.py")
    _write(root, "keep.gen.py")
    _write(root, "pkg/.gitignore", "local.py\n/only_here.py\n")
    _write(root, "pkg/local.py")
    _write(root, "pkg/only_here.py")
    _write(root, "pkg/sub/only_here.py")
    _write(root, "pkg/sub/mod.py")
    for skipped_by_default in (".venv", "venv", "build", "dist", "node_modules", "__pycache__"):
        _write(root, f"{skipped_by_default}/skipped.py")


EXPECTED_WITH_IGNORES = [
    "a.py",
    "keep.gen.py",
    "notebook.ipynb",
    "pkg/sub/mod.py",
    "pkg/sub/only_here.py",
]


def test_gitignore_files_without_git_repository(tmp_path: Path) -> None:
    _tree_with_ignores(tmp_path)
    result = gather_files([tmp_path])
    assert _relative(tmp_path, result.files) == EXPECTED_WITH_IGNORES
    reasons = {path.relative_to(tmp_path).as_posix(): why for path, why in result.skipped}
    assert reasons["ignored_dir"] == "ignored by .gitignore"
    assert reasons["pkg/local.py"] == "ignored by .gitignore"
    assert reasons["build"] == "directory skipped by default"


@needs_git
def test_git_repository_gives_the_same_files(tmp_path: Path) -> None:
    _tree_with_ignores(tmp_path)
    _git(tmp_path, "init", "-q")
    result = gather_files([tmp_path])
    assert _relative(tmp_path, result.files) == EXPECTED_WITH_IGNORES
    reasons = {path.relative_to(tmp_path).as_posix(): why for path, why in result.skipped}
    assert reasons["ignored_dir"] == "ignored by git"
    assert reasons["pkg/local.py"] == "ignored by git"


@needs_git
def test_git_keeps_tracked_files_and_reads_info_exclude(tmp_path: Path) -> None:
    _write(tmp_path, "tracked.py")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "tracked.py")
    _write(tmp_path, ".gitignore", "tracked.py\n")
    _write(tmp_path, "local_only.py")
    (tmp_path / ".git" / "info" / "exclude").write_text("local_only.py\n")
    assert _relative(tmp_path, gather_files([tmp_path]).files) == ["tracked.py"]


@needs_git
def test_walking_a_subdirectory_honours_the_top_level_gitignore(tmp_path: Path) -> None:
    _write(tmp_path, ".gitignore", "generated/\n")
    _write(tmp_path, "src/generated/g.py")
    _write(tmp_path, "src/m.py")
    _git(tmp_path, "init", "-q")
    assert _relative(tmp_path, gather_files([tmp_path / "src"]).files) == ["src/m.py"]


def test_subdirectory_of_repository_without_git_uses_top_level_gitignore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, ".gitignore", "generated/\n")
    _write(tmp_path, "src/generated/g.py")
    _write(tmp_path, "src/m.py")
    (tmp_path / ".git").mkdir()  # a repository git itself is not there to read
    monkeypatch.setenv("PATH", "")
    assert _relative(tmp_path, gather_files([tmp_path / "src"]).files) == ["src/m.py"]


def test_info_exclude_and_gitignore_both_count_without_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, ".git/info/exclude", "scratch.py\n")
    _write(tmp_path, ".gitignore", "*.gen.py\n")
    for name in ("scratch.py", "a.gen.py", "kept.py"):
        _write(tmp_path, name)
    monkeypatch.setenv("PATH", "")
    assert _relative(tmp_path, gather_files([tmp_path]).files) == ["kept.py"]


@needs_git
def test_nested_repository_is_not_entered(tmp_path: Path) -> None:
    _write(tmp_path, "outer.py")
    _write(tmp_path, "vendor/lib/inner.py")
    _git(tmp_path, "init", "-q")
    _git(tmp_path / "vendor" / "lib", "init", "-q")
    result = gather_files([tmp_path])
    assert _relative(tmp_path, result.files) == ["outer.py"]
    assert (tmp_path / "vendor" / "lib", "nested git repository") in result.skipped
    inner = gather_files([tmp_path / "vendor" / "lib"])
    assert _relative(tmp_path, inner.files) == ["vendor/lib/inner.py"]


def test_exclude_applies_to_walked_files_only(tmp_path: Path) -> None:
    walked = _write(tmp_path, "pkg/gen/a.py")
    kept = _write(tmp_path, "pkg/b.py")
    explicit = _write(tmp_path, "other/gen/c.py")
    result = gather_files([tmp_path / "pkg", explicit], exclude=r"^/gen/")
    assert result.files == sorted([kept, explicit])
    assert (walked.parent, "matches --exclude") in result.skipped


def test_exclude_is_relative_to_the_given_root(tmp_path: Path) -> None:
    _write(tmp_path, "pkg/a.py")
    assert gather_files([tmp_path / "pkg"], exclude=r"^/pkg/").files == [tmp_path / "pkg" / "a.py"]


def test_force_exclude_applies_to_explicit_files(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "gen/a.py")
    _write(tmp_path, "src/b.py")
    result = gather_files(["gen/a.py", "src/b.py"], force_exclude=r"^/gen/")
    assert result.files == [Path("src/b.py")]
    assert result.skipped == [(Path("gen/a.py"), "matches --force-exclude")]
    assert gather_files(["."], force_exclude=r"^/gen/").files == [Path("src/b.py")]


def test_generated_files_are_skipped_with_reason(tmp_path: Path) -> None:
    generated = _write(tmp_path, "g.py", "# This file is @generated by protoc\nx = 1\n")
    late_marker = _write(tmp_path, "late.py", "\n" * 10 + "# @generated\n")
    result = gather_files([tmp_path, generated])
    assert result.files == [late_marker]
    assert result.skipped == [(generated, "marked @generated")]
    assert gather_files([generated], include_generated=True).files == [generated]


def test_notebooks_can_be_left_out(tmp_path: Path) -> None:
    _write(tmp_path, "a.py")
    notebook = _write(tmp_path, "n.ipynb", "{}")
    assert _relative(tmp_path, gather_files([tmp_path], include_notebooks=False).files) == ["a.py"]
    result = gather_files([notebook], include_notebooks=False)
    assert result.files == [] and result.skipped == [(notebook, "notebooks are not included")]


def test_explicit_extensionless_script_is_taken(tmp_path: Path) -> None:
    script = _write(tmp_path, "bin/tool", "#!/usr/bin/env python\n")
    assert gather_files([script]).files == [script]
    assert gather_files([tmp_path]).files == []


def test_duplicates_missing_and_symlinks(tmp_path: Path) -> None:
    real = _write(tmp_path, "a.py")
    (tmp_path / "link.py").symlink_to(real)
    result = gather_files([tmp_path, real, tmp_path / "nope.py"])
    assert result.files == [real]
    assert result.missing == [tmp_path / "nope.py"]
    assert (tmp_path / "link.py", "symbolic link") in result.skipped


def test_order_is_sorted_and_independent_of_argument_order(tmp_path: Path) -> None:
    paths = [_write(tmp_path, name) for name in ("z.py", "a/b.py", "m.py", "a.py")]
    assert gather_files(paths).files == gather_files(list(reversed(paths))).files == sorted(paths)


SEQUENCE = "from keras.utils import Sequence\n\nclass Gen(Sequence):\n    pass\n"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(SEQUENCE, id="from import"),
        pytest.param("import keras\nclass G(keras.utils.PyDataset): ...\n", id="attribute"),
        pytest.param("from keras.utils import Sequence as S\nclass G(S): ...\n", id="alias"),
        pytest.param("from tensorflow.keras.utils import *\nclass G(Sequence): ...\n", id="star"),
        pytest.param("class\\\n  G(Sequence): ...\n", id="line continuation"),
        pytest.param("class G(ＳｅｑｕｅｎｃｅX): ...\n".replace("X", ""), id="NFKC folding"),
        pytest.param("ds = gen.to_tf_dataset()\n", id="call site"),
        pytest.param("model.fit_generator(gen)\n", id="legacy fit"),
    ],
)
def test_prefilter_accepts(text: str) -> None:
    assert may_contain_sequence(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("from keras.utils import Sequence\nx = Sequence\n", id="no class"),
        pytest.param("import keras\nclass Model(keras.Model): ...\n", id="class, no base"),
        pytest.param("", id="empty"),
    ],
)
def test_prefilter_rejects(text: str) -> None:
    assert not may_contain_sequence(text)


def test_prefilter_accepts_known_bases_from_other_files() -> None:
    text = "from mypkg.data import BaseLoader as B\nclass Gen(B): ...\n"
    assert not may_contain_sequence(text)
    assert may_contain_sequence(text, {"mypkg.data.BaseLoader"})
    assert may_contain_sequence(text.replace("BaseLoader as B", "BaseLoader"), {"BaseLoader"})
