"""The numpy → tf translation table, kept as data: one entry per function, method, operator or attribute.

An entry's ``tf`` is a template of the emitted expression, or of a function body: lines of
statements (``{name} = ...``, ``if ...: return ...``) before the result expression. A template that
probes a dtype, branches or needs an operand twice becomes a helper function the generated code
defines once (``seq2tfdata.translate.helpers``), named for the numpy function (``helper`` or a
case's third item names it otherwise). ``{tf}`` is the TensorFlow module name,
``{p}`` a parameter of ``params``, ``{p!t}`` operand ``p`` cast to the promoted dtype ``{t}``, ``{p!d}``
operand ``p`` converted to the dtype given by parameter ``d``; any other ``{name}`` is a fresh local
name. ``promote`` lists the operands whose numpy result dtype ``{t}`` is computed at trace time, by
applying ``probe`` to numpy scalars of the operands' dtypes: numpy itself decides, NEP 50 included.
``cases`` replace the template when a parameter has a given literal value.

Parameter kinds (``seq2tfdata.translate.KINDS``; ``name/alias`` adds a keyword): tensor, operand (a
tensor, a number literal or a value read from ``self``), operands (a list display of them), array
(tensor or literal), axis, literal_axis, int, literal_int, flag, none (must be None), dtype, shape,
lower/upper (clip bounds). Parameters follow numpy's order so positional arguments bind alike.

Exactness covers bool, (u)int8/16/32, int64 and float16/32/64 tensors under numpy >= 2.
"""

from __future__ import annotations

from dataclasses import dataclass

from seq2tfdata.translate.dtype_names import SCALAR_TYPES


@dataclass(frozen=True)
class Entry:
    kind: str  # "call" (qualified name), "method" (ndarray.<name>), "binary", "unary" or "attribute"
    name: str
    params: str  # "x: tensor, axis: axis = None"; "*p" collects positionals, "_p" cannot be passed
    tf: str
    numpy: str  # a short example; the tests evaluate it against its translation
    promote: tuple[str, ...] = ()
    probe: str = "+"
    cases: tuple[tuple[str, ...], ...] = ()  # (condition, template) or (..., helper name)
    note: str = ""
    helper: str = ""


# numpy's float type for a float-only ufunc: ints of 1 byte (and bool) give float16, of 2 bytes float32.
UFUNC_FLOAT = (
    "{inexact} = {tf}.float16 if {x}.dtype.size == 1 else {tf}.float32\n"
    "if {x}.dtype.size > 2: {inexact} = {tf}.float64\n"
    "if {x}.dtype.is_floating: {inexact} = {x}.dtype\n"
)
INEXACT = "({x}.dtype if {x}.dtype.is_floating else {tf}.float64)"
MEAN_ACC = "{accumulate} = " + INEXACT + "\nif {x}.dtype == {tf}.float16: {accumulate} = {tf}.float32\n"
# numpy sums small ints in the platform int (uint for unsigned), bool in int64.
SUM_ACC = (
    "{accumulate} = {x}.dtype\n"
    "if {x}.dtype.is_integer or {x}.dtype.is_bool: {accumulate} = {tf}.int64\n"
    "if {x}.dtype.is_unsigned: {accumulate} = {tf}.uint64\n"
)
KEEP = "axis={axis}, keepdims={keepdims}"
MEAN = (
    MEAN_ACC + "{mean} = {tf}.math.reduce_mean({tf}.cast({x}, {accumulate}), " + KEEP + ")\n"
    "{tf}.cast({mean}, " + INEXACT + ")"
)
SUM = SUM_ACC + "{tf}.math.reduce_sum({tf}.cast({x}, {accumulate}), " + KEEP + ")"
VARIANCE_STEPS = "{inexact} = {tf}.cast({x}, " + INEXACT + ")\n"
VARIANCE = VARIANCE_STEPS + "{tf}.math.reduce_variance({inexact}, " + KEEP + ")"
# numpy divides by max(n - ddof, 0); n is counted by summing ones so that any axis form works.
VARIANCE_DDOF = (
    VARIANCE_STEPS + "{mean} = {tf}.math.reduce_mean({inexact}, axis={axis}, keepdims=True)\n"
    "{squares} = {tf}.math.reduce_sum({tf}.math.square({inexact} - {mean}), " + KEEP + ")\n"
    "{count} = {tf}.math.reduce_sum({tf}.ones_like({inexact}), " + KEEP + ")\n"
    "{squares} / {tf}.math.maximum({count} - {ddof}, 0)"
)


