"""Train the toy tabular and image classifiers for one epoch.

Run from the examples/ directory:  python -m src.train [--data-dir DIR]
"""

import argparse
import tempfile
from pathlib import Path

import keras

from src.data import synthetic
from src.data.images import AugmentedNpyImageGenerator
from src.data.tabular import TabularSequence
from src.data.text import TokenBatches


def tabular_model(n_features):
    model = keras.Sequential([
        keras.Input(shape=(n_features,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def image_model(dim, n_classes):
    model = keras.Sequential([
        keras.Input(shape=(*dim, 1)),
        keras.layers.Conv2D(4, 3, activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(n_classes, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def text_model(vocab_size, max_len):
    tokens = keras.Input(shape=(max_len,), dtype="int32", name="tokens")
    mask = keras.Input(shape=(max_len,), dtype="float32", name="mask")
    emb = keras.layers.Embedding(vocab_size, 8)(tokens)
    masked = keras.layers.Multiply()([emb, keras.layers.Reshape((max_len, 1))(mask)])
    pooled = keras.layers.GlobalAveragePooling1D()(masked)
    out = keras.layers.Dense(1, activation="sigmoid")(pooled)
    model = keras.Model({"tokens": tokens, "mask": mask}, out)
    model.compile(optimizer="adam", loss="binary_crossentropy", weighted_metrics=["accuracy"])
    return model


def fit_keras2_style(model, gen):
    # Keras 2 era call: worker options were fit() arguments. Keras 3 raises
    # TypeError here; they now belong in the PyDataset constructor.
    return model.fit(gen, epochs=1, workers=2, use_multiprocessing=True)


def main(data_dir):
    data_dir = Path(data_dir)

    x, y = synthetic.load_tabular(synthetic.write_tabular(data_dir / "tabular.npz"))
    tab_gen = TabularSequence(x, y, batch_size=16)
    tabular_model(x.shape[1]).fit(tab_gen, epochs=1, verbose=2)

    image_root = synthetic.write_image_folder(data_dir / "images")
    ids, labels = synthetic.read_image_index(image_root)
    img_gen = AugmentedNpyImageGenerator(ids, labels, str(image_root / "images"), batch_size=4,
                                         dim=(8, 8), n_classes=3)
    image_model((8, 8), 3).fit(img_gen, epochs=1, verbose=2)

    tokens, doc_labels = synthetic.load_token_corpus(synthetic.write_token_corpus(data_dir / "text.npz"))
    text_gen = TokenBatches(tokens, doc_labels, batch_size=8, class_weight={0: 1.0, 1: 2.0})
    text_model(vocab_size=40, max_len=tokens.shape[1]).fit(text_gen, epochs=1, verbose=2)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", default=None, help="where to write the toy data (default: a temp dir)")
    args = parser.parse_args()
    if args.data_dir:
        main(args.data_dir)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(tmp)
