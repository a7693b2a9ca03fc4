"""Random draws (augmentation) become tf.random stateless ops: same dtypes and shapes as numpy's
draws (a size-less draw is a weakly typed Python number), new values every pass; constructs with
no such translation keep the class off the native tier, with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from seq2tfdata import convert_source

SEQUENCE = """
import math
import random

import numpy as np
import keras


class Drawn(keras.utils.Sequence):
    def __init__(self, x, batch_size=4, **kwargs):
        super().__init__(**kwargs)
        self.x = x
        self.batch_size = batch_size
        self.scale = 0.5

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, idx):
        batch = self.x[idx * self.batch_size:(idx + 1) * self.batch_size]
        return {result}


def build(tmp_path):
    return Drawn(np.arange(30, dtype={dtype}).reshape(10, 3))
"""

DRAWS = [
    pytest.param("batch * np.random.rand()", "np.float32", id="weak-float-keeps-float32"),
    pytest.param("batch * np.random.uniform(0.5, 1.5)", "np.int32", id="weak-float-promotes-int"),
    pytest.param("batch + np.random.randint(0, 3)", "np.int32", id="weak-int-keeps-int32"),
    pytest.param("batch + np.random.randint(3)", "np.uint8", id="weak-int-keeps-uint8"),
    pytest.param("batch + np.random.normal(0.0, self.scale, size=batch.shape)", "np.float32", id="sized-normal-float64"),
    pytest.param("np.random.rand(2, 3)", "np.float32", id="rand-dims"),
    pytest.param("np.random.randn(len(batch))", "np.float32", id="randn-batch-length"),
    pytest.param("(batch, np.random.random(size=(batch.shape[0], 2)))", "np.float32", id="random-size-tuple"),
    pytest.param("np.random.standard_normal(batch.shape)", "np.float32", id="standard-normal"),
    pytest.param("np.random.randint(1, 5, size=batch.shape)", "np.float32", id="randint-int64"),
    pytest.param("batch - random.random()", "np.float64", id="python-random"),
    pytest.param("batch * random.uniform(0.9, 1.1) + random.gauss(0, 1)", "np.float32", id="python-uniform-gauss"),
    pytest.param("batch + random.randint(0, 2)", "np.int64", id="python-randint-inclusive"),
    pytest.param("batch * (np.random.rand() * 0.2 + 0.9)", "np.float16", id="draw-arithmetic"),
    # A method of the drawn array itself (bench/sequences/augment.py, the usual noise line).
    pytest.param(
        "batch + np.random.normal(0.0, 0.05, size=batch.shape).astype(np.float32)", "np.float32", id="draw-astype"
    ),
    pytest.param("(batch + np.random.normal(size=batch.shape)).astype(np.float16)", "np.float32", id="sum-astype"),
]


@pytest.mark.parametrize(("result", "dtype"), DRAWS)
def test_draw_is_native_and_matches_numpy_in_dtype_and_shape(result: str, dtype: str, tmp_path: Path) -> None:
    from seq2tfdata.verify import load_factory, verify_equivalence

    converted = convert_source(SEQUENCE.format(result=result, dtype=dtype))
    assert converted.error is None, converted.error
    (finding,) = converted.findings
    assert finding.tier.value == "native", finding.reasons
    module = tmp_path / "drawn.py"
    module.write_text(converted.code, encoding="utf-8")
    report = verify_equivalence(load_factory(f"{module}:build"), epochs=2, workdir=tmp_path / "work")
    assert report.ok, report.render()
    assert report.drawn_epochs == (0, 1), report.render()


BRANCHED = SEQUENCE.replace(
    "        return {result}",
    """        if np.random.rand() < self.flip_probability:
            batch = batch[:, ::-1]
        if self.jitter and random.random() < 0.5:
            batch = batch + 1
        return batch""",
).replace("        self.scale = 0.5", "        self.flip_probability = 0.5\n        self.jitter = True")


def test_drawn_branches_become_tf_cond(tmp_path: Path) -> None:
    from seq2tfdata.verify import load_factory, verify_equivalence

    converted = convert_source(BRANCHED.format(dtype="np.float32"))
    (finding,) = converted.findings
    assert finding.tier.value == "native", finding.reasons
    assert converted.code.count("tf.cond(") == 2
    module = tmp_path / "branched.py"
    module.write_text(converted.code, encoding="utf-8")
    report = verify_equivalence(load_factory(f"{module}:build"), epochs=2, workdir=tmp_path / "work")
    assert report.ok and report.drawn_epochs == (0, 1), report.render()


@pytest.mark.parametrize(
    ("result", "construct"),
    [
        pytest.param("np.random.choice(batch.ravel(), 3)", "np.random.choice", id="choice"),
        pytest.param("np.random.permutation(batch)", "np.random.permutation", id="permutation"),
        pytest.param("batch * np.random.uniform(0.5, 1.5, 3, 4)", "np.random.uniform", id="too-many-arguments"),
        pytest.param("np.random.shuffle(batch)", "np.random.shuffle", id="shuffle-in-place"),
        pytest.param("batch + self.rng.normal(size=batch.shape)", "self.rng.normal", id="generator-on-self"),
        # A method of a drawn array with no translation, or a cast to a dtype only the run time knows.
        pytest.param("np.random.rand(3, 2).tolist()", ".tolist", id="draw-method-untranslated"),
        pytest.param("batch + np.random.normal(size=batch.shape).astype(self.kind)", ".astype", id="draw-astype-unknown"),
    ],
)
def test_untranslatable_draw_keeps_the_class_off_the_native_tier(result: str, construct: str | None) -> None:
    converted = convert_source(SEQUENCE.format(result=result, dtype="np.float32").replace(
        "self.scale = 0.5", "self.scale = 0.5\n        self.rng = np.random.default_rng(0)\n        self.kind = 'float32'"))
    (finding,) = converted.findings
    assert finding.tier.value == "generator"
    assert "(native tier)" not in converted.code
    if construct is not None:
        assert any(construct in reason.message for reason in finding.reasons), finding.reasons


MARKED = """
import numpy as np
import tensorflow as tf
import keras


