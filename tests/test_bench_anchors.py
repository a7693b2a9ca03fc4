"""The benchmark's hand-written tf.data anchors serve the same batches as their Sequences.

Tiny sizes, no timing: the anchors are only worth comparing against if they are equivalent.
"""

from __future__ import annotations

import pytest

pytest.importorskip("tensorflow")
pytest.importorskip("PIL")

from bench.anchors.compare import check_handwritten, load_module  # noqa: E402
from bench.anchors.workloads import SEQUENCES, WORKLOADS  # noqa: E402


def test_at_least_eight_workloads():
    assert len(WORKLOADS) >= 8
    assert len({w.name for w in WORKLOADS}) == len(WORKLOADS)


@pytest.mark.parametrize("workload", WORKLOADS, ids=lambda w: w.name)
def test_handwritten_pipeline_matches_sequence(workload, tmp_path):
    module = load_module(SEQUENCES / f"{workload.name}.py", f"bench_anchor_test_{workload.name}")
    check_handwritten(workload, module, workload.build(tmp_path, True))
