"""Epoch timers: each returns (epoch seconds, teardown seconds) for one pass.

TF 2.21 with autotuning can block when a finished iterator is destroyed until autotune's next
wake-up, which snaps whole-pass timings to ~0.3/0.6/1.3 s. So the epoch (iterator creation to
the end-of-sequence) and the teardown (destroying the iterator, Keras' on_epoch_end) are timed
apart, and the tables rank on the epoch alone.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable

import tensorflow as tf

Runner = Callable[[], "tuple[float, float]"]


@tf.function
def _drain(iterator):
    # Batches are consumed inside one graph, as fit's train step does, so that Python-side
    # iteration (~20 us a batch) is not what is measured.
    count = tf.constant(0)
    for _ in iterator:
        count += 1
    return count


def sequence_runner(seq) -> Runner:
    def run():
        start = time.perf_counter()
        for index in range(len(seq)):
            seq[index]
        seq.on_epoch_end()
        return time.perf_counter() - start, 0.0

    return run


def dataset_runner(dataset, begin=None, end=None) -> Runner:
    def run():
        if begin is not None:
            begin()
        start = time.perf_counter()
        iterator = iter(dataset)
        _drain(iterator)
        done = time.perf_counter()
        if end is not None:
            end()
        del iterator
        gc.collect()
        return done - start, time.perf_counter() - done

    return run


def keras_runner(seq) -> Runner:
    """Keras 3's fit(seq) path on the TensorFlow backend: TFEpochIterator takes
    PyDatasetAdapter.get_tf_dataset() (from_generator over the adapter's generator, or over the
    OrderedEnqueuer's thread pool when workers > 1) and brackets each epoch with the adapter's
    on_epoch_begin()/on_epoch_end()."""
    from keras.src.trainers.data_adapters.py_dataset_adapter import PyDatasetAdapter

    adapter = PyDatasetAdapter(seq, shuffle=False)
    return dataset_runner(adapter.get_tf_dataset(), adapter.on_epoch_begin, adapter.on_epoch_end)


def measure(runners: dict[str, Runner], epochs: int = 5) -> dict[str, tuple[float, float]]:
    """Median (epoch, teardown) seconds per variant; variants interleaved epoch by epoch, in a
    rotating order, after one warm-up pass each (tracing, file cache, thread pools)."""
    names = list(runners)
    for name in names:
        runners[name]()
    samples: dict[str, list] = {name: [] for name in names}
    for epoch in range(epochs):
        shift = epoch % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(runners[name]())
    return {
        name: (statistics.median(s[0] for s in runs), statistics.median(s[1] for s in runs))
        for name, runs in samples.items()
    }
