"""Hybrid steps: a row value (or a batch array) with no tf translation, run by ``tf.numpy_function``.

Only for expressions that are pure functions of the row: every name is a per-row value the
analysis already knows (an id, a path, a label), ``self``, or a module-level import or
function; no random draws; the ``self`` methods it calls write nothing. The rest of the
pipeline (row order, shuffling, batching, per-batch math) stays native tf.data.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst
import libcst.matchers as m

from seq2tfdata.analyse.dtypes import Names, qualified
from seq2tfdata.analyse.helpers import called_helpers, helper_impurity
from seq2tfdata.analyse.native.values import NotNative, PyColumn, RowIndexValue, ScalarValue, TensorValue
from seq2tfdata.analyse.purity import side_effect
from seq2tfdata.analyse.randomness import random_draws

_code = cst.Module([]).code_for_node


class _SubstituteRowValues(cst.CSTTransformer):
    def __init__(self, replacements: dict[int, str]) -> None:
        super().__init__()
        self.replacements = replacements  # id(original Name node) -> source

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        code = self.replacements.get(id(original_node))
        return cst.parse_expression(f"({code})") if code is not None else updated_node


def python_row_source(node: cst.BaseExpression, env: dict, names: Names, chain, functions: Mapping[str, cst.FunctionDef]) -> tuple[str, list[str]]:
    """Python source of ``node`` for row ``k``, or NotNative when it may not be pure."""
    replacements: dict[int, str] = {}
    for occurrence, name, value in _variables(node, env, names):
        if isinstance(value, PyColumn):
            replacements[id(occurrence)] = value.code
        elif isinstance(value, RowIndexValue):
            replacements[id(occurrence)] = "k"
        elif isinstance(value, ScalarValue):
            replacements[id(occurrence)] = value.code
        else:
            raise NotNative(node, f"`{name}` in `{_code(node)}` is not a per-row value")
    imported = _check_pure(node, names, chain, functions)
    return _code(node.visit(_SubstituteRowValues(replacements))), imported


def python_batch_source(
    node: cst.BaseExpression, env: dict, names: Names, chain, functions: Mapping[str, cst.FunctionDef]
) -> tuple[str, list[tuple[str, str]], list[str]] | None:
    """A per-batch step with no translation: the Python source of ``node`` over the arrays it
    reads, those arrays as (parameter, tf source) pairs, and the imported functions it calls.
    None when ``node`` reads something other than arrays, numbers, ``self`` and module names."""
    replacements: dict[int, str] = {}
    arrays: dict[str, str] = {}
    for occurrence, name, value in _variables(node, env, names):
        if isinstance(value, TensorValue):
            arrays.setdefault(name, value.code)
        elif isinstance(value, ScalarValue):
            replacements[id(occurrence)] = value.code
        else:
            return None
    if not arrays:
        return None
    imported = _check_pure(node, names, chain, functions)
    return _code(node.visit(_SubstituteRowValues(replacements))), list(arrays.items()), imported


def _check_pure(node: cst.BaseExpression, names: Names, chain, functions: Mapping[str, cst.FunctionDef]) -> list[str]:
    """NotNative unless ``node`` is a pure function of its inputs; returns the imported functions
    it calls, which cannot be read here."""
    calls = [c for c in m.findall(node, m.Call()) if isinstance(c, cst.Call)]
    probe = cst.FunctionDef(cst.Name("probe"), cst.Parameters(), cst.IndentedBlock([cst.SimpleStatementLine([cst.Expr(node)])]))
    if random_draws(probe, names):
        raise NotNative(node, f"`{_code(node)}` draws random numbers")
    methods = [chain.method(c.func.attr.value) for c in calls if m.matches(c.func, m.Attribute(value=m.Name("self")))]
    if any(method is None for method in methods):
        raise NotNative(node, f"`{_code(node)}` calls a method defined in another file")
    impurity = side_effect(methods) or next(
        (NotNative(draw, "draws random numbers") for method in methods for draw in random_draws(method, names)), None
    )
    if impurity is not None:
        raise NotNative(impurity.node, impurity.message)
    helpers, imported = called_helpers([node, *methods], functions, names)
    impurity = helper_impurity(helpers, names)
    if impurity is not None:
        raise NotNative(impurity.node, impurity.message)
    return imported


def _variables(node: cst.BaseExpression, env: dict, names: Names):
    """(occurrence, name, value) of every variable ``node`` reads, other than ``self`` and
    module-level names (imports, functions, constants)."""
    for occurrence in (n for n in m.findall(node, m.Name()) if _is_variable(n, node)):
        name = occurrence.value  # type: ignore[union-attr]
        value = env.get(name)
        if name == "self" or (value is None and _module_level(occurrence, names)):
            continue
        yield occurrence, name, value


def _is_variable(name: cst.Name, root: cst.BaseExpression) -> bool:
    """A Name used as a variable, not as ``obj.attr``'s attribute or a keyword."""
    for attribute in m.findall(root, m.Attribute()):
        if attribute.attr is name:  # type: ignore[union-attr]
            return False
    for arg in m.findall(root, m.Arg()):
        if arg.keyword is name:  # type: ignore[union-attr]
            return False
    return True


def _module_level(occurrence: cst.CSTNode, names: Names) -> bool:
    """An import or a module-level function or constant, not a local of the method."""
    resolved = qualified(names, occurrence)
    return bool(resolved) and not any("<locals>" in name for name in resolved)
