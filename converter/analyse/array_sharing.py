"""Whether a served batch may share memory with an array something later writes in place.

tf.data can keep a batch's numpy buffer without copying it (``from_generator`` and
``numpy_function`` wrap aligned arrays), and holds it in its prefetch buffer while the Sequence
goes on. A batch that is a view of an attribute (``self.x[a:b]``) then changes under tf.data
when a later ``on_epoch_end()`` shuffles ``self.x`` in place. When no method writes any array it
did not create itself, nothing can, and the batch is served as it is instead of copied.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst
import libcst.matchers as m

from seq2tfdata.analyse.chain import ClassChain
from seq2tfdata.analyse.helpers import called_helpers
from seq2tfdata.analyse.dtypes import Names
from seq2tfdata.analyse.native.state import (
    IN_PLACE_FUNCTIONS,
    MUTATING_METHODS,
    flatten_targets,
    global_statements,
    opaque_writes,
)

_MUTATING_METHODS = MUTATING_METHODS | {"__setitem__", "__iadd__", "__imul__", "partition", "byteswap", "setflags", "__setstate__"}
_IN_PLACE_FUNCTIONS = IN_PLACE_FUNCTIONS | {"fill_diagonal", "put_along_axis"}
_ALLOCATORS = {
    "array", "zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like",
    "stack", "concatenate", "vstack", "hstack", "copy", "arange", "eye", "list", "dict", "set",
}


def shared_array_write(chain: ClassChain, functions: Mapping[str, cst.FunctionDef], names: Names) -> cst.CSTNode | None:
    """The first write, in any method but ``__init__`` or a helper they call, into an array the
    code did not allocate itself in that function; None when there is none."""
    if not chain.complete:
        return chain.cls.node
    methods = [method for method in chain.methods() if method.name.value != "__init__"]
    for func in methods:
        for call in m.findall(func.body, m.Call(func=m.Attribute(value=m.Name("self"), attr=m.Name()))):
            if not chain.defines(call.func.attr.value):  # type: ignore[attr-defined]
                return call  # an object held on self, whose code is not read here
    helpers, _ = called_helpers(methods, functions, names)
    for func in [*methods, *helpers]:
        found = _foreign_write(func)
        if found is not None:
            return found
    return None


def _foreign_write(func: cst.FunctionDef) -> cst.CSTNode | None:
    for node in global_statements(func):
        return node
    writes = opaque_writes(func, through_locals=False)
    if writes:
        return writes[0].node
    own = _allocated_names(func)
    for target, node in _in_place_targets(func):
        root = _root(target)
        if root is None or root not in own:
            return node
    return None


def _in_place_targets(func: cst.FunctionDef) -> list[tuple[cst.BaseExpression, cst.CSTNode]]:
    """What each in-place write writes into: ``x[i] = v``, ``x += v``, ``x.sort()``,
    ``np.random.shuffle(x)``."""
    targets: list[tuple[cst.BaseExpression, cst.CSTNode]] = []
    for assign in m.findall(func.body, m.AssignTarget()):
        for element in flatten_targets(assign.target):  # type: ignore[union-attr]
            if isinstance(element, cst.Subscript):
                targets.append((element, element))
    for node in m.findall(func.body, m.AugAssign()):
        targets.append((node.target, node))  # type: ignore[union-attr]
    for call in m.findall(func.body, m.Call(func=m.Attribute())):
        callee = call.func  # type: ignore[union-attr]
        if callee.attr.value in _MUTATING_METHODS:
            targets.append((callee.value, call))
        if callee.attr.value in _IN_PLACE_FUNCTIONS and call.args:  # type: ignore[union-attr]
            targets.append((call.args[0].value, call))  # type: ignore[union-attr]
    for call in m.findall(func.body, m.Call(func=m.Name())):
        if call.func.value in _IN_PLACE_FUNCTIONS and call.args:  # type: ignore[union-attr]
            targets.append((call.args[0].value, call))  # type: ignore[union-attr]
    return targets


def _allocated_names(func: cst.FunctionDef) -> set[str]:
    """Locals every assignment of which allocates a new array or container."""
    assigned: dict[str, bool] = {}
    for assign in m.findall(func.body, m.Assign()):
        for target in assign.targets:  # type: ignore[union-attr]
            for element in flatten_targets(target.target):
                if isinstance(element, cst.Name):
                    fresh = len(assign.targets) == 1 and isinstance(target.target, cst.Name) and _allocates(assign.value)  # type: ignore[union-attr]
                    assigned[element.value] = assigned.get(element.value, True) and fresh
    # Loop variables, ``with ... as`` names and annotated assignments hold arrays of any origin.
    rebound = [loop.target for loop in m.findall(func.body, m.For())]  # type: ignore[union-attr]
    rebound += [item.asname.name for item in m.findall(func.body, m.WithItem()) if item.asname]  # type: ignore[union-attr]
    rebound += [annotated.target for annotated in m.findall(func.body, m.AnnAssign())]  # type: ignore[union-attr]
    for target in rebound:
        for element in flatten_targets(target):
            if isinstance(element, cst.Name):
                assigned[element.value] = False
    parameters = {param.name.value for param in func.params.params}
    return {name for name, fresh in assigned.items() if fresh and name not in parameters}


def _allocates(value: cst.BaseExpression) -> bool:
    if isinstance(value, (cst.List, cst.ListComp, cst.Dict, cst.DictComp, cst.Set, cst.SetComp)):
        return True
    if isinstance(value, cst.Call):
        func = value.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
        copies = not any(arg.keyword and arg.keyword.value == "copy" for arg in value.args)
        return name in _ALLOCATORS and copies
    return False


def _root(node: cst.BaseExpression) -> str | None:
    while isinstance(node, (cst.Subscript, cst.Attribute)):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None

