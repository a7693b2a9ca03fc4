"""Images read per row with Pillow or Keras, decoded with ``tf.io.decode_image``.

    np.asarray(Image.open(path).convert("RGB"))
    img_to_array(load_img(path))

Opening a file gives an ``ImageValue``; only turning it into an array (np.asarray / np.array /
img_to_array) gives a tensor. Which files decode exactly is decided per file at run time by
``image_formats``; here only the spellings are recognised, and any other use of the image
(``.resize()``, ``.convert("L")``, a crop) stays out of the native tier with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import re

import libcst as cst

from seq2tfdata.analyse.dtypes import qualified, static_dtype
from seq2tfdata.analyse.native.image_formats import CHANNELS
from seq2tfdata.analyse.native.values import NotNative, PyColumn, TensorValue

_code = cst.Module([]).code_for_node

_PIL_OPEN = "PIL.Image.open"
_KERAS_PACKAGES = {"keras": "keras", "tensorflow": "tensorflow.keras", "tf_keras": "tf_keras"}
_TO_ARRAY = {"numpy.asarray", "numpy.array"}
# load_img(color_mode=...) -> the Pillow mode it converts to when the file is in another one.
_LOAD_IMG_MODES = {"rgb": "RGB", "rgba": "RGBA"}
# A path spelled with one of these extensions is never decoded exactly by tf (JPEG) or untested.
_INEXACT_EXTENSION = re.compile(r"\.(jpe?g|jfif|gif|webp|tiff?)['\"]", re.IGNORECASE)
# load_img's resizing options only matter with a target_size.
_RESIZE_OPTIONS = {"interpolation", "keep_aspect_ratio"}


@dataclass(frozen=True)
class ImageValue:
    """A Pillow image of the file at ``path`` (a per-row path), converted to ``mode`` or, when
    ``mode`` is None, in the file's own mode."""

    path: PyColumn
    mode: str | None


def image_call(evaluator, node: cst.Call, callees: set[str]) -> object | None:
    """The value of ``node`` if it opens, converts or reads out an image; None if it does not."""
    func = node.func
    if _PIL_OPEN in callees:
        return ImageValue(_path(evaluator, node, "Image.open()", allowed=set()), None)
    keras = _keras_function(callees)
    if keras is not None:
        package, name = keras
        if name == "load_img":
            return _load_img(evaluator, node)
        if name == "img_to_array":
            return _img_to_array(evaluator, node, package)
    if callees & _TO_ARRAY and node.args and node.args[0].keyword is None and _is_image(evaluator, node.args[0].value):
        return _to_array(evaluator, node)
    if isinstance(func, cst.Attribute) and _is_image(evaluator, func.value):
        image = evaluator.expr(func.value)
        if func.attr.value == "convert":
            return _convert(node, image)
        raise NotNative(node, f"Pillow's `.{func.attr.value}()` has no exact tf translation")
    return None


def _is_image(evaluator, node: cst.BaseExpression) -> bool:
    """Whether ``node`` spells an image, decided without evaluating it (evaluating a list
    comprehension twice would record its per-row steps twice)."""
    while True:
        if isinstance(node, cst.Name):
            return isinstance(evaluator.env.get(node.value), ImageValue)
        if not isinstance(node, cst.Call):
            return False
        callees = qualified(evaluator.names, node.func)
        if _PIL_OPEN in callees or (_keras_function(callees) or ("", ""))[1] == "load_img":
            return True
        if not isinstance(node.func, cst.Attribute):
            return False
        node = node.func.value


def _keras_function(callees: set[str]) -> tuple[str, str] | None:
    """(Keras package, function name) for Keras' image helpers, under any of their spellings."""
    for name in callees:
        top, _, rest = name.partition(".")
        function = rest.rpartition(".")[2]
        if top in _KERAS_PACKAGES and function in ("load_img", "img_to_array"):
            return _KERAS_PACKAGES[top], function
    return None


def _path(evaluator, node: cst.Call, what: str, allowed: set[str]) -> PyColumn:
    positional = [a for a in node.args if a.keyword is None]
    keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
    if any(a.star for a in node.args) or len(positional) > 1 or set(keywords) - allowed - {"path"}:
        raise NotNative(node, f"{what} with arguments the pipeline does not follow")
    path_node = positional[0].value if positional else keywords.get("path")
    path = evaluator.expr(path_node) if path_node is not None else None
    if not isinstance(path, PyColumn):
        raise NotNative(node, f"{what} of something other than a per-row path")
    extension = _INEXACT_EXTENSION.search(path.code)
    if extension:
        raise NotNative(node, f"{what} reads {extension.group(1)} files, which tf does not decode exactly as Pillow does")
    return path


