"""The runtime equivalence harness, tried on Sequences with hand-written ``to_tf_dataset``."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import math
import subprocess
import sys
import textwrap
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from seq2tfdata.cli import verify_cmd
from seq2tfdata.verify import (
    VerifyError,
    VerifyReport,
    available_devices,
    load_factory,
    verify_equivalence,
)

DEVICES = available_devices()
N, BATCH = 10, 4  # three batches per epoch: 4, 4 and a partial 2
XY_SIGNATURE = (tf.TensorSpec((None, 3), tf.float64), tf.TensorSpec((None,), tf.int64))


def features() -> np.ndarray:
    return np.arange(N * 3, dtype=np.float64).reshape(N, 3) / 7


def labels() -> np.ndarray:
    return np.arange(N, dtype=np.int64) % 3


def generator_dataset(seq, signature) -> tf.data.Dataset:
    """What a generator-tier conversion emits: one epoch of the Sequence per pass."""

    def batches():
        seq.on_epoch_begin()
        for index in range(len(seq)):
            batch = seq[index]
            yield tuple(batch) if isinstance(batch, list) else batch
        seq.on_epoch_end()

    return tf.data.Dataset.from_generator(batches, output_signature=signature)


class ArraySequence(keras.utils.PyDataset):
    def __init__(self):
        super().__init__()
        self.x, self.y = features(), labels()

    def __len__(self):
        return math.ceil(N / BATCH)

    def __getitem__(self, index):
        rows = slice(index * BATCH, (index + 1) * BATCH)
        return self.x[rows], self.y[rows]

    def slices(self, x=None, y=None) -> tf.data.Dataset:
        pair = (self.x if x is None else x, self.y if y is None else y)
        return tf.data.Dataset.from_tensor_slices(pair)


class CorrectGenerator(ArraySequence):
    def to_tf_dataset(self):
        return generator_dataset(self, XY_SIGNATURE)


class CorrectNative(ArraySequence):
    def to_tf_dataset(self):
        return self.slices().batch(BATCH)


class CastsToFloat32(ArraySequence):
    def to_tf_dataset(self):
        return self.slices(x=self.x.astype(np.float32)).batch(BATCH)


class DropsPartialBatch(ArraySequence):
    def to_tf_dataset(self):
        return self.slices().batch(BATCH, drop_remainder=True)


class WrongLabel(ArraySequence):
    def to_tf_dataset(self):
        y = self.y.copy()
        y[6] += 1  # batch 1, row 2
        return self.slices(y=y).batch(BATCH)


class ReorderedNative(ArraySequence):
    """Right samples, wrong order, for a Sequence that never shuffles."""

    def to_tf_dataset(self):
        return self.slices().shuffle(N).batch(BATCH)


class ShufflingSequence(ArraySequence):
    def __init__(self):
        super().__init__()
        self.order = np.arange(N)
        self.on_epoch_end()

    def on_epoch_end(self):
        np.random.shuffle(self.order)

    def __getitem__(self, index):
        rows = self.order[index * BATCH : (index + 1) * BATCH]
        return self.x[rows], self.y[rows]


class ShufflingGenerator(ShufflingSequence):
    def to_tf_dataset(self):
        return generator_dataset(self, XY_SIGNATURE)


class ShufflingForgetsEpochEnd(ShufflingSequence):
    """tensorflow#48661: a wrapper that never calls on_epoch_end repeats epoch 0's order."""

    def to_tf_dataset(self):
        def batches():
            for index in range(len(self)):
                yield self[index]

        return tf.data.Dataset.from_generator(batches, output_signature=XY_SIGNATURE)


class ShufflingNative(ShufflingSequence):
    def to_tf_dataset(self):
        return self.slices().shuffle(N).batch(BATCH)


class ShufflingNativeWrongBatchSize(ShufflingSequence):
    def to_tf_dataset(self):
        return self.slices().shuffle(N).batch(BATCH + 1)


class ShufflingNativeWrongSample(ShufflingSequence):
    def to_tf_dataset(self):
        y = self.y.copy()
        y[0] = 7
        return self.slices(y=y).shuffle(N).batch(BATCH)


@pytest.fixture(params=DEVICES)
def device(request) -> str:
    return request.param


def test_correct_generator_conversion_passes(device):
    report = verify_equivalence(CorrectGenerator, device=device, order="exact")

    assert report.ok, report.render()
    assert report.mismatch is None
    assert report.device == device
    assert report.epochs == 2
    assert report.batches_per_epoch == [3, 3]
    assert report.unordered_epochs == ()
    assert not report.infinite


