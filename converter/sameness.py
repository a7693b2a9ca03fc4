"""When two versions of code count as the same: equal syntax trees, whatever their formatting.

black and ruff format change line breaks, quotes, parentheses and blank lines but never the
tree (black checks that it does not); a class a formatter rewrote is still the class its block
was generated from, and a block a formatter rewrote is still the block this tool would write.
Docstrings are compared with each line stripped, since formatters re-indent them.
"""

from __future__ import annotations

import ast

import libcst as cst

_EMPTY_MODULE = cst.Module([])


def _with_plain_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        first = node.body[0] if node.body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            lines = first.value.value.strip().splitlines()
            first.value.value = "\n".join(line.strip() for line in lines)
    return tree


class _Comments(cst.CSTVisitor):
    def __init__(self) -> None:
        self.texts: list[str] = []

    def visit_Comment(self, node: cst.Comment) -> None:
        self.texts.append(node.value.lstrip("#").strip())


def syntax_form(node: cst.CSTNode, comments: bool = False) -> str:
    """A text equal for two nodes exactly when their code has the same syntax tree (the code
    itself for code ``ast`` cannot read on its own, which then must match byte for byte), and,
    with ``comments``, the same comment texts in the same order (formatters keep those too)."""
    code = _EMPTY_MODULE.code_for_node(node)
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return code
    form = ast.dump(_with_plain_docstrings(tree))
    if comments:
        collector = _Comments()
        node.visit(collector)
        form += "\n#" + "\n#".join(collector.texts)
    return form