def _square_root(template: str) -> str:
    *steps, result = template.split("\n")
    return "\n".join([*steps, "{tf}.math.sqrt(" + result + ")"])


STD, STD_DDOF = _square_root(VARIANCE), _square_root(VARIANCE_DDOF)
MAX = "{tf}.math.reduce_any({x}, " + KEEP + ") if {x}.dtype.is_bool else {tf}.math.reduce_max({x}, " + KEEP + ")"
MIN = "{tf}.math.reduce_all({x}, " + KEEP + ") if {x}.dtype.is_bool else {tf}.math.reduce_min({x}, " + KEEP + ")"


def _arg_extreme(op: str, x: str, axis: str) -> str:
    # numpy returns the first NaN's index; tf ignores NaN.
    nan = "{tf}.math.is_nan(" + x + ")"
    found = f"{{tf}}.math.{op}({x}, axis={axis})"
    first_nan = f"{{tf}}.math.argmax({nan}, axis={axis})"
    return (
        f"{{tf}}.where({{tf}}.math.reduce_any({nan}, axis={axis}), {first_nan}, {found})"
        f" if {x}.dtype.is_floating else {found}"
    )


def _arg_cases(op: str) -> tuple[tuple[str, ...], ...]:
    flat = "{flat} = {tf}.reshape({x}, [-1])\n" + _arg_extreme(op, "{flat}", "0")
    return (("axis=None", flat, f"np_{op}_flat"),)


ARGMAX, ARGMIN = _arg_extreme("argmax", "{x}", "{axis}"), _arg_extreme("argmin", "{x}", "{axis}")
CLIP = "{tf}.math.minimum({tf}.math.maximum({x!t}, {lo!t}), {hi!t})"
CLIP_CASES = (
    ("lo=None", "{tf}.math.minimum({x!t}, {hi!t})", "np_clip_max"),
    ("hi=None", "{tf}.math.maximum({x!t}, {lo!t})", "np_clip_min"),
)
SQUEEZE = "{tf}.squeeze({x}, axis={axis})"
TRANSPOSE = "{tf}.transpose({x}, perm={axes})"
RESHAPE = "{tf}.reshape({x}, {shape})"
FLATTEN = "{tf}.reshape({x}, [-1])"
CONCAT_FLAT = "{tf}.concat([{tf}.reshape({part}, [-1]) for {part} in [{arrays!t}]], 0)"
# Keras 3 casts labels to int64 (truncating floats), indexes from the end for negative labels, drops a
# trailing axis of size 1 and returns float64.
TO_CATEGORICAL = (
    "{labels} = {tf}.cast({x}, {tf}.int64)\n"
    "{labels} = {tf}.where({labels} < 0, {labels} + {num_classes}, {labels})\n"
    "{onehot} = {tf}.one_hot({labels}, {num_classes}, dtype={tf}.float64)\n"
    "{tf}.squeeze({onehot}, -2) if {labels}.shape.rank > 1 and {labels}.shape[-1] == 1 else {onehot}"
)
# numpy's float floor division is its divmod (fmod, sign fix, snap to integer), not floor(a / b);
# float16 runs in float32 as numpy's half loops do, also because tf has no float16 fmod kernel.
FLOOR_DIVIDE = (
    "if {t}.kind in 'iu': return {tf}.math.floordiv({x!t}, {y!t})\n"
    "{wide} = {tf}.float32 if {t}.itemsize == 2 else {t}\n"
    "{a} = {tf}.cast({x!t}, {wide})\n"
    "{b} = {tf}.cast({y!t}, {wide})\n"
    "{m} = {tf}.truncatemod({a}, {b})\n"
    "{q} = ({a} - {m}) / {b}\n"
    "{q} = {tf}.where(({m} != 0) & (({b} < 0) != ({m} < 0)), {q} - 1, {q})\n"
    "{f} = {tf}.math.floor({q})\n"
    "{tf}.cast({tf}.where({b} == 0, {a} / {b}, {tf}.where({q} - {f} > 0.5, {f} + 1, {f})), {t})"
)
# Unsigned subtraction runs in int64 (same bits modulo 2**n): grappler rewrites 0 - x into Neg,
# which has no unsigned kernel.
IN_INT64 = "{tf}.cast({tf}.math.{op}(" + "{tf}.cast({x!t}, {tf}.int64), {tf}.cast({y!t}, {tf}.int64)), {t})"
# numpy squares for ``array ** 2``, and the square of bool is int8.
SQUARE = "{tf}.math.square({tf}.cast({x}, {tf}.int8) if {x}.dtype.is_bool else {x})"
# tf has no unsigned pow; int64 arithmetic wraps to the same bits.
POWER = IN_INT64.replace("{op}", "pow") + " if {t}.kind in 'iu' else {tf}.math.pow({x!t}, {y!t})"
SUBTRACT = IN_INT64.replace("{op}", "subtract") + " if {t}.kind == 'u' else {tf}.math.subtract({x!t}, {y!t})"


