"""The generated functions' local statements, as source lines (indented relative to the body)."""

from __future__ import annotations

import io
import tokenize

from seq2tfdata.analyse.native.statements import Binding, Branch, Statements

_INDENT = "    "


def statement_lines(statements: Statements) -> list[str]:
    lines: list[str] = []
    for statement in statements:
        if isinstance(statement, Binding):
            lines.append(f"{statement.name} = {statement.code}")
        else:
            lines += _branch_lines(statement, "if")
    return lines


def _branch_lines(branch: Branch, keyword: str) -> list[str]:
    if not branch.then:
        # Only the ``else`` side computes anything.
        return _branch_lines(Branch(f"not {_operand(branch.condition)}", branch.otherwise), keyword)
    lines = [f"{keyword} {_bare(branch.condition)}:", *_indented(statement_lines(branch.then))]
    otherwise = branch.otherwise
    if len(otherwise) == 1 and isinstance(otherwise[0], Branch) and otherwise[0].then:
        return lines + _branch_lines(otherwise[0], "elif")
    if otherwise:
        lines += ["else:", *_indented(statement_lines(otherwise))]
    return lines


def _indented(lines: list[str]) -> list[str]:
    return [_INDENT + line for line in lines]


def _bare(condition: str) -> str:
    """The condition without parentheses around the whole of it, as black writes an ``if``."""
    while condition.startswith("(") and _closes_at_end(condition):
        condition = condition[1:-1]
    return condition


def _operand(condition: str) -> str:
    # ``not`` binds looser than comparisons but tighter than ``and``/``or``.
    if condition.isidentifier() or condition.startswith("(") and _closes_at_end(condition):
        return condition
    return f"({condition})"


def _closes_at_end(code: str) -> bool:
    """``code`` is one parenthesised expression: its first parenthesis closes at its very end."""
    depth = 0
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type == tokenize.OP]
    except tokenize.TokenError:
        return False
    for position, token in enumerate(tokens):
        depth += {"(": 1, ")": -1}.get(token.string, 0)
        if depth == 0:
            return position == len(tokens) - 1 and token.end[1] == len(code)
    return False
