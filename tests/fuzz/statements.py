"""Counting what the converter may not add: statements outside its generated methods, calls.

The generated ``to_tf_dataset`` methods and the module-level imports they need are the only
statements a conversion adds, so any other new statement is code the input smuggled out of a
string or a comment.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from seq2tfdata.markers import METHOD_NAME
from tests.fuzz.lines import without_bom

_ADDED_IMPORTS = {"tensorflow", "numpy", "warnings"}
CANARY = "/tmp/x"


@dataclass(frozen=True)
class Counts:
    statements: int  # outside ``to_tf_dataset`` methods and the imports the converter adds
    methods: int  # ``to_tf_dataset`` methods of classes


def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(without_bom(text))
    except Exception:  # noqa: BLE001 - SyntaxError, ValueError, RecursionError, MemoryError
        return None


def _is_added_import(node: ast.stmt) -> bool:
    return isinstance(node, ast.Import) and all(alias.name in _ADDED_IMPORTS for alias in node.names)


def statement_counts(text: str) -> Counts | None:
    tree = _parse(text)
    if tree is None:
        return None
    statements = methods = 0
    pending: list[tuple[ast.AST, bool]] = [(node, False) for node in tree.body if not _is_added_import(node)]
    while pending:
        node, in_class = pending.pop()
        if in_class and isinstance(node, ast.FunctionDef) and node.name == METHOD_NAME:
            methods += 1
            continue
        statements += 1
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                pending.append((child, isinstance(node, ast.ClassDef)))
            else:
                pending.extend((stmt, False) for stmt in _statements_below(child))
    return Counts(statements, methods)


def _statements_below(node: ast.AST) -> list[ast.stmt]:
    """Statements nested in a non-statement node (an ``except`` handler, a ``match`` case)."""
    found, pending = [], [node]
    while pending:
        current = pending.pop()
        for child in ast.iter_child_nodes(current):
            (found if isinstance(child, ast.stmt) else pending).append(child)
    return found


def canary_calls(text: str) -> int:
    """Calls that pass the canary path: the fuzzer only ever writes it as text inside strings."""
    tree = _parse(text)
    if tree is None:
        return 0
    return sum(
        isinstance(node, ast.Call)
        and any(isinstance(arg, ast.Constant) and arg.value == CANARY for arg in node.args)
        for node in ast.walk(tree)
    )