def _on_bool(logical: str, numeric: str) -> str:
    return f"{{tf}}.math.{logical}({{x!t}}, {{y!t}}) if {{t}}.kind == 'b' else {numeric}({{x!t}}, {{y!t}})"


# operator: (template, probe, numpy functions). The probe "+" promotes (NEP 50: Python numbers count
# last); another probe applies that operator to ones, for its own result dtype (ints / ints is float64).
BINARY = {
    "+": (_on_bool("logical_or", "{tf}.math.add"), "+", ("add",)),
    "-": (SUBTRACT, "+", ("subtract",)),  # bool - bool raises in tf as in numpy
    "*": (_on_bool("logical_and", "{tf}.math.multiply"), "+", ("multiply",)),
    "/": ("{tf}.math.truediv({x!t}, {y!t})", "/", ("divide", "true_divide")),
    "//": (FLOOR_DIVIDE, "//", ("floor_divide",)),
    "%": ("{tf}.math.floormod({x!t}, {y!t})", "%", ("remainder", "mod")),
    "**": (POWER, "**", ("power",)),
    "&": (_on_bool("logical_and", "{tf}.bitwise.bitwise_and"), "&", ("bitwise_and",)),
    "|": (_on_bool("logical_or", "{tf}.bitwise.bitwise_or"), "|", ("bitwise_or",)),
    "^": (_on_bool("logical_xor", "{tf}.bitwise.bitwise_xor"), "^", ("bitwise_xor",)),
}
# Comparisons run in the promoted dtype; "+ 0" lifts bool to int64 because tf cannot order bools. numpy
# also compares int arrays with out-of-range Python ints; that raises here, at trace time.
COMPARISONS = {
    "<": "less", "<=": "less_equal", ">": "greater", ">=": "greater_equal", "==": "equal", "!=": "not_equal"
}
FLOAT_UFUNCS = ("sqrt", "exp", "log", "log1p", "expm1", "tanh", "sin", "cos")

# numpy's own parameter order, so that positional arguments bind as they do in numpy.
REDUCE = "axis: axis = None, dtype: none = None, out: none = None, keepdims: flag = False"
VAR = "axis: axis = None, dtype: none = None, out: none = None, ddof: literal_int = 0, keepdims: flag = False"
EXTREME = "axis: axis = None, out: none = None, keepdims: flag = False"
ARG = "axis: literal_axis = None, out: none = None"
VAR_CASES, STD_CASES = (("ddof=0", VARIANCE, "np_var"),), (("ddof=0", STD, "np_std"),)
KERAS_NOTE = "Keras 3 semantics; labels outside [-num_classes, num_classes) give zero rows where numpy raises"


def _call(name, params, tf, numpy, **more) -> Entry:
    return Entry("call", name, params, tf, numpy, **more)


def _reduction(name, params, tf, numpy, **more) -> Entry:
    return Entry("call", f"numpy.{name}", "x: tensor, " + params, tf, numpy, **more)


def _method(name, params, tf, numpy, **more) -> Entry:
    return Entry("method", f"ndarray.{name}", "x: tensor" + (", " + params if params else ""), tf, numpy, **more)


