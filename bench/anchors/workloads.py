"""The benchmark workloads: data, how each Sequence is built from it, its hand-written pipeline.

`tiny=True` gives sizes small enough for the equivalence test; the benchmark uses the full ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bench.anchors import handwritten

SEQUENCES = Path(__file__).resolve().parent.parent / "sequences"


@dataclass(frozen=True)
class Workload:
    name: str
    label: str  # as in issue 12's table
    class_name: str
    build: Callable[[Path, bool], dict]  # (workdir, tiny) -> data
    make: Callable[[Any, dict, dict], Any]  # (class, data, Sequence kwargs) -> Sequence
    hand: Callable[..., Any]  # (data, **kwargs) -> tf.data.Dataset
    # "exact": same values and dtypes; "close": float math in another order (allclose);
    # "random": augmented or shuffled, so structure/dtype/shape only, and exact with `calm`.
    check: str = "exact"
    calm: dict = field(default_factory=dict)  # kwargs that switch the randomness off, both sides
    # In-memory workloads also get the batch-slicing idiom; the faster of the two is the anchor.
    hand_alt: Callable[..., Any] | None = None

    @property
    def source(self) -> str:
        return (SEQUENCES / f"{self.name}.py").read_text()


def _rows(tiny: bool, full: int) -> int:
    return max(full // 50, 70) if tiny else full


def _slices(workdir: Path, tiny: bool) -> dict:
    rng = np.random.default_rng(0)
    n = _rows(tiny, 50_000)
    return {"x": rng.random((n, 16), dtype=np.float32), "y": rng.integers(0, 10, n)}


def _zscore(workdir: Path, tiny: bool) -> dict:
    rng = np.random.default_rng(1)
    n = _rows(tiny, 100_000)
    return {"features": rng.normal(size=(n, 32)).astype(np.float32), "labels": rng.integers(0, 2, n)}


def _padded_text(workdir: Path, tiny: bool) -> dict:
    rng = np.random.default_rng(2)
    n = _rows(tiny, 20_000)
    lengths = rng.integers(5, 120, n)
    tokens = [rng.integers(1, 20_000, length).tolist() for length in lengths]
    return {"token_lists": tokens, "labels": rng.integers(0, 2, n).tolist()}


def _npy_files(workdir: Path, tiny: bool) -> dict:
    rng = np.random.default_rng(3)
    ids = [f"id-{k}" for k in range(256 if tiny else 4096)]
    for sample_id in ids:
        np.save(workdir / f"{sample_id}.npy", rng.random((32, 32)))
    return {"ids": ids, "labels": {s: k % 10 for k, s in enumerate(ids)}, "data_dir": str(workdir)}


def _png_files(workdir: Path, tiny: bool) -> dict:
    from PIL import Image

    rng = np.random.default_rng(4)
    paths = [str(workdir / f"image-{k}.png") for k in range(150 if tiny else 2048)]
    for path in paths:
        Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(path)
    return {"paths": paths, "labels": [k % 10 for k in range(len(paths))]}


def _augment(workdir: Path, tiny: bool) -> dict:
    rng = np.random.default_rng(5)
    n = _rows(tiny, 20_000)
    return {"images": rng.random((n, 32, 32), dtype=np.float32), "labels": rng.integers(0, 10, n)}


def _windows(workdir: Path, tiny: bool) -> dict:
    rng = np.random.default_rng(6)
    steps = _rows(tiny, 50_000) * (6 if tiny else 1)
    return {"series": rng.normal(size=(steps, 4)).cumsum(axis=0).astype(np.float32)}


def _mixed_dict(workdir: Path, tiny: bool) -> dict:
    rng = np.random.default_rng(7)
    n = _rows(tiny, 50_000)
    numeric = rng.normal(3.0, 2.0, (n, 8)).astype(np.float32)
    return {
        "numeric": numeric, "category": rng.integers(0, 50, n).astype(np.int32),
        "target": rng.random(n, dtype=np.float32),
        "mean": numeric.mean(axis=0), "std": numeric.std(axis=0),
    }


WORKLOADS = (
    Workload("slices", "in-memory slices, batch 32", "ArrayBatches", _slices,
             lambda cls, d, kw: cls(d["x"], d["y"], **kw), handwritten.slices,
             hand_alt=handwritten.slices_by_batch),
    Workload("zscore", "per-batch z-score", "StandardisedBatches", _zscore,
             lambda cls, d, kw: cls(d["features"], d["labels"], **kw), handwritten.zscore, "close",
             hand_alt=handwritten.zscore_by_batch),
    Workload("padded_text", "token lists padded per batch (`pad_sequences`)", "TokenBatches",
             _padded_text, lambda cls, d, kw: cls(d["token_lists"], d["labels"], **kw),
             handwritten.padded_text),
    Workload("npy_files", "one `.npy` per id, shuffled, one-hot", "DataGenerator", _npy_files,
             lambda cls, d, kw: cls(d["ids"], d["labels"], d["data_dir"], **kw),
             handwritten.npy_files, "random", {"shuffle": False}),
    Workload("png_files", "PNG files via Pillow, `/255.0`", "ImageFolderBatches", _png_files,
             lambda cls, d, kw: cls(d["paths"], d["labels"], **kw), handwritten.png_files),
    Workload("augment", "random flip + `np.random.normal(...).astype(np.float32)` noise",
             "NoisyFlips", _augment, lambda cls, d, kw: cls(d["images"], d["labels"], **kw),
             handwritten.augment, "random", {"augment": False}),
    Workload("windows", "`TimeseriesGenerator`-style windows, `range(start, end)`", "WindowBatches",
             _windows, lambda cls, d, kw: cls(d["series"], **kw), handwritten.windows),
    Workload("mixed_dict", "dict of inputs: standardised numeric + categorical ids",
             "MixedFeatureBatches", _mixed_dict,
             lambda cls, d, kw: cls(d["numeric"], d["category"], d["target"], d["mean"], d["std"], **kw),
             handwritten.mixed_dict, hand_alt=handwritten.mixed_dict_by_batch),
)
