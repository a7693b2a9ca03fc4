"""``make bench``: the tf.data anchors of issue 12 (point 4), measured in one run.

For each workload in `bench/anchors/workloads.py`: its Sequence iterated directly, Keras 3's
fit(seq) path (workers=1 and 2), the seq2tfdata conversion at its chosen tier and each lower
one, and a hand-written tf.data pipeline; plus model.fit epochs for three workloads. Writes
bench/results/tfdata_anchors.md and .png. Reports ratios, never asserts on them.

`python -m bench.run --only slices,zscore` runs a subset (the results files are still written).
"""

from __future__ import annotations

import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: list[str]) -> int:
    from bench.anchors import report
    from bench.anchors.driver import run_all

    only: tuple[str, ...] = ()
    if len(argv) == 2 and argv[0] == "--only":
        only = tuple(argv[1].split(","))
    rows, wall_s = run_all(only)
    RESULTS.mkdir(exist_ok=True)
    png_note = report.plot(rows, RESULTS / "tfdata_anchors.png")
    text = report.markdown(rows, wall_s, png_note)
    (RESULTS / "tfdata_anchors.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