class Marked(keras.utils.Sequence):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def __len__(self):
        return 2

    def __getitem__(self, idx):
        return np.full((2, 3), idx, dtype=np.float32) + np.random.normal(size=(2, 3)).astype(np.float32)

    def to_tf_dataset(self):
        # Random draws (augmentation) use tf.random stateless ops
        def batch(b, seed):
            return tf.cast(b, {dtype}) + tf.random.stateless_normal((2, {width}), seed=[seed, 0], dtype={dtype})

        draws = tf.data.Dataset.random(rerandomize_each_iteration=True)
        return tf.data.Dataset.zip((tf.data.Dataset.range(2), draws)).map(batch)


def build():
    return Marked()
"""


@pytest.mark.parametrize(
    ("dtype", "width", "kind"),
    [
        pytest.param("tf.float32", 3, None, id="right"),
        pytest.param("tf.float64", 3, "dtype", id="wrong-dtype"),
        pytest.param("tf.float32", 4, "shape", id="wrong-shape"),
    ],
)
def test_augmented_epochs_are_still_checked_for_dtype_and_shape(dtype, width, kind, tmp_path: Path) -> None:
    from seq2tfdata.verify import load_factory, verify_equivalence

    module = tmp_path / "marked.py"
    module.write_text(MARKED.format(dtype=dtype, width=width), encoding="utf-8")
    report = verify_equivalence(load_factory(f"{module}:build"), epochs=2, workdir=tmp_path / "work")
    assert report.ok is (kind is None), report.render()
    if kind is not None:
        assert report.mismatch.kind == kind


def test_a_marked_pipeline_whose_draws_are_off_is_compared_by_value(tmp_path: Path) -> None:
    from seq2tfdata.verify import load_factory, verify_equivalence

    source = MARKED.format(dtype="tf.float32", width=3).replace("seed=[seed, 0]", "seed=[0, 0]")
    module = tmp_path / "frozen.py"
    module.write_text(source, encoding="utf-8")
    report = verify_equivalence(load_factory(f"{module}:build"), epochs=2, workdir=tmp_path / "work")
    assert report.drawn_epochs == ()
    assert not report.ok and report.mismatch.kind == "values", report.render()


@pytest.mark.parametrize(
    "expression, warned",
    [
        pytest.param("np.random.normal(0.0, 0.01, size=(4, 3)).astype(np.float32)", False, id="cast-to-float32"),
        pytest.param("np.random.normal(0.0, 0.01, size=(4, 3)).astype('float16')", False, id="cast-to-float16-string"),
        pytest.param("np.random.normal(0.0, 0.01, size=(4, 3))", True, id="left-float64"),
        pytest.param("np.random.normal(0.0, 0.01, size=(4, 3)).astype(np.float64)", True, id="cast-to-float64"),
    ],
)
def test_a_draw_cast_at_once_is_not_reported_as_float64(expression: str, warned: bool) -> None:
    # Issue 12: the report said these batches "stay float64" when the code casts them.
    code = (
        "import numpy as np\nimport keras\n\n\nclass Noise(keras.utils.Sequence):\n"
        "    def __len__(self):\n        return 2\n\n"
        f"    def __getitem__(self, index):\n        return {expression}\n"
    )
    [finding] = convert_source(code).findings
    assert any("float64" in warning.message for warning in finding.warnings) == warned
