"""Which classes are converted, under every import spelling, and which are left alone."""

from __future__ import annotations

import textwrap

import pytest

from seq2tfdata import Options, Tier, convert_source

BODY = """
    def __len__(self):
        return 3

    def __getitem__(self, index):
        return index
"""


def _module(header: str, bases: str, body: str = BODY) -> str:
    return textwrap.dedent(header).lstrip() + f"\n\nclass Gen({bases}):" + body


def _tiers(code: str) -> dict[str, str]:
    """Class name -> "converted" or "skipped"; which tier is the planners' business."""
    result = convert_source(code)
    assert result.error is None, result.error
    return {f.name: "skipped" if f.tier is Tier.SKIPPED else "converted" for f in result.findings}


@pytest.mark.parametrize(
    ("header", "bases"),
    [
        pytest.param("import keras", "keras.utils.Sequence", id="keras.utils.Sequence"),
        pytest.param("import keras", "keras.utils.PyDataset", id="keras.utils.PyDataset"),
        pytest.param("import tensorflow as tf", "tf.keras.utils.Sequence", id="tf.keras alias"),
        pytest.param("import tensorflow", "tensorflow.keras.utils.PyDataset", id="tensorflow.keras"),
        pytest.param("from tensorflow import keras", "keras.utils.Sequence", id="from tensorflow import keras"),
        pytest.param("from tensorflow.keras.utils import Sequence", "Sequence", id="from tensorflow.keras.utils"),
        pytest.param("import tf_keras", "tf_keras.utils.Sequence", id="tf_keras"),
        pytest.param("from keras.utils.data_utils import Sequence", "Sequence", id="keras 2 data_utils"),
        pytest.param(
            "from keras.src.trainers.data_adapters.py_dataset_adapter import PyDataset", "PyDataset", id="keras.src"
        ),
        pytest.param("from keras.utils import Sequence as S", "S", id="from-import alias"),
        pytest.param("import keras as K", "K.utils.Sequence", id="module alias"),
        pytest.param("import keras\nSequence = keras.utils.Sequence", "Sequence", id="module-level alias"),
        pytest.param("from keras.utils import data_utils\nBase = data_utils.Sequence", "Base", id="data_utils alias"),
        pytest.param("import tensorflow as tf\nks = tf.keras", "ks.utils.Sequence", id="alias of tf.keras"),
        pytest.param(
            "import keras\ntry:\n    S = keras.utils.PyDataset\nexcept AttributeError:\n    S = keras.utils.Sequence",
            "S",
            id="alias chosen by try/except",
        ),
        pytest.param("from keras import utils", "utils.PyDataset", id="submodule import"),
        pytest.param("import keras\nclass Mixin:\n    pass", "Mixin, keras.utils.Sequence", id="multiple inheritance"),
    ],
)
def test_keras_bases_are_found(header: str, bases: str) -> None:
    assert _tiers(_module(header, bases)) == {"Gen": "converted"}


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(_module("import collections.abc", "collections.abc.Sequence"), id="collections.abc.Sequence"),
        pytest.param(_module("from typing import Sequence", "Sequence"), id="typing.Sequence"),
        pytest.param(_module("class Sequence:\n    pass", "Sequence"), id="local class named Sequence"),
        pytest.param("import keras\nx = keras.utils.Sequence\n", id="no class"),
        pytest.param("class Broken(:\n", id="syntax error"),
    ],
)
def test_lookalikes_are_left_byte_identical(code: str) -> None:
    result = convert_source(code)
    assert result.code == code
    assert result.findings == ()


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        pytest.param(
            _module("from mylib.utils import Sequence", "Sequence"),
            "resolves to `mylib.utils.Sequence`, which is not Keras'",
            id="other library's Sequence",
        ),
        pytest.param(
            _module("import keras\ntry:\n    Base = keras.utils.Sequence\nexcept ImportError:\n    Base = object", "Base"),
            "may be any of ['builtins.object', 'keras.utils.Sequence']",
            id="alias that may be object",
        ),
    ],
)
def test_unresolved_lookalikes_are_reported_and_left_byte_identical(code: str, reason: str) -> None:
    result = convert_source(code)
    assert result.code == code
    [finding] = result.findings
    assert finding.tier is Tier.SKIPPED and reason in finding.reasons[0].message


def test_an_alias_shadowed_inside_a_function_is_not_the_module_alias() -> None:
    code = _module("import keras\n\ndef make():\n    Base = keras.utils.Sequence\n    return Base", "Base")
    assert _tiers(code) == {}


def test_subclass_of_subclass_and_nested_class_are_converted() -> None:
    code = textwrap.dedent(
        """
        import keras

        class Base(keras.utils.Sequence):
            def __len__(self):
                return 2

            def __getitem__(self, index):
                return index

        class Child(Base):
            pass

        def factory():
            class Inner(Child):
                def on_epoch_end(self):
                    pass
            return Inner
        """
    )
    assert _tiers(code) == {"Base": "converted", "Child": "converted", "factory.<locals>.Inner": "converted"}


@pytest.mark.parametrize(
    ("code", "message"),
    [
        pytest.param(
            "import keras\nclass A(keras.utils.Sequence):\n    def __len__(self):\n        return 1\n",
            "abstract (no __getitem__",
            id="no getitem",
        ),
        pytest.param(
            "import keras\nclass A(keras.utils.Sequence):\n    def __getitem__(self, i):\n"
            '        """Subclasses load the batch."""\n        raise NotImplementedError\n',
            "abstract (__getitem__ raises NotImplementedError)",
            id="getitem raises NotImplementedError",
        ),
        pytest.param(
            "import keras\nclass A(keras.utils.Sequence):\n    def __getitem__(self, i):\n        return i\n"
            "    def to_tf_dataset(self):\n        return None\n",
            "has a hand-written to_tf_dataset()",
            id="hand-written to_tf_dataset",
        ),
        pytest.param(
            "from keras.utils import *\nclass A(Sequence):\n    def __getitem__(self, i):\n        return i\n",
            "may come from `from keras.utils import *` at line 1",
            id="star import",
        ),
        pytest.param(
            "bases = ()\nclass A(*bases):\n    def __getitem__(self, i):\n        return i\n",
            None,
            id="starred bases without a Sequence hint",
        ),
    ],
)
def test_unconvertible_classes_are_reported_and_left_alone(code: str, message: str | None) -> None:
    result = convert_source(code, Options(path="m.py"))
    assert result.code == code
    if message is None:
        return
    (finding,) = result.findings
    assert finding.tier is Tier.SKIPPED
    assert message in finding.reasons[0].message


def test_subclass_inherits_hand_written_method_is_skipped() -> None:
    code = (
        "import keras\nclass A(keras.utils.Sequence):\n    def __getitem__(self, i):\n        return i\n"
        "    def to_tf_dataset(self):\n        return None\n\nclass B(A):\n    pass\n"
    )
    result = convert_source(code)
    assert [(f.name, f.tier) for f in result.findings] == [("A", Tier.SKIPPED), ("B", Tier.SKIPPED)]
    assert "inherits from `A`" in result.findings[1].reasons[0].message


def test_reason_positions_point_at_the_construct() -> None:
    code = "import keras\n\nclass A(keras.utils.Sequence):\n    def __getitem__(self, i):\n        raise NotImplementedError()\n"
    (finding,) = convert_source(code).findings
    assert (finding.line, finding.col) == (3, 7)
    assert (finding.reasons[0].line, finding.reasons[0].col) == (4, 5)
