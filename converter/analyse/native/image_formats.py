"""Which image files Pillow and ``tf.io.decode_image`` decode to the same pixels.

A file's layout is decided by a few header fields: for a PNG its bit depth and colour type (plus
compression, filter and interlace bytes, only 0 tested), for a BMP its header size, bits per
pixel and compression. The generated pipeline reads those fields from every file and refuses,
loudly, any layout not listed here. Each entry was compared byte for byte against Pillow by
``tests/test_images.py``, which fails if an entry stops matching or a refused layout starts to.

What fell out (checked with Pillow 13 and tf 2.21; the test re-checks whatever is installed):
- 16-bit greyscale PNGs: Pillow clips to 255 where tf keeps the high byte.
- Sub-8-bit PNGs to RGBA: tf fills alpha with 2**depth - 1 instead of 255 unless a tRNS chunk
  exists, which the header cannot tell.
- 32-bit BMPs to RGBA: Pillow ignores their alpha, tf keeps it.
- 8-bit BMPs: tf reads palette indices as grey.
- Without ``.convert()``: palette PNGs (Pillow keeps indices), 1-bit (bool) and 16-bit grey
  (uint16) arrays, and 8-bit grey+alpha (tf cannot decode two channels).
- JPEG: decoders round differently; never exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# PNG colour types.
GREY, RGB, PALETTE, GREY_ALPHA, RGBA = 0, 2, 3, 4, 6

# (bit depth, colour type) of the PNGs whose ``.convert(mode)`` tf reproduces.
EXACT_PNG = {
    "RGB": (
        (1, GREY), (2, GREY), (4, GREY), (8, GREY),
        (1, PALETTE), (2, PALETTE), (4, PALETTE), (8, PALETTE),
        (8, RGB), (16, RGB), (8, GREY_ALPHA), (16, GREY_ALPHA), (8, RGBA), (16, RGBA),
    ),
    "RGBA": ((8, GREY), (8, PALETTE), (8, RGB), (16, RGB), (8, GREY_ALPHA), (16, GREY_ALPHA), (8, RGBA), (16, RGBA)),
}
# Bits per pixel of the uncompressed BITMAPINFOHEADER BMPs whose ``.convert(mode)`` tf reproduces.
EXACT_BMP = {"RGB": (24, 32), "RGBA": (24,)}

# Without ``.convert()``: the channels of Pillow's array (1 meaning a 2-D array), per layout.
STORED_PNG = {
    (2, GREY): 1, (4, GREY): 1, (8, GREY): 1, (8, RGB): 3, (16, RGB): 3,
    (16, GREY_ALPHA): 4, (8, RGBA): 4, (16, RGBA): 4,
}
STORED_BMP = {24: 3, 32: 3}

CHANNELS = {"RGB": 3, "RGBA": 4}


@dataclass
class ImageReads:
    """The image decodes a pipeline needs, for the generated code's decoder section."""

    converted: set[str] = field(default_factory=set)  # "RGB" / "RGBA"
    stored_tables: list[str] = field(default_factory=list)  # path tables read without .convert()
    # The Keras package whose backend decides img_to_array()'s default dtype and data format.
    keras_package: str | None = None
    default_data_format: bool = False  # an img_to_array() follows image_data_format()

    def __bool__(self) -> bool:
        return bool(self.converted or self.stored_tables)

    def layouts(self) -> dict[str, tuple[str, str]]:
        """Python source of the accepted PNG (bit depth, colour type) and BMP (bits per pixel)
        layouts, per mode's variable in the generated code."""
        return {f"{mode.lower()}_layouts": (repr(EXACT_PNG[mode]), repr(EXACT_BMP[mode])) for mode in sorted(self.converted)}


def stored_channels_source() -> tuple[str, str]:
    """Python source of the channels Pillow keeps per PNG (bit depth, colour type, channels) and
    BMP (bits per pixel, channels) layout."""
    png = tuple((depth, colour, channels) for (depth, colour), channels in STORED_PNG.items())
    return repr(png), repr(tuple(STORED_BMP.items()))
