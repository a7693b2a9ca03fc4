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


def converted_module(source: str, tier: str, tmp_path: Path) -> tuple[str, Path]:
    """Converts ``source``, checks its one Sequence class reaches ``tier``, and writes the output
    where ``verified`` can load its factories."""
    result = convert_source(source)
    assert result.error is None, result.error
    assert [finding.tier.value for finding in result.findings] == [tier], result.findings
    module = tmp_path / "converted_module.py"
    module.write_text(result.code, encoding="utf-8")
    return result.code, module


def verified(module: Path, factory: str, tmp_path: Path, epochs: int = 1):
    """The equivalence report of ``module``'s ``factory``, which must hold."""
    from seq2tfdata.verify import load_factory, verify_equivalence

    report = verify_equivalence(load_factory(f"{module}:{factory}"), epochs=epochs, workdir=tmp_path / factory)
    assert report.ok, report.render()
    return report
