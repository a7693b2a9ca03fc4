"""A translation abandoned halfway (the native tier gives a row or a batch to numpy_function)
leaves nothing behind: no path table, no .npy reader and no first-file read it no longer needs."""

from __future__ import annotations

from dataclasses import fields

import pytest

from seq2tfdata import convert_source
from seq2tfdata.analyse.native.image_formats import ImageReads
from seq2tfdata.analyse.native.program_facts import Program
from seq2tfdata.analyse.native.values import PadSpec, Permutation, PythonStep
from seq2tfdata.translate.helpers import Helper

LOADER = '''\
import os

import numpy as np
from tensorflow import keras


class Loader(keras.utils.Sequence):
    def __init__(self, ids, root, batch_size):
        super().__init__()
        self.ids = ids
        self.root = root
        self.batch_size = batch_size

    def __len__(self):
        return len(self.ids) // self.batch_size

    def __getitem__(self, idx):
        batch = self.ids[idx * self.batch_size : (idx + 1) * self.batch_size]
        x = np.stack([{row} for i in batch])
        return x
'''
PATH = 'os.path.join(self.root, i + ".npy")'


@pytest.mark.parametrize(
    ("row", "tier", "reads_npy_natively"),
    [
        pytest.param(f"np.load({PATH})", "native", True, id="npy-read-natively"),
        # np.fft has no exact translation: the whole row runs in numpy_function, which opens
        # the file itself, so the native reader that was started for np.load must not remain.
        pytest.param(f"np.fft.fft(np.load({PATH})).real", "hybrid", False, id="npy-abandoned"),
    ],
)
def test_an_abandoned_translation_leaves_no_reader(row: str, tier: str, reads_npy_natively: bool) -> None:
    result = convert_source(LOADER.format(row=row))
    assert [finding.tier.value for finding in result.findings] == [tier]
    pipeline = result.code[result.code.index("def tf_data_pipeline") : result.code.index("def generator_pipeline")]
    assert ("def read_npy(" in pipeline) is reads_npy_natively
    assert ("first_path" in pipeline) is reads_npy_natively
    assert (".npy" in pipeline.split("def python_row_0_numpy")[0]) is reads_npy_natively


def _filled_program() -> Program:
    program = Program(
        stage="batch",
        batch_size="self.batch_size",
        columns=["ids"],
        padding={"x": PadSpec(None, "int32", "post", "post", "0")},
        permutation=Permutation("indexes", "ids", "True"),
        sample_outputs={"ids": "ids_row(k)"},
        tables={"labels_table": "self.labels[k]"},
        npy_paths="labels_table",
        images=ImageReads({"RGB"}, ["table_0"]),
        python_rows={"python_row_0": "f(k)"},
        python_batches={"python_batch_0": PythonStep("g(x)", ["x"])},
        assumed_pure=["pkg.f"],
        row_bindings={"a": "tf.abs(k)"},
        element_bindings={"b": "tf.abs(ids)"},
        helpers={"np_f": Helper("np_f", "x", ("return x",))},
    )
    return program


def test_rollback_restores_every_field() -> None:
    program = _filled_program()
    saved = program.checkpoint()
    for f in fields(program):
        value = getattr(program, f.name)
        if isinstance(value, dict):
            value["added"] = "x"
        elif isinstance(value, list):
            value.append("added")
        elif isinstance(value, ImageReads):
            value.converted.add("RGBA")
            value.stored_tables.append("added")
        else:
            setattr(program, f.name, None)
    program.rollback(saved)
    assert program == _filled_program()
