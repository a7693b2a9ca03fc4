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
MUTATING_METHODS = {
    "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update",
    "setdefault", "popitem", "add", "discard", "fill", "resize", "shuffle", "put", "itemset",
}
# Functions that shuffle or fill their first argument in place.
IN_PLACE_FUNCTIONS = {"shuffle", "copyto", "put", "place", "putmask"}
# Mutating methods that keep the receiver's length.
_LENGTH_KEEPING_METHODS = {"sort", "reverse", "fill", "shuffle", "put", "itemset"}
# Calls whose result numbers all the rows of their argument's length (``np.arange(len(self.x))``).
_ROW_NUMBERINGS = {"arange", "permutation", "range"}


def _paired_values(assign: cst.Assign) -> dict[int, cst.BaseExpression]:
    """The value each target of a single assignment gets: ``a = v``, or ``a, b = v, w``."""
    if len(assign.targets) != 1:
        return {}
    target, value = assign.targets[0].target, assign.value
    if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)):
        if len(target.elements) != len(value.elements):
            return {}
        return {id(t.value): v.value for t, v in zip(target.elements, value.elements)}
    return {id(target): value}


def _element_set(target: cst.BaseExpression) -> bool:
    """``self.x[i] = v`` sets one element (a slice could resize a list)."""
    return isinstance(target, cst.Subscript) and all(isinstance(e.slice, cst.Index) for e in target.slice)


def _numbers_rows_of(value: cst.BaseExpression) -> str | None:
    """``np.arange(len(self.x))``, ``rng.permutation(len(self.x))``, ``list(range(len(self.x)))``:
    the attribute whose rows the result numbers, each once."""
    if m.matches(value, m.Call(func=m.Name("list"), args=[m.Arg()])):
        value = value.args[0].value  # type: ignore[union-attr]
    if not (isinstance(value, cst.Call) and len(value.args) == 1 and value.args[0].keyword is None):
        return None
    func = value.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    measured = value.args[0].value
    if name in _ROW_NUMBERINGS and m.matches(measured, m.Call(func=m.Name("len"), args=[m.Arg(m.Attribute(value=m.Name("self")))])):
        return measured.args[0].value.attr.value  # type: ignore[union-attr]
    return None


def _local_permutations(func: cst.FunctionDef) -> dict[str, str]:
    """Locals assigned once, to a numbering of an attribute's rows (then maybe shuffled in place):
    local -> the attribute."""
    counts: dict[str, int] = {}
    numbered: dict[str, str] = {}
    for assign in m.findall(func.body, m.Assign()):
        for target in assign.targets:  # type: ignore[union-attr]
            for element in flatten_targets(target.target):
                if isinstance(element, cst.Name):
                    counts[element.value] = counts.get(element.value, 0) + 1
                    attribute = _numbers_rows_of(assign.value) if element is target.target else None  # type: ignore[union-attr]
                    if attribute is not None:
                        numbered[element.value] = attribute
    return {name: attribute for name, attribute in numbered.items() if counts[name] == 1}


def _reordered(target: cst.BaseExpression, value: cst.BaseExpression, permutations: dict[str, str]) -> bool:
    """``self.x = self.x[order]`` with ``order`` a numbering of ``self.x``'s rows."""
    name = _self_attribute(target)
    if not (isinstance(target, cst.Attribute) and isinstance(value, cst.Subscript) and len(value.slice) == 1):
        return False
    index = value.slice[0].slice
    if _self_attribute(value.value) != name or not m.matches(value.value, m.Attribute(value=m.Name("self"))):
        return False
    if not isinstance(index, cst.Index):
        return False
    if isinstance(index.value, cst.Name):
        return permutations.get(index.value.value) == name
    return _numbers_rows_of(index.value) == name


@dataclass(frozen=True)
class AttributeWrite:
    attribute: str
    node: cst.CSTNode
    how: str
    # The write cannot change ``len(self.<attribute>)``: an element set, an in-place shuffle,
    # the rows reordered by a permutation of all of them.
    keeps_length: bool = False


def _self_attribute(node: cst.BaseExpression) -> str | None:
    """``self.x``, ``self.x[...]`` or ``self.x.y`` -> ``x``."""
    while isinstance(node, (cst.Subscript, cst.Attribute)):
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
            return node.attr.value
        node = node.value
    return None


