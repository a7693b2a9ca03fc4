import math

import numpy as np
from tensorflow import keras


class WindowBatches(keras.utils.Sequence):
    """Sliding windows over a series, target = first column right after each window."""

    def __init__(self, series, window=24, batch_size=128, **kwargs):
        super().__init__(**kwargs)
        self.series = series
        self.window = window
        self.batch_size = batch_size
        self.num_windows = len(series) - window

    def __len__(self):
        return math.ceil(self.num_windows / self.batch_size)

    def __getitem__(self, idx):
        start = idx * self.batch_size
        end = min(start + self.batch_size, self.num_windows)
        x = np.array([self.series[i:i + self.window] for i in range(start, end)])
        y = self.series[start + self.window:end + self.window, 0]
        return x, y
