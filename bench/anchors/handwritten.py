"""Hand-written tf.data pipelines, one per workload, as a tf.data engineer would write them.

Each takes the same raw data the workload's Sequence is built from and yields the same batches:
whole-batch slicing with `from_tensor_slices(...).batch()`, per-row work in one parallel map
before `batch`, per-batch work as one vectorised map after it, variable-length rows as one ragged
table sliced per batch, stateless random ops seeded from `Dataset.random`, then `prefetch`.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

AUTOTUNE = tf.data.AUTOTUNE


def _batch_slices(columns, num_rows, batch_size, per_batch=None):
    """The other in-memory idiom: one slice of each column per batch index. It skips the
    per-row element bookkeeping of from_tensor_slices(...).batch(), which wins on large batches;
    the benchmark times both and takes the faster as the anchor."""
    columns = tf.nest.map_structure(tf.constant, columns)

    def batch_at(index):
        lo = index * batch_size
        batch = tf.nest.map_structure(lambda column: column[lo:lo + batch_size], columns)
        return batch if per_batch is None else per_batch(*batch)

    num_batches = -(-num_rows // batch_size)
    return tf.data.Dataset.range(num_batches).map(batch_at, num_parallel_calls=AUTOTUNE).prefetch(AUTOTUNE)


def slices_by_batch(data, batch_size=32):
    return _batch_slices((data["x"], data["y"]), len(data["y"]), batch_size)


def slices(data, batch_size=32):
    ds = tf.data.Dataset.from_tensor_slices((data["x"], data["y"]))
    return ds.batch(batch_size).prefetch(AUTOTUNE)


def _standardise(batch, labels):
    mean = tf.reduce_mean(batch, axis=0)
    std = tf.math.reduce_std(batch, axis=0)
    return (batch - mean) / (std + 1e-6), labels


def zscore_by_batch(data, batch_size=256):
    return _batch_slices((data["features"], data["labels"]), len(data["labels"]), batch_size, _standardise)


def zscore(data, batch_size=256):
    ds = tf.data.Dataset.from_tensor_slices((data["features"], data["labels"])).batch(batch_size)
    return ds.map(_standardise, num_parallel_calls=AUTOTUNE).prefetch(AUTOTUNE)


def padded_text(data, batch_size=64):
    # One ragged table built once; each batch is a row slice padded to its own longest row,
    # which is what pad_sequences(padding="post") gives: 300 batch-level ops, not one per row.
    lengths = np.array([len(tokens) for tokens in data["token_lists"]], dtype=np.int64)
    values = np.concatenate([np.asarray(t, dtype=np.int32) for t in data["token_lists"]])
    table = tf.RaggedTensor.from_row_lengths(values, lengths)
    labels = tf.constant(np.asarray(data["labels"]))
    num_batches = -(-len(lengths) // batch_size)

    def batch_at(index):
        lo = index * batch_size
        return table[lo:lo + batch_size].to_tensor(), labels[lo:lo + batch_size]

    ds = tf.data.Dataset.range(num_batches).map(batch_at, num_parallel_calls=AUTOTUNE)
    return ds.prefetch(AUTOTUNE)


def npy_files(data, batch_size=32, dim=(32, 32), n_classes=10, shuffle=True):
    ids = data["ids"]
    paths = [data["data_dir"] + "/" + sample_id + ".npy" for sample_id in ids]
    labels = np.array([data["labels"][sample_id] for sample_id in ids], dtype=np.int64)
    # Every file has the same shape and dtype, so one header length fits all (np.save pads the
    # header to a multiple of 64 bytes, hence of 8: the float64 payload starts on an element).
    with open(paths[0], "rb") as handle:
        np.lib.format.read_magic(handle)
        np.lib.format.read_array_header_1_0(handle)
        header_elements = handle.tell() // 8

    def load(path, label):
        values = tf.io.decode_raw(tf.io.read_file(path), tf.float64)[header_elements:]
        # keras.utils.to_categorical gives float64 here.
        return tf.reshape(values, dim), tf.one_hot(label, n_classes, dtype=tf.float64)

    ds = tf.data.Dataset.from_tensor_slices((paths, labels))
    if shuffle:
        ds = ds.shuffle(len(paths), reshuffle_each_iteration=True)
    ds = ds.map(load, num_parallel_calls=AUTOTUNE)
    # __len__ is floor(n / batch_size): the partial last batch is never served.
    return ds.batch(batch_size, drop_remainder=True).prefetch(AUTOTUNE)


def png_files(data, batch_size=64):
    def load(path, label):
        image = tf.io.decode_png(tf.io.read_file(path), channels=3)
        # Scaling fused into the row map; float64, as uint8 / 255.0 is in numpy.
        return tf.cast(image, tf.float64) / 255.0, label

    ds = tf.data.Dataset.from_tensor_slices((data["paths"], np.asarray(data["labels"])))
    ds = ds.map(load, num_parallel_calls=AUTOTUNE)
    return ds.batch(batch_size).prefetch(AUTOTUNE)


def augment(data, batch_size=128, augment=True):
    ds = tf.data.Dataset.from_tensor_slices((data["images"], data["labels"])).batch(batch_size)
    if not augment:
        return ds.prefetch(AUTOTUNE)

    def flip_and_noise(seed, batch):
        x, y = batch
        flip_seed, noise_seed = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
        flip = tf.random.stateless_uniform([], flip_seed) < 0.5
        x = tf.where(flip, tf.reverse(x, axis=[2]), x)
        noise = tf.random.stateless_normal(tf.shape(x), noise_seed, 0.0, 0.05, dtype=tf.float32)
        return x + noise, y

    # Two int64 draws per batch form its seed; new values each pass, reproducible under set_seed.
    seeds = tf.data.Dataset.random(rerandomize_each_iteration=True).batch(2)
    ds = tf.data.Dataset.zip(seeds, ds).map(flip_and_noise, num_parallel_calls=AUTOTUNE)
    return ds.prefetch(AUTOTUNE)


def windows(data, window=24, batch_size=128):
    series = tf.constant(data["series"])
    offsets = tf.range(window, dtype=tf.int64)

    def gather_windows(starts):
        # One vectorised gather per batch instead of a window slice per row.
        x = tf.gather(series, starts[:, None] + offsets)
        return x, tf.gather(series[:, 0], starts + window)

    ds = tf.data.Dataset.range(len(data["series"]) - window).batch(batch_size)
    return ds.map(gather_windows, num_parallel_calls=AUTOTUNE).prefetch(AUTOTUNE)


def _mixed_standardiser(data):
    mean, std = tf.constant(data["mean"]), tf.constant(data["std"])

    def standardise(inputs, target):
        # Kept per batch, as in the Sequence, so both do the same arithmetic each epoch.
        return {"numeric": (inputs["numeric"] - mean) / std, "category": inputs["category"]}, target

    columns = {"numeric": data["numeric"], "category": data["category"]}
    return (columns, data["target"]), standardise


def mixed_dict(data, batch_size=64):
    columns, standardise = _mixed_standardiser(data)
    ds = tf.data.Dataset.from_tensor_slices(columns).batch(batch_size)
    return ds.map(standardise, num_parallel_calls=AUTOTUNE).prefetch(AUTOTUNE)


def mixed_dict_by_batch(data, batch_size=64):
    columns, standardise = _mixed_standardiser(data)
    return _batch_slices(columns, len(data["target"]), batch_size, standardise)
