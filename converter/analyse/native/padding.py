"""``pad_sequences`` calls, read into the parameters ``padded_batch`` needs."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from seq2tfdata.analyse.native.values import NotNative, PadSpec

# keras.utils.pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0)
_PARAMETERS = ("sequences", "maxlen", "dtype", "padding", "truncating", "value")
_DEFAULTS = {"maxlen": "None", "dtype": "'int32'", "padding": "'pre'", "truncating": "'pre'", "value": "0.0"}
_SIDES = {"pre", "post"}


def pad_sequences_spec(node: cst.Call, argument: Callable[[cst.BaseExpression], str]) -> PadSpec:
    given = dict(_DEFAULTS)
    for position, arg in enumerate(node.args):
        name = arg.keyword.value if arg.keyword is not None else _PARAMETERS[position]
        if name == "sequences":
            continue
        if name not in given or arg.star:
            raise NotNative(node, f"pad_sequences() argument `{name}` is not supported")
        given[name] = argument(arg.value)
    padding, truncating, dtype = (_literal_string(given[k], node) for k in ("padding", "truncating", "dtype"))
    if padding not in _SIDES or truncating not in _SIDES:
        raise NotNative(node, "pad_sequences() padding/truncating must be the literal 'pre' or 'post'")
    return PadSpec(
        maxlen=None if given["maxlen"] == "None" else given["maxlen"],
        dtype=dtype,
        padding=padding,
        truncating=truncating,
        value=given["value"],
    )


def _literal_string(code: str, node: cst.Call) -> str:
    try:
        value = cst.parse_expression(code)
    except cst.ParserSyntaxError:
        value = None
    if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str):
        return value.evaluated_value
    raise NotNative(node, f"pad_sequences() needs a literal string, not `{code}`")
