"""Windows over a series and the target rows after them are gathered a batch at a time
(``windows_at``/``rows_at``); data that breaks what the gather assumes falls back to the
generator pipeline, with a warning, and still gives the Sequence's batches."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from tests.fixture_cases import converted_module, verified

SEQUENCE = '''\
import math

import numpy as np
import keras


class Windows(keras.utils.Sequence):
    def __init__(self, series, window=5, batch_size=4, spare=0, **kwargs):
        super().__init__(**kwargs)
        self.series = series
        self.window = window
        self.batch_size = batch_size
        self.num_windows = len(series) - window + spare

    def __len__(self):
        return math.ceil(self.num_windows / self.batch_size)

    def __getitem__(self, idx):
        start = idx * self.batch_size
        end = min(start + self.batch_size, self.num_windows)
        x = np.stack([self.series[i : i + self.window] for i in range(start, end)])
        y = self.series[start + self.window : end + self.window, 0]
        return x, y


class Rows:
    """Indexes like an array, but is none: its rows cannot be read from one table."""

    def __init__(self, values):
        self.values = values

    def __len__(self):
        return len(self.values)

    def __getitem__(self, key):
        return self.values[key]


def series(length=23):
    return np.stack([np.arange(length, dtype=np.float32), -np.arange(length, dtype=np.float32)], axis=1)


def build(tmp_path):
    return Windows(series())


def build_numpy_window(tmp_path):
    return Windows(series(), window=np.int64(3))


def build_no_windows(tmp_path):
    return Windows(series(5), window=5)


def build_past_the_end(tmp_path):
    # One window more than the targets allow: the last batch's y is one row short.
    return Windows(series(), spare=1)


def build_not_an_array(tmp_path):
    return Windows(Rows(series()))
'''


def _converted(tmp_path: Path) -> tuple[str, Path]:
    code, module = converted_module(SEQUENCE, "native", tmp_path)
    assert "windows_at(series, positions, 0, self.window)" in code
    assert "rows_at(series, positions, self.window)[:, 0]" in code
    return code, module


def _pipeline_warnings(module: Path, factory: str, tmp_path: Path) -> list[str]:
    from seq2tfdata.verify import load_factory

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_factory(f"{module}:{factory}")(tmp_path).to_tf_dataset()
    return [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize("factory", ["build", "build_numpy_window", "build_no_windows"])
def test_gathered_windows_are_the_sequences_batches(factory: str, tmp_path: Path) -> None:
    _, module = _converted(tmp_path)
    assert _pipeline_warnings(module, factory, tmp_path) == []
    report = verified(module, factory, tmp_path, epochs=2)
    assert report.batches_per_epoch == ([0, 0] if factory == "build_no_windows" else [5, 5])


@pytest.mark.parametrize(
    ("factory", "message"),
    [
        pytest.param("build_past_the_end", "rows would be read outside the table", id="past-the-end"),
        pytest.param("build_not_an_array", "rows are read by position from a Rows", id="not-an-array"),
    ],
)
def test_data_the_gather_cannot_read_falls_back(factory: str, message: str, tmp_path: Path) -> None:
    _, module = _converted(tmp_path)
    (warning,) = _pipeline_warnings(module, factory, tmp_path)
    assert message in warning
    verified(module, factory, tmp_path, epochs=1)
