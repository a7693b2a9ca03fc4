"""Hand-written padding loops become ``padded_batch`` with the same side, width, value and dtype;
rows that make numpy raise make the pipeline raise; other loops stay off the native tier."""

from __future__ import annotations

from pathlib import Path

import pytest

from seq2tfdata import convert_source

SEQUENCE = """
import math

import numpy as np
import keras


class Padded(keras.utils.Sequence):
    def __init__(self, rows, labels, batch_size=3, width=5, **kwargs):
        super().__init__(**kwargs)
        self.rows = rows
        self.labels = labels
        self.batch_size = batch_size
        self.width = width

    def __len__(self):
        return math.ceil(len(self.rows) / self.batch_size)

    def __getitem__(self, idx):
        batch = self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]
        labels = self.labels[idx * self.batch_size:(idx + 1) * self.batch_size]
{body}
        return out, labels


def build(tmp_path, lengths=(3, 1, 5, 2, 4, 2, 1)):
    rng = np.random.default_rng(0)
    rows = [rng.normal(size=n) * 10 for n in lengths]
    return Padded(rows, rng.integers(0, 3, size=len(rows)))
"""

LONGEST = "        longest = max(len(s) for s in batch)\n"
LOOP_POST = "        for i, s in enumerate(batch):\n            out[i, :len(s)] = s\n"
LOOP_PRE = "        for i, s in enumerate(batch):\n            out[i, -len(s):] = s\n"

PATTERNS = [
    pytest.param(LONGEST + "        out = np.zeros((len(batch), longest), dtype=np.int64)\n" + LOOP_POST, id="post-longest-int"),
    pytest.param(
        "        lengths = [len(s) for s in batch]\n        longest = max(lengths)\n"
        "        out = np.zeros((len(batch), longest))\n" + LOOP_POST,
        id="lengths-list-float64",
    ),
    pytest.param(LONGEST + "        out = np.full((len(batch), longest), -1.5, dtype=np.float32)\n" + LOOP_PRE, id="pre-longest-full"),
    pytest.param("        out = np.zeros((len(batch), self.width), dtype='float32')\n" + LOOP_POST, id="post-fixed-width"),
    pytest.param("        out = np.ones((len(batch), 5), dtype=np.int32)\n" + LOOP_PRE, id="pre-fixed-width-ones"),
    pytest.param(
        LONGEST + "        out = np.full((len(batch), longest), fill_value=7, dtype=np.int16)\n" + LOOP_POST,
        id="fill-value-keyword",
    ),
]


def _convert(body: str, tmp_path: Path) -> Path:
    converted = convert_source(SEQUENCE.format(body=body))
    assert converted.error is None, converted.error
    (finding,) = converted.findings
    assert finding.tier.value == "native", finding.reasons
    assert "padded_batch(" in converted.code
    module = tmp_path / "padded.py"
    module.write_text(converted.code, encoding="utf-8")
    return module


@pytest.mark.parametrize("body", PATTERNS)
def test_padding_loop_is_native_and_equivalent(body: str, tmp_path: Path) -> None:
    from seq2tfdata.verify import load_factory, verify_equivalence

    module = _convert(body, tmp_path)
    report = verify_equivalence(load_factory(f"{module}:build"), epochs=2, workdir=tmp_path / "work")
    assert report.ok, report.render()


@pytest.mark.parametrize(
    ("body", "lengths"),
    [
        pytest.param("        out = np.zeros((len(batch), self.width), dtype='float32')\n" + LOOP_POST, (3, 6, 2), id="row-wider-than-width"),
        pytest.param(LONGEST + "        out = np.zeros((len(batch), longest))\n" + LOOP_PRE, (3, 0, 2), id="empty-row-on-the-left"),
    ],
)
def test_rows_numpy_cannot_pad_make_the_pipeline_raise(body: str, lengths: tuple, tmp_path: Path) -> None:
    from seq2tfdata.verify import load_factory

    module = _convert(body, tmp_path)
    sequence = load_factory(f"{module}:build")(tmp_path, lengths)
    with pytest.raises(ValueError):
        sequence[0]
    # The check on the Sequence's own first batch meets the Sequence's error, so the generator
    # pipeline serves it, and raises as the Sequence does.
    with pytest.raises(Exception, match="(?i)pad|empty row|could not broadcast"):
        list(sequence.to_tf_dataset())


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(
            LONGEST + "        out = np.zeros((len(batch), longest))\n"
            "        for i, s in enumerate(batch):\n            out[i, :len(s) - 1] = s[1:]\n",
            "is not `out[i, :len(row)] = row`",
            id="shifted-row",
        ),
        pytest.param(
            LONGEST + "        out = np.full((len(batch), longest), 0)\n" + LOOP_POST, "pass dtype=", id="full-without-dtype"
        ),
        pytest.param(
            LONGEST + "        out = np.zeros((self.batch_size, longest))\n" + LOOP_POST, "out[i", id="batch-size-rows"
        ),
    ],
)
def test_other_padding_loops_stay_off_the_native_tier(body: str, reason: str) -> None:
    converted = convert_source(SEQUENCE.format(body=body))
    (finding,) = converted.findings
    assert finding.tier.value != "native"
    assert any(reason in r.message for r in finding.reasons), finding.reasons
