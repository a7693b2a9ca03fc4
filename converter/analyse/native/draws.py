"""Random draws in ``__getitem__`` (augmentation) as ``tf.random`` stateless ops.

The Sequence draws from numpy's or Python's global RNG in call order, which a parallel map cannot
reproduce. The pipeline instead draws from the same distribution, with the same dtype and shape,
seeded per element from a ``Dataset.random`` stream that is re-randomised every pass: values
differ from the Sequence's, so ``verify`` compares augmented epochs by structure, dtype and shape,
and exactly when augmentation is switched off.

A draw without ``size`` is a Python number in numpy: weakly typed, so ``x * np.random.uniform()``
keeps ``x``'s float dtype. ``ScalarDraw`` carries that through arithmetic and comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from seq2tfdata.analyse.native.rows import as_scalar
from seq2tfdata.analyse.native.values import NotNative, ScalarValue, TensorValue
from seq2tfdata.translate.helpers import OPERATOR_NAMES, Helper, Helpers, register

_code = cst.Module([]).code_for_node


@dataclass(frozen=True)
class _Distribution:
    kind: str  # "uniform", "normal" or "integers"
    params: tuple[str, ...]  # numpy's parameter order; "*size" collects dimensions (rand, randn)
    defaults: tuple[tuple[str, str], ...] = ()
    inclusive: bool = False  # random.randint(a, b) includes b


_NUMPY_LEGACY = {
    "rand": _Distribution("uniform", ("*size",)),
    "random": _Distribution("uniform", ("size",)),
    "random_sample": _Distribution("uniform", ("size",)),
    "ranf": _Distribution("uniform", ("size",)),
    "sample": _Distribution("uniform", ("size",)),
    "uniform": _Distribution("uniform", ("low", "high", "size"), (("low", "0.0"), ("high", "1.0"))),
    "randn": _Distribution("normal", ("*size",)),
    "standard_normal": _Distribution("normal", ("size",)),
    "normal": _Distribution("normal", ("loc", "scale", "size"), (("loc", "0.0"), ("scale", "1.0"))),
    "randint": _Distribution("integers", ("low", "high", "size")),
}
DISTRIBUTIONS = {f"numpy.random.{name}": spec for name, spec in _NUMPY_LEGACY.items()} | {
    "random.random": _Distribution("uniform", ()),
    "random.uniform": _Distribution("uniform", ("low", "high")),
    "random.gauss": _Distribution("normal", ("loc", "scale"), (("loc", "0.0"), ("scale", "1.0"))),
    "random.normalvariate": _Distribution("normal", ("loc", "scale"), (("loc", "0.0"), ("scale", "1.0"))),
    "random.randint": _Distribution("integers", ("low", "high"), inclusive=True),
}


@dataclass(frozen=True)
class ScalarDraw:
    """A drawn Python number: ``code`` is a 0-d float64/int64 tensor; ``integer`` for ints."""

    code: str
    integer: bool = False


def draw(evaluator, node: cst.Call, callee: str) -> ScalarDraw | TensorValue:
    spec = DISTRIBUTIONS[callee]
    given = _bind(spec, node)
    tf = evaluator.tf
    seed = evaluator.draw_seed()
    size = _size(evaluator, given.pop("size", None), node)
    shape = "[]" if size is None else size
    values = {name: _number(evaluator, source, node, spec.kind) for name, source in given.items()}
    if spec.kind == "integers":
        low, high = values["low"], values.get("high", "None")
        if high == "None":
            low, high = "0", low
        if spec.inclusive:
            high = f"{high} + 1"
        code = f"{tf}.random.stateless_uniform({shape}, seed={seed}, minval={low}, maxval={high}, dtype={tf}.int64)"
        return ScalarDraw(code, integer=True) if size is None else TensorValue(code)

    def drawn_as(dtype: str) -> str:
        if spec.kind == "uniform":
            bounds = f", minval={values['low']}, maxval={values['high']}" if "low" in values else ""
            return f"{tf}.random.stateless_uniform({shape}, seed={seed}{bounds}, dtype={tf}.{dtype})"
        mean, stddev = values.get("loc", "0.0"), values.get("scale", "1.0")
        return f"{tf}.random.stateless_normal({shape}, seed={seed}, mean={mean}, stddev={stddev}, dtype={tf}.{dtype})"

    if size is None:
        return ScalarDraw(drawn_as("float64"))
    return TensorValue(drawn_as("float64"), float32_draw=drawn_as("float32"))


def _bind(spec: _Distribution, node: cst.Call) -> dict[str, cst.BaseExpression | list[cst.BaseExpression] | str]:
    given: dict = dict(spec.defaults)
    collects = spec.params[:1] == ("*size",)
    positional = [a.value for a in node.args if a.keyword is None and not a.star]
    if any(a.star for a in node.args):
        raise NotNative(node, f"`{_code(node)}` passes *args/**kwargs")
    if collects:
        given["size"] = positional if positional else None
    else:
        if len(positional) > len(spec.params):
            raise NotNative(node, f"`{_code(node)}` has more arguments than numpy's signature")
        given.update(zip(spec.params, positional))
    for arg in node.args:
        if arg.keyword is None:
            continue
        name = {"a": "low", "b": "high", "mu": "loc", "sigma": "scale"}.get(arg.keyword.value, arg.keyword.value)
        if collects or name not in spec.params or name in given and name not in dict(spec.defaults):
            raise NotNative(node, f"`{_code(node)}`: argument `{arg.keyword.value}` is not followed")
        given[name] = arg.value
    missing = [name for name in spec.params if name not in given and name != "size" and not name.startswith("*") and not (spec.kind == "integers" and name == "high")]
    if missing:
        raise NotNative(node, f"`{_code(node)}` misses `{missing[0]}`")
    return given


def _number(evaluator, source: cst.BaseExpression | str, node: cst.Call, kind: str) -> str:
    """A distribution parameter: a literal, or a number read from self when the dataset is built."""
    if isinstance(source, str):
        return source
    value = as_scalar(evaluator.expr(source))
    if isinstance(value, ScalarValue):
        # A plain Python number keeps an attribute such as np.float32(0.1) from fixing the
        # draw's dtype; numpy's randint truncates float bounds as int() does.
        return value.code if value.literal else f"{'int' if kind == 'integers' else 'float'}({value.code})"
    raise NotNative(node, f"`{_code(source)}` is a distribution parameter the pipeline cannot read as a number")


def _size(evaluator, size, node: cst.Call) -> str | None:
    if size is None or (isinstance(size, cst.Name) and size.value == "None"):
        return None
    if isinstance(size, list):
        return "[" + ", ".join(_dimension(evaluator, d, node) for d in size) + "]"
    if isinstance(size, cst.Attribute) and size.attr.value == "shape":
        array = evaluator.expr(size.value)
        if isinstance(array, TensorValue):
            return f"{evaluator.tf}.shape({array.code})"
    if isinstance(size, (cst.Tuple, cst.List)):
        return "[" + ", ".join(_dimension(evaluator, e.value, node) for e in size.elements) + "]"
    return f"[{_dimension(evaluator, size, node)}]"


def _dimension(evaluator, node: cst.BaseExpression, call: cst.Call) -> str:
    from_shape = _shape_entry(evaluator, node)
    if from_shape is not None:
        return from_shape
    value = as_scalar(evaluator.expr(node))
    if isinstance(value, ScalarValue):
        return value.code
    raise NotNative(call, f"the size `{_code(node)}` of `{_code(call)}` is not a number or an array's shape")


def _shape_entry(evaluator, node: cst.BaseExpression) -> str | None:
    """``x.shape[i]`` or ``len(x)`` of a computed array: a dimension known only when the batch is."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "len" and len(node.args) == 1:
        array = evaluator.expr(node.args[0].value)
        return f"{evaluator.tf}.shape({array.code})[0]" if isinstance(array, TensorValue) else None
    if not (isinstance(node, cst.Subscript) and isinstance(node.value, cst.Attribute) and node.value.attr.value == "shape"):
        return None
    index = node.slice[0].slice if len(node.slice) == 1 else None
    if not (isinstance(index, cst.Index) and isinstance(index.value, cst.Integer)):
        return None
    array = evaluator.expr(node.value.value)
    if not isinstance(array, TensorValue):
        return None
    return f"{evaluator.tf}.shape({array.code})[{index.value.value}]"


