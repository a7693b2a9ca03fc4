"""`verify` with misbehaving factories: each one's failure is its own, the others still run."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from seq2tfdata.cli.main import main

ROOT = Path(__file__).resolve().parent.parent

FACTORIES = """
    import os
    import signal
    import sys

    import numpy as np
    import tensorflow as tf
    from keras.utils import PyDataset


    class Ones(PyDataset):
        def __len__(self):
            return 2

        def __getitem__(self, index):
            return np.ones((3, 2)) * index

        def to_tf_dataset(self):
            return tf.data.Dataset.from_tensor_slices(np.stack([self[0], self[1]]))


    class ExitsInGetitem(Ones):
        def __getitem__(self, index):
            sys.exit(4)


    def good():
        return Ones()


    def exits():
        raise SystemExit(3)


    def returns_list():
        return [np.ones((3, 2)), np.zeros((3, 2))]


    def exits_in_getitem():
        return ExitsInGetitem()


    def interrupted():
        os.kill(os.getpid(), signal.SIGINT)
        return Ones()
"""


@pytest.fixture
def factories(tmp_path: Path) -> Path:
    path = tmp_path / "factories.py"
    path.write_text(textwrap.dedent(FACTORIES))
    return path


def test_an_exiting_factory_and_one_returning_a_list_fail_alone(
    factories: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    specs = [f"{factories}:{name}" for name in ("exits", "returns_list", "good")]
    assert main(["verify", *specs, "--epochs", "1"]) == 1  # not 3: the exit was the factory's
    out = capsys.readouterr().out
    starts = [out.index(f"{spec}: ") for spec in specs]
    assert starts == sorted(starts)  # every factory reported, in order
    exits, returns_list, good = (out[a:b] for a, b in zip(starts, [*starts[1:], len(out)]))
    assert "FAILED" in exits and "RuntimeError: the factory called sys.exit(3)" in exits
    assert "FAILED" in returns_list and "the factory returned a list, not a Sequence" in returns_list
    assert good.startswith(f"{specs[2]}: OK")


def test_sys_exit_in_the_sequence_or_at_import_fails_that_factory_only(
    factories: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exiting_module = tmp_path / "exits_on_import.py"
    exiting_module.write_text("raise SystemExit(5)\n")
    specs = [f"{factories}:exits_in_getitem", f"{exiting_module}:make", f"{factories}:good"]
    assert main(["verify", *specs, "--epochs", "1"]) == 123
    captured = capsys.readouterr()
    assert f"{specs[0]}: error: the Sequence's code called sys.exit(4)" in captured.err
    assert "importing failed: SystemExit: 5" in captured.err
    assert f"{specs[2]}: OK" in captured.out
    # Progress per factory, then the tally.
    assert f"[1/{len(specs)}] verifying {specs[0]} ..." in captured.err
    assert captured.err.rstrip().endswith(
        f"verify: {len(specs)} factories: 1 matched, 0 mismatched, {len(specs) - 1} could not be verified"
    )


def test_ctrl_c_in_a_factory_still_stops_the_run(factories: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "seq2tfdata", "verify", f"{factories}:interrupted", f"{factories}:good"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 130, done.stderr[-2000:]
    assert ":good" not in done.stdout