def _keyword_string(node: cst.Call, keyword: str) -> str | None:
    value = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == keyword), None)
    if value is None:
        return None
    if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str):
        return value.evaluated_value
    raise NotNative(node, f"`{keyword}=` of `{_code(node)}` is not a string literal")


def _load_img(evaluator, node: cst.Call) -> ImageValue:
    target_size = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "target_size"), None)
    if target_size is not None and not (isinstance(target_size, cst.Name) and target_size.value == "None"):
        raise NotNative(node, "load_img() resizes with target_size, which tf.image does not reproduce exactly")
    color_mode = _keyword_string(node, "color_mode") or "rgb"
    if color_mode not in _LOAD_IMG_MODES:
        raise NotNative(node, f'load_img(color_mode="{color_mode}") has no exact tf decode; "rgb" and "rgba" do')
    path = _path(evaluator, node, "load_img()", allowed={"color_mode", "target_size", *_RESIZE_OPTIONS})
    return ImageValue(path, _LOAD_IMG_MODES[color_mode])


def _convert(node: cst.Call, image: ImageValue) -> ImageValue:
    mode = node.args[0].value if len(node.args) == 1 and node.args[0].keyword is None else None
    if not (isinstance(mode, cst.SimpleString) and mode.evaluated_value in CHANNELS):
        raise NotNative(node, f'`{_code(node)}` has no exact tf decode; .convert("RGB") and .convert("RGBA") do')
    if image.mode is not None:
        raise NotNative(node, f"`{_code(node)}` converts an image that is already converted")
    return ImageValue(image.path, str(mode.evaluated_value))


def _decoded(evaluator, image: ImageValue) -> str:
    reads = evaluator.program.images
    table = evaluator.program.table(image.path, "image_paths")
    if image.mode is None:
        if table not in reads.stored_tables:
            reads.stored_tables.append(table)
        return f"decode_image_file({table}[k], {table}_layouts, {table}_channels)"
    reads.converted.add(image.mode)
    return f"decode_image_file({table}[k], {image.mode.lower()}_layouts, {CHANNELS[image.mode]})"


def _dtype(evaluator, node: cst.Call, allowed: set[str]) -> str | None:
    if any(a.star for a in node.args[1:]) or any(a.keyword is None or a.keyword.value not in allowed for a in node.args[1:]):
        raise NotNative(node, f"`{_code(node.func)}(...)` of an image with arguments the pipeline does not follow")
    dtype_node = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "dtype"), None)
    if dtype_node is None:
        return None
    dtype = static_dtype(dtype_node, evaluator.names)
    if dtype is None:
        raise NotNative(node, f"the dtype of `{_code(node)}` is not spelled plainly")
    return dtype


def _to_array(evaluator, node: cst.Call) -> TensorValue:
    dtype = _dtype(evaluator, node, {"dtype"})
    decoded = _decoded(evaluator, evaluator.expr(node.args[0].value))
    tf = evaluator.tf
    return TensorValue(decoded if dtype is None else f"{tf}.cast({decoded}, {tf}.{dtype})")


def _img_to_array(evaluator, node: cst.Call, package: str) -> TensorValue:
    image = evaluator.expr(node.args[0].value) if node.args and node.args[0].keyword is None else None
    if not isinstance(image, ImageValue):
        raise NotNative(node, "img_to_array() of something other than an image opened per row")
    if image.mode is None:
        # Pillow's own mode decides whether img_to_array adds a channel axis.
        raise NotNative(node, "img_to_array() of an image without .convert()", lift='load it with load_img() or .convert("RGB")')
    dtype = _dtype(evaluator, node, {"dtype", "data_format"})
    data_format = _keyword_string(node, "data_format")
    if data_format not in (None, "channels_last"):
        raise NotNative(node, f'img_to_array(data_format="{data_format}") is not followed; channels_last is')
    reads = evaluator.program.images
    if dtype is None or data_format is None:
        # The defaults are Keras settings, read when the dataset is built.
        reads.keras_package = package
        reads.default_data_format = reads.default_data_format or data_format is None
    tf = evaluator.tf
    return TensorValue(f"{tf}.cast({_decoded(evaluator, image)}, {f'{tf}.{dtype}' if dtype else 'image_floatx'})")
