"""End-to-end `model.fit` epochs with a small model: Keras' fit(seq) vs the converted pipeline
vs the hand-written one. One epoch per fit() call, variants interleaved, warm-up call first."""

from __future__ import annotations

import statistics
import time

import keras
import numpy as np

FIT_WORKLOADS = ("zscore", "png_files", "windows")


class _EpochTimer(keras.callbacks.Callback):
    # on_epoch_begin..on_epoch_end: the steps themselves, not fit()'s set-up (adapter, tracing)
    # nor the iterator's teardown after the last step.
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds = time.perf_counter() - self.start


def _model(input_shape) -> keras.Model:
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input(input_shape), keras.layers.Flatten(),
        keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1),
    ])
    model.compile(optimizer="adam", loss="mse", jit_compile=False)
    return model


def fit_epochs(inputs: dict, input_shape, epochs: int = 5) -> dict[str, float]:
    """`inputs`: {variant: zero-argument callable giving what fit() takes}. Median seconds."""
    models = {name: _model(input_shape) for name in inputs}
    samples: dict[str, list] = {name: [] for name in inputs}
    for round_ in range(epochs + 1):
        for name, make in inputs.items():
            timer = _EpochTimer()
            models[name].fit(make(), epochs=1, shuffle=False, verbose=0, callbacks=[timer])
            if round_:
                samples[name].append(timer.seconds)
    return {name: statistics.median(s) for name, s in samples.items()}


def input_shape_of(batch) -> tuple:
    x = batch[0]
    return tuple(np.asarray(x).shape[1:])
