"""Lay out a generated method the way black and ruff format would, so they leave it unchanged.

The templates are written in that style; what they cannot fix is the length of the lines they
fill with computed expressions. A statement longer than the line is split at its last bracket,
then its items one per line with a trailing comma (black's right-hand and delimiter splits);
string quotes, complex slices and ``**`` get black's spelling (``render.spelling``). A line this module cannot split
the same way black would is left as it is: still valid, only not formatter-stable.
"""

from __future__ import annotations

import libcst as cst

from seq2tfdata.render.spelling import BlackSpelling, code

LINE_LENGTH = 88  # black's and ruff format's default
INDENT = "    "


def laid_out(function: cst.FunctionDef, depth: int) -> cst.FunctionDef:
    """``function`` as black would lay it out ``depth`` columns in."""
    laid = function.visit(_Layout(depth))
    assert isinstance(laid, cst.FunctionDef)
    return laid


def _statement_parts(statement: cst.BaseSmallStatement) -> tuple[str, cst.BaseExpression, str] | None:
    if isinstance(statement, cst.Assign) and len(statement.targets) == 1:
        return code(statement.targets[0].target) + " = ", statement.value, ""
    if isinstance(statement, cst.Return) and statement.value is not None:
        return "return ", statement.value, ""
    if isinstance(statement, cst.Raise) and statement.exc is not None and statement.cause is None:
        return "raise ", statement.exc, ""
    if isinstance(statement, cst.Expr):
        return "", statement.value, ""
    return None


def lay(head: str, node: cst.BaseExpression, tail: str, depth: int, statement: bool = False) -> list[str] | None:
    """Lines (indented relative to the first) for ``head + node + tail`` at ``depth``;
    ``statement``: the expression is a statement's own, not inside brackets."""
    one_line = head + code(node) + tail
    if depth + len(one_line) <= LINE_LENGTH:
        return [one_line]
    if isinstance(node, cst.IfExp) and not node.lpar:
        return _wrapped(head, node, tail, depth)
    if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp)) and len(node.lpar) <= 1:
        return _comprehension(head, node, tail, depth)
    if len(node.lpar) == 1 and not isinstance(node, cst.Tuple):
        return _parenthesized(head, node, tail, depth)
    if isinstance(node, (cst.BinaryOperation, cst.BooleanOperation, cst.Comparison)) and not node.lpar:
        return _operator_split(head, node, tail, depth, statement)
    brackets = _last_brackets(node)
    if brackets is None:
        wraps = statement and (head == "return " or head.endswith(" = "))
        return _atom_in_parentheses(head, node, tail, depth) if wraps else None
    opener, items, closer, needs_comma = brackets
    first = head + opener
    if depth + len(first) > LINE_LENGTH or not items:
        return None
    inner = depth + len(INDENT)
    if len(items) == 1 and not needs_comma:
        # black leaves an item it cannot split on a line of its own, however long.
        body = lay(items[0][0], items[0][1], "", inner) or [items[0][0] + code(items[0][1])]
        return [first, *_indented(body), closer + tail]
    joined = ", ".join(prefix + code(item) for prefix, item in items) + ("," if needs_comma else "")
    # black puts each item of a split tuple or list display on its own line, fitting or not;
    # a call's arguments stay on one line when they fit.
    display = isinstance(node, (cst.Tuple, cst.List, cst.Dict)) and len(items) > 1
    if inner + len(joined) <= LINE_LENGTH and not display:
        return [first, INDENT + joined, closer + tail]
    lines = [first]
    for prefix, item in items:
        lines += _indented(lay(prefix, item, ",", inner) or [prefix + code(item) + ","])
    return lines + [closer + tail]


def _atom_in_parentheses(head: str, node: cst.BaseExpression, tail: str, depth: int) -> list[str] | None:
    """A right-hand side black cannot split otherwise: in parentheses, when that makes it fit."""
    body = code(node)
    if depth + len(INDENT) + len(body) > LINE_LENGTH:
        return None
    return [head + "(", INDENT + body, ")" + tail]


def _parenthesized(head: str, node: cst.BaseExpression, tail: str, depth: int) -> list[str] | None:
    inner_node = node.with_changes(lpar=[], rpar=[])
    inner = depth + len(INDENT)
    body = lay("", inner_node, "", inner) or [code(inner_node)]
    return [head + "(", *_indented(body), ")" + tail]


def _operator_split(
    head: str, node: cst.BaseExpression, tail: str, depth: int, statement: bool
) -> list[str] | None:
    """An operator chain split before each operator of its loosest kind, in black's parentheses
    where the statement has none of its own."""
    operands = _chain(node)
    if operands is None:
        return None
    inner = depth + len(INDENT) if statement else depth
    lines = []
    for operator, operand in operands:
        lines += lay(operator, operand, "", inner) or [operator + code(operand)]
    if statement:  # black adds the parentheses that let the statement break
        return [head + "(", *_indented(lines), ")" + tail]
    lines[0] = head + lines[0]
    lines[-1] += tail
    return lines


def _chain(node: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression]] | None:
    """``a + b - c`` as ``[("", a), ("+ ", b), ("- ", c)]``: one priority level, left-associative."""
    if isinstance(node, cst.Comparison):
        if len(node.comparisons) != 1:
            return None
        target = node.comparisons[0]
        return [("", node.left), (code(target.operator).strip() + " ", target.comparator)]
    if isinstance(node, (cst.BinaryOperation, cst.BooleanOperation)):
        level = _priority(node.operator)
        left = node.left
        operands = [(code(node.operator).strip() + " ", node.right)]
        while isinstance(left, type(node)) and not left.lpar and _priority(left.operator) == level:
            operands.insert(0, (code(left.operator).strip() + " ", left.right))
            left = left.left
        return [("", left), *operands]
    return None


