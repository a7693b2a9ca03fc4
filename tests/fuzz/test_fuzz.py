"""The fuzzer as a test: a short fixed run must find nothing, and every saved reproducer in
``regressions/`` must pass the same property checks (it failed them once)."""

from __future__ import annotations

import pytest

from tests.fuzz.campaign import check_regressions, regression_files, run_campaign
from tests.fuzz.runner import CheckPool

# An input takes about 0.5 s on one of two cores (most convert twice), so 300 of them finish in
# about 80 s; `make fuzz` runs 10,000. An input that takes longer than TIMEOUT_S fails.
SMOKE_COUNT = 300
TIMEOUT_S = 20.0


def _describe(failures) -> str:
    return "\n".join(f"  {failure.kind}: {failure.detail}" for failure in failures)


def test_short_fuzz_run_finds_nothing():
    with CheckPool(jobs=2, timeout=TIMEOUT_S) as pool:
        run = run_campaign(pool, SMOKE_COUNT, seed=0)
    report = "\n".join(
        f"input #{case.index} ({case.seed_name}, {'+'.join(case.strategies)}):\n{_describe(case.failures)}"
        for case in run.failing
    )
    again = f"python -m tests.fuzz --count {SMOKE_COUNT} --seed 0 --verbose --save"
    assert not run.failing, f"{run.summary()}\n{report}\nto shrink and keep reproducers: {again}"


@pytest.mark.parametrize("path", regression_files(), ids=lambda path: path.name)
def test_saved_reproducer_passes(path):
    with CheckPool(jobs=1, timeout=TIMEOUT_S) as pool:
        [failures] = check_regressions(pool, [path])
    assert not failures, f"{path.name}:\n{_describe(failures)}"
