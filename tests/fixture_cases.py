"""Paired fixture files: ``tests/fixtures/<case>/input.py`` and the golden ``expected.py``."""

from __future__ import annotations

from pathlib import Path

from seq2tfdata import Options, convert_source

FIXTURES = Path(__file__).parent / "fixtures"
# Fixtures that reproduce a public repository's Sequence (its docstring names it); the rest are
# written for one construct each.
REAL_WORLD_PREFIX = "real_"


def fixture_cases() -> list[Path]:
    return sorted(path.parent for path in FIXTURES.glob("*/input.py"))


def convert_fixture(case: Path) -> str:
    source = (case / "input.py").read_text(encoding="utf-8")
    result = convert_source(source, Options(path=f"{case.name}/input.py"))
    if result.error:
        raise AssertionError(result.error)
    return result.code


def factories(case: Path) -> list[str]:
    """The fixture's factories: ``build``, and ``build_plain`` where ``build`` augments at random
    and ``build_plain`` is the same data with augmentation switched off."""
    source = (case / "input.py").read_text(encoding="utf-8")
    return ["build"] + (["build_plain"] if "def build_plain(" in source else [])
