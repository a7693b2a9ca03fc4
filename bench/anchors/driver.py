"""One benchmark run: every workload's variants timed side by side, then fit epochs, profiles."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.anchors import fit, profile
from bench.anchors.compare import check_handwritten, load_module
from bench.anchors.convert import build_dataset, converted_modules
from bench.anchors.timing import dataset_runner, keras_runner, measure, sequence_runner
from bench.anchors.workloads import WORKLOADS

EPOCHS = 5


def run_workload(workload, workdir: Path) -> dict:
    data = workload.build(workdir, False)
    original = load_module(_write(workdir / "original.py", workload.source), f"bench_anchor_{workload.name}")
    check_handwritten(workload, original, data)  # at full size: the anchor must be equivalent
    cls = getattr(original, workload.class_name)
    modules = converted_modules(workload, workdir)
    runners = {
        "sequence": sequence_runner(workload.make(cls, data, {})),
        "keras_w1": keras_runner(workload.make(cls, data, {"workers": 1})),
        "keras_w2": keras_runner(workload.make(cls, data, {"workers": 2})),
    }
    datasets, fallbacks = {}, {}
    for tier, module in modules.items():
        seq = workload.make(getattr(module, workload.class_name), data, {})
        datasets[tier], fallbacks[tier] = build_dataset(seq)
        runners[tier] = dataset_runner(datasets[tier])
    hands = {"hand_tensor_slices": workload.hand(data)}
    if workload.hand_alt is not None:
        hands["hand_batch_slices"] = workload.hand_alt(data)
    runners.update({name: dataset_runner(ds) for name, ds in hands.items()})
    times = measure(runners, EPOCHS)
    # The anchor is the faster hand-written idiom, as an expert would keep the faster one.
    idiom = min(hands, key=lambda name: times[name][0])
    times["hand"], datasets["hand"] = times[idiom], hands[idiom]
    row = {
        "workload": workload.name, "label": workload.label, "tier": next(iter(modules)),
        "tiers": list(modules), "fallbacks": fallbacks, "times": times, "hand_idiom": idiom,
        "batches": len(workload.make(cls, data, {})),
    }
    row["stages"] = {name: profile.pipeline_stages(ds) for name, ds in datasets.items()}
    row["_datasets"], row["_cls"], row["_data"], row["_modules"] = datasets, cls, data, modules
    row["_workload"] = workload
    return row


def run_fit(row, workload) -> dict[str, float]:
    data, cls = row["_data"], row["_cls"]
    converted = row["_datasets"][row["tier"]]
    keras_seq = workload.make(cls, data, {})
    inputs = {
        "keras_w1": lambda: keras_seq,
        "converted": lambda: converted,
        "hand": lambda: row["_datasets"]["hand"],
    }
    return fit.fit_epochs(inputs, fit.input_shape_of(keras_seq[0]), EPOCHS)


def add_profiles(rows: list[dict]) -> None:
    """Sampled Python profiles for the worst three by hand/converted and the worst two by
    generator-tier vs Keras: what in the generated code costs the time."""
    by_hand = sorted(rows, key=lambda r: r["times"]["hand"][0] / r["times"][r["tier"]][0])[:3]
    by_gen = sorted(rows, key=lambda r: r["times"]["keras_w1"][0] / r["times"]["generator"][0])[:2]
    for row in by_hand:
        row["profile_converted"] = profile.sample_python(row["_datasets"][row["tier"]])
    for row in by_gen:
        workload, data = row["_workload"], row["_data"]
        generated = workload.make(getattr(row["_modules"]["generator"], workload.class_name), data, {})
        row["profile_generator"] = profile.sample_python(row["_datasets"]["generator"])
        row["cprofile_generator"] = profile.generator_cprofile(generated)
        row["cprofile_keras"] = profile.keras_cprofile(workload.make(row["_cls"], data, {}))


def run_all(only: tuple[str, ...] = ()) -> tuple[list[dict], float]:
    started = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for workload in WORKLOADS:
            if only and workload.name not in only:
                continue
            workdir = Path(scratch) / workload.name
            workdir.mkdir()
            print(f"[bench] {workload.name} ...", flush=True)
            row = run_workload(workload, workdir)
            if workload.name in fit.FIT_WORKLOADS:
                print(f"[bench] {workload.name}: model.fit epochs ...", flush=True)
                row["fit"] = run_fit(row, workload)
            rows.append(row)
        print("[bench] profiles ...", flush=True)
        add_profiles(rows)
        for row in rows:  # tf.data objects and temp files die with the scratch dir
            for key in [k for k in row if k.startswith("_")]:
                del row[key]
    return rows, time.perf_counter() - started


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path
