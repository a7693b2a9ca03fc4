"""numpy translations that need more than one tf expression, as named functions.

A translation that computes numpy's result dtype, branches on dtypes, or uses an operand more
than once is written as a function defined once in the generated pipeline and called with the
caller's arguments: ``np_divide(np_subtract(b, np_mean(b, axis=0)), np_add(s, self.eps))``.
Inside, operands are parameters, so each is evaluated once; the promoted dtype is a local and a
dtype branch an ``if``. Settings (``axis=``, ``keepdims=``) are keyword parameters with numpy's
defaults, and a call passes only those it changes.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace

from seq2tfdata.translate.emit import NOT_LITERAL, PLACEHOLDER, Operand, _Rendering, literal_value
from seq2tfdata.translate.numpy_table import Entry

# The names operators and attributes have as numpy functions, for their helpers.
OPERATOR_NAMES = {
    "+": "add", "-": "subtract", "*": "multiply", "/": "divide", "//": "floor_divide", "%": "remainder",
    "**": "power", "&": "bitwise_and", "|": "bitwise_or", "^": "bitwise_xor", "<": "less",
    "<=": "less_equal", ">": "greater", ">=": "greater_equal", "==": "equal", "!=": "not_equal",
}
UNARY_NAMES = {"-": "negative", "~": "invert"}
LIST_ITEMS = "abcdefgh"


@dataclass(frozen=True)
class Helper:
    """A function the generated pipeline defines once: ``lines`` is its body, ``note`` a comment
    above it. Two translations may share it when their signature and body agree."""

    name: str
    signature: tuple[str, ...]
    lines: tuple[str, ...]
    note: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        header = f"def {self.name}({', '.join(self.signature)}):"
        return "\n".join([header, *("    " + line for line in [*self.note, *self.lines])])

    def same_code(self, other: Helper) -> bool:
        return (self.signature, self.lines) == (other.signature, other.lines)


Helpers = dict[str, Helper]


@dataclass(frozen=True)
class Setting:
    """A parameter that is not an operand (``axis``, ``keepdims``): ``default`` is its value
    when the caller leaves it out, in the caller's translated form; None: required."""

    name: str
    default: str | None


def helper_name(entry: Entry, case_name: str) -> str:
    if case_name:
        return case_name
    if entry.kind == "binary":
        return f"np_{OPERATOR_NAMES[entry.name]}"
    if entry.kind == "unary":
        return f"np_{UNARY_NAMES[entry.name]}"
    module, _, name = entry.name.rpartition(".")
    return name if module.startswith(("keras", "tensorflow")) else f"np_{name}"


def helper_call(
    entry: Entry,
    template: str,
    name: str,
    arguments: dict[str, object],
    settings: dict[str, Setting],
    tf: str,
    helpers: Helpers,
) -> str:
    """Define the helper in ``helpers`` unless it is there, and return its call.
    ``arguments`` maps each parameter to what its kind made of the caller's source."""
    used = _used(entry, template)
    # An omitted clip bound is None: the case's template does without it.
    values = [
        (param, value)
        for param, value in arguments.items()
        if param in used and param not in settings and value is not None
    ]
    chosen = [settings[param] for param in arguments if param in used and param in settings]
    inside: dict[str, object] = {setting.name: setting.name for setting in chosen}
    inside |= {param: None for param, value in arguments.items() if value is None}
    unpacking = []
    for param, value in values:
        if isinstance(value, list):
            items = LIST_ITEMS[: len(value)]
            inside[param] = [replace(item, source=label) for item, label in zip(value, items)]
            unpacking.append(f"{', '.join(items)}{',' if len(value) == 1 else ''} = {param}")
        elif isinstance(value, Operand):
            inside[param] = replace(value, source=param)
    reserved = [param for param, _ in values] + [setting.name for setting in chosen] + list(LIST_ITEMS)
    body = _Rendering(entry, template, inside, tf, reserved=reserved).statements()
    signature = [param for param, _ in values]
    signature += [s.name if s.default is None else f"{s.name}={s.default}" for s in chosen]
    note = entry.note[:1].upper() + entry.note[1:]
    comment = tuple("# " + line for line in textwrap.wrap(f"{note}.", width=64)) if note else ()
    name = register(helpers, Helper(name, tuple(signature), (*unpacking, *body), comment))
    call = [_argument(value) for _, value in values]
    call += [f"{s.name}={arguments[s.name]}" for s in chosen if not _is_default(arguments[s.name], s.default)]
    return f"{name}({', '.join(call)})"


def _used(entry: Entry, template: str) -> set[str]:
    names = set()
    for match in PLACEHOLDER.finditer(template):
        names.add(match[1])
        if match[2] and match[2] != "t":
            names.add(match[2])
    if "{t}" in template or "!t}" in template:
        names |= set(entry.promote)
    return names


def register(helpers: Helpers, helper: Helper) -> str:
    """The name ``helper`` has in ``helpers``: its own, or a numbered one when a helper of that
    name already does something else (other operand kinds). Entries that share a template
    (``np.mean(x)``, ``x.mean()``) share the helper, whichever of their notes it carries."""
    number = 1
    while True:
        candidate = helper if number == 1 else replace(helper, name=f"{helper.name}_{number}")
        known = helpers.setdefault(candidate.name, candidate)
        if known.same_code(candidate):
            return candidate.name
        number += 1


def _argument(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(item.source for item in value) + "]"
    assert isinstance(value, Operand)
    return value.source


def _is_default(value: object, default: str | None) -> bool:
    if default is None or not isinstance(value, str):
        return False
    given, expected = literal_value(value), literal_value(default)
    if given is NOT_LITERAL or expected is NOT_LITERAL:
        return value.strip() == default.strip()
    return type(given) is type(expected) and given == expected
