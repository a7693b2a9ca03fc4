"""The generated code is read in review: black and ruff format leave it as it is, no line is over
100 columns, and no lambda hides in it (tf.cond's branches are callables by tf's API)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import black
import pytest

from seq2tfdata.core import convert_source
from tests.fixture_cases import fixture_cases

BLOCK = re.compile(r"^[ \t]*# seq2tfdata: begin generated.*?# seq2tfdata: end generated[^\n]*$", re.M | re.S)
CASES = [pytest.param(case, id=case.name) for case in fixture_cases()]


def _black(source: str) -> str:
    return black.format_str(source, mode=black.Mode())


def _ruff(source: str) -> str:
    command = [sys.executable, "-m", "ruff", "format", "--isolated", "-"]
    return subprocess.run(command, input=source, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("formatter", [_black, _ruff], ids=["black", "ruff-format"])
@pytest.mark.parametrize("case", CASES)
def test_a_formatted_file_stays_formatted(case: Path, formatter) -> None:
    """The formatter's version of the input, converted, is unchanged by the formatter (for an input
    the formatter leaves alone, that is the golden; the tab-indented one is reformatted first)."""
    source = (case / "input.py").read_text(encoding="utf-8")
    formatted = formatter(source)
    if formatted == source:
        converted = (case / "expected.py").read_text(encoding="utf-8")
    else:
        converted = convert_source(formatted).code
    assert formatter(converted) == converted


@pytest.mark.parametrize("case", CASES)
def test_generated_lines_fit_100_columns(case: Path) -> None:
    converted = (case / "expected.py").read_text(encoding="utf-8")
    long_lines = [
        line for block in BLOCK.findall(converted) for line in block.splitlines() if len(line.expandtabs(4)) > 100
    ]
    assert not long_lines


@pytest.mark.parametrize("case", CASES)
def test_no_lambda_outside_tf_cond_branches(case: Path) -> None:
    converted = (case / "expected.py").read_text(encoding="utf-8")
    begins = [n for n, line in enumerate(converted.splitlines(), 1) if "# seq2tfdata: begin generated" in line]
    tree = ast.parse(converted)
    methods = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.lineno - 1 in begins]
    branches = {
        id(argument)
        for method in methods
        for node in ast.walk(method)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "cond"
        for argument in node.args[1:]
    }
    lambdas = [node for method in methods for node in ast.walk(method) if isinstance(node, ast.Lambda)]
    assert all(id(node) in branches for node in lambdas), [ast.unparse(node) for node in lambdas]
