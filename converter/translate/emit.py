"""Fill a table entry's template with the caller's source strings; string work only, TF is never imported.

An operand that is neither a plain name nor a literal and is used more than once is bound by an
immediately applied lambda, so the emitted expression evaluates it once and nesting stays linear.
"""

from __future__ import annotations

import ast
import keyword
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

import libcst as cst

from seq2tfdata.translate.numpy_table import Entry

PLACEHOLDER = re.compile(r"\{(\w+)(?:!(\w+))?\}")
# Names a fresh local must not shadow: not attribute names (after a dot) nor keyword-argument names.
FREE_NAME = re.compile(r"(?<![.\w])[A-Za-z_]\w*\b(?!\s*=(?!=))")
SELF_ATTRIBUTE = re.compile(r"self(\.\w+)+")
POSTFIX_SAFE = (ast.Call, ast.Name, ast.Attribute, ast.Subscript, ast.List, ast.Constant)
NOT_LITERAL = object()
# A value computed from ``self`` with these names is a Python or numpy value when the pipeline is traced.
HOST_NAMES = frozenset({"self", "int", "float", "bool", "len", "abs", "min", "max", "round"})
ARITHMETIC = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
}


_code = cst.Module([]).code_for_node


class Unsupported(Exception):
    """No exact translation for this call or one of its arguments."""


@dataclass(frozen=True)
class Operand:
    source: str
    tensor: bool  # else a number known at trace time: a literal, or a value read from self
    literal: object = NOT_LITERAL
    # A clip bound: ("min", "<") clamps it to the dtype's minimum (numpy drops out-of-range int
    # bounds), so its text refers to the clipped array {x}.
    clamp: tuple[str, str] = ()
    static_dtype: str = ""  # tf dtype of a literal that becomes a constant on its own

    @property
    def fragment(self) -> bool:
        return bool(self.clamp)

    def template(self) -> str:
        """The operand's text; a template over the entry's placeholders for a clip bound.
        No builtins (max, type, int) in it: the user's module may shadow them."""
        if not self.clamp:
            return self.source
        limit, beyond = self.clamp
        python_int = "" if is_int(self.literal) else f" and {self.source}.__class__ is (0).__class__"
        limit_value = f"{{x}}.dtype.{limit}"
        test = f"{{x}}.dtype.is_integer{python_int} and {self.source} {beyond} {limit_value}"
        return f"({limit_value} if {test} else {self.source})"


def render(entry: Entry, template: str, arguments: dict[str, object], tf: str) -> str:
    """``arguments`` maps each parameter to what its kind made of the caller's source."""
    return _Rendering(entry, template, arguments, tf).text()


