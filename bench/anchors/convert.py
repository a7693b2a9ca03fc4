"""Convert a workload's Sequence at run time, at its chosen tier and at each tier below it."""

from __future__ import annotations

import warnings
from pathlib import Path

from bench.anchors.compare import load_module
from seq2tfdata import Options, Tier, convert_source

TIERS = (Tier.NATIVE, Tier.HYBRID, Tier.GENERATOR)


def converted_modules(workload, workdir: Path) -> dict:
    """{tier value: module}, best tier first; a cap the class cannot reach is skipped (capping a
    hybrid class at native gives the same hybrid code)."""
    modules: dict = {}
    for cap in TIERS:
        result = convert_source(workload.source, Options(path=f"bench/sequences/{workload.name}.py", max_tier=cap))
        tiers = {f.tier for f in result.findings if f.name == workload.class_name}
        if result.error or not tiers:
            continue
        reached = tiers.pop()
        if reached.value in modules or reached is Tier.SKIPPED:
            continue
        path = workdir / f"converted_{reached.value}.py"
        path.write_text(result.code)
        modules[reached.value] = load_module(path, f"bench_anchor_{workload.name}_{reached.value}")
    return modules


def build_dataset(seq):
    """seq.to_tf_dataset(), and the RuntimeWarning text if it fell back to the generator tier."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        dataset = seq.to_tf_dataset()
    fallbacks = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    return dataset, (fallbacks[0] if fallbacks else "")
