"""A batch is served without a copy only when no method writes, in place, an array it did not
allocate itself: otherwise a batch tf.data still holds (a view of ``self.x``) could change."""

from __future__ import annotations

from pathlib import Path

import pytest

from seq2tfdata import Options, Tier, convert_source
from tests.fixture_cases import verified

SEQUENCE = '''\
import math

import numpy as np
import keras


def scaled(values):
    values[:] = values * 2
    return values


class Batches(keras.utils.Sequence):
    def __init__(self, x, batch_size=4, **kwargs):
        super().__init__(**kwargs)
        self.x = x
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, idx):
{getitem}

{hook}


def build(tmp_path):
    return Batches(np.arange(30, dtype=np.float32).reshape(10, 3))
'''

SLICE = "        return self.x[idx * self.batch_size : (idx + 1) * self.batch_size]"
FILLED = """\
        batch = np.zeros((self.batch_size, 3), dtype=np.float32)
        for i, row in enumerate(self.x[idx * self.batch_size : (idx + 1) * self.batch_size]):
            batch[i] = row
        return batch[: i + 1]"""

HOOK = "    def on_epoch_end(self):\n        "

CASES = [
    pytest.param(SLICE, "", False, id="slice-no-hook"),
    pytest.param(FILLED, "", False, id="own-buffer-filled"),
    pytest.param(SLICE, HOOK + "self.x = self.x[::-1]", False, id="attribute-rebound"),
    pytest.param(SLICE, HOOK + "np.random.shuffle(self.x)", True, id="shuffled-in-place"),
    pytest.param(SLICE, HOOK + "self.x *= -1", True, id="updated-in-place"),
    pytest.param(SLICE, HOOK + "x = self.x\n        x[0] = 0", True, id="written-through-alias"),
    pytest.param(SLICE, HOOK + "scaled(self.x)", True, id="helper-writes-argument"),
    pytest.param(SLICE, HOOK + "self.augmenter(self.x)", True, id="object-held-on-self"),
]


@pytest.mark.parametrize(("getitem", "hook", "copies"), CASES)
def test_batches_are_copied_only_when_an_array_may_change(getitem: str, hook: str, copies: bool) -> None:
    result = convert_source(SEQUENCE.format(getitem=getitem, hook=hook), Options(max_tier=Tier.GENERATOR))
    assert result.error is None, result.error
    assert ("Served as it is" not in result.code) == copies


@pytest.mark.parametrize("hook", ["", HOOK + "self.x *= -1"], ids=["served", "copied"])
def test_served_and_copied_batches_are_the_sequences(hook: str, tmp_path: Path) -> None:
    result = convert_source(SEQUENCE.format(getitem=SLICE, hook=hook), Options(max_tier=Tier.GENERATOR))
    module = tmp_path / "batches.py"
    module.write_text(result.code, encoding="utf-8")
    verified(module, "build", tmp_path, epochs=3)