class _Rendering:
    def __init__(
        self, entry: Entry, template: str, arguments: dict[str, object], tf: str, reserved: Iterable[str] = ()
    ) -> None:
        self.entry, self.template, self.args, self.tf = entry, template, dict(arguments), tf
        self.taken = {tf, *reserved, *_free_names(PLACEHOLDER.sub(" ", template))}
        self.bindings: list[tuple[str, str]] = []
        self.internal: dict[str, str] = {}
        self._name_operands()
        self.promotes = "{t}" in template or "!t}" in template
        self.t = self._fresh("dtype") if self.promotes else ""

    def inline(self) -> bool:
        """Whether the template reads well as one expression: one tf call of operands used once,
        no dtype probe, no trace-time branch, no statements or locals of its own."""
        internal = {m[1] for m in PLACEHOLDER.finditer(self.template)} - {*self.args, "tf", "t"}
        branches = " if " in self.template or any(" if " in o.template() for _, _, o in self._operands())
        return not (self.promotes or self.bindings or internal or branches or "\n" in self.template)

    def statements(self) -> list[str]:
        """The template as a function body: the promoted dtype, the template's steps, the result."""
        *steps, result = self.template.split("\n")
        lines = [f"{self.t} = {self._probe()}"] if self.promotes else []
        for step in map(self._fill, steps):
            # ``if condition: statement`` is written on two lines, as black would.
            condition, colon, statement = step.partition(": ") if step.startswith("if ") else (step, "", "")
            lines += [f"{condition}:", f"    {statement}"] if colon else [step]
        return lines + _returned(self._fill(result))

    def text(self) -> str:
        body = self._fill(self.template)
        if self.promotes:
            body = f"(lambda {self.t}: {body})({self._probe()})"
        if self.bindings:
            names, sources = zip(*self.bindings)
            body = f"(lambda {', '.join(names)}: {body})({', '.join(sources)})"
        return body if _postfix_safe(body) else f"({body})"

    # --- names ------------------------------------------------------------------------
    def _operands(self) -> list[tuple[str, int, Operand]]:
        found = []
        for name, value in self.args.items():
            items = value if isinstance(value, list) else [value]
            found += [(name, i, item) for i, item in enumerate(items) if isinstance(item, Operand)]
        return found

    def _uses(self, name: str) -> int:
        texts = [self.template] + [o.template() for _, _, o in self._operands() if o.fragment]
        promoted = name in self.entry.promote and ("{t}" in self.template or "!t}" in self.template)
        return sum(m[1] == name for text in texts for m in PLACEHOLDER.finditer(text)) + promoted

    def _name_operands(self) -> None:
        plan = [(name, i, o, not o.fragment and not _is_atom(o.source) and self._uses(name) > 1)
                for name, i, o in self._operands()]
        for _, _, operand, bound in plan:
            if not bound:
                self.taken |= _free_names(operand.source)
        for name, index, operand, bound in plan:
            if bound:
                label = self._fresh("abcdefgh"[index % 8] if isinstance(self.args[name], list) else name)
                self.bindings.append((label, operand.source))
                self._replace(name, index, replace(operand, source=label))
            elif not operand.fragment and not _is_atom(operand.source) and not _postfix_safe(operand.source):
                self._replace(name, index, replace(operand, source=f"({operand.source})"))

    def _replace(self, name: str, index: int, operand: Operand) -> None:
        value = self.args[name]
        self.args[name] = [*value[:index], operand, *value[index + 1:]] if isinstance(value, list) else operand

    def _fresh(self, preferred: str) -> str:
        candidate = preferred
        while candidate in self.taken or keyword.iskeyword(candidate):
            candidate += "_"
        self.taken.add(candidate)
        return candidate

    # --- text ---------------------------------------------------------------------------
    def _fill(self, text: str) -> str:
        return PLACEHOLDER.sub(lambda m: self._placeholder(m[1], m[2]), text)

    def _placeholder(self, name: str, conversion: str | None) -> str:
        if name in ("tf", "t"):
            return self.tf if name == "tf" else self.t
        if name not in self.args:
            if name not in self.internal:
                self.internal[name] = self._fresh(name)
            return self.internal[name]
        value = self.args[name]
        items = value if isinstance(value, list) else [value]
        return ", ".join(self._convert(item, conversion) if conversion else self._plain(item) for item in items)

    def _source(self, operand: Operand) -> str:
        return self._fill(operand.template()) if operand.fragment else operand.source

    def _plain(self, value: object) -> str:
        if value is None:
            raise Unsupported("an omitted argument is needed here")
        if not isinstance(value, Operand):
            return str(value)
        if value.static_dtype:
            return f"{self.tf}.constant({value.source}, {self.tf}.{value.static_dtype})"
        return self._source(value)

    def _convert(self, value: object, conversion: str) -> str:
        if not isinstance(value, Operand):
            raise Unsupported("only an operand converts")
        source = self._source(value)
        if conversion == "t":
            return f"{self.tf}.cast({source}, {self.t})" if value.tensor else f"{self.t}.type({source})"
        dtype = self.args[conversion]
        if not isinstance(dtype, str) or dtype == "None":
            raise Unsupported("conversion without a dtype")
        if value.tensor:
            return f"{self.tf}.cast({source}, {dtype})"
        # numpy converts a Python number by value, so an out-of-range int raises here too, at trace time.
        return f"{self.tf}.constant({dtype}.as_numpy_dtype({source}))"

    def _probe(self) -> str:
        """numpy's result dtype for the promoted operands, computed by numpy when the function is traced."""
        operands: list[Operand] = []
        for item in self.entry.promote:
            value = self.args.get(item, Operand(item, tensor=False, literal=literal_value(item)))
            operands += [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, Operand)]
        if not any(o.tensor for o in operands):
            if any(o.literal is NOT_LITERAL for o in operands):
                raise Unsupported("no array among the operands")
            return f"{self.tf}.{python_dtype([o.literal for o in operands])}.as_numpy_dtype(0).dtype"
        promotion = self.entry.probe == "+"
        if promotion:
            # Arrays first: NEP 50 applies Python numbers to the arrays' result; zeros cannot overflow.
            operands.sort(key=lambda o: (o.literal is not NOT_LITERAL, not o.tensor))
        one = "0" if promotion else "1"
        forms = [f"{o.source}.dtype.as_numpy_dtype({one})" if o.tensor else self._source(o) for o in operands]
        if sum(o.literal is NOT_LITERAL for o in operands) >= 3:
            # numpy promotes three or more dtypes together, which is not a chain of pairwise promotions.
            return f"{forms[0]}.__array_namespace__().result_type({', '.join(forms)})"
        return f"({f' {self.entry.probe} '.join(forms)}).dtype"


