"""``remove_generated`` (``convert --remove``): strip generated blocks, byte-identical to the
file before it was first converted."""

from __future__ import annotations

from pathlib import Path

import pytest

from seq2tfdata import convert_source
from seq2tfdata.remove import remove_generated
from tests.fixture_cases import fixture_cases

SEQUENCE = """\
from tensorflow import keras


class Batches(keras.utils.Sequence):
    def __len__(self):
        return 2

    def __getitem__(self, index):
        return [index], [index]
"""

USES_NUMPY = SEQUENCE.replace("[index], [index]", "np.array([index]), [index]").replace(
    "from tensorflow import keras\n", "from tensorflow import keras\nimport numpy as np\n"
)
NO_IMPORTS_DOCSTRING = '"""Docs."""\n\n' + SEQUENCE.split("\n\n\n", 1)[1].replace("keras.utils", "Base")
TWO_CLASSES = SEQUENCE + "\n\nclass More(Batches):\n    pass\n"
CRLF_BOM = "\ufeff" + SEQUENCE.replace("\n", "\r\n")
COMMENTED = SEQUENCE.replace("    def __len__", "    # keep me\n    def __len__")


def _converted(code: str) -> str:
    result = convert_source(code)
    assert result.error is None and result.changed
    return result.code


@pytest.mark.parametrize(
    "before",
    [
        pytest.param(SEQUENCE, id="adds tf, np and warnings, all removed"),
        pytest.param(USES_NUMPY, id="numpy the user already imported stays"),
        pytest.param(TWO_CLASSES, id="subclass gets its own block"),
        pytest.param(CRLF_BOM, id="CRLF line breaks and BOM"),
        pytest.param(COMMENTED, id="comments inside the class"),
        pytest.param(SEQUENCE + "\n\n\n", id="trailing blank lines"),
    ],
)
def test_remove_undoes_convert(before: str) -> None:
    assert remove_generated(_converted(before)) == before


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param("x = 1\n", "x = 1\n", id="no generated block: unchanged"),
        pytest.param("def broken(:\n# seq2tfdata: begin generated to_tf_dataset\n", None, id="unparsable: unchanged"),
        pytest.param(
            "import numpy as np\n",
            "import numpy as np\n",
            id="unused import without any block: unchanged",
        ),
    ],
)
def test_remove_leaves_other_text_alone(before: str, after: str | None) -> None:
    assert remove_generated(before) == (before if after is None else after)


def test_imports_used_elsewhere_are_kept() -> None:
    converted = _converted(SEQUENCE) + "\n\nSCALE = np.float32(2)\n"
    removed = remove_generated(converted)
    assert "import numpy as np" in removed
    assert "import tensorflow as tf" not in removed
    assert "to_tf_dataset" not in removed


def test_import_with_a_comment_is_the_users() -> None:
    converted = _converted(SEQUENCE).replace("import warnings\n", "import warnings  # mine\n")
    assert "import warnings  # mine\n" in remove_generated(converted)


def test_half_a_block_is_user_code() -> None:
    converted = _converted(SEQUENCE)
    half = converted.replace("    # seq2tfdata: end generated to_tf_dataset\n", "")
    assert remove_generated(half) == half


def test_remove_is_idempotent() -> None:
    once = remove_generated(_converted(SEQUENCE))
    assert remove_generated(once) == once


@pytest.mark.parametrize("case", fixture_cases(), ids=lambda case: case.name)
def test_round_trip_over_every_fixture(case: Path) -> None:
    # expected.py is convert(input.py), as the golden tests check; reading it keeps this fast.
    source = (case / "input.py").read_text(encoding="utf-8")
    expected = (case / "expected.py").read_text(encoding="utf-8")
    assert remove_generated(expected) == source
