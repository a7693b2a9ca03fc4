"""Every numpy → tf table entry, evaluated by numpy and as its traced tf translation on random inputs.

Each case is a numpy expression over arrays ``x``, ``y`` and ``c``. It is translated through the public
API (as the native tier does), written to a real module so that autograph converts it as it would in
a ``dataset.map`` function, and traced in graph mode with an unknown leading dimension. numpy's
result and tf's must agree in dtype, shape and values; where numpy raises, tf must raise too.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import itertools
import types
import warnings

import numpy as np
import pytest

from seq2tfdata.translate import (
    ENTRIES,
    translate_attribute,
    translate_binary,
    translate_call,
    translate_dtype,
    translate_method,
    translate_unary,
)
from seq2tfdata.translate.helpers import Helpers

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

DTYPES = ("bool", "uint8", "int32", "int64", "float16", "float32", "float64")
SHAPES = ((5,), (3, 4), (2, 3, 4))
HOST = types.SimpleNamespace(lo=1, hi=3.5, scale=np.float32(0.5), mean=np.array([0.5, -1.0, 2.0, 0.25]))
TOLERANCE = {"float16": 2e-3, "float32": 1e-6, "float64": 1e-12}
BINARY_OPS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**",
    ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
    ast.Eq: "==", ast.NotEq: "!=",
}
UNARY_OPS = {ast.USub: "-", ast.Invert: "~"}
# Forms beyond each entry's own example: axis and keyword variants, Python scalars, nesting.
EXTRA_CASES = (
    "np.mean(x)", "np.mean(x, axis=(0, -1), keepdims=True)", "x.mean(axis=0, keepdims=True)", "np.sum(x, 0)",
    "x.sum(axis=(0,), keepdims=True)", "np.std(x, axis=-1, ddof=1, keepdims=True)", "np.var(x)", "x.std(ddof=0)",
    "np.max(x, axis=-1, keepdims=True)", "np.argmax(x)", "np.argmin(x, axis=0)", "x.argmax()",
    "x / 255.0", "x / 255", "x * 0.5", "x + 1", "2 - x", "x ** 2", "x ** 0.5", "x // 3", "x % 3", "x > 0.5",
    "x == 0", "x * self.scale", "x - self.mean", "x & True", "-x + 1", "0 - x", "x * 255", "-(x - y)",
    "np.clip(x, 0.5, 2.5)", "np.clip(x, -1, 300)", "np.clip(x, None, 2)", "np.clip(x, self.lo, self.hi)",
    "x.clip(min=0)", "np.clip(x, a_min=0, a_max=y)",
    "np.where(x > 0, x, 0.0)", "np.where(c, 1, 0)", "np.where(c, x, y)", "np.where(c, 0.5, True)",
    "np.stack([x, y])", "np.stack((x, x, y), axis=1)", "np.concatenate([x, y], axis=None)",
    "np.concatenate([x, y], axis=-1)", "np.maximum(x, y)", "np.minimum(1, x)",
    "np.flip(x)", "np.flip(x, axis=(0, -1))", "np.asarray(x)", "np.array(x, dtype=np.uint8)", "np.asarray(0.5)", "np.array((1, 2, 3))", "np.float32(0.1)",
    "np.array(2.7, dtype=np.int32)", "np.uint8(x)", "np.int32(x)", "np.bool_(x)", "np.float64(x)",
    "x.astype('int32')", "x.astype(float)", "x.astype(np.bool_)", "y.astype(x.dtype)",
    "np.zeros_like(x, dtype=np.float32)", "np.ones_like(x, dtype=bool)", "np.transpose(x, (0, -1, 1))",
    "x.transpose(1, 0)", "x.reshape((-1,))", "np.reshape(x, (2, -1))", "x.reshape(-1, 2, 2)",
    "keras.utils.to_categorical(x, 5)", "keras.utils.to_categorical(np.expand_dims(x, -1), num_classes=5)",
    "np.squeeze(np.expand_dims(x, 0), axis=0)", "np.expand_dims(x.astype(np.float32) / 255.0, -1)",
    "np.mean(np.sqrt(x) / 255.0, axis=0)", "(x - x.mean(axis=0)) / (x.std(axis=0) + 1e-7)",
    "np.log1p(np.abs(x)) * (x > 0)", "np.exp(-np.square(x) / 2)",
)
CASES = tuple(dict.fromkeys([entry.numpy for entry in ENTRIES] + list(EXTRA_CASES)))
NONZERO_DIVISOR = {"//", "%", "floor_divide", "remainder", "mod"}
LABELS = "to_categorical"
UNDEFINED = object()


class ExampleTranslator:
    """Translate a numpy example through the public API, the way the native tier's evaluator does."""

    def __init__(self) -> None:
        self.used: set[tuple[str, str]] = set()
        # The helper functions the translations call, by name.
        self.helpers: Helpers = {}

    def __call__(self, source: str) -> str:
        return self.expr(ast.parse(source, mode="eval").body)

    def expr(self, node: ast.expr) -> str:
        if isinstance(node, (ast.Name, ast.Constant)) or _is_literal(node):
            return ast.unparse(node)
        if isinstance(node, (ast.List, ast.Tuple)):
            items = ", ".join(self.expr(item) for item in node.elts)
            return f"[{items}]" if isinstance(node, ast.List) else f"({items})"
        if isinstance(node, ast.Attribute):
            return self._attribute(node)
        if isinstance(node, ast.UnaryOp):
            op = UNARY_OPS[type(node.op)]
            return self._done(("unary", op), translate_unary, op, self.expr(node.operand))
        if isinstance(node, (ast.BinOp, ast.Compare)):
            op, left, right = (node.op, node.left, node.right) if isinstance(node, ast.BinOp) else (
                node.ops[0], node.left, node.comparators[0])
            symbol = BINARY_OPS[type(op)]
            return self._done(("binary", symbol), translate_binary, symbol, self.expr(left), self.expr(right))
        if isinstance(node, ast.Call):
            args = [self.expr(arg) for arg in node.args]
            kwargs = {kw.arg: self.expr(kw.value) for kw in node.keywords}
            name = _qualified(node.func)
            if name:
                return self._done(("call", name), translate_call, name, args, kwargs)
            receiver = self.expr(node.func.value)  # type: ignore[attr-defined]
            method = node.func.attr  # type: ignore[attr-defined]
            return self._done(("method", f"ndarray.{method}"), translate_method, method, receiver, args, kwargs)
        raise AssertionError(f"the test translator cannot read {ast.unparse(node)}")

    def _attribute(self, node: ast.Attribute) -> str:
        name = _qualified(node)
        if name or (isinstance(node.value, ast.Name) and node.value.id == "self"):
            return name or ast.unparse(node)
        return self._done(("attribute", node.attr), translate_attribute, node.attr, self.expr(node.value))

    def _done(self, key: tuple[str, str], translate, *args) -> str:
        self.used.add(key)
        result = translate(*args, self.helpers)
        assert result is not None, f"no translation for {key} with {args}"
        return result


