"""Bring a batch from either side into one comparable shape.

A batch becomes a tree whose inner nodes are tuples and dicts and whose leaves are numpy
arrays, the way Keras itself sees a Sequence batch: a list of arrays is a tuple, a bare array
stays one leaf. Text becomes an object array of ``bytes``, because TensorFlow hands strings
back as bytes while the Sequence usually produced ``str``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Union

import numpy as np

Batch = Union[np.ndarray, tuple["Batch", ...], dict[Any, "Batch"]]

_SCALARS = (bool, int, float, complex, str, bytes, np.generic)


def normalize_batch(value: Any) -> Batch:
    composite = _composite_parts(value)
    if composite is not None:
        return tuple(to_array(part) for part in composite)
    if isinstance(value, Mapping):
        return {key: normalize_batch(item) for key, item in value.items()}
    if isinstance(value, tuple) or (isinstance(value, list) and not _is_plain_data(value)):
        return tuple(normalize_batch(item) for item in value)
    return to_array(value)


def to_array(value: Any) -> np.ndarray:
    if hasattr(value, "numpy") and callable(value.numpy):
        value = value.numpy()
    if isinstance(value, (str, bytes)):
        # np.asarray(b"a\0") would strip the trailing NUL, so build the cell by hand.
        cell = np.empty((), dtype=object)
        cell[()] = _as_bytes(value)
        return cell
    # A copy: a Sequence may reorder its arrays in place after the batch was recorded.
    array = np.array(value, copy=True)
    if array.dtype.kind in "USO":
        return _strings_as_bytes(array)
    return array


def leaves(batch: Batch, path: str = "") -> Iterator[tuple[str, np.ndarray]]:
    """Every leaf with its path: tuples in order, dicts by sorted key (as ``tf.nest`` does)."""
    if isinstance(batch, tuple):
        for index, item in enumerate(batch):
            yield from leaves(item, f"{path}[{index}]")
    elif isinstance(batch, dict):
        for key in sorted_keys(batch):
            yield from leaves(batch[key], path + key_path(key))
    else:
        yield path, batch


def sorted_keys(mapping: dict) -> list:
    # Insertion order differs between a Sequence's dict and the one tf.data rebuilds.
    try:
        return sorted(mapping)
    except TypeError:
        return sorted(mapping, key=repr)


def key_path(key: Any) -> str:
    return f'["{key}"]' if isinstance(key, str) else f"[{key!r}]"


def dtype_label(array: np.ndarray) -> str:
    if array.dtype == object and array.size and all(isinstance(v, bytes) for v in array.flat):
        return "string"
    return str(array.dtype)


def _composite_parts(value: Any) -> tuple | None:
    """A tf.RaggedTensor or tf.SparseTensor as the plain arrays that define it, both sides alike."""
    if hasattr(value, "flat_values") and hasattr(value, "nested_row_splits"):
        return (value.flat_values, *value.nested_row_splits)
    if hasattr(value, "indices") and hasattr(value, "dense_shape") and hasattr(value, "values"):
        return (value.indices, value.values, value.dense_shape)
    return None


def _is_plain_data(items: list) -> bool:
    # A list of numbers or strings is one array-like leaf; a list holding arrays is structure.
    return all(
        _is_plain_data(item) if isinstance(item, list) else isinstance(item, _SCALARS)
        for item in items
    )


def _strings_as_bytes(array: np.ndarray) -> np.ndarray:
    converted = np.empty(array.shape, dtype=object)
    for index, item in np.ndenumerate(array):
        converted[index] = _as_bytes(item) if isinstance(item, (str, bytes)) else item
    return converted


def _as_bytes(text: str | bytes) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else bytes(text)
