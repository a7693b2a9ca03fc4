"""Image reads: which PNG and BMP layouts tf decodes exactly as Pillow, and the loud failure of
the generated pipeline on every other file (JPEG above all)."""

from __future__ import annotations

import io
import struct
import zlib
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from seq2tfdata import Options, convert_source
from seq2tfdata.analyse.native.image_formats import EXACT_BMP, EXACT_PNG, STORED_BMP, STORED_PNG
from seq2tfdata.model import Tier

PIL = pytest.importorskip("PIL.Image")

MODES = [None, "RGB", "RGBA"]  # None: Pillow's array of the file's own mode, no .convert()
HEIGHT, WIDTH = 5, 7  # an odd width pads BMP rows


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(depth: int, colour: int, samples: np.ndarray, palette=None, transparency: bytes | None = None, extra=b"") -> bytes:
    """A PNG written by hand, for the bit depths Pillow does not write."""
    rows = []
    for row in samples:
        flat = row.reshape(-1)
        if depth < 8:
            bits = np.unpackbits(flat.astype(np.uint8)[:, None], axis=1)[:, 8 - depth:]
            data = np.packbits(bits.reshape(-1)).tobytes()
        else:
            data = flat.astype(">u2" if depth == 16 else np.uint8).tobytes()
        rows.append(b"\0" + data)
    header = struct.pack(">IIBBBBB", samples.shape[1], samples.shape[0], depth, colour, 0, 0, 0)
    out = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + extra
    if palette is not None:
        out += _chunk(b"PLTE", palette.astype(np.uint8).tobytes())
    if transparency is not None:
        out += _chunk(b"tRNS", transparency)
    return out + _chunk(b"IDAT", zlib.compress(b"".join(rows))) + _chunk(b"IEND", b"")


def _saved(image, file_format: str, **options) -> bytes:
    stream = io.BytesIO()
    image.save(stream, file_format, **options)
    return stream.getvalue()


def _top_down(bmp: bytes, bytes_per_pixel: int) -> bytes:
    """The same BMP stored top row first (negative height)."""
    data = bytearray(bmp)
    offset = struct.unpack("<I", data[10:14])[0]
    stride = (WIDTH * bytes_per_pixel + 3) // 4 * 4
    rows = [data[offset + k * stride: offset + (k + 1) * stride] for k in range(HEIGHT)]
    data[22:26] = struct.pack("<i", -HEIGHT)
    data[offset:] = b"".join(reversed(rows))
    return bytes(data)


