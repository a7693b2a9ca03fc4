"""Recognise the per-epoch index permutation of the classic Keras data generator.

    def on_epoch_end(self):
        self.indexes = np.arange(len(self.list_IDs))
        if self.shuffle:
            np.random.shuffle(self.indexes)

with ``__init__`` calling ``self.on_epoch_end()``, so every epoch, the first included, visits
each row once, in an order that is shuffled exactly when the condition holds. tf.data's
``shuffle(n, reshuffle_each_iteration=True)`` visits the same multiset of rows per epoch.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from seq2tfdata.analyse.chain import ClassChain
from seq2tfdata.analyse.dtypes import Names, qualified
from seq2tfdata.analyse.native.state import attribute_writes
from seq2tfdata.analyse.native.values import Permutation

_code = cst.Module([]).code_for_node


def find_permutation(chain: ClassChain, names: Names) -> Permutation | None:
    hook = chain.method("on_epoch_end")
    inits = _inits_to_hook(chain)
    if hook is None or not inits:
        return None
    init = inits[-1]
    statements = [s for s in hook.body.body if not _is_docstring_or_pass(s)]  # type: ignore[union-attr]
    if not statements:
        return None
    arange = _arange_assignment(statements[0], names)
    if arange is not None:
        attribute, length_of, shuffled_by_construction = arange
        rest = statements[1:]
    else:
        # The permutation may be built once in __init__ and only reshuffled by the hook.
        built = _built_before_hook(init, names)
        if built is None:
            return None
        attribute, length_of, shuffled_by_construction = built
        rest = statements
    if any(write.attribute == attribute for other in inits[:-1] for write in attribute_writes(other)):
        return None  # a subclass's __init__ sets the index itself
    if shuffled_by_construction and not rest:
        return Permutation(attribute, length_of, "True")
    if len(rest) != 1:
        return None if rest else Permutation(attribute, length_of, None)
    statement = rest[0]
    if isinstance(statement, cst.If) and statement.orelse is None:
        body = [s for s in statement.body.body if not _is_docstring_or_pass(s)]  # type: ignore[union-attr]
        if len(body) == 1 and _shuffles(body[0], attribute, names):
            return Permutation(attribute, length_of, _code(statement.test))
        return None
    return Permutation(attribute, length_of, "True") if _shuffles(statement, attribute, names) else None


def _inits_to_hook(chain: ClassChain) -> list[cst.FunctionDef]:
    """The ``__init__`` methods run on construction, most derived first, up to the one that calls
    ``self.on_epoch_end()``; empty when none does (or a ``super().__init__`` cannot be followed)."""
    inits: list[cst.FunctionDef] = []
    member = chain.lookup("__init__")
    while member is not None and isinstance(member.node, cst.FunctionDef):
        inits.append(member.node)
        if _calls_hook(member.node):
            return inits
        if not m.findall(member.node.body, m.Call(func=m.Attribute(value=m.Call(func=m.Name("super")), attr=m.Name("__init__")))):
            return []
        member = chain.lookup_after(member.owner, "__init__")
    return []


def _built_before_hook(init: cst.FunctionDef, names: Names) -> tuple[str, str, bool] | None:
    """``self.a = np.arange(len(self.b))`` in __init__, before its ``self.on_epoch_end()``."""
    aliases: dict[str, str] = {}
    for statement in init.body.body:  # type: ignore[union-attr]
        # ``self.images = images`` makes ``len(images)`` the length of ``self.images``.
        for assign in m.findall(statement, m.Assign(targets=[m.AssignTarget(target=m.Attribute(value=m.Name("self")))], value=m.Name())):
            aliases[assign.value.value] = assign.targets[0].target.attr.value  # type: ignore[union-attr]
        arange = _arange_assignment(statement, names, aliases)
        if arange is not None:
            return arange
        if m.findall(statement, m.Call(func=m.Attribute(value=m.Name("self"), attr=m.Name("on_epoch_end")))):
            return None
    return None


def _calls_hook(init: cst.FunctionDef) -> bool:
    return bool(m.findall(init.body, m.Call(func=m.Attribute(value=m.Name("self"), attr=m.Name("on_epoch_end")), args=[])))


def _is_docstring_or_pass(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    return isinstance(small, cst.Pass) or (
        isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _arange_assignment(
    statement: cst.BaseStatement, names: Names, aliases: dict[str, str] | None = None
) -> tuple[str, str, bool] | None:
    """``self.a = np.arange(len(self.b))`` -> (a, b, False); ``np.random.permutation`` or
    ``self.rng.permutation`` -> True."""
    if not m.matches(
        statement,
        m.SimpleStatementLine(
            body=[m.Assign(targets=[m.AssignTarget(target=m.Attribute(value=m.Name("self")))], value=m.Call(args=[m.Arg(keyword=None)]))]
        ),
    ):
        return None
    assign = statement.body[0]  # type: ignore[union-attr]
    call = assign.value
    callee = qualified(names, call.func)
    argument = call.args[0].value
    if not m.matches(argument, m.Call(func=m.Name("len"), args=[m.Arg()])):
        return None
    measured = argument.args[0].value  # type: ignore[union-attr]
    if m.matches(measured, m.Attribute(value=m.Name("self"))):
        length_of = measured.attr.value  # type: ignore[union-attr]
    elif isinstance(measured, cst.Name) and aliases and measured.value in aliases:
        length_of = aliases[measured.value]
    else:
        return None
    attribute = assign.targets[0].target.attr.value
    if "numpy.arange" in callee:
        return attribute, length_of, False
    # ``self.rng.permutation(n)``: a random generator kept on self (``np.random.default_rng()``).
    kept_generator = m.matches(call.func, m.Attribute(value=m.Attribute(value=m.Name("self")), attr=m.Name("permutation")))
    if "numpy.random.permutation" in callee or kept_generator:
        return attribute, length_of, True
    return None


def _shuffles(statement: cst.BaseStatement, attribute: str, names: Names) -> bool:
    """``np.random.shuffle(self.a)`` or ``self.rng.shuffle(self.a)`` as a statement."""
    if not m.matches(statement, m.SimpleStatementLine(body=[m.Expr(value=m.Call())])):
        return False
    call = statement.body[0].value  # type: ignore[union-attr]
    if len(call.args) != 1 or not m.matches(call.args[0].value, m.Attribute(value=m.Name("self"), attr=m.Name(attribute))):
        return False
    if "numpy.random.shuffle" in qualified(names, call.func):
        return True
    return m.matches(call.func, m.Attribute(value=m.Attribute(value=m.Name("self")), attr=m.Name("shuffle")))