def _qualified(node: ast.expr) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    modules = {"np": "numpy", "keras": "keras", "tf": "tensorflow"}
    if not isinstance(node, ast.Name) or node.id not in modules or not parts:
        return None
    return ".".join([modules[node.id], *reversed(parts)])


def _is_literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except ValueError:
        return False
    return True


# --- inputs -----------------------------------------------------------------------------------
def _values(dtype: str, shape: tuple[int, ...], rng: np.random.Generator, domain: str) -> np.ndarray:
    if domain == "labels":
        low = 0 if dtype in ("bool", "uint8") else -5
        return (rng.integers(low, 5, shape) if dtype != "bool" else rng.random(shape) < 0.5).astype(dtype)
    if dtype == "bool":
        return np.ones(shape, bool) if domain == "nonzero" else rng.random(shape) < 0.5
    if dtype.startswith("float"):
        values = rng.uniform(-4, 4, shape).astype(dtype)
        if values.size > 6 and domain == "plain":
            values.flat[1] = np.nan  # numpy's NaN rules (argmax, maximum, clip) are part of the contract
        return values
    low, high = {"uint8": (0, 256), "int32": (-1000, 1000), "int64": (-1000, 1000)}[dtype]
    if domain == "exponent":
        low, high = 0, 4
    values = rng.integers(low, high, shape).astype(dtype)
    if domain == "nonzero":
        values[values == 0] = 1
    return values