def weak_combine(
    op: str, left: object, right: object, tf: str, helpers: Helpers
) -> TensorValue | ScalarDraw | None:
    """Arithmetic with a drawn Python number, typed as numpy types it (NEP 50); with an array,
    through a helper added to ``helpers``."""
    draws = [v for v in (left, right) if isinstance(v, ScalarDraw)]
    if not draws or op not in ("+", "-", "*", "/", "//", "%", "**"):
        return None
    other = right if isinstance(left, ScalarDraw) else left
    integer = all(d.integer for d in draws)
    if isinstance(other, ScalarValue) and not other.literal and integer:
        return None  # an int read from self may be any Python number
    if isinstance(other, (ScalarValue, ScalarDraw)):
        other_integer = other.integer if isinstance(other, ScalarDraw) else other.code.lstrip("-").isdigit()
        result_integer = integer and other_integer and op != "/"
        parts = [
            f"{tf}.cast({v.code}, {tf}.float64)" if isinstance(v, ScalarDraw) and v.integer and not result_integer
            else _host_number(v)
            for v in (left, right)
        ]
        return ScalarDraw(f"({parts[0]} {op} {parts[1]})", integer=result_integer)
    if isinstance(other, TensorValue):
        name = _drawn_number_helper(op, other is left, integer, tf, helpers)
        return TensorValue(f"{name}({left.code}, {right.code})")  # type: ignore[union-attr]
    return None


