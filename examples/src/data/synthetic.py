"""Write small, deterministic toy datasets to disk (used by train.py and tests)."""

import json
from pathlib import Path

import numpy as np


def write_tabular(path, n_rows=45, n_features=5, seed=0):
    """Save a binary-classification table as ``.npz`` with arrays ``x`` and ``y``."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n_rows, n_features)).astype(np.float32)
    w = rng.normal(size=(n_features,)).astype(np.float32)
    y = (x @ w > 0).astype(np.int64)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, x=x, y=y)
    return path


def load_tabular(path):
    with np.load(path) as data:
        return data["x"], data["y"]


def write_image_folder(root, n_images=20, size=8, n_classes=3, seed=0):
    """One ``<id>.npy`` grayscale image per sample plus a ``labels.json`` index.

    Images are uint8 arrays with a bright square whose corner depends on the
    class, so a small CNN can learn something.
    """
    rng = np.random.default_rng(seed)
    root = Path(root)
    (root / "images").mkdir(parents=True, exist_ok=True)
    labels = {}
    half = size // 2
    for k in range(n_images):
        image_id = f"img_{k:04d}"
        label = int(rng.integers(0, n_classes))
        image = rng.integers(0, 60, size=(size, size), dtype=np.uint8)
        r0, c0 = divmod(label, 2)
        image[r0 * half:(r0 + 1) * half, c0 * half:(c0 + 1) * half] += 150
        np.save(root / "images" / f"{image_id}.npy", image)
        labels[image_id] = label
    (root / "labels.json").write_text(json.dumps(labels, indent=1, sort_keys=True))
    return root


def read_image_index(root):
    labels = json.loads((Path(root) / "labels.json").read_text())
    return sorted(labels), labels


def write_token_corpus(path, n_docs=23, max_len=10, vocab_size=40, seed=0):
    """Right-padded token ids (pad id 0) with a binary label per document."""
    rng = np.random.default_rng(seed)
    tokens = np.zeros((n_docs, max_len), dtype=np.int64)
    lengths = rng.integers(3, max_len + 1, size=n_docs)
    for row, length in enumerate(lengths):
        tokens[row, :length] = rng.integers(1, vocab_size, size=length)
    labels = (tokens[:, 0] % 2).astype(np.int64)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, tokens=tokens, labels=labels)
    return path


def load_token_corpus(path):
    with np.load(path) as data:
        return data["tokens"], data["labels"]
