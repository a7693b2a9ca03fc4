"""Module-level functions the batch code calls, checked before the hybrid tier runs them in a
parallel map: a helper that rebinds or mutates module state, mutates its arguments, or draws
random numbers would make batches depend on call order. Helpers defined in this module are
followed (and the helpers they call); a function imported from elsewhere cannot be read here and
is named in the generated code's notes as assumed pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import libcst as cst
import libcst.matchers as m
from libcst.metadata import QualifiedNameSource

from seq2tfdata.analyse.chain import ClassChain
from seq2tfdata.analyse.dtypes import Names, qualified
from seq2tfdata.analyse.native.state import MUTATING_METHODS, attribute_writes, global_statements
from seq2tfdata.analyse.purity import Impurity
from seq2tfdata.analyse.randomness import random_draws

# Methods that change the object they are called on.
_MUTATING_METHODS = MUTATING_METHODS | {"__setitem__"}


# Libraries whose functions are taken as pure without a note.
_LIBRARIES = {
    "builtins", "numpy", "math", "os", "posixpath", "keras", "tensorflow", "tf_keras", "PIL", "scipy", "cv2",
    "sklearn", "skimage",
}


def module_functions(module: cst.Module) -> dict[str, cst.FunctionDef]:
    """Top-level functions by name, and the methods of top-level classes as ``Class.method``
    (a static helper such as ``augmentation_utils.random_brightness``)."""
    functions = {s.name.value: s for s in module.body if isinstance(s, cst.FunctionDef)}
    for cls in module.body:
        if isinstance(cls, cst.ClassDef) and isinstance(cls.body, cst.IndentedBlock):
            for method in cls.body.body:
                if isinstance(method, cst.FunctionDef):
                    functions[f"{cls.name.value}.{method.name.value}"] = method
    return functions


def called_helpers(
    nodes: Iterable[cst.CSTNode], functions: Mapping[str, cst.FunctionDef], names: Names
) -> tuple[list[cst.FunctionDef], list[str]]:
    """The module's own functions ``nodes`` call, transitively, and the imported ones (by name)."""
    found: dict[str, cst.FunctionDef] = {}
    imported: list[str] = []
    pending = list(nodes)
    while pending:
        node = pending.pop()
        for call in m.findall(node, m.Call(func=m.Name() | m.Attribute(value=m.Name(), attr=m.Name()))):
            func = call.func  # type: ignore[union-attr]
            callee = func.value if isinstance(func, cst.Name) else f"{func.value.value}.{func.attr.value}"  # type: ignore[union-attr]
            resolved = qualified(names, func)
            if isinstance(func, cst.Attribute) and callee not in functions:
                continue  # a method of a local value or an imported module: not a helper
            if callee in functions and resolved == {callee}:
                if callee not in found:
                    found[callee] = functions[callee]
                    pending.append(functions[callee])
            elif resolved and not any(n.split(".")[0] in _LIBRARIES for n in resolved):
                imported.extend(sorted(n for n in resolved if n not in imported and "<locals>" not in n and "." in n))
    return list(found.values()), imported


def functions_held_on_self(
    chain: ClassChain, functions: Mapping[str, cst.FunctionDef], names: Names
) -> dict[str, cst.FunctionDef]:
    """Attributes ``__init__`` sets once to a function of this module, or to a
    ``functools.partial`` of one (``self.astensors = partial(T.astensors, device=device)``), and
    no other method sets: calling ``self.astensors(...)`` calls that function."""
    held: dict[str, cst.FunctionDef | None] = {}
    elsewhere: set[str] = set()
    for method in chain.methods():
        if method.name.value != "__init__":
            elsewhere.update(write.attribute for write in attribute_writes(method))
            continue
        for assign in m.findall(method.body, m.Assign(targets=[m.AssignTarget(target=m.Attribute(value=m.Name("self")))])):
            attribute = assign.targets[0].target.attr.value  # type: ignore[union-attr]
            value = assign.value  # type: ignore[union-attr]
            if isinstance(value, cst.Call) and qualified(names, value.func) == {"functools.partial"} and value.args:
                value = value.args[0].value
            key = _dotted(value)
            function = functions.get(key) if key and qualified(names, value) == {key} else None
            held[attribute] = function if attribute not in held else None  # set twice: ambiguous
    return {name: function for name, function in held.items() if function is not None and name not in elsewhere}


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
        return f"{node.value.value}.{node.attr.value}"
    return ""


def helper_impurity(helpers: Iterable[cst.FunctionDef], names: Names) -> Impurity | None:
    for helper in helpers:
        where = f"helper `{helper.name.value}()`"
        for node in global_statements(helper):
            return Impurity(node, f"{where} rebinds module-level state")
        draws = random_draws(helper, names)
        if draws:
            return Impurity(draws[0], f"{where} draws random numbers")
        local = _assigned_names(helper)
        for target, how in _mutations(helper, names):
            base = _base_name(target)
            if base is not None and base not in local:
                owner = "its argument" if base in _parameters(helper) else "module-level"
                return Impurity(target, f"{where} {how} `{base}` ({owner} state)")
    return None


def _mutations(func: cst.FunctionDef, names: Names) -> list[tuple[cst.CSTNode, str]]:
    found: list[tuple[cst.CSTNode, str]] = []
    for target in m.findall(func.body, m.AssignTarget()):
        element = target.target  # type: ignore[union-attr]
        if isinstance(element, (cst.Subscript, cst.Attribute)):
            found.append((element, "assigns into"))
    parameters = _parameters(func)
    for node in m.findall(func.body, m.AugAssign()):
        target = node.target  # type: ignore[union-attr]
        # ``x += 1`` on an array argument writes into the caller's array.
        if isinstance(target, (cst.Subscript, cst.Attribute)) or isinstance(target, cst.Name) and target.value in parameters:
            found.append((target, "updates"))
    for call in m.findall(func.body, m.Call(func=m.Attribute())):
        # ``np.sort(x)`` is a module's function, not a method changing ``np``.
        if call.func.attr.value in _MUTATING_METHODS and not _is_module(call.func.value, names):  # type: ignore[union-attr]
            found.append((call.func.value, f"calls .{call.func.attr.value}() on"))  # type: ignore[union-attr]
    return found


def _is_module(node: cst.BaseExpression, names: Names) -> bool:
    resolved = names.get(node, set())
    if callable(resolved):
        resolved = resolved()
    return bool(resolved) and all(q.source is QualifiedNameSource.IMPORT for q in resolved)


def _base_name(node: cst.BaseExpression) -> str | None:
    while isinstance(node, (cst.Subscript, cst.Attribute)):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _parameters(func: cst.FunctionDef) -> set[str]:
    params = func.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            every.append(star)
    return {p.name.value for p in every}


def _assigned_names(func: cst.FunctionDef) -> set[str]:
    """Names the function binds itself, so objects it may have created."""
    names: set[str] = set()
    for node in m.findall(func.body, m.AssignTarget() | m.For() | m.WithItem() | m.CompFor()):
        bound = node.asname.name if isinstance(node, cst.WithItem) and node.asname else getattr(node, "target", None)
        names |= _bound_names(bound)
    return names


def _bound_names(target: cst.BaseExpression | None) -> set[str]:
    """``x`` and ``a, b`` bind names; ``x[i]`` and ``x.y`` write into an object instead."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return set().union(*(_bound_names(e.value) for e in target.elements))
    return set()
