from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from libcst.codemod import CodemodContext, CodemodTest

from seq2tfdata.codemod_command import ConvertSequencesCommand
from seq2tfdata.core import convert_source
from seq2tfdata.model import Options, Tier

REPO_ROOT = Path(__file__).resolve().parents[1]

SEQUENCE = """
import numpy as np
from tensorflow import keras


class Batches(keras.utils.Sequence):
    def __init__(self, x, y, batch_size=4):
        super().__init__()
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return len(self.x) // self.batch_size

    def __getitem__(self, index):
        window = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[window], self.y[window]
"""

ABSTRACT = """
from tensorflow import keras


class Base(keras.utils.Sequence):
    def __len__(self):
        return 0
"""


def _converted(before: str, **options: object) -> str:
    return convert_source(CodemodTest.make_fixture_data(before), Options(**options)).code


class TestConvertSequencesCommand(CodemodTest):
    TRANSFORM = ConvertSequencesCommand

    def test_adds_the_same_method_as_convert_source(self) -> None:
        after = _converted(SEQUENCE)
        assert "def to_tf_dataset(self" in after
        self.assertCodemod(SEQUENCE, after, expected_warnings=[])

    def test_max_tier_is_passed_through(self) -> None:
        after = _converted(SEQUENCE, max_tier=Tier.GENERATOR)
        self.assertCodemod(SEQUENCE, after, max_tier="generator")

    def test_skips_a_file_without_sequence(self) -> None:
        self.assertCodemod("import os\nprint(os.sep)\n", "import os\nprint(os.sep)\n", expected_skip=True)

    def test_skips_a_converted_file(self) -> None:
        after = _converted(SEQUENCE)
        self.assertCodemod(after, after, expected_skip=True, expected_warnings=[])

    def test_warns_for_every_skipped_class_reason(self) -> None:
        context = CodemodContext()
        self.assertCodemod(ABSTRACT, ABSTRACT, context_override=context, expected_skip=True)
        assert len(context.warnings) == 1
        assert context.warnings[0].startswith("Base skipped: <string>:4:7: not converted:")
        assert "abstract" in context.warnings[0]

    def test_warnings_name_the_file(self) -> None:
        context = CodemodContext(filename="pkg/data.py")
        self.assertCodemod(ABSTRACT, ABSTRACT, context_override=context, expected_skip=True)
        assert context.warnings[0].startswith("Base skipped: pkg/data.py:4:7:")

    def test_converts_one_class_and_warns_for_the_skipped_one(self) -> None:
        before = SEQUENCE + "\n\nclass Base(keras.utils.Sequence):\n    def __len__(self):\n        return 0\n"
        context = CodemodContext()
        self.assertCodemod(before, _converted(before), context_override=context)
        assert [w.split(":")[0] for w in context.warnings] == ["Base skipped"]


def _codemod_command(target: Path) -> list[str]:
    """LibCST's own runner, as its documentation tells users to call a command by module path."""
    return [
        sys.executable, "-m", "libcst.tool", "codemod", "-x", "--no-format", "--hide-progress",
        "seq2tfdata.codemod_command.ConvertSequencesCommand", str(target),
    ]  # fmt: skip


def test_libcst_tool_runs_the_command(tmp_path: Path) -> None:
    target = tmp_path / "data.py"
    original = CodemodTest.make_fixture_data(SEQUENCE)
    target.write_text(original, encoding="utf-8")
    command = _codemod_command(target)
    completed = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert "Transformed 1 files successfully" in completed.stderr
    assert target.read_text(encoding="utf-8") == convert_source(original).code

    again = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "Skipped 1 files" in again.stderr


def test_libcst_tool_converts_a_subclass_whose_base_is_in_another_file(tmp_path: Path) -> None:
    # Results must not depend on which files the runner is given (issue: pre-commit mode).
    package = tmp_path / "project" / "pkg"
    package.mkdir(parents=True)
    (tmp_path / "project" / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (package / "__init__.py").write_text("")
    (package / "base.py").write_text(SEQUENCE)
    child = package / "child.py"
    child.write_text(
        "from pkg.base import Batches\n\n\nclass Doubled(Batches):\n"
        "    def __getitem__(self, index):\n        x, y = super().__getitem__(index)\n        return x * 2, y\n"
    )
    command = _codemod_command(child)
    completed = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert "Transformed 1 files successfully" in completed.stderr
    assert "def to_tf_dataset(self):" in child.read_text()
