"""numpy's spellings of a dtype (scalar types, builtins, dtype strings and typecodes) and the tf
dtype each means."""

from __future__ import annotations

import ast

SCALAR_TYPES = {  # numpy scalar type: tf dtype; calling one on an array is astype
    "bool": "bool", "bool_": "bool", "float16": "float16", "float32": "float32", "float64": "float64", "int8": "int8",
    "int16": "int16", "int32": "int32", "int64": "int64", "uint8": "uint8", "uint16": "uint16", "uint32": "uint32",
}
# Spellings of a dtype (numpy names, builtins, dtype strings and typecodes) -> tf dtype name.
DTYPE_NAMES = {
    **{name: name for name in SCALAR_TYPES.values()},
    "bool_": "bool", "float": "float64", "int": "int64", "half": "float16", "single": "float32",
    "double": "float64", "byte": "int8", "ubyte": "uint8", "short": "int16", "ushort": "uint16", "intc": "int32",
    "uintc": "uint32", "int_": "int64", "intp": "int64", "longlong": "int64", "uint64": "uint64", "uintp": "uint64",
    "?": "bool", "b1": "bool", "f2": "float16", "f4": "float32", "f8": "float64", "i1": "int8", "i2": "int16",
    "i4": "int32", "i8": "int64", "u1": "uint8", "u2": "uint16", "u4": "uint32", "u8": "uint64",
}


def translate_dtype(expr_source: str, tf: str = "tf") -> str | None:
    """The tf dtype for a numpy dtype spelling: ``np.float32``, ``"float32"``, ``builtins.float``, ``x.dtype``."""
    source = expr_source.strip()
    try:
        value = ast.literal_eval(source)
    except (ValueError, SyntaxError):
        value = None
    module, _, name = source.rpartition(".")
    if isinstance(value, str):
        name = value
    elif value is not None or source == "None":
        return None
    elif module in ("", "builtins"):
        name = name if name in ("float", "int", "bool") else ""
    elif module in ("tensorflow", "tf"):
        name = name if DTYPE_NAMES.get(name) == name else ""
    elif module not in ("numpy", "np"):
        # ``<tensor>.dtype`` is already a tf.DType; a dtype stored on self may be numpy's or a Python type.
        return source if name == "dtype" and not source.startswith("self.") else None
    tf_name = DTYPE_NAMES.get(name)
    return f"{tf}.{tf_name}" if tf_name else None
