"""The bundled example project: converted with call-site fixes, its training script runs on Keras 3."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_converted_examples_train_under_keras_3(tmp_path: Path) -> None:
    project = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", project, ignore=shutil.ignore_patterns("__pycache__"))
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}
    convert = subprocess.run(
        [sys.executable, "-m", "seq2tfdata", "convert", "examples", "--write", "--fix-call-sites"],
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=300,
    )
    assert convert.returncode == 123, convert.stderr  # examples/src/legacy/broken.py is broken on purpose
    train = (project / "src" / "train.py").read_text()
    for call in ("fit(tab_gen.to_tf_dataset()", "fit(img_gen.to_tf_dataset()", "fit(text_gen.to_tf_dataset()"):
        assert call in train
    assert "workers=2" in train, "a parameter's provenance is unknown, so that call is left alone"
    assert "call site:" in convert.stderr
    run = subprocess.run(
        [sys.executable, "-m", "src.train"], cwd=project, env=environment, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr[-3000:]


def test_every_converted_example_class_is_equivalent(tmp_path: Path) -> None:
    project = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", project, ignore=shutil.ignore_patterns("__pycache__"))
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}
    subprocess.run([sys.executable, "-m", "seq2tfdata", "convert", "examples", "--write"], cwd=tmp_path, env=environment, timeout=300)
    factories = [line.split("def ")[1].split("(")[0] for line in (project / "factories.py").read_text().splitlines() if line.startswith("def make_")]
    assert len(factories) >= 5
    verify = subprocess.run(
        [sys.executable, "-m", "seq2tfdata", "verify", *[f"examples/factories.py:{name}" for name in factories]],
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=600,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr[-2000:]
    assert verify.stdout.count(": OK:") == len(factories)
