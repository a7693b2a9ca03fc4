import math

from tensorflow import keras


class MixedFeatureBatches(keras.utils.Sequence):
    """Numeric columns standardised with training statistics, plus a categorical id column."""

    def __init__(self, numeric, category, target, mean, std, batch_size=64, **kwargs):
        super().__init__(**kwargs)
        self.numeric = numeric
        self.category = category
        self.target = target
        self.mean = mean
        self.std = std
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.target) / self.batch_size)

    def __getitem__(self, idx):
        rows = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
        inputs = {
            "numeric": (self.numeric[rows] - self.mean) / self.std,
            "category": self.category[rows],
        }
        return inputs, self.target[rows]