def _variants(case: str, names: set[str]) -> list[dict[str, np.ndarray]]:
    rng = np.random.default_rng(int(hashlib.sha256(case.encode()).hexdigest()[:8], 16))
    y_domain = "nonzero" if any(op in case for op in NONZERO_DIVISOR) else "exponent" if "*" * 2 in case or \
        "power" in case else "plain"
    x_domain = "labels" if LABELS in case else "plain"
    same_shapes = "stack" in case or "concatenate" in case
    variants = []
    if not names:
        return [{}]
    if "y" in names:
        for x_dtype, y_dtype in itertools.product(DTYPES, DTYPES):
            y_shape = (3, 4) if same_shapes else (4,)
            x, y = _values(x_dtype, (3, 4), rng, x_domain), _values(y_dtype, y_shape, rng, y_domain)
            variants.append({"x": x, "y": y})
    else:
        for dtype, shape in itertools.product(DTYPES, SHAPES + ((3, 1),) * (LABELS in case)):
            variants.append({"x": _values(dtype, shape, rng, x_domain)})
    if "c" in names:
        variants = [{**v, "c": _values(c_dtype, v["x"].shape, rng, "plain")}
                    for v in variants for c_dtype in ("bool", "int32", "float32")]
    return [{name: v[name] for name in names} for v in variants]


# --- running both sides ------------------------------------------------------------------------
def _numpy_result(case: str, inputs: dict[str, np.ndarray]):
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore", invalid="warn"):
        warnings.simplefilter("always")
        result = np.asarray(eval(case, {"np": np, "keras": keras, "tf": tf, "self": HOST}, dict(inputs)))  # noqa: S307
    # numpy itself leaves casting NaN or out-of-range floats to ints undefined (it only warns).
    if any("invalid value encountered in cast" in str(warning.message) for warning in caught):
        return UNDEFINED
    return result


@pytest.fixture(scope="session")
def compile_case(tmp_path_factory):
    """Write the translation into a real module (autograph reads source) and return its function."""
    folder = tmp_path_factory.mktemp("translated")

    def compile_source(source: str, names: list[str], helpers: Helpers | None = None):
        definitions = "".join(f"{helper.source}\n\n\n" for helper in (helpers or {}).values())
        text = f"import tensorflow as tf\n\n\n{definitions}def case({', '.join(names)}):\n    return {source}\n"
        path = folder / f"case_{hashlib.sha256(text.encode()).hexdigest()[:16]}.py"
        path.write_text(text)
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        module.self = HOST
        return module.case

    return compile_source


def _traced_results(function, variants: list[dict[str, np.ndarray]]) -> list[object]:
    """Trace every variant into one graph (one trace per case keeps the suite fast); errors per variant."""
    converted = tf.autograph.to_graph(function)
    names = sorted(variants[0])
    specs = [tf.TensorSpec((None, *v[n].shape[1:]), tf.as_dtype(v[n].dtype)) for v in variants for n in names]
    trace_errors: dict[int, Exception] = {}

    def run_all(*flat):
        outputs = []
        for index in range(len(variants)):
            arguments = dict(zip(names, flat[index * len(names):(index + 1) * len(names)]))
            try:
                outputs.append(converted(**arguments))
            except Exception as error:  # noqa: BLE001 - a trace-time error is a result to compare
                trace_errors[index] = error
                outputs.append(tf.constant(0))
        return outputs

    traced = tf.function(run_all, input_signature=specs, autograph=False)
    flat = [v[n] for v in variants for n in names]
    try:
        values = [value.numpy() for value in traced(*flat)]
    except tf.errors.OpError:
        return [_run_alone(converted, names, v) for v in variants]
    return [trace_errors.get(i, value) for i, value in enumerate(values)]


