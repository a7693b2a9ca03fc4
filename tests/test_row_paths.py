"""Paths built per row from a directory attribute and an id (the Stanford tutorial's
``self.data_dir + "/" + ID + ".npy"``) are Python strings computed once per row, so the files are
read natively; arithmetic on an attribute whose type only the run time knows is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from seq2tfdata import convert_source
from tests.fixture_cases import converted_module, verified

LOADER = '''\
import os

import numpy as np
import keras


class Loader(keras.utils.Sequence):
    def __init__(self, ids, root, batch_size=2, offset=0):
        super().__init__()
        self.ids = ids
        self.root = root
        self.offset = offset
        self.batch_size = batch_size

    def __len__(self):
        return len(self.ids) // self.batch_size

    def __getitem__(self, idx):
        batch = self.ids[idx * self.batch_size : (idx + 1) * self.batch_size]
        return np.stack([np.load({path}) for i in batch])


def build(tmp_path):
    ids = [f"s{{n}}" for n in range(5)]
    for n, name in enumerate(ids):
        np.save(os.path.join(str(tmp_path), name + ".npy"), np.full((2, 3), n, dtype=np.float32))
    return Loader(ids, str(tmp_path))
'''


@pytest.mark.parametrize(
    "path",
    [
        pytest.param('self.root + "/" + i + ".npy"', id="concatenated"),
        pytest.param('f"{self.root}/{i}.npy"', id="f-string"),
        pytest.param('os.path.join(self.root, i + ".npy")', id="os-path-join"),
    ],
)
def test_string_paths_are_read_natively(path: str, tmp_path: Path) -> None:
    _, module = converted_module(LOADER.format(path=path), "native", tmp_path)
    assert verified(module, "build", tmp_path).fallback is None


def test_arithmetic_on_an_attribute_of_unknown_type_is_not_a_path() -> None:
    # ``self.offset + i`` might be numbers: numpy's result dtype would depend on their types.
    result = convert_source(LOADER.format(path="self.offset + i"))
    (finding,) = result.findings
    assert finding.tier.value != "native"
    assert any("per-row path" in reason.message for reason in finding.reasons), finding.reasons
