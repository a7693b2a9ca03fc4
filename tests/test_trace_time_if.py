"""``if self.flag:`` in batch code stays one ``if`` block in the generated function, each variable
the branches assign being one local both sides set; the batches match the Sequence's for every
flag value, also where a variable another one still reads is reassigned."""

from __future__ import annotations

from pathlib import Path

import pytest

from seq2tfdata import convert_source
from tests.fixture_cases import converted_module, verified

SEQUENCE = '''\
import math

import numpy as np
import keras


class Flagged(keras.utils.Sequence):
    def __init__(self, x, y, flag, mode="train", batch_size=4, **kwargs):
        super().__init__(**kwargs)
        self.x = x
        self.y = y
        self.flag = flag
        self.mode = mode
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def _scaled(self, values):
        if self.flag:
            values = values * 2.0
        return values

    def __getitem__(self, idx):
        batch = self.x[idx * self.batch_size : (idx + 1) * self.batch_size]
        labels = self.y[idx * self.batch_size : (idx + 1) * self.batch_size]
{body}


def build(tmp_path, flag=True, mode="train"):
    rng = np.random.default_rng(3)
    return Flagged(rng.normal(size=(10, 3)), rng.integers(0, 4, size=10), flag, mode)


def build_off(tmp_path):
    return build(tmp_path, flag=False, mode="test")
'''

CASES = [
    pytest.param(
        """\
        if self.flag:
            batch = batch - batch.mean(axis=0)
        return batch, labels""",
        ["batch = x", "if self.flag:", "batch = np_subtract(batch, np_mean(batch, axis=0))"],
        id="reassigned-in-one-branch",
    ),
    pytest.param(
        """\
        if self.mode == "train":
            labels = labels + 1
        elif self.flag:
            labels = labels * 0
        else:
            labels = labels - 1
        return batch, labels""",
        ['if self.mode == "train":', "elif self.flag:", "else:"],
        id="elif-chain",
    ),
    pytest.param(
        """\
        centred = batch - 1.0
        before = centred
        if self.flag:
            centred = centred * 3.0
        return before, centred""",
        # ``before`` still reads the first value, so the branch works on a copy.
        ["centred = np_subtract(x, 1.0)", "centred_1 = centred", "if self.flag:", "return (centred, centred_1)"],
        id="alias-kept",
    ),
    pytest.param(
        """\
        scaled = batch + 0.0
        doubled = self._scaled(scaled)
        return scaled, doubled""",
        # The helper's argument is the caller's local: the helper's branch must not overwrite it.
        ["scaled = np_add(x, 0.0)", "values = scaled", "if self.flag:", "return (scaled, values)"],
        id="helper-argument-kept",
    ),
    pytest.param(
        """\
        if self.flag:
            extra = labels * 2
            labels = labels + extra
        return batch, labels""",
        ["labels = y", "if self.flag:", "extra = np_multiply(labels, 2)", "labels = np_add(labels, extra)"],
        id="local-of-one-branch",
    ),
]


@pytest.mark.parametrize(("body", "expected_lines"), CASES)
def test_flag_stays_one_if_block_and_is_equivalent(body: str, expected_lines: list[str], tmp_path: Path) -> None:
    code, module = converted_module(SEQUENCE.format(body=body), "native", tmp_path)
    pipeline = code[code.index("def tf_data_pipeline") : code.index("def generator_pipeline")]
    assert " else None" not in pipeline
    stripped = [line.strip() for line in pipeline.splitlines()]
    for expected in expected_lines:
        assert expected in stripped, expected
    for factory in ("build", "build_off"):
        verified(module, factory, tmp_path)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        # Only one side sets it, so the user's code reads an unset variable when the flag is off.
        pytest.param(
            "        if self.flag:\n            extra = labels * 2\n        return batch, extra",
            "`extra`",
            id="set-on-one-side",
        ),
        # Two different Python values: the pipeline could only pick one at trace time.
        pytest.param(
            "        scale = 2\n        if self.flag:\n            scale = 3\n        return batch * scale, labels",
            "scale",
            id="python-values-differ",
        ),
    ],
)
def test_branches_the_pipeline_cannot_select_stay_off_the_native_tier(body: str, reason: str) -> None:
    result = convert_source(SEQUENCE.format(body=body))
    (finding,) = result.findings
    assert finding.tier.value != "native"
    assert any(reason in r.message for r in finding.reasons), finding.reasons
