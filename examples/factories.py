"""One factory per example generator class, used by `make demo` to verify the conversion.

Each ``make_<name>(tmp_path)`` writes its toy data under ``tmp_path``
deterministically and returns a ready-to-iterate instance. This file is loaded
by path with ``examples/`` on ``sys.path``.
"""

from pathlib import Path

from src.data import synthetic
from src.data.images import AugmentedNpyImageGenerator, NpyImageGenerator, RandomlyAugmentedImages
from src.data.tabular import TabularSequence
from src.data.text import NextTokenWindows, TokenBatches

FACTORIES = [
    "make_tabular_sequence",
    "make_npy_image_generator",
    "make_augmented_npy_image_generator",
    # The same class with random augmentation on (compared by structure, dtype and shape) and off
    # (compared value by value).
    "make_randomly_augmented_images",
    "make_randomly_augmented_images_off",
    "make_token_batches",
    "make_next_token_windows",
]


def make_tabular_sequence(tmp_path):
    # 45 rows in batches of 16: the last batch has 13 rows.
    x, y = synthetic.load_tabular(synthetic.write_tabular(Path(tmp_path) / "tabular.npz", n_rows=45))
    return TabularSequence(x, y, batch_size=16)


def _image_folder(tmp_path):
    root = synthetic.write_image_folder(Path(tmp_path) / "images", n_images=16, size=8, n_classes=3)
    ids, labels = synthetic.read_image_index(root)
    return ids, labels, str(root / "images")


def make_npy_image_generator(tmp_path):
    ids, labels, data_dir = _image_folder(tmp_path)
    return NpyImageGenerator(ids, labels, data_dir, batch_size=4, dim=(8, 8), n_classes=3, shuffle=True, seed=0)


def make_augmented_npy_image_generator(tmp_path):
    ids, labels, data_dir = _image_folder(tmp_path)
    return AugmentedNpyImageGenerator(ids, labels, data_dir, batch_size=4, dim=(8, 8), n_classes=3,
                                      shuffle=True, seed=1)


def make_randomly_augmented_images(tmp_path, augment=True):
    ids, labels, data_dir = _image_folder(tmp_path)
    return RandomlyAugmentedImages(ids, labels, data_dir, augment=augment, batch_size=4, dim=(8, 8), n_classes=3,
                                   shuffle=True, seed=2)


def make_randomly_augmented_images_off(tmp_path):
    return make_randomly_augmented_images(tmp_path, augment=False)


def make_token_batches(tmp_path):
    tokens, labels = synthetic.load_token_corpus(synthetic.write_token_corpus(Path(tmp_path) / "text.npz"))
    return TokenBatches(tokens, labels, batch_size=8, class_weight={0: 1.0, 1: 2.0})


def make_next_token_windows(tmp_path):
    tokens, _ = synthetic.load_token_corpus(synthetic.write_token_corpus(Path(tmp_path) / "text.npz"))
    return NextTokenWindows(tokens, window=4, batch_size=16)