def _run_alone(converted, names: list[str], inputs: dict[str, np.ndarray]) -> object:
    specs = [tf.TensorSpec((None, *inputs[n].shape[1:]), tf.as_dtype(inputs[n].dtype)) for n in names]
    try:
        return tf.function(lambda *a: converted(**dict(zip(names, a))), input_signature=specs, autograph=False)(
            *[inputs[n] for n in names]).numpy()
    except Exception as error:  # noqa: BLE001
        return error


def _assert_same(case: str, inputs: dict[str, np.ndarray], want: object, got: object) -> None:
    label = f"{case} with " + ", ".join(f"{k}: {v.dtype}{v.shape}" for k, v in sorted(inputs.items()))
    if want is UNDEFINED:
        return
    if isinstance(want, Exception):
        assert isinstance(got, Exception), f"{label}: numpy raised {want!r} but tf gave {got!r}"
        return
    assert not isinstance(got, Exception), f"{label}: tf raised {got!r}; numpy gave {want!r}"
    got = np.asarray(got)
    assert got.dtype == want.dtype, f"{label}: dtype {got.dtype}, numpy {want.dtype}"
    assert got.shape == want.shape, f"{label}: shape {got.shape}, numpy {want.shape}"
    tolerance = TOLERANCE.get(want.dtype.name)
    if tolerance is None:
        np.testing.assert_array_equal(got, want, err_msg=label)
    else:
        np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance, equal_nan=True, err_msg=label)


@pytest.mark.parametrize("case", CASES)
def test_translation_matches_numpy(case, compile_case):
    translator = ExampleTranslator()
    source = translator(case)
    names = sorted({n.id for n in ast.walk(ast.parse(case)) if isinstance(n, ast.Name)} & {"x", "y", "c"})
    variants = _variants(case, set(names))
    wants = []
    for inputs in variants:
        try:
            wants.append(_numpy_result(case, inputs))
        except Exception as error:  # noqa: BLE001
            wants.append(error)
    gots = _traced_results(compile_case(source, names, translator.helpers), variants)
    for inputs, want, got in zip(variants, wants, gots):
        _assert_same(case, inputs, want, got)


# --- the table's shape ---------------------------------------------------------------------------
def test_every_entry_has_an_example_that_reaches_it():
    for entry in ENTRIES:
        translator = ExampleTranslator()
        translator(entry.numpy)
        assert (entry.kind, entry.name) in translator.used, f"{entry.numpy} does not exercise {entry.name}"


def test_numeric_cases_exercise_every_entry():
    used: set[tuple[str, str]] = set()
    for case in CASES:
        translator = ExampleTranslator()
        translator(case)
        used |= translator.used
    assert {(entry.kind, entry.name) for entry in ENTRIES} <= used


def test_entries_are_unique():
    keys = [(entry.kind, entry.name) for entry in ENTRIES]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("case", CASES)
def test_emitted_code_needs_only_tf_and_its_operands(case):
    translator = ExampleTranslator()
    tree = ast.parse(translator(case), mode="eval")
    # No builtins either: the user's module may shadow max, bool or type.
    allowed = {"tf", "x", "y", "c", "self"}
    assert _free_names(tree) <= allowed | set(translator.helpers), _free_names(tree) - allowed
    for name, helper in translator.helpers.items():
        (function,) = ast.parse(helper.source).body
        assert isinstance(function, ast.FunctionDef) and function.name == name
        assert _free_names(function) <= {"tf"}, (name, _free_names(function))
    # Exactness scaffolding lives in named helpers, not in lambdas a reviewer has to decode.
    trees = [tree, *(ast.parse(helper.source) for helper in translator.helpers.values())]
    assert not any(isinstance(node, ast.Lambda) for part in trees for node in ast.walk(part))


def _free_names(tree: ast.AST) -> set[str]:
    bound = {arg.arg for node in ast.walk(tree) if isinstance(node, (ast.Lambda, ast.FunctionDef))
             for arg in node.args.args + node.args.kwonlyargs}
    bound |= {n.id for node in ast.walk(tree) if isinstance(node, ast.comprehension) for n in ast.walk(node.target)
              if isinstance(n, ast.Name)}
    bound |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} - bound


