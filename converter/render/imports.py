"""Which name a module binds another module to, and adding the imports generated code needs.

The imports go where LibCST's ``AddImportsVisitor`` puts them (after the docstring and the first
run of top-level imports), without its two whole-module passes and deep copy.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m
from libcst.helpers import get_full_name_for_node

from seq2tfdata.render.newlines import blank_line, with_newlines


def existing_binding(module: cst.Module, target: str) -> str | None:
    """The name under which a top-level ``import target [as name]`` binds ``target``."""
    # Only unconditional top-level imports: one under ``if TYPE_CHECKING:`` is not bound at run time.
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for node in statement.body:
            if not isinstance(node, cst.Import):
                continue
            for alias in node.names:
                if get_full_name_for_node(alias.name) == target:
                    if alias.asname is not None:
                        return get_full_name_for_node(alias.asname.name)
                    return target
    return None


class _NameCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)


def names_used(module: cst.Module) -> frozenset[str]:
    collector = _NameCollector()
    module.visit(collector)
    return frozenset(collector.names)


def binding_for(module: cst.Module, target: str, preferred: str, used: frozenset[str]) -> tuple[str, bool]:
    """(name to use, whether an import must be added); ``used``: every name in the module."""
    bound = existing_binding(module, target)
    if bound is not None:
        return bound, False
    if preferred not in used:
        return preferred, True
    return target, True


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return m.matches(statement, m.SimpleStatementLine(body=[m.ImportFrom() | m.Import()]))


def _opens_module(statement: cst.BaseStatement) -> bool:
    """A docstring or a ``__strict__`` flag, which imports never go above."""
    return m.matches(
        statement,
        m.SimpleStatementLine(body=[m.Expr(value=m.SimpleString())])
        | m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(target=m.Name("__strict__"))])]),
    )


def _with_blank_line_above(statement: cst.BaseStatement, newline: str | None) -> cst.BaseStatement:
    lines = statement.leading_lines
    if lines and lines[0].comment is None:
        return statement
    return statement.with_changes(leading_lines=(blank_line(newline), *lines))


def add_imports(module: cst.Module, imports: list[tuple[str, str | None]], newline: str | None = None) -> cst.Module:
    """``module`` with ``import name [as alias]`` for each of ``imports`` not already imported
    by its top-level imports: plain ones sorted, then aliased ones in the order given;
    ``newline``: the break the added lines carry explicitly (see ``newlines``)."""
    body = list(module.body)
    start = 1 if body and _opens_module(body[0]) else 0
    end = start
    while end < len(body) and _is_import_line(body[end]):
        end += 1
    present = {
        (get_full_name_for_node(alias.name), get_full_name_for_node(alias.asname.name) if alias.asname else None)
        for statement in body[start:end]
        for node in statement.body
        if isinstance(node, cst.Import)
        for alias in node.names
    }
    missing = [item for item in dict.fromkeys(imports) if item not in present]
    if not missing:
        return module
    plain = sorted(name for name, alias in missing if alias is None)
    aliased = [f"{name} as {alias}" for name, alias in missing if alias is not None]
    config = module.config_for_parsing
    new = [with_newlines(cst.parse_statement(f"import {spec}", config=config), newline) for spec in [*plain, *aliased]]
    after = body[end:]
    if after:
        after[0] = _with_blank_line_above(after[0], newline)
    return module.with_changes(body=[*body[:end], *new, *after])
