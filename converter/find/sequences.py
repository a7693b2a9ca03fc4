"""Find the Keras Sequence subclasses of one module, through aliases and local subclassing.

Bases are resolved with ``QualifiedNameProvider``, never by their spelling, so
``from tensorflow.keras.utils import Sequence as S`` is found and ``collections.abc.Sequence``
or a local class that happens to be called ``Sequence`` is not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import (
    MetadataWrapper,
    PositionProvider,
    QualifiedName,
    QualifiedNameProvider,
    QualifiedNameSource,
)

from seq2tfdata.find.modules import resolve_relative
from seq2tfdata.find.opt_out import mark_opted_out
from seq2tfdata.find.keras_names import (
    is_keras_module,
    is_keras_sequence_name,
    looks_like_sequence_spelling,
)


@dataclass
class SequenceClass:
    """A class of the module, with how its bases resolved."""

    node: cst.ClassDef
    qualified_name: str
    line: int
    col: int
    # Classes of this module among the bases, in base order (Sequence or not: mixins matter for
    # method lookup).
    local_bases: list[SequenceClass] = field(default_factory=list)
    # A base is a class we cannot see (Keras' own, or a user class from another file).
    has_keras_base: bool = False
    has_foreign_sequence_base: bool = False
    is_sequence: bool = False
    # Set when the class may be a Sequence but its bases cannot be resolved statically.
    unresolved: str | None = None

    @property
    def name(self) -> str:
        return self.node.name.value

    def linearized(self) -> list[SequenceClass]:
        """This class and its in-module ancestors, most derived first (a depth-first MRO
        approximation, exact for the single-inheritance chains generators use)."""
        order: list[SequenceClass] = []
        stack = [self]
        while stack:
            current = stack.pop(0)
            if current in order:
                order.remove(current)
            order.append(current)
            stack[:0] = current.local_bases
        return order


@dataclass
class _RawClass:
    info: SequenceClass
    base_names: list[tuple[cst.Arg, set[QualifiedName]]]


class _ClassCollector(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (QualifiedNameProvider, PositionProvider)

    def __init__(self) -> None:
        self.classes: list[_RawClass] = []
        self.star_imports: list[tuple[str, int, int]] = []
        # Module-level ``Sequence = keras.utils.Sequence``-style aliases: name -> what each
        # assignment of it resolves to (one set per assignment, so try/except variants count).
        self.aliases: dict[str, list[set[QualifiedName]]] = {}
        self._depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._depth -= 1

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._depth or self._class_depth:
            return
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                names = set(self.get_metadata(QualifiedNameProvider, node.value, set()))
                self.aliases.setdefault(target.target.value, []).append(names)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar) and node.module is not None:
            module = cst.helpers.get_full_name_for_node(node.module) or ""
            start = self.get_metadata(PositionProvider, node).start
            self.star_imports.append((module, start.line, start.column + 1))

    _class_depth = 0

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._class_depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._class_depth += 1
        names = self.get_metadata(QualifiedNameProvider, node)
        qualified = min((q.name for q in names), default=node.name.value)
        start = self.get_metadata(PositionProvider, node.name).start
        bases = [
            (arg, set(self.get_metadata(QualifiedNameProvider, arg.value, set())))
            for arg in node.bases
        ]
        info = SequenceClass(node=node, qualified_name=qualified, line=start.line, col=start.column + 1)
        self.classes.append(_RawClass(info, bases))


def find_sequence_classes(
    wrapper: MetadataWrapper, extra_sequence_bases: frozenset[str] = frozenset(), module: str = ""
) -> list[SequenceClass]:
    """All classes of the module, in source order, with ``is_sequence`` / ``unresolved`` set.

    ``extra_sequence_bases`` are importable names of Sequence classes of other files; ``module``
    (this file's dotted name) resolves relative imports of them."""
    collector = _ClassCollector()
    wrapper.visit(collector)
    bound: dict[str, list[tuple[int, SequenceClass]]] = {}
    for position, raw in enumerate(collector.classes):
        bound.setdefault(raw.info.qualified_name, []).append((position, raw.info))
    unique = {name: classes[0][1] for name, classes in bound.items() if len(classes) == 1}
    for position, raw in enumerate(collector.classes):
        by_name = {**unique, **{name: _bound_at(position, classes) for name, classes in bound.items() if name not in unique}}
        raw.base_names = [(arg, _through_aliases(names, collector.aliases)) for arg, names in raw.base_names]
        if module:
            raw.base_names = [(arg, {_absolute(q, module) for q in names}) for arg, names in raw.base_names]
        _link_bases(raw, by_name, extra_sequence_bases, collector.star_imports)
    _propagate(collector.classes)
    _mark_nested([raw.info for raw in collector.classes])
    return [mark_opted_out(raw.info) for raw in collector.classes]


def _mark_nested(classes: list[SequenceClass]) -> None:
    """A Sequence defined inside another Sequence class is left alone: the outer class's
    analysis reads its body, so the block this tool would add there would change the outer
    class's conversion on the next run."""
    sequences = [cls for cls in classes if cls.is_sequence]
    for inner in sequences:
        outer = next((o for o in sequences if inner.qualified_name.startswith(o.qualified_name + ".")), None)
        if outer is not None:
            inner.unresolved = inner.unresolved or (
                f"defined inside the Sequence class `{outer.name}`, whose conversion reads its body; "
                "move it out of that class to convert it"
            )


def _bound_at(position: int, classes: list[tuple[int, SequenceClass]]) -> SequenceClass:
    """The class a name means for the class defined at ``position``: the last one above it, so a
    re-bound name (``Base = Base``, two classes of one name) never makes a class its own base;
    a class defined further down only when none is above (a class nested in a function)."""
    above = [cls for index, cls in classes if index < position]
    return above[-1] if above else classes[0][1]


def _through_aliases(names: set[QualifiedName], aliases: dict[str, list[set[QualifiedName]]]) -> set[QualifiedName]:
    """A base spelled with a module-level alias stands for what the alias was assigned."""
    resolved: set[QualifiedName] = set()
    for name in names:
        # ``ks = tf.keras`` makes ``ks.utils.Sequence`` a local name; its head is the alias.
        head, dot, rest = name.name.partition(".")
        assigned = aliases.get(head) if name.source is QualifiedNameSource.LOCAL else None
        if assigned and all(assigned):
            resolved.update(
                QualifiedName(target.name + dot + rest, target.source) for targets in assigned for target in targets
            )
        else:
            resolved.add(name)
    return resolved


def _absolute(name: QualifiedName, module: str) -> QualifiedName:
    if name.source is QualifiedNameSource.IMPORT and name.name.startswith("."):
        return QualifiedName(resolve_relative(name.name, module), name.source)
    return name


def _link_bases(
    raw: _RawClass,
    by_name: dict[str, SequenceClass],
    extra_sequence_bases: frozenset[str],
    star_imports: list[tuple[str, int, int]],
) -> None:
    info = raw.info
    for arg, names in raw.base_names:
        if arg.keyword is not None:
            continue
        if arg.star:
            info.unresolved = info.unresolved or "its bases are given with `*`, which cannot be resolved statically"
            continue
        local = [
            by_name[q.name]
            for q in names
            if q.source is QualifiedNameSource.LOCAL and q.name in by_name and by_name[q.name] is not info
        ]
        keras = [q.name for q in names if is_keras_sequence_name(q.name)]
        # A name this module binds itself is never another file's class, even when that
        # file's class has the same importable name.
        foreign = [q.name for q in names if q.name in extra_sequence_bases and q.source is not QualifiedNameSource.LOCAL]
        if (keras or foreign) and len(names) > len(keras) + len(foreign):
            spelled = cst.Module([]).code_for_node(arg.value)
            info.unresolved = (
                f"base `{spelled}` may be any of {sorted(q.name for q in names)} depending on which import ran"
            )
            continue
        info.local_bases.extend(local)
        info.has_keras_base |= bool(keras)
        info.has_foreign_sequence_base |= bool(foreign)
        if names and not (local or keras or foreign):
            info.unresolved = info.unresolved or _unknown_lookalike(arg, names)
        if not names:
            spelled = cst.helpers.get_full_name_for_node(arg.value) or ""
            star = _star_import_that_may_bind(spelled, star_imports)
            if star is not None:
                info.unresolved = (
                    f"base `{spelled}` may come from `from {star[0]} import *` at line {star[1]}; "
                    "import it by name so it can be resolved"
                )


# Where a class named Sequence is never Keras'.
_KNOWN_LOOKALIKE_MODULES = ("collections", "typing", "typing_extensions", "builtins", "_collections_abc")


def _unknown_lookalike(arg: cst.Arg, names: set[QualifiedName]) -> str | None:
    """Why a base spelled like Keras' (``Sequence``, ``utils.PyDataset``) was not taken for it:
    it comes from a module the converter cannot see into, so it may or may not be Keras'."""
    spelled = cst.helpers.get_full_name_for_node(arg.value) or ""
    if not looks_like_sequence_spelling(spelled):
        return None
    unknown = sorted(
        q.name
        for q in names
        if q.source is QualifiedNameSource.IMPORT and q.name.split(".")[0] not in _KNOWN_LOOKALIKE_MODULES
    )
    if not unknown:
        return None
    return (
        f"base `{spelled}` resolves to `{unknown[0]}`, which is not Keras' Sequence or PyDataset "
        "as far as this file shows; convert the file that defines it together with this one"
    )


def _star_import_that_may_bind(spelled: str, star_imports: list[tuple[str, int, int]]):
    if not looks_like_sequence_spelling(spelled):
        return None
    keras_first = sorted(star_imports, key=lambda item: not is_keras_module(item[0]))
    return keras_first[0] if keras_first else None


def _propagate(classes: list[_RawClass]) -> None:
    """Mark subclasses of Sequence subclasses, in any definition order."""
    changed = True
    while changed:
        changed = False
        for raw in classes:
            info = raw.info
            is_sequence = (
                info.has_keras_base
                or info.has_foreign_sequence_base
                or any(base.is_sequence for base in info.local_bases)
            )
            if is_sequence and not info.is_sequence:
                info.is_sequence = True
                changed = True
