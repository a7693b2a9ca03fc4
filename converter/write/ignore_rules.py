"""Git's ignore rules for a walked directory: exactly as git applies them when git is there
(``git ls-files``), else read from the ``.gitignore`` files the way git would."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pathspec

# Git variables that point git at another repository or index. Git sets some of them while it
# runs hooks, and they would make ``git -C <dir>`` describe the wrong repository.
_GIT_LOCATION_VARIABLES = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_PREFIX",
)  # fmt: skip


class GitListing:
    """Ignore rules taken from ``git ls-files``: exact, including global excludes and
    ``.git/info/exclude``; tracked files are kept even if a pattern matches them."""

    def __init__(self, root: Path, listed: list[str]) -> None:
        self.root = root
        self.files: set[str] = set()
        self.directories: set[str] = set()
        self.repositories: set[str] = set()
        for entry in listed:
            if entry.endswith("/"):  # an untracked nested repository
                entry = entry.rstrip("/")
                self.repositories.add(entry)
            else:
                self.files.add(entry)
            parts = entry.split("/")
            for depth in range(1, len(parts)):
                self.directories.add("/".join(parts[:depth]))

    def enter(self, directory: Path) -> None:
        pass  # git has read every .gitignore already

    def reason(self, path: Path, is_dir: bool) -> str | None:
        relative = path.relative_to(self.root).as_posix()
        if not is_dir:
            return None if relative in self.files else "ignored by git"
        if relative in self.repositories or relative in self.files:  # a submodule is one entry
            return "nested git repository"
        return None if relative in self.directories else "ignored by git"


def git_ignore_rules(root: Path) -> GitListing | None:
    """None when git is missing or ``root`` is not in a work tree."""
    env = {key: value for key, value in os.environ.items() if key not in _GIT_LOCATION_VARIABLES}
    command = [
        "git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"
    ]  # fmt: skip
    try:
        completed = subprocess.run(command, capture_output=True, env=env, check=False)
    except OSError:
        return None
    if completed.returncode != 0:
        return None
    listed = os.fsdecode(completed.stdout).split("\0")
    return GitListing(root, [entry for entry in listed if entry])


class GitignoreFiles:
    """Fallback without git: read ``.gitignore`` files the way git does.

    Files from the enclosing repository's top down to ``root`` count too, so walking ``src/``
    honours the top-level ``.gitignore``. Unlike git this cannot know which ignored files are
    tracked anyway, so those are skipped.
    """

    def __init__(self, root: Path) -> None:
        self.patterns: dict[Path, list[str]] = {}
        self.specs: dict[Path, pathspec.GitIgnoreSpec] = {}
        absolute = root.resolve()
        top = next((d for d in (absolute, *absolute.parents) if (d / ".git").exists()), None)
        if top is not None:
            self._load(top / ".git" / "info" / "exclude", base=top)
            ancestors = [d for d in absolute.parents if d == top or top in d.parents]
            for directory in reversed(ancestors):
                self._load(directory / ".gitignore", base=directory)

    def _load(self, path: Path, base: Path) -> None:
        try:
            lines = path.read_text(encoding="utf-8", errors="surrogateescape").splitlines()
        except OSError:
            return
        # info/exclude and the top .gitignore share a base; later lines take precedence.
        self.patterns.setdefault(base, []).extend(lines)
        self.specs[base] = pathspec.GitIgnoreSpec.from_lines(self.patterns[base])

    def enter(self, directory: Path) -> None:
        self._load(directory / ".gitignore", base=directory.resolve())

    def reason(self, path: Path, is_dir: bool) -> str | None:
        absolute = path.resolve() if is_dir else path.parent.resolve() / path.name
        # The deepest .gitignore with a matching pattern decides, as in git.
        for base in sorted(self.specs, key=lambda p: len(p.parts), reverse=True):
            if base not in absolute.parents:
                continue
            relative = absolute.relative_to(base).as_posix() + ("/" if is_dir else "")
            verdict = self.specs[base].check_file(relative).include
            if verdict is not None:
                return "ignored by .gitignore" if verdict else None
        return None
