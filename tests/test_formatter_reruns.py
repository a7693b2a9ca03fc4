"""A converted file that black or ruff format rewrote is still up to date: the next run changes
nothing, neither the block a formatter re-wrapped nor its fingerprint; an edit inside the block
or to the class still regenerates it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from seq2tfdata import convert_source
from tests.fixture_cases import fixture_cases

black = pytest.importorskip("black", reason="black is not installed; `pip install -e '.[test]'` installs it")
CASES = fixture_cases()


def _ruff_format(code: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", "module.py", "-"],
        input=code, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return completed.stdout


def _black(code: str) -> str:
    return black.format_str(code, mode=black.Mode())


FORMATTERS = {
    "black": _black,
    "ruff-format": _ruff_format,
    "blank-lines-and-trailing-spaces": lambda code: code.replace("):\n", "):  \n\n"),
}


@pytest.mark.parametrize("formatter", list(FORMATTERS))
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_formatted_conversion_is_up_to_date(case: Path, formatter: str) -> None:
    converted = (case / "expected.py").read_text()
    formatted = FORMATTERS[formatter](converted)
    result = convert_source(formatted)
    assert result.error is None, result.error
    assert result.code == formatted, "the run after a formatter changed the file"


@pytest.fixture(scope="module")
def formatted() -> str:
    case = next(case for case in CASES if case.name == "zscore_per_batch")
    return _black((case / "expected.py").read_text())


def test_an_edit_inside_a_formatted_block_is_overwritten(formatted: str) -> None:
    edited = formatted.replace("return dataset.prefetch(tf.data.AUTOTUNE)", "return dataset", 1)
    assert edited != formatted
    result = convert_source(edited)
    assert result.changed
    assert "return dataset.prefetch(tf.data.AUTOTUNE)" in result.code


def test_a_change_to_the_class_regenerates_its_formatted_block(formatted: str) -> None:
    changed = formatted.replace("def __len__(self):", "def __len__(self):\n        # one batch less\n", 1)
    comment_only = convert_source(changed)
    assert not comment_only.changed, "a comment is not a change the block depends on"
    renamed = formatted.replace("self.eps", "self.epsilon")
    assert renamed != formatted
    result = convert_source(renamed)
    assert result.changed
    assert convert_source(result.code).code == result.code
