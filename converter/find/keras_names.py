"""Which fully qualified names denote Keras' Sequence / PyDataset base class.

Keras has exported the class from many places over the years (``keras.utils``,
``keras.utils.data_utils``, ``keras.src...py_dataset_adapter``, ``tensorflow.keras.utils``,
``tensorflow.python.keras...``, ``tf_keras...``); matching the shape of the name rather than a
fixed list keeps new re-exports working without making ``collections.abc.Sequence`` or
``typing.Sequence`` look like one.
"""

from __future__ import annotations

import re

_KERAS_ROOTS = r"(?:keras|tf_keras|tensorflow\.keras|tensorflow\.python\.keras|tensorflow\.compat\.v[12]\.keras)"
_KERAS_SEQUENCE = re.compile(_KERAS_ROOTS + r"(?:\.[A-Za-z_][A-Za-z0-9_]*)*\.(?:Sequence|PyDataset)")
_BASE_NAMES = ("Sequence", "PyDataset")


def is_keras_sequence_name(qualified_name: str) -> bool:
    return _KERAS_SEQUENCE.fullmatch(qualified_name) is not None


def looks_like_sequence_spelling(name: str) -> bool:
    """True for a bare spelling such as ``Sequence`` that a star import could have bound."""
    return name.rsplit(".", 1)[-1] in _BASE_NAMES


def is_keras_module(module_name: str) -> bool:
    return re.fullmatch(_KERAS_ROOTS + r"(?:\.[A-Za-z_][A-Za-z0-9_]*)*", module_name) is not None
