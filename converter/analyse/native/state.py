"""Def-use facts about ``self``: which attributes each method reads and writes.

The native and hybrid tiers snapshot attributes when ``to_tf_dataset()`` is called and may run
``__getitem__``'s work in parallel or in another order, so they are only sound when the batch
code does not write ``self`` and reads nothing that another hook rewrites between epochs.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
import libcst.matchers as m

# Methods that mutate their receiver in place when called on ``self.<attr>``.
_MUTATING_METHODS = {
    "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update",
    "setdefault", "popitem", "add", "discard", "fill", "resize", "shuffle", "put", "itemset",
}
# Functions that shuffle or fill their first argument in place.
_IN_PLACE_FUNCTIONS = {"shuffle", "copyto", "put", "place", "putmask"}


@dataclass(frozen=True)
class AttributeWrite:
    attribute: str
    node: cst.CSTNode
    how: str


def _self_attribute(node: cst.BaseExpression) -> str | None:
    """``self.x``, ``self.x[...]`` or ``self.x.y`` -> ``x``."""
    while isinstance(node, (cst.Subscript, cst.Attribute)):
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
            return node.attr.value
        node = node.value
    return None


def attribute_writes(func: cst.FunctionDef) -> list[AttributeWrite]:
    writes: list[AttributeWrite] = []
    for target in m.findall(func.body, m.AssignTarget()):
        for element in _flatten_targets(target.target):  # type: ignore[union-attr]
            name = _self_attribute(element)
            if name is not None:
                writes.append(AttributeWrite(name, element, "assigned"))
    for node in m.findall(func.body, m.AugAssign() | m.AnnAssign()):
        name = _self_attribute(node.target)  # type: ignore[union-attr]
        if name is not None:
            writes.append(AttributeWrite(name, node, "updated"))
    for call in m.findall(func.body, m.Call()):
        assert isinstance(call, cst.Call)
        callee = call.func
        if isinstance(callee, cst.Attribute) and callee.attr.value in _MUTATING_METHODS:
            name = _self_attribute(callee.value)
            if name is not None:
                writes.append(AttributeWrite(name, call, f"mutated by .{callee.attr.value}()"))
        callee_name = callee.attr.value if isinstance(callee, cst.Attribute) else getattr(callee, "value", "")
        if callee_name in _IN_PLACE_FUNCTIONS and call.args:
            name = _self_attribute(call.args[0].value)
            if name is not None:
                writes.append(AttributeWrite(name, call, f"changed in place by {callee_name}()"))
    for node in m.findall(func.body, m.Del()):
        name = _self_attribute(node.target)  # type: ignore[union-attr]
        if name is not None:
            writes.append(AttributeWrite(name, node, "deleted"))
    return writes


def _flatten_targets(target: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(target, (cst.Tuple, cst.List)):
        out: list[cst.BaseExpression] = []
        for element in target.elements:
            out.extend(_flatten_targets(element.value))
        return out
    return [target]


def attribute_reads(func: cst.FunctionDef) -> set[str]:
    return {
        node.attr.value  # type: ignore[union-attr]
        for node in m.findall(func.body, m.Attribute(value=m.Name("self")))
    }


def global_statements(func: cst.FunctionDef) -> list[cst.CSTNode]:
    return list(m.findall(func.body, m.Global() | m.Nonlocal()))
