import math

import numpy as np
from tensorflow import keras


class StandardisedBatches(keras.utils.Sequence):
    def __init__(self, features, labels, batch_size=256, **kwargs):
        super().__init__(**kwargs)
        self.features = features
        self.labels = labels
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.features) / self.batch_size)

    def __getitem__(self, idx):
        batch = self.features[idx * self.batch_size:(idx + 1) * self.batch_size]
        batch = (batch - batch.mean(axis=0)) / (batch.std(axis=0) + 1e-6)
        return batch, self.labels[idx * self.batch_size:(idx + 1) * self.batch_size]
