"""Is ``__getitem__`` a pure function of its index? The question both the native and the hybrid
tier must answer before computing batches in parallel or in another order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import libcst as cst

from seq2tfdata.analyse.chain import ClassChain
from seq2tfdata.analyse.native.state import attribute_reads, attribute_writes, global_statements, opaque_writes

# Hooks Keras calls between epochs; a tf.data pipeline cannot call back into Python there.
EPOCH_HOOKS = ("on_epoch_end", "on_epoch_begin")


@dataclass(frozen=True)
class Impurity:
    node: cst.CSTNode
    message: str


def side_effect(functions: Iterable[cst.FunctionDef]) -> Impurity | None:
    """The first write to ``self`` or rebinding of module state in ``functions``."""
    for func in functions:
        writes = attribute_writes(func) + opaque_writes(func, through_locals=False)
        if writes:
            first = writes[0]
            return Impurity(
                first.node,
                f"{func.name.value} changes self.{first.attribute} ({first.how}), so batches depend on call order",
            )
        for node in global_statements(func):
            return Impurity(node, f"{func.name.value} rebinds module-level state")
    return None


def hook_conflict(
    chain: ClassChain,
    batch_code: Iterable[cst.FunctionDef],
    exempt: tuple[str, str] | None = None,
    hooks: tuple[str, ...] = EPOCH_HOOKS,
    reader: str = "__getitem__",
) -> Impurity | None:
    """An epoch hook (of ``hooks``) that changes an attribute the batch code (``reader`` and
    what it calls) reads. ``exempt`` is a (hook, attribute) pair the caller models itself,
    such as a reshuffled index."""
    read = set().union(*(attribute_reads(func) for func in batch_code))
    for hook in hooks:
        func = chain.method(hook)
        for write in [*attribute_writes(func), *opaque_writes(func)] if func is not None else []:
            if (hook, write.attribute) != exempt and write.attribute in read:
                return Impurity(write.node, f"{hook}() changes self.{write.attribute}, which {reader} reads, between epochs")
    return None
