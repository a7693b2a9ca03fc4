import math

import numpy as np
from tensorflow import keras
from tensorflow.keras.preprocessing.sequence import pad_sequences


class TokenBatches(keras.utils.Sequence):
    def __init__(self, token_lists, labels, batch_size=64, **kwargs):
        super().__init__(**kwargs)
        self.token_lists = token_lists
        self.labels = labels
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.token_lists) / self.batch_size)

    def __getitem__(self, idx):
        start = idx * self.batch_size
        batch = self.token_lists[start:start + self.batch_size]
        x = pad_sequences(batch, padding="post")
        y = np.array(self.labels[start:start + self.batch_size])
        return x, y
