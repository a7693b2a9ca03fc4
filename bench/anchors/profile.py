"""Short profiles for the workloads that miss a target.

- `pipeline_stages`: the dataset ops of a pipeline (from its serialised graph) with the number
  of ops in each mapped function, to compare the plan's shape with the hand-written one.
- `sample_python`: a sampling profiler over every thread. from_generator and numpy_function run
  Python on tf.data's own threads, which cProfile (main thread only) never sees; sampling
  sys._current_frames() does, and tells how much of an epoch is Python under the GIL.
"""

from __future__ import annotations

import collections
import cProfile
import os
import pstats
import sys
import threading
import time
from unittest import mock

import tensorflow as tf

from bench.anchors.timing import dataset_runner


def pipeline_stages(dataset) -> str:
    try:
        policy = tf.data.experimental.ExternalStatePolicy.IGNORE
        serialized = dataset._as_serialized_graph(external_state_policy=policy)  # noqa: SLF001
    except Exception as error:  # noqa: BLE001 - a stage list is a nicety, not a result
        return f"(graph unavailable: {type(error).__name__})"
    graph = tf.compat.v1.GraphDef()
    graph.ParseFromString(serialized.numpy())
    sizes = {f.signature.name: len(f.node_def) for f in graph.library.function}
    stages = []
    for node in graph.node:
        if "Dataset" not in node.op or node.op in ("ModelDataset", "OptionsDataset"):
            continue
        name = node.op.replace("Dataset", "").replace("V2", "").replace("V3", "")
        if "f" in node.attr and node.attr["f"].func.name in sizes:
            name += f"({sizes[node.attr['f'].func.name]} ops)"
        stages.append(name)
    return " -> ".join(stages)


def sample_python(dataset, passes: int = 2, interval: float = 0.0005) -> str:
    """Top Python functions on tf.data's threads while `passes` epochs run, as % of samples."""
    main = threading.get_ident()
    inclusive: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    ticks = busy = 0
    stop = threading.Event()

    def sample():
        nonlocal ticks, busy
        me = threading.get_ident()
        while not stop.is_set():
            ticks += 1
            frames = [f for tid, f in sys._current_frames().items() if tid not in (me, main)]  # noqa: SLF001
            busy += bool(frames)
            for frame in frames:
                stack = [f for f in _stack(frame) if not _is_plumbing(f)]
                if stack:
                    own[_where(stack[0])] += 1
                    inclusive.update({_where(f) for f in stack})
            time.sleep(interval)

    runner = dataset_runner(dataset)
    runner()  # warm-up outside the samples
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    for _ in range(passes):
        runner()
    stop.set()
    sampler.join()
    if not ticks:
        return "no samples"
    top = ", ".join(
        f"`{name}` {100 * count / ticks:.0f}% (self {100 * own[name] / ticks:.0f}%)"
        for name, count in inclusive.most_common(7)
    )
    return f"Python on tf.data threads in {100 * busy / ticks:.0f}% of samples; {top or 'none'}"


def _stack(frame):
    while frame is not None:
        yield frame
        frame = frame.f_back


def _is_plumbing(frame) -> bool:
    # TensorFlow's py_func wrappers and thread start-up are on every stack and say nothing;
    # a frame inside them is charged to the nearest caller outside.
    path = frame.f_code.co_filename
    return "/tensorflow/" in path or path.endswith(("threading.py", "traceback.py"))


def _where(frame) -> str:
    module = os.path.splitext(os.path.basename(frame.f_code.co_filename))[0]
    return f"{module}.{frame.f_code.co_name}"


def generator_cprofile(seq) -> str:
    """cProfile of the generator tier's Python per batch, run on the main thread: the generator
    function the generated code hands to from_generator is caught and iterated directly."""
    caught = []
    real = tf.data.Dataset.from_generator

    def catch(generator, *args, **kwargs):
        caught.append(generator)
        return real(generator, *args, **kwargs)

    with mock.patch.object(tf.data.Dataset, "from_generator", catch):
        seq.to_tf_dataset()
    return _cprofile(caught[0], len(seq)) if caught else "(no from_generator call)"


def keras_cprofile(seq) -> str:
    """The same for Keras' path: PyDatasetAdapter's own generator (workers=1)."""
    from keras.src.trainers.data_adapters.py_dataset_adapter import PyDatasetAdapter

    adapter = PyDatasetAdapter(seq, shuffle=False)
    return _cprofile(adapter._get_iterator, len(seq))  # noqa: SLF001


def _cprofile(make_iterator, batches: int) -> str:
    for _ in make_iterator():  # warm-up: file cache, lazy imports
        pass
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in make_iterator():
        pass
    profiler.disable()
    per_batch = 1e6 * (time.perf_counter() - start) / max(batches, 1)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:5]
    top = ", ".join(f"`{_label(key)}` {1e6 * value[2] / max(batches, 1):.0f}" for key, value in rows)
    return f"{per_batch:.0f} us a batch under cProfile; own time per batch (us): {top}"


def _label(key) -> str:
    filename, _, name = key
    module = os.path.splitext(os.path.basename(filename))[0]
    return f"{module}.{name}" if module and module != "~" else name
