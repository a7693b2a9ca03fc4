"""The constructs the fast tiers were taught for issue 12, each with its own examples: a
Sequence that takes the fast path, one that must not (and why), both checked for equivalence
by ``tests/test_constructs.py``, whose meta-test checks every construct has both."""

from __future__ import annotations

from dataclasses import dataclass

_HEADER = '''\
import math

import numpy as np
import keras


class Example(keras.utils.Sequence):
    def __init__(self, x, y, window=4, batch_size=8, **kwargs):
        super().__init__(**kwargs)
        self.x = x
        self.y = y
        self.window = window
        self.batch_size = batch_size
        self.num_windows = len(x) - window
        self.num_strided = (len(x) - window) // 2
        self.mean_image = x.mean(axis=0)

    def __len__(self):
        return math.ceil({rows} / self.batch_size)

    def __getitem__(self, idx):
'''

_FOOTER = '''

def build(tmp_path):
    rng = np.random.default_rng(5)
    return Example(rng.normal(size=(45, 3)).astype(np.float32), rng.integers(0, 3, size=45))
'''


def sequence(body: str, rows: str = "len(self.x)", methods: str = "") -> str:
    """A Sequence class whose ``__getitem__`` is ``body`` (indented 8), with more ``methods``,
    over 45 rows of 3 features and integer labels."""
    return _HEADER.format(rows=rows) + body + methods + _FOOTER


def _with_rng(source: str) -> str:
    """``source`` with a random generator kept on self, and the hook called once in __init__."""
    start = "        self.mean_image = x.mean(axis=0)\n"
    return source.replace(start, start + "        self.rng = np.random.default_rng(1)\n        self.on_epoch_end()\n")


def _holding(scale: str, body: str) -> str:
    """A Sequence that keeps ``scale`` and a logger on self and calls them in ``__getitem__``."""
    source = sequence("        rows = slice(idx * self.batch_size, (idx + 1) * self.batch_size)\n" + body)
    source = source.replace("import keras\n", "import keras\nimport logging\nfrom functools import partial\n\n\n"
                            "def scaled(values, factor):\n    return values * factor\n", 1)
    start = "        self.mean_image = x.mean(axis=0)\n"
    held = f"        self.scale = {scale}\n        self.log = logging.getLogger(__name__)\n"
    return source.replace(start, start + held)


@dataclass(frozen=True)
class Example:
    source: str
    tier: str
    # Text the generated method holds exactly when this example takes the fast path.
    fast_marker: str


@dataclass(frozen=True)
class Construct:
    name: str
    fast: Example
    not_fast: Example
    why_not: str  # why the second example must not take the fast path


_WINDOWS = """\
        start = idx * self.batch_size
        end = min(start + self.batch_size, self.num_windows)
"""

_BATCH = """\
        rows = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
"""
_REORDER = """
    def on_epoch_end(self):
        order = np.random.permutation(len(self.x))
"""
_SHUFFLED_ORDER = """
    def on_epoch_end(self):
        order = np.arange(len(self.x))
        np.random.shuffle(order)
"""