def corpus() -> dict[str, bytes]:
    rng = np.random.default_rng(0)
    Image = PIL

    def pixels(channels: int = 3, high: int = 256):
        shape = (HEIGHT, WIDTH) if channels == 1 else (HEIGHT, WIDTH, channels)
        return rng.integers(0, high, shape, dtype=np.uint16 if high > 256 else np.uint8)

    files = {
        "png L": _saved(Image.fromarray(pixels(1), "L"), "PNG"),
        "png L transparency": _saved(Image.fromarray(pixels(1), "L"), "PNG", transparency=7),
        "png LA": _saved(Image.fromarray(pixels(2), "LA"), "PNG"),
        "png RGB": _saved(Image.fromarray(pixels()), "PNG"),
        "png RGB transparency": _saved(Image.fromarray(pixels()), "PNG", transparency=(1, 2, 3)),
        "png RGBA": _saved(Image.fromarray(pixels(4), "RGBA"), "PNG"),
        "png P": _saved(Image.fromarray(pixels()).quantize(16), "PNG"),
        "png P transparency": _saved(Image.fromarray(pixels()).quantize(16), "PNG", transparency=3),
        "png P alpha palette": _saved(Image.fromarray(pixels(4), "RGBA").convert("P"), "PNG"),
        "png 1-bit": _saved(Image.fromarray(pixels(1, 2).astype(bool)), "PNG"),
        "png 16-bit grey": _saved(Image.fromarray(pixels(1, 65536)), "PNG"),
        "bmp 24-bit": _saved(Image.fromarray(pixels()), "BMP"),
        "bmp 32-bit": _saved(Image.fromarray(pixels(4), "RGBA"), "BMP"),
        "bmp 8-bit palette": _saved(Image.fromarray(pixels()).quantize(16), "BMP"),
        "bmp 8-bit grey": _saved(Image.fromarray(pixels(1), "L"), "BMP"),
        "bmp 1-bit": _saved(Image.fromarray(pixels(1, 2).astype(bool)), "BMP"),
        "jpeg": _saved(Image.fromarray(pixels()), "JPEG"),
        "gif": _saved(Image.fromarray(pixels()).quantize(16), "GIF"),
    }
    files["bmp 24-bit top-down"] = _top_down(files["bmp 24-bit"], 3)
    files["bmp 32-bit top-down"] = _top_down(files["bmp 32-bit"], 4)
    for depth in (1, 2, 4, 8, 16):
        grey = rng.integers(0, 2**depth, (HEIGHT, WIDTH))
        files[f"png {depth}-bit grey"] = _png(depth, 0, grey)
        files[f"png {depth}-bit grey tRNS"] = _png(depth, 0, grey, transparency=struct.pack(">H", 1))
        if depth <= 8:
            entries = 2**depth
            indices = rng.integers(0, entries, (HEIGHT, WIDTH))
            palette = rng.integers(0, 256, (entries, 3))
            files[f"png {depth}-bit palette"] = _png(depth, 3, indices, palette)
            files[f"png {depth}-bit palette tRNS"] = _png(depth, 3, indices, palette, transparency=bytes([0, 128]))
            files[f"png {depth}-bit short palette"] = _png(depth, 3, indices, palette[: max(1, entries // 2)])
    for depth in (8, 16):
        for colour, channels in ((2, 3), (4, 2), (6, 4)):
            files[f"png {depth}-bit colour type {colour}"] = _png(depth, colour, rng.integers(0, 2**depth, (HEIGHT, WIDTH, channels)))
    files["png 16-bit RGB tRNS"] = _png(16, 2, rng.integers(0, 2**16, (HEIGHT, WIDTH, 3)), transparency=struct.pack(">HHH", 1, 2, 3))
    # Ancillary chunks that a decoder could act on, and neither does.
    files["png RGB gAMA"] = _png(8, 2, rng.integers(0, 256, (HEIGHT, WIDTH, 3)), extra=_chunk(b"gAMA", struct.pack(">I", 90910)))
    files["png RGB sBIT"] = _png(8, 2, rng.integers(0, 256, (HEIGHT, WIDTH, 3)), extra=_chunk(b"sBIT", bytes([5, 6, 5])))
    return files


def layout(raw: bytes) -> tuple | None:
    """The header fields the generated pipeline checks, as the keys of ``image_formats``."""
    if raw[:8] == b"\x89PNG\r\n\x1a\n" and raw[26:29] == bytes(3):
        return ("png", raw[24], raw[25])
    if raw[:2] == b"BM" and struct.unpack("<I", raw[14:18])[0] == 40 and raw[30:34] == bytes(4):
        return ("bmp", struct.unpack("<H", raw[28:30])[0])
    return None


def accepted(mode: str | None) -> set[tuple]:
    if mode is None:
        return {("png", *key) for key in STORED_PNG} | {("bmp", bits) for bits in STORED_BMP}
    return {("png", *key) for key in EXACT_PNG[mode]} | {("bmp", bits) for bits in EXACT_BMP[mode]}


def pillow_array(raw: bytes, mode: str | None) -> np.ndarray:
    image = PIL.open(io.BytesIO(raw))
    return np.asarray(image if mode is None else image.convert(mode))


def tf_matches(raw: bytes, mode: str | None) -> bool:
    import tensorflow as tf

    expected = pillow_array(raw, mode)
    channels = {"RGB": 3, "RGBA": 4}.get(mode) or (expected.shape[2] if expected.ndim == 3 else 1)
    try:
        decoded = tf.io.decode_image(raw, channels=channels, expand_animations=False).numpy()
    except (tf.errors.InvalidArgumentError, ValueError):
        return False
    if expected.ndim == 2:
        decoded = decoded[:, :, 0]
    return decoded.dtype == expected.dtype and decoded.shape == expected.shape and np.array_equal(decoded, expected)


@pytest.mark.parametrize("mode", MODES, ids=str)
def test_accepted_layouts_are_exactly_those_every_sample_of_which_decodes_alike(mode) -> None:
    results = defaultdict(list)
    for raw in corpus().values():
        results[layout(raw)].append(tf_matches(raw, mode))
    exact = {key for key, matches in results.items() if key is not None and all(matches)}
    assert accepted(mode) == exact


def test_without_convert_the_channel_count_is_pillows() -> None:
    for name, raw in corpus().items():
        key = layout(raw)
        if key in accepted(None):
            array = pillow_array(raw, None)
            channels = STORED_PNG[key[1:]] if key[0] == "png" else STORED_BMP[key[1]]
            assert (array.shape[2] if array.ndim == 3 else 1) == channels, name


READS = {
    None: "np.array(PIL.Image.open(p))",
    "RGB": "tf.keras.utils.img_to_array(tf.keras.utils.load_img(p), dtype='uint8')",
    "RGBA": "np.asarray(Image.open(p).convert('RGBA'))",
}
SEQUENCE = '''
import numpy as np
import PIL.Image
import tensorflow as tf
from PIL import Image


class Read(tf.keras.utils.Sequence):
    def __init__(self, paths, batch_size=1):
        super().__init__()
        self.paths = paths
        self.batch_size = batch_size

    def __len__(self):
        return len(self.paths) // self.batch_size

    def __getitem__(self, idx):
        batch = self.paths[idx * self.batch_size:(idx + 1) * self.batch_size]
        return np.stack([{read} for p in batch])
'''


def _converted(mode: str | None, tmp_path: Path):
    from seq2tfdata.verify import load_factory

    result = convert_source(SEQUENCE.format(read=READS[mode]), Options(path="read.py"))
    assert [finding.tier for finding in result.findings] == [Tier.NATIVE], result.findings
    module = tmp_path / f"read_{mode}.py"
    module.write_text(result.code, encoding="utf-8")
    return load_factory(f"{module}:Read")


def _representatives() -> dict[tuple | None, tuple[str, bytes]]:
    """One file per layout, plus every file no layout names (JPEG, GIF)."""
    chosen: dict = {}
    for name, raw in corpus().items():
        chosen.setdefault(layout(raw) or name, (name, raw))
    return chosen


@pytest.mark.parametrize("mode", MODES, ids=str)
def test_the_pipeline_reads_accepted_layouts_exactly_and_stops_on_the_rest(mode, tmp_path: Path) -> None:
    import tensorflow as tf

    read = _converted(mode, tmp_path)
    for key, (name, raw) in _representatives().items():
        path = tmp_path / name.replace(" ", "_")
        path.write_bytes(raw)
        sequence = read([str(path)])
        if key in accepted(mode):
            (batch,) = list(sequence.to_tf_dataset().as_numpy_iterator())
            assert batch.dtype == sequence[0].dtype and np.array_equal(batch, sequence[0]), name
        elif mode is None:
            # The first file fixes the channels; one Pillow keeps as palette indices cannot, so
            # the Sequence is served by the generator pipeline, with a warning.
            with pytest.warns(RuntimeWarning, match="has no exact tf decode"):
                dataset = sequence.to_tf_dataset()
            (batch,) = list(dataset.as_numpy_iterator())
            assert batch.dtype == sequence[0].dtype and np.array_equal(batch, sequence[0]), name
        else:
            with pytest.raises(tf.errors.InvalidArgumentError, match="not a PNG or BMP that tf decodes like Pillow"):
                list(sequence.to_tf_dataset())


def test_a_jpeg_among_pngs_stops_the_pipeline_with_its_path(tmp_path: Path) -> None:
    import tensorflow as tf

    files = corpus()
    paths = []
    for name in ("png RGB", "png L", "jpeg"):
        path = tmp_path / f"{name.replace(' ', '_')}.img"
        path.write_bytes(files[name])
        paths.append(str(path))
    dataset = _converted("RGB", tmp_path)(paths).to_tf_dataset()
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"(?s)JPEG never is.*jpeg\.img"):
        list(dataset)


def test_without_convert_a_file_with_other_channels_than_the_first_stops_the_pipeline(tmp_path: Path) -> None:
    import tensorflow as tf

    files = corpus()
    paths = []
    for name in ("png RGB", "bmp 24-bit", "png L"):
        path = tmp_path / name.replace(" ", "_")
        path.write_bytes(files[name])
        paths.append(str(path))
    dataset = _converted(None, tmp_path)(paths).to_tf_dataset()
    iterator = iter(dataset)
    next(iterator), next(iterator)  # an RGB PNG and a 24-bit BMP both have three channels
    # The grey PNG's batch has another rank; a from_generator wrapper stops on it too.
    stops = "not a PNG or BMP|yielded an element of shape|is not compatible with expected shape"
    with pytest.raises(tf.errors.InvalidArgumentError, match=stops):
        next(iterator)


def _tier(read: str, extra_imports: str = "") -> tuple[Tier, str]:
    source = SEQUENCE.format(read=read).replace("import numpy as np", "import numpy as np\n" + extra_imports)
    (finding,) = convert_source(source, Options(path="read.py")).findings
    return finding.tier, " ".join(reason.message for reason in finding.reasons)


@pytest.mark.parametrize(
    "read, imports",
    [
        ("np.asarray(Image.open(p))", ""),
        ("np.array(Image.open(p).convert('RGB'), dtype=np.float32)", ""),
        ("img_to_array(load_img(p))", "from keras.utils import img_to_array, load_img"),
        ("image.img_to_array(image.load_img(p, color_mode='rgba'), dtype='float32')", "from keras.preprocessing import image"),
        ("np.asarray(tensorflow.keras.preprocessing.image.load_img(p, target_size=None))", "import tensorflow"),
        ("tf_keras.utils.img_to_array(tf_keras.utils.load_img(p), data_format='channels_last')", "import tf_keras"),
    ],
)
def test_these_spellings_are_native(read: str, imports: str) -> None:
    assert _tier(read, imports) == (Tier.NATIVE, "")


@pytest.mark.parametrize(
    "read, reason",
    [
        ("np.asarray(Image.open(p).resize((4, 4)))", "Pillow's `.resize()` has no exact tf translation"),
        ("np.asarray(Image.open(p).convert('L'))", "has no exact tf decode"),
        ("tf.keras.utils.img_to_array(tf.keras.utils.load_img(p, target_size=(4, 4)))", "resizes with target_size"),
        ("tf.keras.utils.img_to_array(tf.keras.utils.load_img(p, color_mode='grayscale'))", 'color_mode="grayscale"'),
        ("tf.keras.utils.img_to_array(Image.open(p))", "img_to_array() of an image without .convert()"),
        ("np.asarray(Image.open(p + '.jpg').convert('RGB'))", "reads jpg files"),
    ],
)
def test_inexact_reads_stay_out_of_the_native_tier_with_a_reason(read: str, reason: str) -> None:
    tier, reasons = _tier(read)
    assert tier is not Tier.NATIVE
    assert reason in reasons
