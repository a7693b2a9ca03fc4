"""The statements of a generated per-row or per-batch function, as values: bindings, and the
Sequence's own trace-time ``if`` blocks around them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Binding:
    """``name = code`` in a generated per-row or per-batch function."""

    name: str
    code: str
    # The value is element-wise arithmetic of stacked rows with numbers (``TensorValue.rowwise``).
    rowwise: bool = False


@dataclass
class Branch:
    """``if condition:`` in a generated function, for the Sequence's own trace-time ``if``
    (``if self.augment:``): the bindings each side makes, kept in one block as the user wrote."""

    condition: str
    then: list[Binding | Branch] = field(default_factory=list)
    otherwise: list[Binding | Branch] = field(default_factory=list)
    # The user's ``if`` statement this branch stands for, so one statement is one block.
    origin: object = field(default=None, compare=False, repr=False)


Statements = list[Binding | Branch]


def bound_names(statements: Statements) -> list[str]:
    names: list[str] = []
    for statement in statements:
        if isinstance(statement, Binding):
            names.append(statement.name)
        else:
            names += bound_names(statement.then) + bound_names(statement.otherwise)
    return names


def copied_statements(statements: Statements) -> Statements:
    return [
        Branch(s.condition, copied_statements(s.then), copied_statements(s.otherwise), s.origin)
        if isinstance(s, Branch)
        else s
        for s in statements
    ]


def statement_codes(statements: Statements) -> list[str]:
    """Every expression the statements evaluate, conditions included."""
    codes: list[str] = []
    for statement in statements:
        if isinstance(statement, Binding):
            codes.append(statement.code)
        else:
            codes += [statement.condition, *statement_codes(statement.then), *statement_codes(statement.otherwise)]
    return codes
