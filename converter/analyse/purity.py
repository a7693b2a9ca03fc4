"""Is ``__getitem__`` a pure function of its index? The question both the native and the hybrid
tier must answer before computing batches in parallel or in another order."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import libcst as cst

import libcst.matchers as m

from seq2tfdata.analyse.chain import ClassChain
from seq2tfdata.analyse.dtypes import Names, qualified
from seq2tfdata.analyse.native.state import (
    AttributeWrite,
    attribute_reads,
    attribute_writes,
    global_statements,
    opaque_writes,
)

# Hooks Keras calls between epochs; a tf.data pipeline cannot call back into Python there.
EPOCH_HOOKS = ("on_epoch_end", "on_epoch_begin")


@dataclass(frozen=True)
class Impurity:
    node: cst.CSTNode
    message: str


_LOG_METHODS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}


def loggers_on_self(chain: ClassChain, names: Names) -> set[str]:
    """Attributes ``__init__`` sets to ``logging.getLogger(...)``: logging through them changes
    nothing a batch reads (in parallel, only the order of the log lines can change)."""
    loggers: set[str] = set()
    for method in chain.methods():
        if method.name.value != "__init__":
            continue
        for assign in m.findall(method.body, m.Assign(targets=[m.AssignTarget(target=m.Attribute(value=m.Name("self")))])):
            value = assign.value  # type: ignore[union-attr]
            if isinstance(value, cst.Call) and qualified(names, value.func) == {"logging.getLogger"}:
                loggers.add(assign.targets[0].target.attr.value)  # type: ignore[union-attr]
    return loggers


def _logs(write: AttributeWrite, loggers: Collection[str]) -> bool:
    call = write.node
    return (
        write.attribute in loggers
        and isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value in _LOG_METHODS
    )


def side_effect(functions: Iterable[cst.FunctionDef], loggers: Collection[str] = ()) -> Impurity | None:
    """The first write to ``self`` or rebinding of module state in ``functions``; a log call
    through one of ``loggers`` is not one."""
    for func in functions:
        opaque = [write for write in opaque_writes(func, through_locals=False) if not _logs(write, loggers)]
        writes = attribute_writes(func) + opaque
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
