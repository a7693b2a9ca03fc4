"""``pad_sequences`` over a batch slice of an attribute is padded batch by batch from one table of
all rows' values (no per-row map): for every padding/truncating/maxlen/value/dtype combination,
empty rows and rows longer than maxlen, the batches are pad_sequences' own. What the table cannot
hold (rows of vectors) falls back at run time; shuffled rows keep the per-row pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from seq2tfdata import convert_source
from tests.fixture_cases import converted_module, verified

SEQUENCE = '''\
import math

import numpy as np
import keras
from keras.utils import pad_sequences


class Padded(keras.utils.PyDataset):
    def __init__(self, rows, labels, batch_size=3, **kwargs):
        super().__init__(**kwargs)
        self.rows = rows
        self.labels = labels
        self.batch_size = batch_size
        self.maxlen = 4

    def __len__(self):
        return math.ceil(len(self.rows) / self.batch_size)

    def __getitem__(self, idx):
        rows = self.rows[idx * self.batch_size : (idx + 1) * self.batch_size]
        labels = self.labels[idx * self.batch_size : (idx + 1) * self.batch_size]
        return pad_sequences(rows, {arguments}), labels


def build(tmp_path):
    rng = np.random.default_rng(5)
    lengths = [0, 3, 7, 1, 0, 5, 4, 9, 2, 0, 6]
    rows = [list(rng.normal(scale=40.0, size=n)) for n in lengths]
    return Padded(rows, rng.integers(0, 3, size=len(rows)))


def build_vectors(tmp_path):
    rng = np.random.default_rng(5)
    rows = [rng.normal(size=(n, 2)) for n in (2, 3, 1, 4, 2)]
    return Padded(rows, rng.integers(0, 3, size=len(rows)))
'''

ARGUMENTS = [
    pytest.param("", id="defaults-pre-pre-longest"),
    pytest.param('padding="post"', id="post-longest"),
    pytest.param('maxlen=self.maxlen, padding="post", truncating="post", value=-1', id="post-post-maxlen"),
    pytest.param('maxlen=5, padding="pre", truncating="post", value=7.5', id="pre-post-maxlen"),
    pytest.param('maxlen=3, padding="post", truncating="pre"', id="post-pre-maxlen"),
    pytest.param('maxlen=4, dtype="float32", value=0.25', id="float32"),
    pytest.param('maxlen=2, dtype="int64", truncating="post"', id="int64"),
]


def _converted(arguments: str, tmp_path: Path) -> Path:
    code, module = converted_module(SEQUENCE.format(arguments=arguments), "native", tmp_path)
    pipeline = code[code.index("def tf_data_pipeline") : code.index("def generator_pipeline")]
    # Batch-level: one table of values, no per-row map and no padded_batch.
    assert "padded_rows(" in pipeline and "def row(" not in pipeline and "padded_batch" not in pipeline
    return module


@pytest.mark.parametrize("arguments", ARGUMENTS)
def test_batches_are_pad_sequences_own(arguments: str, tmp_path: Path) -> None:
    report = verified(_converted(arguments, tmp_path), "build", tmp_path)
    assert report.fallback is None, report.fallback  # the native pipeline served the batches


def test_rows_of_vectors_fall_back_and_stay_equivalent(tmp_path: Path) -> None:
    report = verified(_converted('maxlen=3, dtype="float32"', tmp_path), "build_vectors", tmp_path)
    assert report.fallback is not None and "not flat sequences" in report.fallback


def test_shuffled_rows_keep_the_per_row_pipeline() -> None:
    shuffled = SEQUENCE.format(arguments='padding="post"').replace(
        "        rows = self.rows[idx * self.batch_size : (idx + 1) * self.batch_size]\n",
        "        ids = self.order[idx * self.batch_size : (idx + 1) * self.batch_size]\n"
        "        rows = [self.rows[i] for i in ids]\n",
    ).replace("        self.maxlen = 4\n", "        self.maxlen = 4\n        self.order = np.arange(len(rows))\n")
    result = convert_source(shuffled)
    assert "padded_rows(" not in result.code
