"""A downgrade names what would lift the class a tier, and following the advice does lift it."""

from __future__ import annotations

from pathlib import Path

import pytest

from seq2tfdata import convert_source
from seq2tfdata.analyse.native.lifts import LIFTS
from seq2tfdata.translate import translate_call

SEQUENCE = """
import math

import cv2
import numpy as np
import tensorflow as tf
import keras


class Resized(keras.utils.Sequence):
    def __init__(self, images, batch_size=2, **kwargs):
        super().__init__(**kwargs)
        self.images = images
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.images) / self.batch_size)

    def __getitem__(self, idx):
        batch = self.images[idx * self.batch_size:(idx + 1) * self.batch_size]
        return np.stack([{resize} for image in batch])


def build(tmp_path):
    return Resized(np.random.default_rng(0).random((5, 16, 12, 3)).astype(np.float32))
"""


def test_every_lifted_call_really_has_no_translation() -> None:
    assert LIFTS
    for name in LIFTS:
        assert translate_call(name, ["x"], {}, {}) is None, name


def test_the_advice_for_cv2_resize_makes_the_class_native(tmp_path: Path) -> None:
    from seq2tfdata.verify import load_factory, verify_equivalence

    before = convert_source(SEQUENCE.format(resize="cv2.resize(image, (8, 8))"))
    (finding,) = before.findings
    assert finding.tier.value != "native"
    (reason,) = [r for r in finding.reasons if "cv2.resize" in r.message]
    assert "tf.image.resize(image, size, antialias=True)" in reason.message and "to make it native" in reason.message
    assert (reason.line, reason.col) == (21, 26)

    after = convert_source(SEQUENCE.format(resize="tf.image.resize(image, (8, 8), antialias=True)"))
    (finding,) = after.findings
    assert finding.tier.value == "native", finding.reasons
    module = tmp_path / "resized.py"
    module.write_text(after.code.replace("import cv2\n", ""), encoding="utf-8")
    report = verify_equivalence(load_factory(f"{module}:build"), epochs=2, workdir=tmp_path / "work")
    assert report.ok, report.render()


@pytest.mark.parametrize(
    ("call", "advice"),
    [
        pytest.param("np.random.choice(image.ravel(), 4)", "np.random.randint(0, n, size)", id="choice"),
        pytest.param("cv2.cvtColor(image, cv2.COLOR_BGR2RGB)", "x[..., ::-1]", id="cvtColor"),
        pytest.param("tf.image.random_flip_left_right(image)", "", id="tf-random-op-is-not-passed-through"),
    ],
)
def test_untranslatable_calls_carry_their_advice(call: str, advice: str) -> None:
    converted = convert_source(SEQUENCE.format(resize=call))
    (finding,) = converted.findings
    assert finding.tier.value != "native"
    assert any(advice in r.message for r in finding.reasons), finding.reasons