def _drawn_number_helper(op: str, array_first: bool, integer: bool, tf: str, helpers: Helpers) -> str:
    """A function of an array and a drawn Python number, in the order they are written."""
    parameters = ("array", "number") if array_first else ("number", "array")
    if integer:
        dtype = f"{tf}.int64 if array.dtype.is_bool else array.dtype"
    else:
        dtype = f"array.dtype if array.dtype.is_floating else {tf}.float64"
    left, right = ("array", "number") if array_first else ("number", "array")
    result = f"{tf}.math.truediv({left}, {right})" if op == "/" else f"{left} {op} {right}"
    kind = "int" if integer else "float"
    name = f"{OPERATOR_NAMES[op]}_{'by' if array_first else 'with'}_drawn_{kind}"
    lines = (f"dtype = {dtype}", f"array, number = {tf}.cast(array, dtype), {tf}.cast(number, dtype)", f"return {result}")
    note = ("# The array's dtype wins unless the number is of a higher kind (NEP 50).",)
    return register(helpers, Helper(name, parameters, lines, note))


def compare_draw(op: str, left: object, right: object, tf: str) -> TensorValue | None:
    """``np.random.rand() < 0.5``: a 0-d boolean tensor, the condition of a drawn branch."""
    if not any(isinstance(v, ScalarDraw) for v in (left, right)):
        return None
    if not all(isinstance(v, (ScalarDraw, ScalarValue)) for v in (left, right)):
        return None
    # Python compares an int with a float exactly; a float64 cast of a drawn int is exact too.
    parts = [f"{tf}.cast({v.code}, {tf}.float64)" if isinstance(v, ScalarDraw) and v.integer else _host_number(v) for v in (left, right)]
    return TensorValue(f"({parts[0]} {op} {parts[1]})")


def _host_number(value: ScalarDraw | ScalarValue) -> str:
    if isinstance(value, ScalarDraw) or value.literal:
        return value.code
    return f"float({value.code})"
