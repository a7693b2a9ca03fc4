"""``make bench``: epoch time of a Sequence vs its conversions at each tier, measured in one run.

Reports ratios (Sequence time / tier time), never asserts on them: machines differ, ratios
measured side by side in one process are what we track.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

from seq2tfdata import Options, Tier, convert_source

ROOT = Path(__file__).resolve().parent.parent
WORKLOADS = {
    # fixture whose input.py defines the class; build() is replaced by a bigger data set
    "zscore_per_batch": "ZScoredBatches(rng.normal(size=(200_000, 32)), rng.integers(0, 2, size=200_000), batch_size=256)",
    "npy_files_shuffled_onehot": "make_npy_generator(workdir)",
    "augment_per_batch": "AugmentedImages(rng.random((20_000, 32, 32), dtype=np.float32), rng.integers(0, 10, size=20_000), batch_size=128)",
    "keras_load_img_png_modes": "make_png_generator(workdir)",
}


def make_png_generator(workdir: Path):
    """2,048 RGB PNGs of 64x64 read with keras load_img/img_to_array, shuffled each epoch."""
    import numpy as np
    from PIL import Image

    module = sys.modules["bench_keras_load_img_png_modes_current"]
    paths = [str(workdir / f"image-{k}.png") for k in range(2048)]
    if not Path(paths[0]).exists():
        rng = np.random.default_rng(0)
        for path in paths:
            Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(path)
    return module.ImageBatches(paths, [k % 10 for k in range(len(paths))], batch_size=64)


def make_npy_generator(workdir: Path):
    """4,096 samples of 32x32 floats, one .npy file each, as in the Stanford tutorial."""
    import numpy as np

    module = sys.modules["bench_npy_files_shuffled_onehot_current"]
    ids = [f"id-{k}" for k in range(4096)]
    if not (workdir / "id-0.npy").exists():
        rng = np.random.default_rng(0)
        for sample_id in ids:
            np.save(workdir / f"{sample_id}.npy", rng.random((32, 32)))
    labels = {sample_id: k % 10 for k, sample_id in enumerate(ids)}
    return module.DataGenerator(ids, labels, str(workdir), batch_size=64, dim=(32, 32), n_classes=10)
EPOCHS = 3


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _epoch_seconds(run_epoch) -> float:
    run_epoch()  # warm-up: tracing, file cache
    times = []
    for _ in range(EPOCHS):
        start = time.perf_counter()
        run_epoch()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _sequence_epoch(seq):
    def run():
        for index in range(len(seq)):
            seq[index]
        seq.on_epoch_end()

    return run


def _dataset_epoch(dataset):
    # Consumed inside the graph, as model.fit does, so Python iteration is not what is timed.
    def run():
        dataset.reduce(0, lambda count, _: count + 1)

    return run


def _keras_fit_dataset(sequence):
    """What Keras 3's fit() makes of a Sequence on the TensorFlow backend (its data adapter)."""
    from keras.src.trainers.data_adapters.py_dataset_adapter import PyDatasetAdapter

    return PyDatasetAdapter(sequence, shuffle=False).get_tf_dataset()


def _factory(module, workload: str, expression: str, workdir: Path):
    import numpy as np

    sys.modules[f"bench_{workload}_current"] = module
    names = {
        **vars(module), "np": np, "rng": np.random.default_rng(0), "workdir": workdir,
        "make_npy_generator": make_npy_generator, "make_png_generator": make_png_generator,
    }
    return lambda: eval(expression, names)  # noqa: S307


def main() -> int:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for workload, expression in WORKLOADS.items():
            source = (ROOT / "tests" / "fixtures" / workload / "input.py").read_text()
            workdir = Path(scratch) / workload
            workdir.mkdir()
            original = _load(_write(workdir / "original.py", source), f"bench_{workload}_original")
            baseline = _epoch_seconds(_sequence_epoch(_factory(original, workload, expression, workdir)()))
            row = {"workload": workload, "sequence_s": baseline}
            keras_dataset = _keras_fit_dataset(_factory(original, workload, expression, workdir)())
            row["keras"] = baseline / _epoch_seconds(_dataset_epoch(keras_dataset))
            for tier in (Tier.GENERATOR, Tier.HYBRID, Tier.NATIVE):
                result = convert_source(source, Options(max_tier=tier))
                reached = {f.tier for f in result.findings}
                if tier not in reached:
                    row[tier.value] = None
                    continue
                module = _load(_write(workdir / f"{tier.value}.py", result.code), f"bench_{workload}_{tier.value}")
                dataset = _factory(module, workload, expression, workdir)().to_tf_dataset()
                row[tier.value] = baseline / _epoch_seconds(_dataset_epoch(dataset))
            rows.append(row)
    print(f"epoch time ratios (Sequence / tier; > 1 means faster than the Sequence), median of {EPOCHS} epochs")
    print(f"{'workload':28} {'Sequence s/epoch':>16} {'Keras fit path':>14} {'generator':>10} {'hybrid':>8} {'native':>8}")
    for row in rows:
        cells = [f"{row[t]:.2f}x" if row[t] else "n/a" for t in ("keras", "generator", "hybrid", "native")]
        print(f"{row['workload']:28} {row['sequence_s']:16.3f} {cells[0]:>14} {cells[1]:>10} {cells[2]:>8} {cells[3]:>8}")
    return 0


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


if __name__ == "__main__":
    raise SystemExit(main())
