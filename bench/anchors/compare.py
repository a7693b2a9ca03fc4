"""Check that a hand-written pipeline gives the batches of its Sequence, and load modules."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np


def load_module(path: Path, name: str):
    """Import a file under a unique name (the converted copies live in a temp dir)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _plain(batch):
    # Keras treats a list batch as a tuple; tf.data yields tuples and dicts.
    if isinstance(batch, dict):
        return {key: _plain(value) for key, value in batch.items()}
    if isinstance(batch, (list, tuple)):
        return tuple(_plain(value) for value in batch)
    return np.asarray(batch)


def sequence_batches(seq) -> list:
    batches = [_plain(seq[index]) for index in range(len(seq))]
    seq.on_epoch_end()
    return batches


def dataset_batches(dataset) -> list:
    return [_plain(batch) for batch in dataset.as_numpy_iterator()]


def assert_same_batches(expected: list, actual: list, mode: str) -> None:
    """`mode`: "exact" (values and dtypes), "close" (allclose) or "random" (structure only)."""
    assert len(expected) == len(actual), f"{len(actual)} batches where the Sequence has {len(expected)}"
    for index, (want, got) in enumerate(zip(expected, actual)):
        _same(want, got, mode, f"batch {index}")


def _same(want, got, mode: str, where: str) -> None:
    if isinstance(want, dict):
        assert isinstance(got, dict) and sorted(want) == sorted(got), f"{where}: keys differ"
        for key in want:
            _same(want[key], got[key], mode, f"{where}[{key!r}]")
        return
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), f"{where}: structure differs"
        for position, (w, g) in enumerate(zip(want, got)):
            _same(w, g, mode, f"{where}[{position}]")
        return
    assert want.dtype == got.dtype, f"{where}: dtype {got.dtype} where the Sequence has {want.dtype}"
    assert want.shape == got.shape, f"{where}: shape {got.shape} where the Sequence has {want.shape}"
    if mode == "exact":
        np.testing.assert_array_equal(got, want, err_msg=where)
    elif mode == "close":
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5, err_msg=where)


def check_handwritten(workload, module, data) -> None:
    """Raise AssertionError unless the hand-written pipeline serves the Sequence's batches."""
    cls = getattr(module, workload.class_name)
    expected = sequence_batches(workload.make(cls, data, {}))
    assert_same_batches(expected, dataset_batches(workload.hand(data)), workload.check)
    if workload.hand_alt is not None:
        assert_same_batches(expected, dataset_batches(workload.hand_alt(data)), workload.check)
    if workload.check == "random":
        # With the randomness switched off on both sides the batches must match exactly.
        expected = sequence_batches(workload.make(cls, data, dict(workload.calm)))
        actual = dataset_batches(workload.hand(data, **workload.calm))
        assert_same_batches(expected, actual, "exact")
