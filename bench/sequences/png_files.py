import math

import numpy as np
from PIL import Image
from tensorflow import keras


class ImageFolderBatches(keras.utils.Sequence):
    def __init__(self, paths, labels, batch_size=64, **kwargs):
        super().__init__(**kwargs)
        self.paths = paths
        self.labels = labels
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.paths) / self.batch_size)

    def __getitem__(self, idx):
        batch_paths = self.paths[idx * self.batch_size:(idx + 1) * self.batch_size]
        images = np.array([np.asarray(Image.open(p).convert("RGB")) for p in batch_paths])
        labels = np.array(self.labels[idx * self.batch_size:(idx + 1) * self.batch_size])
        return images / 255.0, labels