def test_correct_native_conversion_passes(device):
    assert verify_equivalence(CorrectNative, device=device).ok


def test_float64_cast_to_float32_is_a_dtype_mismatch(device):
    report = verify_equivalence(CastsToFloat32, device=device)

    mismatch = report.mismatch
    assert not report.ok
    assert (mismatch.kind, mismatch.epoch, mismatch.batch) == ("dtype", 0, 0)
    assert mismatch.leaf_path == "[0]"
    assert (mismatch.expected, mismatch.actual) == ("float64", "float32")


def test_dropped_partial_batch_is_a_count_mismatch(device):
    mismatch = verify_equivalence(DropsPartialBatch, device=device).mismatch

    assert (mismatch.kind, mismatch.epoch, mismatch.batch) == ("count", 0, None)
    assert (mismatch.expected, mismatch.actual) == ("3 batches", "2 batches")


class RepeatsForever(ArraySequence):
    def to_tf_dataset(self):
        return self.slices().batch(BATCH).repeat()


def test_too_long_dataset_is_a_count_mismatch_and_does_not_hang(device):
    mismatch = verify_equivalence(RepeatsForever, device=device).mismatch

    assert (mismatch.kind, mismatch.epoch) == ("count", 0)
    assert (mismatch.expected, mismatch.actual) == ("3 batches", "more than 3 batches")


def test_wrong_value_reports_batch_leaf_and_index(device):
    mismatch = verify_equivalence(WrongLabel, device=device).mismatch

    assert (mismatch.kind, mismatch.epoch, mismatch.batch) == ("values", 0, 1)
    assert mismatch.leaf_path == "[1]"
    assert mismatch.first_index == (2,)
    assert mismatch.max_abs_diff == 1.0
    assert (mismatch.expected, mismatch.actual) == ("0", "1")


def test_shuffling_sequence_with_generator_wrapper_matches_exactly(device):
    report = verify_equivalence(ShufflingGenerator, device=device, order="exact", epochs=3)

    assert report.ok, report.render()
    assert report.unordered_epochs == ()


def test_wrapper_that_skips_on_epoch_end_fails_in_the_second_epoch(device):
    mismatch = verify_equivalence(ShufflingForgetsEpochEnd, device=device, order="exact").mismatch

    assert (mismatch.kind, mismatch.epoch) == ("values", 1)


def test_auto_order_detects_the_epochs_the_sequence_shuffles(device):
    report = verify_equivalence(ShufflingGenerator, device=device)

    assert report.ok, report.render()
    assert report.unordered_epochs == (0, 1)


@pytest.mark.parametrize("order", ["auto", "multiset"])
def test_reordered_native_dataset_passes_when_order_may_differ(device, order):
    report = verify_equivalence(ShufflingNative, device=device, order=order)

    assert report.ok, report.render()
    assert report.unordered_epochs == (0, 1)


def test_reordered_native_dataset_fails_in_exact_order(device):
    mismatch = verify_equivalence(ShufflingNative, device=device, order="exact").mismatch

    assert (mismatch.kind, mismatch.epoch) == ("values", 0)


def test_auto_order_stays_exact_for_a_sequence_that_does_not_shuffle(device):
    report = verify_equivalence(ReorderedNative, device=device)

    assert report.unordered_epochs == ()
    assert report.mismatch.kind == "values"


def test_multiset_epoch_still_checks_batch_sizes(device):
    mismatch = verify_equivalence(ShufflingNativeWrongBatchSize, device=device).mismatch

    assert (mismatch.kind, mismatch.epoch, mismatch.batch) == ("shape", 0, 0)
    assert (mismatch.expected, mismatch.actual) == ("(4, 3)", "(5, 3)")


def test_multiset_epoch_reports_a_sample_that_differs(device):
    mismatch = verify_equivalence(ShufflingNativeWrongSample, device=device).mismatch

    assert (mismatch.kind, mismatch.epoch, mismatch.batch) == ("values", 0, None)
    assert mismatch.leaf_path == "[1]"


class DictSequence(keras.utils.PyDataset):
    """Batches shaped ``({"input_ids", "text"}, y, sample_weight)``, text as ``str``."""

    def __len__(self):
        return 2

    def __getitem__(self, index):
        inputs = {
            "text": np.array([f"s{index}a", f"s{index}b"]),
            "input_ids": np.arange(6, dtype=np.int32).reshape(2, 3) + index,
        }
        return inputs, np.array([index, index + 1], np.float32), np.ones(2, np.float32)


