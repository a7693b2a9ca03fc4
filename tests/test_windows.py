"""Batch positions ``np.arange(idx*bs, (idx+1)*bs)`` without a clip number full batches only:
as many rows as batches times batch_size, through ``__len__`` or ``num_batches``."""

from __future__ import annotations

from pathlib import Path

import pytest

from seq2tfdata import convert_source

SEQUENCE = """
import numpy as np
import keras


class Windows(keras.utils.PyDataset):
    def __init__(self, series, window=3, batch_size=4, **kwargs):
        super().__init__(**kwargs)
        self.series = series
        self.window = window
        self.batch_size = batch_size

{length}

    def __getitem__(self, idx):
        starts = np.arange(idx * self.batch_size, (idx + 1) * self.batch_size)
        x = np.stack([self.series[s:s + self.window] for s in starts])
        return x, self.series[starts + self.window]


def build(tmp_path):
    return Windows(np.arange(30, dtype=np.float32) ** 2)
"""

LENGTHS = [
    pytest.param("    def __len__(self):\n        return (len(self.series) - self.window) // self.batch_size", id="len"),
    pytest.param(
        "    @property\n    def num_batches(self):\n        return max(len(self.series) - self.window, 0) // self.batch_size",
        id="num_batches",
    ),
]


@pytest.mark.parametrize("length", LENGTHS)
def test_unclipped_batch_positions_are_native_and_equivalent(length: str, tmp_path: Path) -> None:
    from seq2tfdata.verify import load_factory, verify_equivalence

    converted = convert_source(SEQUENCE.format(length=length))
    (finding,) = converted.findings
    assert finding.tier.value == "native", finding.reasons
    # Whole batches only: the windows are gathered batch by batch, floor(rows / batch_size) of them.
    assert "windows_at(series, positions, 0, self.window)" in converted.code
    assert "num_batches = num_rows // batch_size" in converted.code
    module = tmp_path / "windows.py"
    module.write_text(converted.code, encoding="utf-8")
    report = verify_equivalence(load_factory(f"{module}:build"), epochs=2, workdir=tmp_path / "work")
    assert report.ok, report.render()
    assert report.batches_per_epoch == [6, 6]