class _MarkedLeaves(ExampleTranslator):
    def expr(self, node: ast.expr) -> str:
        if isinstance(node, ast.Name) and node.id in ("x", "y", "c"):
            return f"tf.identity({node.id})"
        return super().expr(node)


@pytest.mark.parametrize("case", CASES)
def test_each_operand_is_evaluated_once(case):
    emitted = _MarkedLeaves()(case)
    for name in ("x", "y", "c"):
        written = sum(isinstance(n, ast.Name) and n.id == name for n in ast.walk(ast.parse(case)))
        assert emitted.count(f"tf.identity({name})") == written, emitted


# --- behaviour beyond the per-entry cases ----------------------------------------------------------
@pytest.mark.parametrize(
    ("case", "renamed"),
    [
        ("np.mean(x / 255.0, axis=0)", {"x": "dtype"}),
        ("x // y", {"x": "a", "y": "b"}),
        ("np.concatenate([x, y], axis=None)", {"x": "part", "y": "dtype"}),
        ("keras.utils.to_categorical(x, 5)", {"x": "labels"}),
        ("np.std(x, ddof=1)", {"x": "centred"}),
        ("np.clip(x, 0, y)", {"x": "dtype", "y": "x"}),
    ],
)
def test_operand_names_cannot_be_captured(case, renamed, compile_case):
    """Operands named like the template's own locals (dtype, a, labels...) still mean the operands."""
    translator = _RenamedLeaves(renamed)
    source = translator(case)
    names = sorted(renamed)
    variants = [{renamed[k]: v for k, v in inputs.items()} for inputs in _variants(case, set(names))]
    gots = _traced_results(compile_case(source, sorted(renamed.values()), translator.helpers), variants)
    for inputs, got in zip(variants, gots):
        original = {old: inputs[new] for old, new in renamed.items()}
        _assert_same(case, original, _numpy_result(case, original), got)


class _RenamedLeaves(ExampleTranslator):
    def __init__(self, renamed: dict[str, str]) -> None:
        super().__init__()
        self.renamed = renamed

    def expr(self, node: ast.expr) -> str:
        if isinstance(node, ast.Name) and node.id in self.renamed:
            return self.renamed[node.id]
        return super().expr(node)


def test_translations_run_inside_a_tf_data_pipeline(compile_case):
    """The native tier places translations in ``dataset.map`` functions; tf.data traces them itself."""
    cases = ["(x - x.mean(axis=0)) / (x.std(axis=0) + 1e-7)", "keras.utils.to_categorical(y, 4)",
             "np.clip(x // 3, 0, 40).astype(np.float32) / 255.0"]
    images = np.random.default_rng(0).integers(0, 256, (10, 3), dtype=np.uint8)
    labels = np.random.default_rng(1).integers(0, 4, (10, 1)).astype(np.int32)
    translators = [ExampleTranslator() for _ in cases]
    functions = [
        compile_case(translator(case), ["x", "y"], translator.helpers) for translator, case in zip(translators, cases)
    ]
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).batch(4)
    mapped = dataset.map(lambda x, y: tuple(f(x=x, y=y) for f in functions))
    for index, outputs in enumerate(mapped.as_numpy_iterator()):
        inputs = {"x": images[index * 4:(index + 1) * 4], "y": labels[index * 4:(index + 1) * 4]}
        for case, got in zip(cases, outputs):
            _assert_same(case, inputs, _numpy_result(case, inputs), got)


def test_out_of_range_int_comparison_fails_loudly(compile_case):
    """numpy 2 compares a uint8 array with 300; the translation refuses at trace time rather than guess."""
    helpers: Helpers = {}
    function = compile_case(translate_binary("<", "x", "300", helpers), ["x"], helpers)
    [got] = _traced_results(function, [{"x": np.arange(4, dtype=np.uint8)}])
    assert isinstance(got, OverflowError)


