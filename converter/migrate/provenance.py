"""Whether an expression is provably an instance of a converted Sequence class.

Only two shapes count as proof: a constructor call ``Gen(...)``, and a variable bound exactly
once, in the scope that reads it, by ``name = Gen(...)``, where ``Gen`` resolves to a converted
class by its qualified name (``targets.ConvertedClasses``). Anything else (a parameter, a loop
variable, an attribute, a variable rebound somewhere or bound in an enclosing scope) may hold
another object at run time, so the call site is left alone and the caller is told why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

import libcst as cst
from libcst.metadata import (
    Assignment,
    ImportAssignment,
    QualifiedName,
    QualifiedNameSource,
    Scope,
)

from seq2tfdata.migrate.targets import ConvertedClasses

TO_TF_DATASET = "to_tf_dataset"
_SHOWN_CHARS = 40


class Kind(Enum):
    PROVEN = "proven"
    ALREADY_DATASET = "already a .to_tf_dataset() call"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Provenance:
    kind: Kind
    class_name: str = ""  # the converted class, when proven
    why: str = ""  # why it is not proven
    # Something points at a converted class (its name, or one of the variable's bindings), so
    # leaving the value alone deserves a note even where nothing else would be reported.
    suspicious: bool = False

    @property
    def proven(self) -> bool:
        return self.kind is Kind.PROVEN


def show(node: cst.CSTNode) -> str:
    text = " ".join(cst.Module([]).code_for_node(node).split())
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."


def is_to_tf_dataset_call(node: cst.BaseExpression) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == TO_TF_DATASET
    )


class ProvenanceResolver:
    """Answers provenance questions about the nodes of one module, from its resolved metadata."""

    def __init__(
        self,
        converted: ConvertedClasses,
        scopes: Mapping[cst.CSTNode, Scope | None],
        qualified_names: Mapping[cst.CSTNode, set[QualifiedName]],
        parents: Mapping[cst.CSTNode, cst.CSTNode],
    ) -> None:
        self._converted = converted
        self._scopes = scopes
        self._qualified_names = qualified_names
        self._parents = parents

    def of_argument(self, node: cst.BaseExpression) -> Provenance:
        if is_to_tf_dataset_call(node):
            return Provenance(Kind.ALREADY_DATASET)
        if isinstance(node, cst.Call):
            return self._of_constructor(node)
        if isinstance(node, cst.Name):
            return self._of_variable(node)
        return _unknown(f"`{show(node)}` is neither a constructor call nor a local variable")

    def _of_constructor(self, call: cst.Call) -> Provenance:
        class_name, why, suspicious = self._converted_class(call.func)
        if class_name is not None:
            return Provenance(Kind.PROVEN, class_name=class_name)
        return _unknown(why or f"`{show(call)}` does not construct a converted class", suspicious)

    def _of_variable(self, name: cst.Name) -> Provenance:
        scope = self._scopes.get(name)
        referents = _referents(scope, name)
        if not referents:
            return _unknown(f"`{name.value}` is not assigned in this file")
        if any(isinstance(r.node, cst.Param) for r in referents):
            return _unknown(f"`{name.value}` is a parameter, so its class cannot be proven")
        constructed = [self._assigned_call(r) for r in referents]
        suspicious = any(
            call is not None and self._converted_class(call.func)[0] is not None for call in constructed
        )
        if any(r.scope is not scope for r in referents):
            return _unknown(f"`{name.value}` is assigned outside the scope that uses it", suspicious)
        if len(referents) > 1:
            return _unknown(f"`{name.value}` is assigned {len(referents)} times in this scope", suspicious)
        call = constructed[0]
        if call is None:
            return _unknown(f"`{name.value}` is not bound by a plain `{name.value} = Class(...)` assignment")
        proof = self._of_constructor(call)
        if not proof.proven:
            return _unknown(f"`{name.value}` = `{show(call)}`: {proof.why}", proof.suspicious)
        return proof

    def _names_of(self, node: cst.CSTNode) -> set[QualifiedName]:
        names = self._qualified_names.get(node, set())
        # ``QualifiedNameProvider`` computes lazily: ``resolve`` hands out callables that only
        # ``get_metadata`` would have unwrapped for us.
        return names() if callable(names) else names

    def _assigned_call(self, referent: object) -> cst.Call | None:
        """The call in ``name = Call(...)`` or ``name: T = Call(...)`` that made this binding."""
        if not isinstance(referent, Assignment) or not isinstance(referent.node, cst.Name):
            return None
        parent = self._parents.get(referent.node)
        if isinstance(parent, cst.AssignTarget):
            statement = self._parents.get(parent)
            value = statement.value if isinstance(statement, cst.Assign) else None
        elif isinstance(parent, cst.AnnAssign) and parent.target is referent.node:
            value = parent.value
        else:
            value = None
        return value if isinstance(value, cst.Call) else None

    def _converted_class(self, func: cst.BaseExpression) -> tuple[str | None, str, bool]:
        """``(class name, "", False)`` if ``func`` surely names a converted class, else
        ``(None, why, suspicious)``."""
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return None, "", False
        spelled = func.value if isinstance(func, cst.Name) else func.attr.value
        names = self._names_of(func)
        originals = {q.name.rpartition(".")[2] for q in names}
        simple = self._converted.simple_names
        if spelled not in simple and not originals & simple:
            return None, "", False
        if not names:
            return None, f"`{show(func)}` is not bound by an import or class statement in this file", True
        if not originals & simple:
            return None, "", False  # an alias of another class that happens to be spelled alike
        if any(q.source is QualifiedNameSource.BUILTIN for q in names):
            return None, f"`{show(func)}` may name {sorted(q.name for q in names)}", True
        if isinstance(func, cst.Name):
            bindings = _referents(self._scopes.get(func), func)
            if not bindings or not all(_binds_class(b) for b in bindings):
                return None, f"`{func.value}` is also bound to something other than the class", True
        matched = [self._converted.match(q) for q in names]
        if not any(matched):
            here = " or ".join(sorted(f"`{self._converted.absolute(q)}`" for q in names))
            converted = " or ".join(f"`{c}`" for c in self._converted.spelled_like(originals))
            return None, f"`{show(func)}` here is {here}, not the converted {converted}", True
        if not all(matched):
            return None, f"`{show(func)}` may name {sorted(q.name for q in names)}", True
        return " or ".join(sorted(originals)), "", False


def _unknown(why: str, suspicious: bool = False) -> Provenance:
    return Provenance(Kind.UNKNOWN, why=why, suspicious=suspicious)


def _referents(scope: Scope | None, name: cst.Name) -> list[object]:
    if scope is None:
        return []
    return list({id(r): r for access in scope.accesses[name] for r in access.referents}.values())


def _binds_class(binding: object) -> bool:
    if isinstance(binding, ImportAssignment):
        return True
    return isinstance(binding, Assignment) and isinstance(binding.node, cst.ClassDef)
