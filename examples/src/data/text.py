"""Token-id batches for the text classifier and the language-model pretraining."""

import numpy as np
from keras.utils import PyDataset


class TokenBatches(PyDataset):
    """({"tokens", "mask"}, label, sample_weight) batches for a classifier."""

    def __init__(self, tokens, labels, batch_size=8, class_weight=None, pad_id=0, **kwargs):
        super().__init__(**kwargs)
        self.tokens = tokens
        self.labels = labels
        self.batch_size = batch_size
        self.class_weight = class_weight or {0: 1.0, 1: 1.0}
        self.pad_id = pad_id

    def __len__(self):
        return int(np.ceil(len(self.tokens) / self.batch_size))

    def __getitem__(self, idx):
        start = idx * self.batch_size
        end = start + self.batch_size
        tokens = self.tokens[start:end].astype("int32")
        mask = (tokens != self.pad_id).astype("float32")
        labels = self.labels[start:end]
        weights = np.asarray([self.class_weight[int(c)] for c in labels], dtype="float32")
        return {"tokens": tokens, "mask": mask}, labels, weights


class NextTokenWindows(PyDataset):
    """Next-token prediction windows over the concatenated corpus.

    Uses the Keras 3 `num_batches` property instead of `__len__`.
    """

    def __init__(self, tokens, window=4, batch_size=8, pad_id=0, **kwargs):
        super().__init__(**kwargs)
        stream = tokens[tokens != pad_id]
        self.stream = stream.astype("int32")
        self.window = window
        self.batch_size = batch_size

    @property
    def num_batches(self):
        n_windows = len(self.stream) - self.window
        return max(n_windows, 0) // self.batch_size

    def __getitem__(self, index):
        starts = np.arange(index * self.batch_size, (index + 1) * self.batch_size)
        x = np.stack([self.stream[s:s + self.window] for s in starts])
        y = self.stream[starts + self.window]
        return x, y