CONSTRUCTS = [
    Construct(
        "range-positions-windows",
        Example(
            sequence(
                _WINDOWS + "        return np.array([self.x[i : i + self.window] for i in range(start, end)])\n",
                "self.num_windows",
            ),
            "native",
            "windows_at(",
        ),
        Example(
            sequence(
                "        start = idx * self.batch_size\n"
                "        end = min(start + self.batch_size, self.num_strided)\n"
                "        return np.array([self.x[2 * i : 2 * i + self.window] for i in range(start, end)])\n",
                "self.num_strided",
            ),
            "native",
            "windows_at(",
        ),
        "a strided window starts at 2 * i, not at the row position plus a number: read row by row",
    ),
    Construct(
        "shifted-target-slice",
        Example(
            sequence(
                _WINDOWS
                + "        x = np.array([self.x[i : i + self.window] for i in range(start, end)])\n"
                + "        return x, self.x[start + self.window : end + self.window, 0]\n",
                "self.num_windows",
            ),
            "native",
            "rows_at(",
        ),
        Example(
            sequence(
                _WINDOWS
                + "        x = np.array([self.x[i : i + self.window] for i in range(start, end)])\n"
                + "        return x, self.x[start + self.window : end + self.window + 1, 0]\n",
                "self.num_windows",
            ),
            "hybrid",
            "rows_at(",
        ),
        "the target slice is one row longer than the batch, so it is not one row per window",
    ),
    Construct(
        "dict-built-in-a-variable",
        Example(
            sequence(
                "        rows = slice(idx * self.batch_size, (idx + 1) * self.batch_size)\n"
                "        inputs = {'features': self.x[rows] * 2.0, 'labels': self.y[rows]}\n"
                "        return inputs, self.y[rows]\n"
            ),
            "native",
            '"features"',
        ),
        Example(
            sequence(
                "        rows = slice(idx * self.batch_size, (idx + 1) * self.batch_size)\n"
                "        inputs = {str(self.window): self.x[rows] * 2.0}\n"
                "        return inputs, self.y[rows]\n"
            ),
            "hybrid",
            '"features"',
        ),
        "a key computed from an attribute is only known when the batch is made",
    ),
    Construct(
        "function-or-logger-held-on-self",
        Example(
            _holding(
                "partial(scaled, factor=2.0)",
                "        self.log.info('batch %d', idx)\n        return self.scale(self.x[rows]), self.y[rows]\n",
            ),
            "hybrid",
            "tier=hybrid",
        ),
        Example(
            _holding("lambda values: values * 2.0", "        return self.scale(self.x[rows]), self.y[rows]\n"),
            "generator",
            "tier=hybrid",
        ),
        "a lambda held on self is not read: it might draw random numbers or keep state",
    ),
    Construct(
        "list-and-copy-in-variables",
        Example(
            sequence(
                "        rows = slice(idx * self.batch_size, (idx + 1) * self.batch_size)\n"
                "        inputs = [self.x[rows].copy(), self.x[rows] * 2.0]\n"
                "        return inputs, self.y[rows]\n"
            ),
            "native",
            "tier=native",
        ),
        Example(
            sequence(
                "        rows = slice(idx * self.batch_size, (idx + 1) * self.batch_size)\n"
                "        inputs = [self.x[rows]] * 2\n"
                "        return inputs, self.y[rows]\n"
            ),
            "hybrid",
            "tier=native",
        ),
        "a list repeated with * is built when the batch is made; only list displays are followed",
    ),
    Construct(
        "float32-draw-cast-at-once",
        Example(
            sequence(
                "        x = self.x[idx * self.batch_size : (idx + 1) * self.batch_size]\n"
                "        return x + np.random.normal(0.0, 0.1, size=x.shape).astype(np.float32)\n"
            ),
            "native",
            "dtype=tf.float32",
        ),
        Example(
            sequence(
                "        x = self.x[idx * self.batch_size : (idx + 1) * self.batch_size]\n"
                "        return x + np.random.normal(0.0, 0.1, size=x.shape).astype(np.float16)\n"
            ),
            "native",
            "dtype=tf.float32",
        ),
        "float16 is cast from numpy's float64 draw: tf draws no float16 normal of the same rounding",
    ),
    Construct(
        "rng-permutation-kept-on-self",
        Example(
            _with_rng(
                sequence(
                    "        ids = self.order[idx * self.batch_size : (idx + 1) * self.batch_size]\n"
                    "        return self.x[ids], self.y[ids]\n",
                    methods="\n    def on_epoch_end(self):\n        self.order = self.rng.permutation(len(self.x))\n",
                )
            ),
            "native",
            "reshuffle_each_iteration=True",
        ),
        Example(
            _with_rng(
                sequence(
                    "        ids = self.order[idx * self.batch_size : (idx + 1) * self.batch_size]\n"
                    "        return self.x[ids], self.y[ids]\n",
                    "len(self.x) - 1",
                    methods="\n    def on_epoch_end(self):\n"
                    "        self.order = self.rng.permutation(len(self.x) - 1)\n",
                )
            ),
            "hybrid",
            "reshuffle_each_iteration=True",
        ),
        "a permutation of fewer rows than an attribute has is not tf.data's shuffle of its rows",
    ),
    Construct(
        "arrays-reordered-in-on-epoch-end",
        Example(
            sequence(
                _BATCH + "        return self.x[rows], self.y[rows]\n",
                "self.num_windows + self.window",
                methods=_REORDER + "        self.x, self.y = self.x[order], self.y[order]\n",
            ),
            "hybrid",
            "it runs after each pass's last",
        ),
        Example(
            sequence(
                _BATCH + "        return self.x[rows], self.y[rows]\n",
                "self.num_windows + self.window",
                methods=_REORDER
                + "        self.x, self.y = self.x[order], self.y[order]\n"
                + "        self.batch_size += 1\n",
            ),
            "generator",
            "it runs after each pass's last",
        ),
        "on_epoch_end also changes the batch size, so len() changes between passes",
    ),
    Construct(
        "rows-reordered-by-a-full-permutation",
        Example(
            sequence(
                _BATCH + "        return self.x[rows], self.y[rows]\n",
                methods=_SHUFFLED_ORDER + "        self.x, self.y = self.x[order], self.y[order]\n",
            ),
            "hybrid",
            "it runs after each pass's last",
        ),
        Example(
            sequence(
                _BATCH + "        return self.x[rows], self.y[rows]\n",
                methods=_SHUFFLED_ORDER + "        self.x, self.y = self.x[order[1:]], self.y[order[1:]]\n",
            ),
            "generator",
            "it runs after each pass's last",
        ),
        "dropping a row each epoch changes len(self.x), which __len__ reads",
    ),
    Construct(
        "row-wise-batch-arithmetic",
        Example(
            sequence(
                "        ids = np.arange(idx * self.batch_size, min((idx + 1) * self.batch_size, len(self.x)))\n"
                "        images = np.array([self.x[i] for i in ids])\n"
                "        return images / 255.0, np.array([self.y[i] + 1 for i in ids])\n"
            ),
            "native",
            "def per_row(",
        ),
        Example(
            sequence(
                "        ids = np.arange(idx * self.batch_size, min((idx + 1) * self.batch_size, len(self.x)))\n"
                "        images = np.array([self.x[i] for i in ids])\n"
                "        return images - self.mean_image, np.array([self.y[i] + 1 for i in ids])\n"
            ),
            "native",
            "def per_row(",
        ),
        "an attribute may be an array that lines up with the batch axis, not with a row's",
    ),
]