DICT_SIGNATURE = (
    {
        "input_ids": tf.TensorSpec((None, 3), tf.int32),
        "text": tf.TensorSpec((None,), tf.string),
    },
    tf.TensorSpec((None,), tf.float32),
    tf.TensorSpec((None,), tf.float32),
)


class DictGenerator(DictSequence):
    def to_tf_dataset(self):
        return generator_dataset(self, DICT_SIGNATURE)


class DictWidensIds(DictSequence):
    def to_tf_dataset(self):
        def widen(inputs, y, weights):
            return {**inputs, "input_ids": tf.cast(inputs["input_ids"], tf.int64)}, y, weights

        return generator_dataset(self, DICT_SIGNATURE).map(widen)


class DictDropsWeights(DictSequence):
    def to_tf_dataset(self):
        return generator_dataset(self, DICT_SIGNATURE).map(lambda inputs, y, w: (inputs, y))


class DictWrongText(DictSequence):
    def to_tf_dataset(self):
        def rename(inputs, y, weights):
            return {**inputs, "text": tf.strings.upper(inputs["text"])}, y, weights

        return generator_dataset(self, DICT_SIGNATURE).map(rename)


def test_dict_and_three_tuple_with_strings_pass(device):
    report = verify_equivalence(DictGenerator, device=device)

    assert report.ok, report.render()


def test_dtype_mismatch_inside_a_dict_names_the_key(device):
    mismatch = verify_equivalence(DictWidensIds, device=device).mismatch

    assert mismatch.kind == "dtype"
    assert mismatch.leaf_path == '[0]["input_ids"]'
    assert (mismatch.expected, mismatch.actual) == ("int32", "int64")


def test_missing_tuple_element_is_a_structure_mismatch(device):
    mismatch = verify_equivalence(DictDropsWeights, device=device).mismatch

    assert (mismatch.kind, mismatch.leaf_path) == ("structure", "")
    assert (mismatch.expected, mismatch.actual) == ("tuple of 3", "tuple of 2")


def test_strings_are_compared_by_value(device):
    mismatch = verify_equivalence(DictWrongText, device=device).mismatch

    assert (mismatch.kind, mismatch.leaf_path, mismatch.first_index) == (
        "values",
        '[0]["text"]',
        (0,),
    )
    assert (mismatch.expected, mismatch.actual) == ("b's0a'", "b'S0A'")


class BareArraySequence(keras.utils.PyDataset):
    def __len__(self):
        return 2

    def __getitem__(self, index):
        return np.arange(4.0) + index


class BareArrayNative(BareArraySequence):
    def to_tf_dataset(self):
        return tf.data.Dataset.from_tensor_slices(np.stack([self[0], self[1]]))


class BareArrayAsTuple(BareArraySequence):
    def to_tf_dataset(self):
        return BareArrayNative.to_tf_dataset(self).map(lambda x: (x,))


class ListBatchSequence(ArraySequence):
    def __getitem__(self, index):
        return list(super().__getitem__(index))

    def to_tf_dataset(self):
        return self.slices().batch(BATCH)


def test_bare_array_stays_a_single_tensor(device):
    assert verify_equivalence(BareArrayNative, device=device).ok
    mismatch = verify_equivalence(BareArrayAsTuple, device=device).mismatch
    assert (mismatch.kind, mismatch.expected, mismatch.actual) == (
        "structure",
        "array",
        "tuple of 1",
    )


def test_list_batch_compares_as_tuple(device):
    assert verify_equivalence(ListBatchSequence, device=device).ok


class NoisySequence(keras.utils.PyDataset):
    def __len__(self):
        return 1

    def __getitem__(self, index):
        return np.array([np.nan, 1.0, 2.0])

    def to_tf_dataset(self):
        return tf.data.Dataset.from_tensors(np.array([np.nan, 1.0 + 1e-9, 2.0]))


def test_values_are_exact_by_default_and_nan_equals_nan():
    mismatch = verify_equivalence(NoisySequence).mismatch

    assert (mismatch.kind, mismatch.first_index) == ("values", (1,))
    assert mismatch.max_abs_diff == pytest.approx(1e-9, rel=1e-3)
    assert verify_equivalence(NoisySequence, atol=1e-6).ok


class InfiniteSequence(keras.utils.PyDataset):
    @property
    def num_batches(self):
        return None

    def __getitem__(self, index):
        return np.full((2, 2), index, np.int64), np.array([index, -index], np.int64)


def _counted(index):
    return tf.fill([2, 2], index), tf.stack([index, -index])