ENTRIES: tuple[Entry, ...] = (
    # reductions
    _reduction("mean", REDUCE, MEAN, "np.mean(x, axis=0)", note="ints give float64"),
    _reduction("sum", REDUCE, SUM, "np.sum(x, axis=-1, keepdims=True)"),
    _reduction("std", VAR, STD_DDOF, "np.std(x, axis=(0, -1))", cases=STD_CASES, helper="np_std_ddof"),
    _reduction("var", VAR, VARIANCE_DDOF, "np.var(x, ddof=1)", cases=VAR_CASES, helper="np_var_ddof"),
    _reduction("max", EXTREME, MAX, "np.max(x, axis=0)"),
    _reduction("amax", EXTREME, MAX, "np.amax(x)"),
    _reduction("min", EXTREME, MIN, "np.min(x, axis=-1)"),
    _reduction("amin", EXTREME, MIN, "np.amin(x, keepdims=True)"),
    _reduction("argmax", ARG, ARGMAX, "np.argmax(x, axis=-1)", cases=_arg_cases("argmax"), note="first NaN wins"),
    _reduction("argmin", ARG, ARGMIN, "np.argmin(x)", cases=_arg_cases("argmin")),
    _method("mean", REDUCE, MEAN, "x.mean(axis=-1)", note="ints give float64"),
    _method("sum", REDUCE, SUM, "x.sum()"),
    _method("std", VAR, STD_DDOF, "x.std(0)", cases=STD_CASES, helper="np_std_ddof"),
    _method("var", VAR, VARIANCE_DDOF, "x.var(axis=-1, ddof=1)", cases=VAR_CASES, helper="np_var_ddof"),
    _method("max", EXTREME, MAX, "x.max(axis=-1)"),
    _method("min", EXTREME, MIN, "x.min()"),
    _method("argmax", ARG, ARGMAX, "x.argmax(axis=0)", cases=_arg_cases("argmax"), note="first NaN wins"),
    _method("argmin", ARG, ARGMIN, "x.argmin()", cases=_arg_cases("argmin")),
    # element-wise functions of one array
    *(_call(f"numpy.{name}", "x: tensor", UFUNC_FLOAT + f"{{tf}}.math.{name}({{tf}}.cast({{x}}, {{inexact}}))",
            f"np.{name}(x)",
            note="ints give float16/32/64 by item size") for name in FLOAT_UFUNCS),
    *(_call(f"numpy.{name}", "x: tensor", "{x} if {x}.dtype.is_unsigned or {x}.dtype.is_bool else {tf}.math.abs({x})",
            f"np.{name}(x)") for name in ("abs", "absolute")),
    _call("numpy.square", "x: tensor", SQUARE, "np.square(x)", note="bool gives int8"),
    # element-wise functions of two arrays, and the operators
    *(_call(f"numpy.{fn}", "x: operand, y: operand", template, f"np.{fn}(x, y)", promote=("x", "y"), probe=probe)
      for template, probe, names in BINARY.values() for fn in names),
    *(Entry("binary", op, "x: operand, y: operand", template, f"x {op} y", promote=("x", "y"), probe=probe,
            cases=(("y=2", SQUARE, "np_square"),) if op == "**" else ())
      for op, (template, probe, _) in BINARY.items()),
    *(Entry("binary", op, "x: operand, y: operand", f"{{tf}}.math.{fn}({{x!t}}, {{y!t}})", f"x {op} y",
            promote=("x", "y", "0")) for op, fn in COMPARISONS.items()),
    _call("numpy.maximum", "x: operand, y: operand", _on_bool("logical_or", "{tf}.math.maximum"),
          "np.maximum(x, 0.5)", promote=("x", "y"), note="NaN propagates, as in tf"),
    _call("numpy.minimum", "x: operand, y: operand", _on_bool("logical_and", "{tf}.math.minimum"),
          "np.minimum(x, y)", promote=("x", "y")),
    Entry("unary", "-", "x: tensor",
          "{tf}.cast({tf}.math.negative({tf}.cast({x}, {tf}.int64)), {x}.dtype) if {x}.dtype.is_unsigned"
          " else {tf}.math.negative({x})", "-x"),
    Entry("unary", "~", "x: tensor",
          "{tf}.math.logical_not({x}) if {x}.dtype.is_bool else {tf}.bitwise.invert({x})", "~x"),
    _call("numpy.where", "c/condition: tensor, x: operand, y: operand",
          "{tf}.where({tf}.cast({c}, {tf}.bool), {x!t}, {y!t})", "np.where(c, x, 0)", promote=("x", "y")),
    _call("numpy.clip", "x: tensor, lo/a_min: lower, hi/a_max: upper, out: none = None", CLIP, "np.clip(x, -1, 3)",
          promote=("x", "lo", "hi"), cases=CLIP_CASES, note="int bounds outside the dtype are dropped, as numpy"),
    _method("clip", "lo/min: lower = None, hi/max: upper = None, out: none = None", CLIP, "x.clip(0.5, y)",
            promote=("x", "lo", "hi"), cases=CLIP_CASES, note="int bounds outside the dtype are dropped, as numpy"),
    # shapes
    _call("numpy.stack", "arrays: operands, axis: axis = 0, out: none = None",
          "{tf}.stack([{arrays!t}], axis={axis})", "np.stack([x, y], axis=-1)", promote=("arrays",)),
    _call("numpy.concatenate", "arrays: operands, axis: literal_axis = 0, out: none = None",
          "{tf}.concat([{arrays!t}], axis={axis})", "np.concatenate((x, y, x), axis=0)", promote=("arrays",),
          cases=(("axis=None", CONCAT_FLAT, "np_concatenate_flat"),)),
    _call("numpy.expand_dims", "x: tensor, axis: axis", "{tf}.expand_dims({x}, axis={axis})", "np.expand_dims(x, -1)"),
    _call("numpy.squeeze", "x: tensor, axis: axis = None", SQUEEZE, "np.squeeze(np.expand_dims(x, 0))"),
    _method("squeeze", "axis: axis = None", SQUEEZE, "np.expand_dims(x, 0).squeeze(axis=0)"),
    _call("numpy.transpose", "x: tensor, axes: axis = None", TRANSPOSE, "np.transpose(x)"),
    _method("transpose", "*axes: axis", TRANSPOSE, "x.transpose()"),
    Entry("attribute", "T", "x: tensor", "{tf}.transpose({x})", "x.T"),
    _call("numpy.reshape", "x: tensor, shape/newshape: shape", RESHAPE, "np.reshape(x, (-1,))"),
    _call("numpy.flip", "x/m: tensor, axis: axis = None", "{tf}.reverse({x}, {tf}.reshape({axis}, [-1]))",
          "np.flip(x, axis=-1)",
          cases=(("axis=None", "{tf}.reverse({x}, {tf}.range({tf}.rank({x})))", "np_flip_all"),)),
    _call("numpy.fliplr", "x/m: tensor", "{tf}.reverse({x}, [1])", "np.fliplr(x)", note="needs 2 or more dimensions"),
    _call("numpy.flipud", "x/m: tensor", "{tf}.reverse({x}, [0])", "np.flipud(x)"),
    _method("reshape", "*shape: shape", RESHAPE, "x.reshape(-1, 1)"),
    _method("flatten", "", FLATTEN, "x.flatten()"),
    _method("ravel", "", FLATTEN, "x.ravel()"),
    # dtypes and construction
    _method("astype", "dtype: dtype", "{tf}.cast({x}, {dtype})", "x.astype(np.float32)"),
    Entry("attribute", "dtype", "x: tensor", "{x}.dtype", "y.astype(x.dtype)", note="usable as a dtype argument"),
    *(_call(f"numpy.{name}", "x: array, dtype: dtype = None", "{x!dtype}", f"np.{name}(x, dtype='float64')",
            cases=(("dtype=None", "{x}"),)) for name in ("asarray", "array")),
    *(_call(f"numpy.{name}", f"x: array, _dtype: dtype = numpy.{name}", "{x!_dtype}", f"np.{name}(x)")
      for name in SCALAR_TYPES),
    *(_call(f"numpy.{name}_like", "x: tensor, dtype: dtype = None", f"{{tf}}.{name}_like({{x}}, dtype={{dtype}})",
            f"np.{name}_like(x)") for name in ("zeros", "ones")),
    *(_call(f"{module}.to_categorical", "x: tensor, num_classes: int", TO_CATEGORICAL,
            f"{alias}.to_categorical(x, num_classes=5)", note=KERAS_NOTE)
      for module, alias in (("keras.utils", "keras.utils"), ("tensorflow.keras.utils", "tf.keras.utils"),
                            ("keras.src.utils.numerical_utils", "keras.src.utils.numerical_utils"))),
)

