"""Every fixture, four ways: golden match, output parses, stable, and equivalent at run time."""

from __future__ import annotations

import shutil
from pathlib import Path

import libcst as cst
import pytest

from seq2tfdata import convert_source
from tests.fixture_cases import REAL_WORLD_PREFIX, convert_fixture, factories, fixture_cases

CASES = [pytest.param(case, id=case.name) for case in fixture_cases()]


def _expected(case: Path) -> str:
    return (case / "expected.py").read_text(encoding="utf-8")


def test_there_are_fixtures() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES)
def test_output_matches_golden(case: Path) -> None:
    assert convert_fixture(case) == _expected(case), "run `make update-fixtures` and review the diff"


@pytest.mark.parametrize("case", CASES)
def test_output_parses(case: Path) -> None:
    cst.parse_module(_expected(case))


@pytest.mark.parametrize("case", CASES)
def test_converting_the_output_again_changes_nothing(case: Path) -> None:
    expected = _expected(case)
    assert convert_source(expected).code == expected


def _runtime_cases() -> list:
    cases = []
    for case in fixture_cases():
        source = (case / "input.py").read_text(encoding="utf-8")
        if "def build(" in source and _expected(case) != source:
            cases.append(case)
    return cases


def _devices() -> list[str]:
    from seq2tfdata.verify import available_devices

    return available_devices()


@pytest.mark.parametrize(
    ("case", "factory_name"),
    [pytest.param(c, name, id=f"{c.name}:{name}") for c in _runtime_cases() for name in factories(c)],
)
def test_converted_fixture_is_equivalent_for_two_epochs(case: Path, factory_name: str, tmp_path: Path) -> None:
    from seq2tfdata.verify import load_factory, verify_equivalence

    module = tmp_path / f"converted_{case.name}.py"
    shutil.copyfile(case / "expected.py", module)
    factory = load_factory(f"{module}:{factory_name}")
    augmenting = factory_name == "build" and "build_plain" in factories(case)
    for device in _devices():
        report = verify_equivalence(factory, epochs=2, device=device, workdir=tmp_path / device)
        assert report.ok, report.render()
        if case.name.startswith(REAL_WORLD_PREFIX):
            continue
        # Our own fixtures are written for their tier: its pipeline must serve them.
        assert report.fallback is None, report.render()
        # With augmentation on, the pipeline's draws must be seen to vary; off, values are exact.
        assert report.drawn_epochs == ((0, 1) if augmenting else ()), report.render()