def attribute_writes(func: cst.FunctionDef) -> list[AttributeWrite]:
    writes: list[AttributeWrite] = []
    permutations = _local_permutations(func)
    for assign in m.findall(func.body, m.Assign()):
        values = _paired_values(assign)  # type: ignore[arg-type]
        for target in assign.targets:  # type: ignore[union-attr]
            for element in flatten_targets(target.target):
                name = _self_attribute(element)
                if name is not None:
                    value = values.get(id(element))
                    kept = _element_set(element) or (value is not None and _reordered(element, value, permutations))
                    writes.append(AttributeWrite(name, element, "assigned", keeps_length=kept))
    for node in m.findall(func.body, m.AugAssign() | m.AnnAssign()):
        name = _self_attribute(node.target)  # type: ignore[union-attr]
        if name is not None:
            writes.append(AttributeWrite(name, node, "updated"))
    for call in m.findall(func.body, m.Call()):
        assert isinstance(call, cst.Call)
        callee = call.func
        if isinstance(callee, cst.Attribute) and callee.attr.value in MUTATING_METHODS:
            name = _self_attribute(callee.value)
            if name is not None:
                kept = callee.attr.value in _LENGTH_KEEPING_METHODS
                writes.append(AttributeWrite(name, call, f"mutated by .{callee.attr.value}()", keeps_length=kept))
        callee_name = callee.attr.value if isinstance(callee, cst.Attribute) else getattr(callee, "value", "")
        if callee_name in IN_PLACE_FUNCTIONS and call.args:
            name = _self_attribute(call.args[0].value)
            if name is not None:
                writes.append(AttributeWrite(name, call, f"changed in place by {callee_name}()", keeps_length=True))
    for node in m.findall(func.body, m.Del()):
        name = _self_attribute(node.target)  # type: ignore[union-attr]
        if name is not None:
            writes.append(AttributeWrite(name, node, "deleted"))
    return writes


# Methods that only read their receiver.
_READING_METHODS = {
    "copy", "astype", "get", "keys", "values", "items", "sum", "mean", "std", "min", "max",
    "reshape", "tolist", "index", "count", "format", "join", "split", "strip", "startswith",
    "endswith", "take", "transpose", "flatten", "ravel", "squeeze", "argmax", "argmin", "any",
    "all", "lower", "upper", "replace", "encode", "decode", "numpy", "item", "view",
}


def opaque_writes(func: cst.FunctionDef, through_locals: bool = True) -> list[AttributeWrite]:
    """Attributes a method may change through calls on objects it reaches from ``self``:
    ``self.child.on_epoch_end()``, ``next(self.stream)``, or (``through_locals``)
    ``value.on_epoch_end()`` for a ``value`` looped out of ``self.children``, which may change
    any attribute the method reads."""
    local_names = {
        node.value
        for target in m.findall(func.body, m.AssignTarget() | m.For())
        for node in m.findall(target.target, m.Name())  # type: ignore[union-attr]
    }
    reads = sorted(attribute_reads(func))
    writes: list[AttributeWrite] = []
    for call in m.findall(func.body, m.Call(func=m.Attribute())):
        callee = call.func  # type: ignore[union-attr]
        if callee.attr.value in _READING_METHODS | MUTATING_METHODS:
            continue
        receiver = callee.value
        owner = _self_attribute(receiver)
        if owner is not None:
            spelled = cst.Module([]).code_for_node(callee)
            writes.append(AttributeWrite(owner, call, f"it calls {spelled}(), which may change it"))
        elif through_locals and isinstance(receiver, cst.Name) and receiver.value in local_names:
            how = f"maybe changed by {receiver.value}.{callee.attr.value}()"
            writes.extend(AttributeWrite(name, call, how) for name in reads)
    for call in m.findall(func.body, m.Call(func=m.Name("next"))):
        owner = _self_attribute(call.args[0].value) if call.args else None  # type: ignore[union-attr]
        if owner is not None:
            writes.append(AttributeWrite(owner, call, "advanced by next()"))
    return writes


def flatten_targets(target: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(target, (cst.Tuple, cst.List)):
        out: list[cst.BaseExpression] = []
        for element in target.elements:
            out.extend(flatten_targets(element.value))
        return out
    return [target]


def attribute_reads(func: cst.FunctionDef) -> set[str]:
    return {
        node.attr.value  # type: ignore[union-attr]
        for node in m.findall(func.body, m.Attribute(value=m.Name("self")))
    }


def global_statements(func: cst.FunctionDef) -> list[cst.CSTNode]:
    return list(m.findall(func.body, m.Global() | m.Nonlocal()))