@pytest.mark.parametrize(
    ("translate", "args"),
    [
        (translate_call, ("numpy.mean", ["x"], {"out": "y"})),
        (translate_call, ("numpy.mean", ["x"], {"where": "c"})),
        (translate_call, ("numpy.mean", ["x"], {"dtype": "numpy.float32"})),
        (translate_call, ("numpy.mean", ["x"], {"axis": "'rows'"})),
        (translate_call, ("numpy.sum", ["x"], {"axis": "y"})),
        (translate_call, ("numpy.std", ["x"], {"ddof": "self.ddof"})),
        (translate_call, ("numpy.argmax", ["x"], {"axis": "self.axis"})),
        (translate_call, ("numpy.argmax", ["x"], {"keepdims": "True"})),
        (translate_call, ("numpy.sqrt", ["4"], {})),
        (translate_call, ("numpy.sqrt", ["x"], {"out": "y"})),
        (translate_call, ("numpy.sqrt", ["x", "y"], {})),
        (translate_call, ("numpy.where", ["c"], {})),
        (translate_call, ("numpy.clip", ["x", "None", "None"], {})),
        (translate_call, ("numpy.concatenate", ["x"], {})),
        (translate_call, ("numpy.reshape", ["x", "(2, 3)"], {"order": "'F'"})),
        (translate_call, ("numpy.expand_dims", ["x"], {"axis": "1.5"})),
        (translate_call, ("numpy.asarray", ["x"], {"dtype": "object"})),
        (translate_call, ("numpy.asarray", ["x"], {"dtype": "numpy.complex64"})),
        (translate_call, ("numpy.asarray", ["self.table"], {})),
        (translate_call, ("numpy.float32", ["x"], {"_dtype": "numpy.int8"})),
        (translate_call, ("numpy.eye", ["3"], {})),
        (translate_call, ("numpy.fft.fft", ["x"], {})),
        (translate_call, ("keras.utils.to_categorical", ["y"], {})),
        (translate_call, ("keras.utils.pad_sequences", ["x"], {})),
        (translate_call, ("keras.preprocessing.sequence.pad_sequences", ["x"], {})),
        (translate_method, ("astype", "x", ["numpy.float32"], {"copy": "False"})),
        (translate_method, ("astype", "x", ["self.dtype"], {})),
        (translate_method, ("reshape", "x", [], {})),
        (translate_method, ("tolist", "x", [], {})),
        (translate_attribute, ("shape", "x")),
        (translate_attribute, ("ndim", "x")),
        (translate_attribute, ("size", "x")),
        (translate_unary, ("+", "x")),
        (translate_unary, ("not", "x")),
        (translate_binary, ("@", "x", "y")),
        (translate_binary, ("<<", "x", "1")),
        (translate_binary, ("+", "1", "2")),
        (translate_binary, ("+", "x", "'a'")),
        (translate_binary, ("+", "x", "numpy.pi")),
    ],
)
def test_unsupported_forms_give_none(translate, args):
    helpers: Helpers = {}
    assert translate(*args, helpers) is None
    assert not helpers


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("numpy.float32", "tf.float32"), ("np.uint8", "tf.uint8"), ("'float32'", "tf.float32"), ('"f8"', "tf.float64"),
        ("builtins.float", "tf.float64"), ("float", "tf.float64"), ("builtins.int", "tf.int64"), ("bool", "tf.bool"),
        ("numpy.bool_", "tf.bool"), ("numpy.int_", "tf.int64"), ("numpy.intc", "tf.int32"), ("'double'", "tf.float64"),
        ("tensorflow.float16", "tf.float16"), ("x.dtype", "x.dtype"),
        ("numpy.complex64", None), ("'U10'", None), ("object", None), ("'long'", None), ("self.dtype", None),
        ("builtins.str", None), ("None", None), ("3", None), ("numpy.dtype", None),
    ],
)
def test_translate_dtype(source, expected):
    assert translate_dtype(source) == expected


def test_translate_dtype_uses_the_given_module_name():
    assert translate_dtype("numpy.float32", tf="tensorflow") == "tensorflow.float32"
    assert translate_call("numpy.float32", ["x"], {}, {}, tf="tflib") == "tflib.cast(x, tflib.float32)"
