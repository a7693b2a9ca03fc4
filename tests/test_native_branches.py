"""Every branch of a flag-switched native pipeline matches the Sequence, not only the built one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixture_cases import FIXTURES

FACTORIES = """

def build_plain(tmp_path):
    rng = np.random.default_rng(11)
    return FlaggedBatches(rng.normal(size=(13, 3)).astype("float32"), rng.integers(0, 5, size=13), standardize=False)


def build_predict(tmp_path):
    rng = np.random.default_rng(11)
    return FlaggedBatches(rng.normal(size=(13, 3)), rng.integers(0, 5, size=13), mode="predict")
"""


@pytest.mark.parametrize("factory", ["build", "build_plain", "build_predict"])
def test_each_flag_combination_is_equivalent(factory: str, tmp_path: Path) -> None:
    from seq2tfdata.verify import load_factory, verify_equivalence

    converted = (FIXTURES / "flag_branches" / "expected.py").read_text(encoding="utf-8")
    assert "(native tier)" in converted
    module = tmp_path / "flagged.py"
    module.write_text(converted + FACTORIES, encoding="utf-8")
    report = verify_equivalence(load_factory(f"{module}:{factory}"), epochs=2, workdir=tmp_path / "work")
    assert report.ok, report.render()
