"""Never worse than a hand-written ``from_generator`` wrapper.

What the analysis cannot prove is checked when ``to_tf_dataset()`` is called; data that breaks
an assumption is served by the generator pipeline, with one warning, and the batches stay the
Sequence's. The generator tier itself takes whatever ``fit(seq)`` takes.
"""

from __future__ import annotations

import importlib.util
import textwrap
import warnings
from pathlib import Path

import pytest

from seq2tfdata import Options, Tier, convert_source
from seq2tfdata.markers import FALLBACK_WARNING

tf = pytest.importorskip("tensorflow")
np = pytest.importorskip("numpy")


def _converted_module(tmp_path: Path, source: str, tier: Tier = Tier.NATIVE):
    result = convert_source(textwrap.dedent(source), Options(max_tier=tier))
    assert result.error is None, result.error
    path = tmp_path / f"converted_{tier.value}.py"
    path.write_text(result.code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, {finding.name: finding.tier for finding in result.findings}


def _verify(factory, tmp_path: Path):
    from seq2tfdata.verify import verify_equivalence

    report = verify_equivalence(factory, epochs=2, workdir=tmp_path / "verify")
    assert report.ok, report.render()
    return report


PER_ITEM = """\
    import numpy as np
    from keras.utils import Sequence


    class Crops(Sequence):
        def __init__(self, images, labels):
            super().__init__()
            self.images, self.labels = images, labels

        def __len__(self):
            return len(self.images)

        def __getitem__(self, i):
            return self.images[i], self.labels[i]
"""

FULL_BATCH = """\
    import numpy as np
    from keras.utils import Sequence


    class WholeGraph(Sequence):
        def __init__(self, inputs, targets):
            super().__init__()
            self.inputs, self.targets = inputs, targets

        def __len__(self):
            return 1

        def __getitem__(self, index):
            return self.inputs, self.targets
"""


def test_per_item_shapes_that_agree_take_the_native_pipeline(tmp_path: Path) -> None:
    module, tiers = _converted_module(tmp_path, PER_ITEM)
    assert tiers["Crops"] is Tier.NATIVE
    images = [np.full((3, 4), i, dtype=np.float32) for i in range(4)]
    report = _verify(lambda: module.Crops(images, np.arange(4)), tmp_path)
    assert report.fallback is None


def test_per_item_shapes_that_vary_in_two_dimensions_fall_back(tmp_path: Path) -> None:
    module, _ = _converted_module(tmp_path, PER_ITEM)
    images = [np.ones((n, n + 1), dtype=np.float32) for n in (2, 3, 4)]
    report = _verify(lambda: module.Crops(images, np.arange(3)), tmp_path)
    assert report.fallback is not None and FALLBACK_WARNING in report.fallback
    assert "Crops" in report.fallback and "converted_native.py:" in report.fallback


def test_full_batch_of_differently_shaped_inputs_falls_back(tmp_path: Path) -> None:
    module, tiers = _converted_module(tmp_path, FULL_BATCH)
    assert tiers["WholeGraph"] is Tier.NATIVE

    def factory():
        rng = np.random.default_rng(0)
        return module.WholeGraph([rng.normal(size=(5, 3)), rng.normal(size=(5, 5))], np.ones((5, 1)))

    report = _verify(factory, tmp_path)
    assert report.fallback is not None and "does not fit" in report.fallback


def test_a_list_of_same_shaped_inputs_is_still_a_tuple_of_inputs(tmp_path: Path) -> None:
    # np.asarray would stack the list into one array; Keras sees two inputs.
    module, _ = _converted_module(tmp_path, FULL_BATCH)
    factory = lambda: module.WholeGraph([np.zeros((5, 5)), np.ones((5, 5))], np.ones((5, 1)))  # noqa: E731
    report = _verify(factory, tmp_path)
    assert report.fallback is not None and "structured unlike" in report.fallback


def test_the_fallback_warns_once_per_call_and_never_raises(tmp_path: Path) -> None:
    module, _ = _converted_module(tmp_path, PER_ITEM)
    sequence = module.Crops([np.ones((n, 2 * n)) for n in (1, 2)], np.arange(2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dataset = sequence.to_tf_dataset()
    assert [w.category for w in caught] == [RuntimeWarning]
    assert [x.shape for x, _ in dataset.as_numpy_iterator()] == [(1, 2), (2, 4)]


def test_columns_of_different_lengths_fall_back(tmp_path: Path) -> None:
    # The Sequence slices both by the batch index and never notices; the row table cannot.
    source = """\
        import math

        from keras.utils import Sequence


        class Pairs(Sequence):
            def __init__(self, x, y, batch_size):
                super().__init__()
                self.x, self.y, self.batch_size = x, y, batch_size

            def __len__(self):
                return math.ceil(len(self.x) / self.batch_size)

            def __getitem__(self, idx):
                start = idx * self.batch_size
                return self.x[start:start + self.batch_size], self.y[start:start + self.batch_size]
    """
    module, tiers = _converted_module(tmp_path, source)
    assert tiers["Pairs"] is Tier.NATIVE
    same = _verify(lambda: module.Pairs(np.arange(10.0), np.arange(10), 4), tmp_path)
    assert same.fallback is None
    longer = _verify(lambda: module.Pairs(np.arange(10.0), np.arange(12), 4), tmp_path)
    assert longer.fallback is not None and "different numbers of rows" in longer.fallback


GENERATOR_LEAVES = """\
    import numpy as np
    import tensorflow as tf
    from keras.utils import Sequence


    class Leaves(Sequence):
        def __init__(self, kind):
            super().__init__()
            self.kind = kind
            self.log = []

        def __len__(self):
            return 3

        def __getitem__(self, i):
            self.log.append(i)
            x = np.full((2, i + 1), i, dtype=np.float32)
            if self.kind == "none-target":
                return (x, x), None
            if self.kind == "none-weight":
                return x, x[:, :1], None
            if self.kind == "sparse":
                return tf.sparse.from_dense(x), np.arange(2)
            if self.kind == "ragged":
                return tf.ragged.constant([[1.0] * (i + 1), [2.0]]), tf.constant(["a", "b"])
            return {"tokens": np.array([["a"] * (i + 1)] * 2), "ids": tf.constant(x)}, np.ones(2)
"""


@pytest.mark.parametrize("kind", ["none-target", "none-weight", "sparse", "ragged", "strings"])
def test_generator_tier_serves_every_leaf_fit_accepts(kind: str, tmp_path: Path) -> None:
    module, tiers = _converted_module(tmp_path, GENERATOR_LEAVES)
    assert tiers["Leaves"] is Tier.GENERATOR
    _verify(lambda: module.Leaves(kind), tmp_path)


def test_none_leaves_survive_as_none_for_keras(tmp_path: Path) -> None:
    module, _ = _converted_module(tmp_path, GENERATOR_LEAVES)
    (inputs, target), *_ = list(module.Leaves("none-target").to_tf_dataset())
    assert target is None and inputs[0].shape == (2, 1)


ENDLESS = """\
    import numpy as np
    import keras


    class Simulator(keras.utils.PyDataset):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.calls = 0

        @property
        def num_batches(self):
            return None

        def __getitem__(self, i):
            self.calls += 1
            return np.full((2, 3), i, dtype=np.float32), np.zeros((2, 1), dtype=np.float32)
"""


def test_endless_pydataset_is_an_endless_pass_without_cardinality(tmp_path: Path) -> None:
    module, _ = _converted_module(tmp_path, ENDLESS)
    dataset = module.Simulator().to_tf_dataset()
    assert int(dataset.cardinality()) == int(tf.data.UNKNOWN_CARDINALITY)
    assert [int(x[0, 0]) for x, _ in dataset.take(7).as_numpy_iterator()] == list(range(7))


SHRINKING = """\
    import math

    import numpy as np
    from tensorflow import keras


    class Shrinking(keras.utils.Sequence):
        def __init__(self, x, batch_size):
            super().__init__()
            self.x, self.batch_size = x, batch_size

        def __len__(self):
            return math.ceil(len(self.x) / self.batch_size)

        def __getitem__(self, i):
            start = i * self.batch_size
            if start + self.batch_size > len(self.x):
                self.batch_size = len(self.x) - start
            return self.x[start:start + self.batch_size], None
"""


def test_a_len_that_changes_between_epochs_is_read_every_pass(tmp_path: Path) -> None:
    module, tiers = _converted_module(tmp_path, SHRINKING)
    assert tiers["Shrinking"] is Tier.GENERATOR
    report = _verify(lambda: module.Shrinking(np.arange(10.0), 4), tmp_path)
    assert report.batches_per_epoch == [3, 5]
    generated = (tmp_path / "converted_native.py").read_text(encoding="utf-8")
    assert "assert_cardinality(" not in generated
    assert "changes self.batch_size, which the batch count reads" in generated


def test_an_empty_sequence_is_an_empty_pass(tmp_path: Path) -> None:
    module, _ = _converted_module(tmp_path, GENERATOR_LEAVES.replace("return 3", "return 0"))
    assert list(module.Leaves("sparse").to_tf_dataset()) == []


@pytest.mark.parametrize("tier", [Tier.NATIVE, Tier.HYBRID, Tier.GENERATOR])
def test_every_tier_serves_none_targets(tier: Tier, tmp_path: Path) -> None:
    source = """\
        import numpy as np
        from keras.utils import Sequence


        class Unsupervised(Sequence):
            def __init__(self, x, batch_size):
                super().__init__()
                self.x, self.batch_size = x, batch_size

            def __len__(self):
                return -(-len(self.x) // self.batch_size)

            def __getitem__(self, idx):
                return self.x[idx * self.batch_size:(idx + 1) * self.batch_size], None
    """
    module, _ = _converted_module(tmp_path, source, tier)
    _verify(lambda: module.Unsupervised(np.arange(10.0).reshape(5, 2), 2), tmp_path)