class InfiniteNative(InfiniteSequence):
    def to_tf_dataset(self):
        return tf.data.Dataset.counter().map(_counted)


class InfiniteStopsEarly(InfiniteSequence):
    def to_tf_dataset(self):
        return tf.data.Dataset.counter().take(3).map(_counted)


def test_infinite_sequence_compares_first_batches_of_one_epoch(device):
    report = verify_equivalence(InfiniteNative, device=device, infinite_batches=5)

    assert report.ok, report.render()
    assert report.infinite
    assert (report.epochs, report.batches_per_epoch) == (1, [5])
    assert "infinite" in report.render()


def test_infinite_sequence_with_short_dataset_is_a_count_mismatch(device):
    mismatch = verify_equivalence(InfiniteStopsEarly, device=device).mismatch

    assert (mismatch.kind, mismatch.batch) == ("count", None)
    assert (mismatch.expected, mismatch.actual) == ("8 batches", "3 batches")


class NumBatchesBelowLen(ArraySequence):
    @property
    def num_batches(self):
        return 2

    def to_tf_dataset(self):
        return self.slices().take(2 * BATCH).batch(BATCH)


def test_num_batches_takes_precedence_over_len():
    report = verify_equivalence(NumBatchesBelowLen)

    assert report.ok, report.render()
    assert report.batches_per_epoch == [2, 2]


class FailsInDataset(ArraySequence):
    def to_tf_dataset(self):
        def batches():
            for index in range(len(self)):
                if index == 1:
                    raise ValueError("broken batch 1")
                yield self[index]

        return tf.data.Dataset.from_generator(batches, output_signature=XY_SIGNATURE)


class FailsInSequence(ArraySequence):
    def __getitem__(self, index):
        if index == 2:
            raise KeyError("no such row")
        return super().__getitem__(index)

    def to_tf_dataset(self):
        return self.slices().batch(BATCH)


def test_exception_in_dataset_is_reported_not_raised(device):
    mismatch = verify_equivalence(FailsInDataset, device=device).mismatch

    assert (mismatch.kind, mismatch.side, mismatch.epoch, mismatch.batch) == (
        "error",
        "converted",
        0,
        1,
    )
    assert mismatch.actual.startswith("ValueError: broken batch 1")


def test_exception_in_sequence_is_reported_with_its_side():
    mismatch = verify_equivalence(FailsInSequence).mismatch

    assert (mismatch.kind, mismatch.side, mismatch.batch) == ("error", "reference", 2)
    assert "KeyError" in mismatch.actual


def test_missing_to_tf_dataset_is_reported():
    mismatch = verify_equivalence(ArraySequence).mismatch

    assert (mismatch.kind, mismatch.side) == ("error", "converted")
    assert "AttributeError" in mismatch.actual and "to_tf_dataset" in mismatch.actual


class FileSequence(ArraySequence):
    def __init__(self, path: Path):
        super().__init__()
        self.x = np.load(path)

    def to_tf_dataset(self):
        return self.slices().batch(BATCH)


def test_factory_taking_a_directory_gets_a_fresh_one_per_instance(tmp_path):
    seen: list[Path] = []

    def factory(directory: Path):
        assert not any(directory.iterdir())
        seen.append(directory)
        np.save(directory / "x.npy", features())
        return FileSequence(directory / "x.npy")

    assert verify_equivalence(factory, workdir=tmp_path).ok
    assert len(seen) == len(set(seen)) == 3  # reference, shuffle probe, converted
    assert all(directory.parent == tmp_path for directory in seen)


def test_temporary_directories_are_removed_afterwards():
    seen: list[Path] = []

    def factory(directory: Path):
        seen.append(directory)
        return CorrectNative()

    assert verify_equivalence(factory, order="exact").ok
    assert len(seen) == 2
    assert not any(directory.exists() for directory in seen)


def test_bad_arguments_raise_verify_error():
    with pytest.raises(VerifyError, match="positional"):
        verify_equivalence(lambda a, b: None)
    with pytest.raises(VerifyError, match="order"):
        verify_equivalence(CorrectNative, order="sorted")
    with pytest.raises(VerifyError, match="device"):
        verify_equivalence(CorrectNative, device="tpu")


@pytest.mark.skipif("gpu" in DEVICES, reason="a GPU is present")
def test_gpu_request_without_gpu_is_an_error():
    assert DEVICES == ["cpu"]
    with pytest.raises(VerifyError, match="GPU"):
        verify_equivalence(CorrectNative, device="gpu")


