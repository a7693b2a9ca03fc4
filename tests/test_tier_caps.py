"""Every fixture capped at each lower tier (``--tier``) is still equivalent: the generator tier
must be right for any Sequence, and the hybrid tier for any pure one."""

from __future__ import annotations

from pathlib import Path

import pytest

from seq2tfdata import Options, Tier, convert_source
from tests.fixture_cases import fixture_cases


def _runtime_cases() -> list:
    cases = []
    for case in fixture_cases():
        source = (case / "input.py").read_text(encoding="utf-8")
        if "def build(" in source:
            for tier in (Tier.HYBRID, Tier.GENERATOR):
                cases.append(pytest.param(case, tier, id=f"{case.name}-{tier.value}"))
    return cases


@pytest.mark.parametrize(("case", "tier"), _runtime_cases())
def test_capped_conversion_is_equivalent(case: Path, tier: Tier, tmp_path: Path) -> None:
    from seq2tfdata.verify import load_factory, verify_equivalence

    result = convert_source((case / "input.py").read_text(encoding="utf-8"), Options(max_tier=tier))
    assert result.error is None, result.error
    assert all(finding.tier.rank >= tier.rank for finding in result.findings)
    if not any(finding.tier is tier for finding in result.findings):
        pytest.skip(f"no class of {case.name} converts at the {tier.value} tier")
    module = tmp_path / f"capped_{case.name}_{tier.value}.py"
    module.write_text(result.code, encoding="utf-8")
    report = verify_equivalence(load_factory(f"{module}:build"), epochs=2, workdir=tmp_path / "work")
    assert report.ok, report.render()
