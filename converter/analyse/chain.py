"""Method lookup across a class and its in-module ancestors.

Generated code depends on which hooks a class really overrides (``on_epoch_begin``,
``num_batches``, ``__getitem__``), so lookups follow the same order Python would.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from seq2tfdata.find.sequences import SequenceClass
from seq2tfdata.markers import generated_indices


@dataclass(frozen=True)
class Member:
    owner: SequenceClass
    node: cst.CSTNode  # a FunctionDef, or the statement assigning a class attribute


def _class_members(cls: SequenceClass) -> dict[str, cst.CSTNode]:
    members: dict[str, cst.CSTNode] = {}
    body = cls.node.body
    if not isinstance(body, cst.IndentedBlock):
        return members
    generated = set(generated_indices(body))
    for index, statement in enumerate(body.body):
        if isinstance(statement, cst.FunctionDef) and index not in generated:
            members[statement.name.value] = statement
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                targets = []
                if isinstance(small, cst.Assign):
                    targets = [t.target for t in small.targets]
                elif isinstance(small, cst.AnnAssign) and small.value is not None:
                    targets = [small.target]
                for target in targets:
                    if isinstance(target, cst.Name):
                        members[target.value] = statement
    return members


@dataclass
class ClassChain:
    """``cls`` with its in-module ancestors, most derived first."""

    cls: SequenceClass

    def __post_init__(self) -> None:
        self.classes = self.cls.linearized()
        self._members = [(c, _class_members(c)) for c in self.classes]

    @property
    def complete(self) -> bool:
        """False when an ancestor lives in another file, so its methods are unknown."""
        return not any(c.has_foreign_sequence_base or c.unresolved for c in self.classes)

    def lookup(self, name: str) -> Member | None:
        for owner, members in self._members:
            if name in members:
                return Member(owner, members[name])
        return None

    def lookup_after(self, owner: SequenceClass, name: str) -> Member | None:
        """What ``super().<name>`` means inside a method of ``owner``."""
        later = False
        for cls, members in self._members:
            if later and name in members:
                return Member(cls, members[name])
            later = later or cls is owner
        return None

    def methods(self) -> list[cst.FunctionDef]:
        """Every method the chain defines (not the generated ones), most derived class first."""
        return [node for _, members in self._members for node in members.values() if isinstance(node, cst.FunctionDef)]

    def overrides(self, name: str) -> list[cst.FunctionDef]:
        """Every definition of method ``name`` in the chain: through super() any of them may run."""
        return [members[name] for _, members in self._members if isinstance(members.get(name), cst.FunctionDef)]

    def method(self, name: str) -> cst.FunctionDef | None:
        member = self.lookup(name)
        if member is not None and isinstance(member.node, cst.FunctionDef):
            return member.node
        return None

    def defines(self, name: str) -> bool:
        return self.lookup(name) is not None


def raises_not_implemented(func: cst.FunctionDef) -> bool:
    """True for an abstract stub: the body (after a docstring) is ``raise NotImplementedError``."""
    body = func.body
    statements = list(body.body) if isinstance(body, cst.IndentedBlock) else [body]
    for statement in statements:
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        small = statement.body[0]
        if isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)):
            continue
        if isinstance(small, cst.Raise) and small.exc is not None:
            exc = small.exc.func if isinstance(small.exc, cst.Call) else small.exc
            return isinstance(exc, cst.Name) and exc.value == "NotImplementedError"
        return False
    return False
