"""numpy → TensorFlow translation of source strings, for the native tier's ``dataset.map`` functions.

Arguments arrive as source text: operands already in tf, or Python literals, or values read from
``self``. Each function returns tf source, or ``None`` when the construct, or one of its keywords or
values, has no exact translation. Results reproduce numpy's values *and dtypes* (NEP 50 promotion
included) when traced in graph mode, and need only the ``tf`` module name. The table itself is
``numpy_table.ENTRIES``; this module matches a call to an entry, ``emit`` writes the expression.
"""

from __future__ import annotations

import ast

from seq2tfdata.translate.dtype_names import translate_dtype
from seq2tfdata.translate.emit import (
    NOT_LITERAL,
    Operand,
    Unsupported,
    _Rendering,
    is_host,
    is_int,
    literal_value,
    python_dtype,
)
from seq2tfdata.translate.helpers import Helpers, Setting, helper_call, helper_name
from seq2tfdata.translate.numpy_table import ENTRIES, Entry

TABLE = {(entry.kind, entry.name): entry for entry in ENTRIES}


# Each function returns tf source, or None; ``helpers`` (by name) gains the functions the source
# calls, which the caller defines once beside its code.
def translate_call(
    qualified_name: str, args: list[str], kwargs: dict[str, str], helpers: Helpers, tf: str = "tf"
) -> str | None:
    """``numpy.mean(x, axis=1)``-style calls, by the callee's qualified name."""
    return _apply(TABLE.get(("call", qualified_name)), list(args), kwargs, tf, helpers)


def translate_method(
    method: str, receiver: str, args: list[str], kwargs: dict[str, str], helpers: Helpers, tf: str = "tf"
) -> str | None:
    """Array methods such as ``x.astype(np.float32)`` or ``x.mean(axis=0)``."""
    return _apply(TABLE.get(("method", f"ndarray.{method}")), [receiver, *args], kwargs, tf, helpers)


def translate_attribute(name: str, receiver: str, helpers: Helpers, tf: str = "tf") -> str | None:
    """``x.T`` and ``x.dtype``; ``shape``/``ndim``/``size`` are Python ints in numpy, not tensors, so None."""
    return _apply(TABLE.get(("attribute", name)), [receiver], {}, tf, helpers)


def translate_binary(op: str, left: str, right: str, helpers: Helpers, tf: str = "tf") -> str | None:
    """Arithmetic, comparison and bitwise operators between arrays and Python numbers."""
    return _apply(TABLE.get(("binary", op)), [left, right], {}, tf, helpers)


def translate_unary(op: str, operand: str, helpers: Helpers, tf: str = "tf") -> str | None:
    """``-x`` and ``~x``."""
    return _apply(TABLE.get(("unary", op)), [operand], {}, tf, helpers)


OPERAND_KINDS = frozenset({"tensor", "operand", "operands", "array", "lower", "upper"})


def _apply(
    entry: Entry | None, args: list[str], kwargs: dict[str, str], tf: str, helpers: Helpers
) -> str | None:
    if entry is None:
        return None
    try:
        bound = bind(entry, args, kwargs)
        params = {param.name: param for param in entry_params(entry)}
        # Every argument is checked, used or not: an ignored ``out=`` or ``where=`` would change meaning.
        arguments = {name: KINDS[params[name].kind](source, tf) for name, source in bound.items()}
        if entry.kind == "binary" and not any(isinstance(a, Operand) and a.tensor for a in arguments.values()):
            return None  # Python numbers alone are not numpy arithmetic
        template, case_name = _template(entry, bound)
        rendering = _Rendering(entry, template, arguments, tf)
        text = rendering.text()  # also checks the arguments against the template
        if rendering.inline():
            return text
        settings = {
            param.name: Setting(param.name, None if param.default is None else KINDS[param.kind](param.default, tf))
            for param in params.values()
            if param.kind not in OPERAND_KINDS and not param.hidden
        }
        return helper_call(entry, template, helper_name(entry, case_name), arguments, settings, tf, helpers)
    except Unsupported:
        return None


class Param:
    """One of an entry's ``params``: ``name/alias: kind = default``; ``*name`` collects, ``_name`` is fixed."""

    def __init__(self, spec: str) -> None:
        head, _, default = spec.partition("=")
        names, _, kind = head.partition(":")
        self.collects = names.strip().startswith("*")
        self.name, *aliases = names.strip().lstrip("*").split("/")
        self.keywords = (self.name, *aliases)
        self.kind = kind.strip()
        self.default = default.strip() or None  # None: required
        self.hidden = self.name.startswith("_")


def entry_params(entry: Entry) -> list[Param]:
    return [Param(spec) for spec in entry.params.split(",") if spec.strip()]


def bind(entry: Entry, args: list[str], kwargs: dict[str, str]) -> dict[str, str | list[str]]:
    """Match arguments to parameters the way numpy would, with defaults filled in."""
    params = entry_params(entry)
    bound: dict[str, str | list[str]] = {}
    positional = list(args)
    for param in (p for p in params if not p.hidden):
        if param.collects:
            bound[param.name], positional = positional, []
        elif positional:
            bound[param.name] = positional.pop(0)
    if positional:
        raise Unsupported("too many positional arguments")
    for keyword, source in kwargs.items():
        param = next((p for p in params if keyword in p.keywords and not (p.hidden or p.collects)), None)
        if param is None or param.name in bound:
            raise Unsupported(f"keyword {keyword}")
        bound[param.name] = source
    for param in params:
        if param.name not in bound:
            if param.default is None and not param.collects:
                raise Unsupported(f"missing {param.name}")
            bound[param.name] = [] if param.collects else param.default  # type: ignore[assignment]
    return bound