def _priority(operator: cst.CSTNode) -> int:
    for level, kinds in enumerate(_PRIORITIES):
        if isinstance(operator, kinds):
            return level
    return len(_PRIORITIES)


_PRIORITIES: tuple[tuple[type[cst.CSTNode], ...], ...] = (
    (cst.Or,), (cst.And,), (cst.BitOr,), (cst.BitXor,), (cst.BitAnd,), (cst.LeftShift, cst.RightShift),
    (cst.Add, cst.Subtract), (cst.Multiply, cst.Divide, cst.FloorDivide, cst.Modulo, cst.MatrixMultiply),
    (cst.Power,),
)


def _wrapped(head: str, node: cst.IfExp, tail: str, depth: int) -> list[str] | None:
    """A conditional expression in black's parentheses, split before ``if`` and ``else``."""
    inner = depth + len(INDENT)
    body = code(node)
    if inner + len(body) <= LINE_LENGTH:
        return [head + "(", INDENT + body, ")" + tail]
    branches = [("", node.body), ("if ", node.test), ("else ", node.orelse)]
    lines = [head + "("]
    for prefix, branch in branches:
        branch_lines = lay(prefix, branch, "", inner)
        if branch_lines is None:
            return None
        lines += _indented(branch_lines)
    return lines + [")" + tail]


def _comprehension(
    head: str, node: cst.ListComp | cst.SetComp | cst.GeneratorExp, tail: str, depth: int
) -> list[str] | None:
    """``[element for ... in ... if ...]`` split before each ``for`` and ``if``, as black does."""
    if isinstance(node, cst.GeneratorExp) and not node.lpar:
        return None  # the sole argument of a call: its brackets are the call's
    opener, closer = {cst.ListComp: ("[", "]"), cst.SetComp: ("{", "}"), cst.GeneratorExp: ("(", ")")}[type(node)]
    parts = [code(node.elt)]
    clause: cst.BaseCompFor | None = node.for_in
    while clause is not None:
        parts.append(code(clause.with_changes(ifs=[], inner_for_in=None)).strip())
        parts += [code(condition).strip() for condition in clause.ifs]
        clause = clause.inner_for_in
    inner = depth + len(INDENT)
    joined = " ".join(parts)
    if inner + len(joined) <= LINE_LENGTH:
        return [head + opener, INDENT + joined, closer + tail]
    element = lay("", node.elt, "", inner) or [parts[0]]
    return [head + opener, *_indented(element), *(INDENT + part for part in parts[1:]), closer + tail]


def _indented(lines: list[str]) -> list[str]:
    return [INDENT + line for line in lines]


Items = list[tuple[str, cst.BaseExpression]]


def _last_brackets(node: cst.BaseExpression) -> tuple[str, Items, str, bool] | None:
    """The bracket that closes the expression: its opening text, its items, its closing text,
    and whether a lone item needs a comma (a one-tuple)."""
    if isinstance(node, cst.Tuple) and len(node.lpar) == 1:
        if any(isinstance(element, cst.StarredElement) for element in node.elements):
            return None
        return "(", [("", element.value) for element in node.elements], ")", len(node.elements) == 1
    if node.lpar:
        return None
    if isinstance(node, cst.Call):
        if any(arg.star for arg in node.args):
            return None
        items = [((arg.keyword.value + "=") if arg.keyword else "", arg.value) for arg in node.args]
        return code(node.func) + "(", items, ")", False
    if isinstance(node, cst.List):
        if any(isinstance(element, cst.StarredElement) for element in node.elements):
            return None
        return "[", [("", element.value) for element in node.elements], "]", False
    if isinstance(node, cst.Dict):
        if not all(isinstance(element, cst.DictElement) for element in node.elements):
            return None
        return "{", [(code(element.key) + ": ", element.value) for element in node.elements], "}", False  # type: ignore[union-attr]
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        if isinstance(index, cst.Index) and index.star is None:
            return code(node.value) + "[", [("", index.value)], "]", False
    return None


# --- splitting long statements ----------------------------------------------------------------
class _Layout(BlackSpelling):
    """One pass: black's spelling inside each statement, then its split when it is too long.
    Most of a block is template text already in black's style: a one-line statement with
    nothing black would respell is not walked into."""

    def __init__(self, depth: int) -> None:
        super().__init__()
        self.depth = depth
        self._settled: set[int] = set()  # ids of statements found in black's style already

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        text = code(node).strip()
        respelled = any(mark in text for mark in ("'", "**", ":", " = (", "return ("))
        if respelled or "\n" in text or self.depth + len(text) > LINE_LENGTH:
            return True
        self._settled.add(id(node))
        return False

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.depth += len(node.indent if node.indent is not None else INDENT)

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        self.depth -= len(original_node.indent if original_node.indent is not None else INDENT)
        return updated_node

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if id(original_node) in self._settled:
            return updated_node
        if len(updated_node.body) != 1 or updated_node.trailing_whitespace.comment is not None:
            return updated_node
        text = code(updated_node.body[0])
        if "\n" in text or self.depth + len(text) <= LINE_LENGTH:
            return updated_node
        parts = _statement_parts(updated_node.body[0])
        lines = lay(*parts, depth=self.depth, statement=True) if parts is not None else None
        if lines is None:
            return updated_node
        statement = cst.parse_statement("\n".join(lines) + "\n")
        assert isinstance(statement, cst.SimpleStatementLine)
        return updated_node.with_changes(body=statement.body)
