"""Epochs that are random subsets of the rows.

A Sequence that shuffles its rows and drops the last partial batch serves a different subset
every epoch, and so does its pipeline; the two subsets cannot be expected to be the same
multiset. Such an epoch matches when its batches have the Sequence's structure, dtypes and
sizes, every sample is one the Sequence serves (seen in any of its replays), and no sample comes
more often than the Sequence ever serves it in one epoch. Samples are compared exactly.
"""

from __future__ import annotations

from collections import Counter

from seq2tfdata.verify.compare import epoch_skeleton_mismatch, sample_key, samples, short
from seq2tfdata.verify.normalize import Batch
from seq2tfdata.verify.report import Mismatch


def compare_epoch_subset(
    expected: list[Batch], actual: list[Batch], epoch: int, pool: list[list[Batch]]
) -> Mismatch | None:
    """``pool`` holds every epoch the Sequence served, over all its replays."""
    skeleton = epoch_skeleton_mismatch(expected, actual, epoch)
    if skeleton is not None:
        return skeleton
    most: Counter = Counter()
    for served in pool:
        for key, times in Counter(map(sample_key, samples(served))).items():
            most[key] = max(most[key], times)
    served_here = Counter()
    for sample in samples(actual):
        key = sample_key(sample)
        served_here[key] += 1
        if served_here[key] > most[key]:
            seen = "is never served by the Sequence" if not most[key] else f"comes {served_here[key]} times in one epoch"
            rows = ", ".join(f"{path or 'batch'}: {short(row)}" for path, row in sample)
            return Mismatch(
                epoch=epoch,
                batch=None,
                leaf_path="",
                kind="values",
                expected=f"samples the Sequence serves, each at most {most[key]} time(s) per epoch",
                actual=f"a sample that {seen} ({rows})",
            )
    return None
