"""Grayscale images stored as one .npy file per sample."""

import os

import numpy as np
import keras


class NpyImageGenerator(keras.utils.Sequence):
    """Loads `<data_dir>/<id>.npy` files in a shuffled order; labels are one-hot."""

    def __init__(self, list_ids, labels, data_dir, batch_size=4, dim=(8, 8),
                 n_classes=3, shuffle=True, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.list_ids = list_ids
        self.labels = labels
        self.data_dir = data_dir
        self.batch_size = batch_size
        self.dim = dim
        self.n_classes = n_classes
        self.shuffle = shuffle
        self.rng = np.random.default_rng(seed)
        self.on_epoch_end()

    def __len__(self):
        # Full batches only: the buffers below are allocated with batch_size rows.
        return len(self.list_ids) // self.batch_size

    def __getitem__(self, index):
        indexes = self.indexes[index * self.batch_size:(index + 1) * self.batch_size]
        ids = [self.list_ids[k] for k in indexes]
        return self._load_batch(ids)

    def on_epoch_end(self):
        self.indexes = np.arange(len(self.list_ids))
        if self.shuffle:
            self.rng.shuffle(self.indexes)

    def _load_batch(self, ids):
        X = np.empty((self.batch_size, *self.dim, 1), dtype=np.float32)
        y = np.empty((self.batch_size,), dtype=int)
        for i, image_id in enumerate(ids):
            image = np.load(os.path.join(self.data_dir, image_id + ".npy"))
            X[i,] = self.augment(image.astype(np.float32) / 255.0)[..., np.newaxis]
            y[i] = self.labels[image_id]
        return X, keras.utils.to_categorical(y, num_classes=self.n_classes)

    def augment(self, image):
        return image


class AugmentedNpyImageGenerator(NpyImageGenerator):
    """Same loader with a deterministic flip + contrast stretch."""

    def augment(self, image):
        image = image[::-1, :]
        lo, hi = image.min(), image.max()
        return (image - lo) / (hi - lo + 1e-6)


class RandomlyAugmentedImages(NpyImageGenerator):
    """Random horizontal flips and brightness jitter, only while ``augment`` is on (training)."""

    def __init__(self, list_ids, labels, data_dir, augment=True, **kwargs):
        self.augment_on = augment
        super().__init__(list_ids, labels, data_dir, **kwargs)

    def augment(self, image):
        if self.augment_on and np.random.rand() < 0.5:
            image = image[:, ::-1]
        if self.augment_on:
            image = image * np.random.uniform(0.9, 1.1)
        return image
