"""Tabular features held in memory."""

import collections.abc
import math

import numpy as np
import tensorflow as tf


class TabularSequence(tf.keras.utils.Sequence):
    """(features, label) batches; the last batch holds the remainder."""

    def __init__(self, x, y, batch_size=16, **kwargs):
        super().__init__(**kwargs)
        assert len(x) == len(y)
        self.x = x
        self.y = y
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, idx):
        batch_x = self.x[idx * self.batch_size:(idx + 1) * self.batch_size]
        batch_y = self.y[idx * self.batch_size:(idx + 1) * self.batch_size]
        return batch_x, batch_y


class FeatureColumns(collections.abc.Sequence):
    """Column-wise view of a feature matrix, for reporting. Not a data generator."""

    def __init__(self, x, names=None):
        self.x = np.asarray(x)
        self.names = list(names) if names is not None else [f"f{i}" for i in range(self.x.shape[1])]

    def __len__(self):
        return self.x.shape[1]

    def __getitem__(self, i):
        return self.names[i], self.x[:, i]

    def summary(self):
        return {name: (float(col.mean()), float(col.std())) for name, col in self}