def _returned(expression: str) -> list[str]:
    """``return a if c else b`` as ``if c: return a`` then ``return b``, which reads as the branch it is."""
    node = cst.parse_expression(expression)
    lines = []
    while isinstance(node, cst.IfExp) and not node.lpar:
        lines += [f"if {_code(node.test)}:", f"    return {_code(node.body)}"]
        node = node.orelse
    return [*lines, f"return {_code(node.with_changes(lpar=[], rpar=[]) if _is_simple(node) else node)}"]


def _is_simple(node: cst.BaseExpression) -> bool:
    return not isinstance(node, (cst.Tuple, cst.GeneratorExp, cst.Yield, cst.NamedExpr))


def _free_names(text: str) -> set[str]:
    return set(FREE_NAME.findall(text))


def _is_atom(source: str) -> bool:
    source = source.strip()
    if source.isidentifier() and not keyword.iskeyword(source):
        return True
    return literal_value(source) is not NOT_LITERAL or SELF_ATTRIBUTE.fullmatch(source) is not None


def _postfix_safe(source: str) -> bool:
    try:
        node = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        return False
    return isinstance(node, POSTFIX_SAFE) and not source.strip().startswith("-")


# --- literals -------------------------------------------------------------------------------
def literal_value(source: str) -> object:
    """The value of a literal (numbers, strings, None, tuples, constant arithmetic), else NOT_LITERAL."""
    try:
        return _evaluate(ast.parse(source.strip(), mode="eval").body)
    except (SyntaxError, ArithmeticError, ValueError, TypeError):
        return NOT_LITERAL


def _evaluate(node: ast.expr) -> object:
    if isinstance(node, ast.Constant) and type(node.value) in (bool, int, float, str, type(None)):
        return node.value
    if isinstance(node, (ast.Tuple, ast.List)):
        items = tuple(_evaluate(item) for item in node.elts)
        return NOT_LITERAL if any(item is NOT_LITERAL for item in items) else items
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _evaluate(node.operand)
        if _is_number(value):
            return -value if isinstance(node.op, ast.USub) else value  # type: ignore[operator]
    if isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if _is_number(left) and _is_number(right) and not (isinstance(node.op, ast.Pow) and abs(right) > 64):
            return ARITHMETIC[type(node.op)](left, right)
    return NOT_LITERAL


def _is_number(value: object) -> bool:
    return type(value) in (int, float)


def is_int(value: object) -> bool:
    return type(value) is int


def is_host(source: str) -> bool:
    try:
        nodes = list(ast.walk(ast.parse(source.strip(), mode="eval")))
    except SyntaxError:
        return False
    names = {node.id for node in nodes if isinstance(node, ast.Name)}
    return "self" in names and names <= HOST_NAMES and not any(isinstance(n, ast.Lambda) for n in nodes)


def python_dtype(values: list[object]) -> str:
    """numpy's dtype for Python numbers alone: any float gives float64, else any int int64, else bool."""
    if not all(type(v) in (bool, int, float) for v in values):
        raise Unsupported("not a number")
    if not values or any(type(v) is float for v in values):
        return "float64"
    if any(type(v) is int for v in values):
        if not all(-(2**63) <= v < 2**63 for v in values):  # type: ignore[operator]
            raise Unsupported("an int beyond int64")
        return "int64"
    return "bool"
