"""Static dtype facts: numpy dtype spellings, and the places that produce float64.

Keras 2 cast float64 batches to floatx; tf.data and Keras 3 keep them, so a Sequence that
silently produced float64 keeps doing so after conversion. The converter stays equivalent and
warns instead of casting.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst
import libcst.matchers as m

_NUMPY_DTYPES = {
    "float16", "float32", "float64", "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64", "bool", "complex64", "complex128",
}
_BUILTIN_DTYPES = {"float": "float64", "int": "int64", "bool": "bool", "complex": "complex128"}
_NUMPY_ALIASES = {"bool_": "bool", "double": "float64", "single": "float32", "half": "float16"}
# numpy callables whose result is float64 unless told otherwise.
_FLOAT64_BY_DEFAULT = {
    "numpy.zeros", "numpy.ones", "numpy.empty", "numpy.random.rand", "numpy.random.randn",
    "numpy.random.random", "numpy.random.normal", "numpy.random.uniform", "numpy.linspace",
}

# numpy.random draws: how many positional arguments come before ``size``; without a size they
# return a Python float, which takes the dtype of the arrays it meets.
_SIZE_POSITION = {
    "numpy.random.rand": 0, "numpy.random.randn": 0, "numpy.random.random": 0,
    "numpy.random.normal": 2, "numpy.random.uniform": 2,
}

Names = Mapping[cst.CSTNode, object]  # node -> set of libcst QualifiedName (or a thunk of it)


def qualified(names: Names, node: cst.CSTNode) -> set[str]:
    value = names.get(node, set())
    # libcst computes some metadata lazily and hands back a thunk.
    if callable(value):
        value = value()
    return {q.name for q in value}


def static_dtype(node: cst.BaseExpression, names: Names) -> str | None:
    """The numpy dtype name a dtype expression denotes, when it is spelled plainly."""
    if isinstance(node, cst.SimpleString):
        text = node.evaluated_value
        return text if isinstance(text, str) and text in _NUMPY_DTYPES else None
    for name in qualified(names, node):
        if name.startswith("numpy."):
            short = name.split(".", 1)[1]
            short = _NUMPY_ALIASES.get(short, short)
            if short in _NUMPY_DTYPES:
                return short
        if name.startswith("builtins."):
            return _BUILTIN_DTYPES.get(name.split(".", 1)[1])
    return None


def _keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _makes_array(call: cst.Call, callee: set[str]) -> bool:
    draws = sorted(callee & _SIZE_POSITION.keys())
    if not draws:
        return True
    positional = sum(arg.keyword is None for arg in call.args)
    return positional > _SIZE_POSITION[draws[0]] or _keyword(call, "size") is not None


def float64_sources(func: cst.FunctionDef, names: Names) -> list[tuple[cst.CSTNode, str]]:
    """Expressions in ``func`` that plainly produce float64 data, with a description; an array
    cast right away (``np.random.normal(...).astype(np.float32)``) does not count."""
    found: list[tuple[cst.CSTNode, str]] = []
    calls = m.findall(func.body, m.Call())
    cast_at_once = {
        id(call.func.value)
        for call in calls
        if isinstance(call, cst.Call) and _casts_to_non_float64(call, names)
    }
    for call in calls:
        assert isinstance(call, cst.Call)
        if id(call) in cast_at_once:
            continue
        callee = qualified(names, call.func)
        dtype_arg = _keyword(call, "dtype")
        if dtype_arg is not None and static_dtype(dtype_arg, names) == "float64":
            found.append((call, "an array created with dtype float64"))
        elif callee & _FLOAT64_BY_DEFAULT and dtype_arg is None and _makes_array(call, callee):
            found.append((call, f"`{sorted(callee & _FLOAT64_BY_DEFAULT)[0]}` without dtype= (float64)"))
        elif any(c.endswith("utils.to_categorical") for c in callee):
            found.append((call, "`to_categorical` returns float64 for numpy input in Keras 3"))
        elif (
            isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "astype"
            and call.args
            and static_dtype(call.args[0].value, names) == "float64"
        ):
            found.append((call, "`.astype(...)` to float64"))
    return found


def _casts_to_non_float64(call: cst.Call, names: Names) -> bool:
    """``receiver.astype(dtype)`` with a dtype known statically and other than float64."""
    if not (isinstance(call.func, cst.Attribute) and call.func.attr.value == "astype" and call.args):
        return False
    dtype = static_dtype(call.args[0].value, names)
    return dtype is not None and dtype != "float64"
