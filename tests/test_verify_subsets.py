"""A Sequence that shuffles and drops the last partial batch serves a random subset of its rows
each epoch; verify checks the pipeline's epochs as subsets of the Sequence's rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from seq2tfdata import convert_source

SEQUENCE = """
import numpy as np
import tensorflow as tf
import keras


class Shuffled(keras.utils.Sequence):
    def __init__(self, x, y, batch_size=4, **kwargs):
        super().__init__(**kwargs)
        self.x = x
        self.y = y
        self.batch_size = batch_size
        self.on_epoch_end()

    def __len__(self):
        return len(self.x) // self.batch_size

    def on_epoch_end(self):
        self.indexes = np.arange(len(self.x))
        np.random.shuffle(self.indexes)

    def __getitem__(self, idx):
        rows = self.indexes[idx * self.batch_size:(idx + 1) * self.batch_size]
        return np.stack([self.x[k] for k in rows]), np.stack([self.y[k] for k in rows])
{extra}

def build():
    return Shuffled(np.arange(36, dtype=np.float32).reshape(18, 2), np.arange(18) % 3)
"""

WRONG = """
    def to_tf_dataset(self):
        x = tf.constant(self.x)
        y = tf.constant(self.y)
        rows = tf.data.Dataset.range(len(self.x)).shuffle(len(self.x), reshuffle_each_iteration=True)
        dataset = rows.map(lambda k: ({row}))
        return dataset.batch(self.batch_size, drop_remainder=True)
"""


def test_converted_shuffled_dropping_sequence_verifies_as_subsets(tmp_path: Path) -> None:
    from seq2tfdata.verify import load_factory, verify_equivalence

    converted = convert_source(SEQUENCE.format(extra=""))
    (finding,) = converted.findings
    assert finding.tier.value == "native", finding.reasons
    module = tmp_path / "shuffled.py"
    module.write_text(converted.code, encoding="utf-8")
    report = verify_equivalence(load_factory(f"{module}:build"), epochs=2, workdir=tmp_path / "work")
    assert report.ok, report.render()
    assert report.sampled_epochs == (0, 1)
    assert "random subsets" in report.render()


@pytest.mark.parametrize(
    ("row", "found"),
    [
        pytest.param("x[k] + tf.cast(k == 5, tf.float32), y[k]", "is never served by the Sequence", id="altered-row"),
        pytest.param("x[k // 2], y[k // 2]", "times in one epoch", id="repeated-row"),
    ],
)
def test_a_subset_epoch_with_a_foreign_or_repeated_sample_fails(row: str, found: str, tmp_path: Path) -> None:
    from seq2tfdata.verify import load_factory, verify_equivalence

    module = tmp_path / "wrong.py"
    module.write_text(SEQUENCE.format(extra=WRONG.format(row=row)), encoding="utf-8")
    report = verify_equivalence(load_factory(f"{module}:build"), epochs=2, workdir=tmp_path / "work")
    assert not report.ok
    assert report.mismatch.kind == "values" and found in report.mismatch.actual, report.render()
