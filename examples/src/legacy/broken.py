# INTENTIONALLY BROKEN: this file has a syntax error on purpose, so that the
# `make demo` run shows how seq2tfdata reports files it cannot parse.
# Do not fix it.

import keras


class HalfPortedGenerator(keras.utils.Sequence):
    def __init__(self, x, y, batch_size=32, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y = x, y
        self.batch_size = batch_size

    def __len__(self)
        return len(self.x) // self.batch_size

    def __getitem__(self, idx):
        s = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
        return self.x[s], self.y[s]
