import math

import numpy as np
from tensorflow import keras


class NoisyFlips(keras.utils.Sequence):
    def __init__(self, images, labels, batch_size=128, augment=True, **kwargs):
        super().__init__(**kwargs)
        self.images = images
        self.labels = labels
        self.batch_size = batch_size
        self.augment = augment

    def __len__(self):
        return math.ceil(len(self.images) / self.batch_size)

    def __getitem__(self, idx):
        x = self.images[idx * self.batch_size:(idx + 1) * self.batch_size]
        y = self.labels[idx * self.batch_size:(idx + 1) * self.batch_size]
        if self.augment:
            if np.random.rand() < 0.5:
                x = x[:, :, ::-1]
            x = x + np.random.normal(0.0, 0.05, size=x.shape).astype(np.float32)
        return x, y
