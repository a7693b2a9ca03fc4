"""Compare normalised batches: one epoch batch by batch, or as a multiset of samples.

Each check stops at the first difference, in the order structure, dtype, shape, values, so the
report names the most basic thing that is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from seq2tfdata.verify.normalize import Batch, dtype_label, key_path, leaves, sorted_keys
from seq2tfdata.verify.report import Mismatch

_NUMERIC_KINDS = "biufc"


@dataclass(frozen=True)
class Tolerance:
    atol: float = 0.0
    rtol: float = 0.0

    @property
    def exact(self) -> bool:
        return self.atol == 0.0 and self.rtol == 0.0


@dataclass(frozen=True)
class _Difference:
    leaf_path: str
    kind: str
    expected: str
    actual: str
    max_abs_diff: float | None = None
    first_index: tuple[int, ...] | None = None

    def at(self, epoch: int, batch: int | None) -> Mismatch:
        return Mismatch(epoch=epoch, batch=batch, **vars(self))


def compare_epoch_exact(
    expected: list[Batch], actual: list[Batch], epoch: int, tolerance: Tolerance
) -> Mismatch | None:
    for index, (want, got) in enumerate(zip(expected, actual)):
        difference = compare_batch(want, got, tolerance)
        if difference is not None:
            return difference.at(epoch, index)
    return count_mismatch(expected, actual, epoch)


def epoch_skeleton_mismatch(
    expected: list[Batch], actual: list[Batch], epoch: int, full_shape: bool = False
) -> Mismatch | None:
    """Batch by batch structure, dtypes and batch sizes (or whole shapes), then the batch count."""
    for index, (want, got) in enumerate(zip(expected, actual)):
        difference = compare_skeleton(want, got, full_shape)
        if difference is not None:
            return difference.at(epoch, index)
    return count_mismatch(expected, actual, epoch)


def compare_epoch_multiset(
    expected: list[Batch], actual: list[Batch], epoch: int, tolerance: Tolerance
) -> Mismatch | None:
    skeleton = epoch_skeleton_mismatch(expected, actual, epoch)
    if skeleton is not None:
        return skeleton
    wanted_samples = sorted(samples(expected), key=sample_key)
    got_samples = sorted(samples(actual), key=sample_key)
    for want, got in zip(wanted_samples, got_samples):
        for (path, want_row), (_, got_row) in zip(want, got):
            difference = _compare_rows(path, want_row, got_row, tolerance)
            if difference is not None:
                return difference.at(epoch, None)
    return None


def compare_epoch_structure(
    expected: list[Batch], actual: list[Batch], epoch: int, tolerance: Tolerance
) -> Mismatch | None:
    """Structure, dtypes and full shapes, batch by batch: all that two independent random draws
    of an augmented epoch share."""
    return epoch_skeleton_mismatch(expected, actual, epoch, full_shape=True)


def compare_batch(expected: Batch, actual: Batch, tolerance: Tolerance) -> _Difference | None:
    difference = _compare_structure(expected, actual)
    if difference is not None:
        return difference
    for (path, want), (_, got) in zip(leaves(expected), leaves(actual)):
        difference = _compare_leaf(path, want, got, tolerance)
        if difference is not None:
            return difference
    return None


def count_mismatch(expected: list[Batch], actual: list[Batch], epoch: int) -> Mismatch | None:
    if len(expected) == len(actual):
        return None
    return Mismatch(
        epoch=epoch,
        batch=None,
        leaf_path="",
        kind="count",
        expected=describe_count(len(expected)),
        actual=describe_count(len(actual)),
    )


def describe_count(count: int) -> str:
    return f"{count} batch" if count == 1 else f"{count} batches"


def _compare_structure(expected: Batch, actual: Batch, path: str = "") -> _Difference | None:
    if _describe_node(expected) != _describe_node(actual):
        return _Difference(path, "structure", _describe_node(expected), _describe_node(actual))
    if isinstance(expected, tuple):
        children = [(f"{path}[{i}]", a, b) for i, (a, b) in enumerate(zip(expected, actual))]
    elif isinstance(expected, dict):
        children = [(path + key_path(k), expected[k], actual[k]) for k in sorted_keys(expected)]
    else:
        children = []
    for child_path, want, got in children:
        difference = _compare_structure(want, got, child_path)
        if difference is not None:
            return difference
    return None


def _describe_node(node: Batch) -> str:
    if isinstance(node, tuple):
        return f"tuple of {len(node)}"
    if isinstance(node, dict):
        return "dict with keys " + ", ".join(map(repr, sorted_keys(node)))
    return "array"


def _compare_leaf(
    path: str, expected: np.ndarray, actual: np.ndarray, tolerance: Tolerance
) -> _Difference | None:
    if dtype_label(expected) != dtype_label(actual):
        return _Difference(path, "dtype", dtype_label(expected), dtype_label(actual))
    if expected.shape != actual.shape:
        return _Difference(path, "shape", str(expected.shape), str(actual.shape))
    return _compare_values(path, expected, actual, tolerance)


def compare_skeleton(expected: Batch, actual: Batch, full_shape: bool = False) -> _Difference | None:
    """Structure, dtypes and batch sizes (or whole shapes): what a multiset epoch must still match per batch."""
    difference = _compare_structure(expected, actual)
    if difference is not None:
        return difference
    for (path, want), (_, got) in zip(leaves(expected), leaves(actual)):
        if dtype_label(want) != dtype_label(got):
            return _Difference(path, "dtype", dtype_label(want), dtype_label(got))
        if (want.shape if full_shape else want.shape[:1]) != (got.shape if full_shape else got.shape[:1]):
            return _Difference(path, "shape", str(want.shape), str(got.shape))
    return None


def _compare_rows(
    path: str, expected: np.ndarray, actual: np.ndarray, tolerance: Tolerance
) -> _Difference | None:
    if expected.shape != actual.shape:
        return _Difference(path, "shape", f"sample shape {expected.shape}", str(actual.shape))
    difference = _compare_values(path, expected, actual, tolerance)
    if difference is None:
        return None
    # The sorted position of a sample means nothing to the reader: show the rows instead.
    return _Difference(
        path,
        "values",
        f"sample value {short(expected)}",
        f"sample value {short(actual)}",
        difference.max_abs_diff,
        difference.first_index,
    )


def _compare_values(
    path: str, expected: np.ndarray, actual: np.ndarray, tolerance: Tolerance
) -> _Difference | None:
    equal = _equal_elements(expected, actual, tolerance)
    if equal.all():
        return None
    first = tuple(int(i) for i in np.argwhere(~equal)[0])
    return _Difference(
        path,
        "values",
        short(expected[first]),
        short(actual[first]),
        _max_abs_diff(expected, actual, equal),
        first,
    )


def _equal_elements(expected: np.ndarray, actual: np.ndarray, tolerance: Tolerance) -> np.ndarray:
    if expected.dtype.kind not in _NUMERIC_KINDS or actual.dtype.kind not in _NUMERIC_KINDS:
        same = np.frompyfunc(lambda a, b: bool(a == b), 2, 1)(expected, actual)
        return np.asarray(same, dtype=bool)
    if tolerance.exact:
        equal = np.asarray(expected == actual)
        if expected.dtype.kind in "fc":
            equal |= np.isnan(expected) & np.isnan(actual)
        return equal
    # bool arrays cannot be subtracted, and unsigned ones would wrap around.
    return np.isclose(
        expected.astype(np.complex128 if expected.dtype.kind == "c" else np.float64),
        actual.astype(np.complex128 if actual.dtype.kind == "c" else np.float64),
        atol=tolerance.atol,
        rtol=tolerance.rtol,
        equal_nan=True,
    )


def _max_abs_diff(expected: np.ndarray, actual: np.ndarray, equal: np.ndarray) -> float | None:
    if expected.dtype.kind not in _NUMERIC_KINDS or actual.dtype.kind not in _NUMERIC_KINDS:
        return None
    wide = np.complex128 if "c" in (expected.dtype.kind, actual.dtype.kind) else np.float64
    gaps = np.abs(expected.astype(wide)[~equal] - actual.astype(wide)[~equal])
    # A NaN facing a number is as different as it gets.
    return float(np.max(np.where(np.isnan(gaps), np.inf, gaps)))


def short(value: Any, limit: int = 60) -> str:
    if isinstance(value, np.ndarray):
        text = np.array2string(value, threshold=6, edgeitems=2, separator=", ")
    else:
        text = repr(value.item() if isinstance(value, np.generic) else value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


Sample = tuple[tuple[str, np.ndarray], ...]


def samples(batches: list[Batch]) -> list[Sample]:
    """Split every batch along axis 0; a sample is the tuple of its leaves' rows."""
    samples: list[Sample] = []
    for batch in batches:
        named = list(leaves(batch))
        sizes = {array.shape[0] for _, array in named if array.ndim}
        if len(sizes) != 1:
            # Leaves disagree on the batch size (or are all scalars): keep the batch whole.
            samples.append(tuple(named))
            continue
        (size,) = sizes
        for row in range(size):
            samples.append(
                tuple((path, array[row] if array.ndim else array) for path, array in named)
            )
    return samples


def sample_key(sample: Sample) -> tuple:
    return tuple(_row_key(row) for _, row in sample)


def _row_key(row: np.ndarray) -> tuple:
    row = np.asarray(row)  # a row of a 1-d leaf is a numpy scalar (or bytes)
    # Sort by value rather than by bytes, so rows equal within a tolerance sort alike.
    # The leading tag keeps numbers and other objects from ever being compared.
    if row.dtype.kind in _NUMERIC_KINDS:
        cells = tuple(_number_key(value) for value in row.ravel().tolist())
        return (0, row.shape, cells)
    return (1, row.shape, tuple(repr(value) for value in row.ravel().tolist()))


def _number_key(value: bool | int | float | complex) -> tuple:
    if isinstance(value, complex):
        return _number_key(value.real) + _number_key(value.imag)
    if isinstance(value, float) and math.isnan(value):
        return (1, 0.0)
    return (0, value)
