"""Which name a module already binds another module to, so generated code can reuse it."""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m
from libcst.helpers import get_full_name_for_node


def existing_binding(module: cst.Module, target: str) -> str | None:
    """The name under which a top-level ``import target [as name]`` binds ``target``."""
    # Only unconditional top-level imports: one under ``if TYPE_CHECKING:`` is not bound at run time.
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for node in statement.body:
            if not isinstance(node, cst.Import):
                continue
            for alias in node.names:
                if get_full_name_for_node(alias.name) == target:
                    if alias.asname is not None:
                        return get_full_name_for_node(alias.asname.name)
                    return target
    return None


def is_name_free(module: cst.Module, name: str) -> bool:
    return not m.findall(module, m.Name(name))


def binding_for(module: cst.Module, target: str, preferred: str) -> tuple[str, bool]:
    """(name to use, whether an import must be added)."""
    bound = existing_binding(module, target)
    if bound is not None:
        return bound, False
    if is_name_free(module, preferred):
        return preferred, True
    return target, True