def test_render_summarises_the_report():
    failed = verify_equivalence(WrongLabel).render()
    passed = verify_equivalence(ShufflingNative).render()

    assert failed.startswith("FAILED")
    assert "MISMATCH (values) at epoch 0, batch 1, leaf [1]: expected 0, got 1" in failed
    assert passed.startswith("OK") and "multisets" in passed and "epoch 0, 1" in passed


def test_report_is_frozen():
    report = verify_equivalence(CorrectNative, epochs=1)
    assert isinstance(report, VerifyReport)
    with pytest.raises(AttributeError):
        report.ok = False  # type: ignore[misc]


FACTORY_FILE = """
    import numpy as np
    import tensorflow as tf
    from keras.utils import PyDataset

    from sibling_data import ROWS


    class Ones(PyDataset):
        def __len__(self):
            return 2

        def __getitem__(self, index):
            return np.ones((ROWS, 2), np.float64) * index

        def ones(self, dtype):
            data = np.stack([self[0], self[1]]).astype(dtype)
            return tf.data.Dataset.from_tensor_slices(data)


    class Good(Ones):
        def to_tf_dataset(self):
            return self.ones(np.float64)


    class Bad(Ones):
        def to_tf_dataset(self):
            return self.ones(np.float32)


    def good():
        return Good()


    def bad():
        return Bad()


    NOT_CALLABLE = 3
"""


@pytest.fixture
def factory_file(tmp_path) -> Path:
    (tmp_path / "sibling_data.py").write_text("ROWS = 3\n")
    path = tmp_path / "factories.py"
    path.write_text(textwrap.dedent(FACTORY_FILE))
    return path


def test_load_factory_imports_the_file_with_its_siblings(factory_file):
    first, second = load_factory(f"{factory_file}:good"), load_factory(f"{factory_file}:good")

    assert first().to_tf_dataset() is not None
    assert first.__module__ != second.__module__
    assert str(factory_file.parent) not in sys.path


@pytest.mark.parametrize(
    ("suffix", "message"),
    [
        (":missing", "no attribute named 'missing'"),
        (":NOT_CALLABLE", "not a callable"),
        ("", "expected FILE.py:NAME"),
    ],
)
def test_load_factory_errors(factory_file, suffix, message):
    with pytest.raises(VerifyError, match=message):
        load_factory(f"{factory_file}{suffix}")


def test_load_factory_missing_file_and_failing_import(tmp_path):
    with pytest.raises(VerifyError, match="no such file"):
        load_factory(f"{tmp_path / 'absent.py'}:make")
    broken = tmp_path / "broken.py"
    broken.write_text("raise RuntimeError('cannot build')\n")
    with pytest.raises(VerifyError, match="RuntimeError: cannot build"):
        load_factory(f"{broken}:make")


def parse_verify(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="seq2tfdata")
    verify_cmd.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["verify", *argv])


def test_cli_options_reach_the_namespace():
    args = parse_verify(
        "f.py:make", "--epochs", "3", "--device", "cpu", "--atol", "0.5", "--order", "exact"
    )

    assert (args.factories, args.epochs, args.device, args.atol, args.rtol, args.order) == (
        ["f.py:make"],
        3,
        "cpu",
        0.5,
        0.0,
        "exact",
    )
    assert args.func is verify_cmd.run


def test_cli_exit_codes(factory_file, capsys):
    good, bad = f"{factory_file}:good", f"{factory_file}:bad"

    assert verify_cmd.run(parse_verify(good, "--epochs", "1")) == 0
    assert f"{good}: OK" in capsys.readouterr().out

    assert verify_cmd.run(parse_verify(good, bad, "--epochs", "1")) == 1
    out = capsys.readouterr().out
    assert f"{bad}: FAILED" in out and "MISMATCH (dtype)" in out

    assert verify_cmd.run(parse_verify(bad, f"{factory_file}:missing", "--epochs", "1")) == 123
    assert "no attribute named 'missing'" in capsys.readouterr().err


def test_importing_the_harness_does_not_import_tensorflow():
    # Load seq2tfdata.verify and the CLI piece without running converter/__init__.py, so this
    # checks exactly these modules, whatever the rest of the package imports.
    code = textwrap.dedent(
        """
        import sys, types
        package = types.ModuleType("seq2tfdata")
        package.__path__ = ["converter"]
        sys.modules["seq2tfdata"] = package
        import seq2tfdata.verify, seq2tfdata.cli.verify_cmd
        assert "tensorflow" not in sys.modules, "tensorflow was imported"
        """
    )
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