def _template(entry: Entry, bound: dict[str, str | list[str]]) -> tuple[str, str]:
    """The template for these arguments, and the name its helper has when it is a case's."""
    for condition, template, *case_name in entry.cases:
        name, _, expected = condition.partition("=")
        value = literal_value(bound[name]) if isinstance(bound[name], str) else NOT_LITERAL
        wanted = literal_value(expected)
        # A case is taken only on a literal; parameters whose cases must be decided have literal-only kinds.
        if type(value) is type(wanted) and value == wanted:
            return template, case_name[0] if case_name else ""
    return entry.tf, entry.helper


# --- what each parameter kind accepts ----------------------------------------------------------
def _flat(value: object) -> list[object]:
    return [leaf for item in value for leaf in _flat(item)] if isinstance(value, tuple) else [value]


def _operand(source: str, tf: str) -> Operand:
    value = literal_value(source)
    if value is not NOT_LITERAL:
        if type(value) not in (bool, int, float):
            raise Unsupported(f"{source} is not a number")
        return Operand(source, tensor=False, literal=value)
    if source.startswith(("numpy.", "builtins.")):
        raise Unsupported(f"{source} is a library constant")
    return Operand(source, tensor=not is_host(source))


def _tensor(source: str, tf: str) -> Operand:
    found = _operand(source, tf)
    if not found.tensor:
        raise Unsupported(f"{source} is not an array")
    return found


def _operands(source: str, tf: str) -> list[Operand]:
    source = source.strip()
    try:
        node = ast.parse(source, mode="eval").body
    except SyntaxError as error:
        raise Unsupported("not a list of arrays") from error
    if not isinstance(node, (ast.List, ast.Tuple)) or not node.elts:
        raise Unsupported("not a list of arrays")
    return [_operand(ast.get_source_segment(source, item) or "", tf) for item in node.elts]


def _array(source: str, tf: str) -> Operand:
    value = literal_value(source)
    if value is NOT_LITERAL:
        return _tensor(source, tf)
    return Operand(source, tensor=False, literal=value, static_dtype=python_dtype(_flat(value)))


def _accepting(test, host: bool = True):
    def kind(source: str, tf: str) -> str:
        value = literal_value(source)
        if (value is not NOT_LITERAL and test(value)) or (host and value is NOT_LITERAL and is_host(source)):
            return source
        raise Unsupported(f"unsupported argument {source}")

    return kind


def _is_axis(value: object) -> bool:
    return value is None or is_int(value) or (isinstance(value, tuple) and bool(value) and all(map(is_int, value)))


def _collected(single, empty: str | None):
    """A parameter that may be ``*args``: ``x.reshape(2, 3)`` means ``x.reshape((2, 3))``."""

    def kind(sources: str | list[str], tf: str) -> str:
        if isinstance(sources, str) or len(sources) == 1:
            return single(sources if isinstance(sources, str) else sources[0], tf)
        if not sources:
            if empty is None:
                raise Unsupported("missing arguments")
            return empty
        return "[" + ", ".join(_accepting(is_int)(source, tf) for source in sources) + "]"

    return kind


def _shape(source: str, tf: str) -> str:
    if is_int(literal_value(source)):
        return f"[{source}]"
    return _accepting(lambda v: isinstance(v, tuple) and all(map(is_int, v)))(source, tf)


def _dtype(source: str, tf: str) -> str:
    if literal_value(source) is None:
        return "None"
    translated = translate_dtype(source, tf)
    if translated is None:
        raise Unsupported(f"dtype {source}")
    return translated


def _bound(limit: str, beyond: str):
    # numpy.clip drops a Python int bound beyond an int array's range; clamping to the range is the same.
    def kind(source: str, tf: str) -> Operand | None:
        value = literal_value(source)
        if value is None:
            return None
        if is_int(value) or (value is NOT_LITERAL and is_host(source)):
            return Operand(source, False, literal=value, clamp=(limit, beyond))
        return _operand(source, tf)

    return kind


KINDS = {
    "tensor": _tensor, "operand": _operand, "operands": _operands, "array": _array,
    "axis": _collected(_accepting(_is_axis), "None"),
    "literal_axis": _accepting(lambda v: v is None or is_int(v), host=False),
    "int": _accepting(is_int), "literal_int": _accepting(is_int, host=False),
    "flag": _accepting(lambda v: type(v) is bool), "none": _accepting(lambda v: v is None, host=False),
    "dtype": _dtype, "shape": _collected(_shape, None), "lower": _bound("min", "<"), "upper": _bound("max", ">"),
}


__all__ = [
    "ENTRIES", "Entry", "bind", "translate_attribute", "translate_binary", "translate_call", "translate_dtype",
    "translate_method", "translate_unary",
]
