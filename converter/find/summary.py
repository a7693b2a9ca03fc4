"""A cheap reading of one module for the cross-file pre-pass: its classes with their bases as
written, and what each module-level name is bound to.

It is a plain ``ast`` walk, without libcst or its metadata: the pre-pass reads every candidate
file of a repository, and libcst's parse plus ``QualifiedNameProvider`` costs about forty times
as much. Names are resolved later, on the summaries of the whole repository at once
(``find.repository``), so no file is read twice.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass

# Bumped whenever the summary's shape or meaning changes, so cached summaries are not reused.
SUMMARY_VERSION = "1"

# Binding kinds: an import (target is the imported dotted name, relative ones keep their dots),
# an alias (``Name = dotted.name``, target is the spelling), a class (target is its qualname),
# anything else (a function, another assignment: the name is not a class we can follow).
IMPORT, ALIAS, CLASS, OTHER = "import", "alias", "class", "other"
STAR = "*"  # a ``*bases`` argument
EXPRESSION = "?"  # a base that is not a dotted name (a call, a subscript)


@dataclass(frozen=True)
class ClassSummary:
    qualname: str  # ``Outer.Inner``; ``<locals>`` inside a function, as libcst spells it
    bases: tuple[str, ...]  # dotted spellings, STAR or EXPRESSION; keyword arguments left out
    # Dotted names inside the EXPRESSION bases (``Generic[T]``, ``make_base()``).
    mentioned: tuple[str, ...] = ()

    @property
    def at_module_level(self) -> bool:
        return "<locals>" not in self.qualname


@dataclass(frozen=True)
class FileSummary:
    classes: tuple[ClassSummary, ...]
    bindings: tuple[tuple[str, str, str], ...]  # (name, kind, target), in source order
    star_imports: tuple[str, ...] = ()

    def bindings_of(self, name: str) -> list[tuple[str, str]]:
        return [(kind, target) for bound, kind, target in self.bindings if bound == name]


def summarize(code: str) -> FileSummary | None:
    """The summary of ``code``, or None if Python cannot parse it (the full conversion then
    reports why)."""
    try:
        with warnings.catch_warnings():
            # Invalid escape sequences and the like would be printed once per file.
            warnings.simplefilter("ignore")
            tree = ast.parse(code.removeprefix("\ufeff"))
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    walker = _Walker()
    try:
        walker.walk_body(tree.body, prefix="", module_level=True)
    except RecursionError:
        return None
    return FileSummary(tuple(walker.classes), tuple(walker.bindings), tuple(walker.star_imports))


def dotted_name(node: ast.expr) -> str | None:
    """``a.b.C`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


class _Walker:
    def __init__(self) -> None:
        self.classes: list[ClassSummary] = []
        self.bindings: list[tuple[str, str, str]] = []
        self.star_imports: list[str] = []

    def walk_body(self, body: list[ast.stmt], *, prefix: str, module_level: bool) -> None:
        for statement in body:
            self.walk_statement(statement, prefix=prefix, module_level=module_level)

    def walk_statement(self, node: ast.stmt, *, prefix: str, module_level: bool) -> None:
        if isinstance(node, ast.ClassDef):
            self._class(node, prefix, module_level)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if module_level:
                self.bindings.append((node.name, OTHER, ""))
            self.walk_body(node.body, prefix=f"{prefix}{node.name}.<locals>.", module_level=False)
        elif module_level and isinstance(node, (ast.Import, ast.ImportFrom)):
            self._import(node)
        elif module_level and isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            self._assign(node)
        else:
            # if/try/with/for/while (and match) blocks: their bodies run at this same level.
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                for child in getattr(node, field, ()) or ():
                    inner = child.body if isinstance(child, (ast.ExceptHandler, ast.match_case)) else [child]
                    self.walk_body(inner, prefix=prefix, module_level=module_level)

    def _class(self, node: ast.ClassDef, prefix: str, module_level: bool) -> None:
        qualname = prefix + node.name
        bases: list[str] = []
        mentioned: list[str] = []
        for base in node.bases:
            if isinstance(base, ast.Starred):
                bases.append(STAR)
                continue
            spelled = dotted_name(base)
            if spelled is None:
                bases.append(EXPRESSION)
                mentioned.extend(
                    name for sub in ast.walk(base) if isinstance(sub, (ast.Name, ast.Attribute))
                    for name in [dotted_name(sub)] if name
                )
            else:
                bases.append(spelled)
        self.classes.append(ClassSummary(qualname, tuple(bases), tuple(mentioned)))
        if module_level:
            self.bindings.append((node.name, CLASS, qualname))
        self.walk_body(node.body, prefix=qualname + ".", module_level=False)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.bindings.append((alias.asname, IMPORT, alias.name))
                else:
                    head = alias.name.split(".")[0]
                    self.bindings.append((head, IMPORT, head))
            return
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                self.star_imports.append(module)
                continue
            joiner = "" if module.endswith(".") or not module else "."
            self.bindings.append((alias.asname or alias.name, IMPORT, module + joiner + alias.name))

    def _assign(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        spelled = dotted_name(value) if value is not None and not isinstance(node, ast.AugAssign) else None
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name):
                    simple = isinstance(target, ast.Name) and spelled is not None
                    self.bindings.append((sub.id, ALIAS if simple else OTHER, spelled if simple else ""))
