import math

from tensorflow import keras


class ArrayBatches(keras.utils.Sequence):
    def __init__(self, x, y, batch_size=32, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y = x, y
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, idx):
        lo = idx * self.batch_size
        hi = lo + self.batch_size
        return self.x[lo:hi], self.y[lo:hi]
