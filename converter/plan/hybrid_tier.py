"""The hybrid tier: tf.data structure around ``__getitem__`` run by ``tf.numpy_function``.

Batches are computed by a parallel, order-preserving ``map`` over batch indices. That is only
equivalent when ``__getitem__`` is a pure function of its index: it writes nothing on ``self``,
draws no random numbers, and no epoch hook changes what it reads.
"""

from __future__ import annotations

import libcst as cst

from converter.analyse.chain import ClassChain
from converter.analyse.native.state import attribute_reads, attribute_writes, global_statements
from converter.analyse.randomness import random_draws
from converter.analyse.reach import reachable_methods
from converter.model import Reason
from converter.plan.plan import ModuleFacts
from converter.render.templates import render_function

_EPOCH_HOOKS = ("on_epoch_end", "on_epoch_begin")


def plan_hybrid(chain: ClassChain, facts: ModuleFacts, reasons: list[Reason]) -> cst.FunctionDef | None:
    blocker = _impurity(chain, facts)
    if blocker is not None:
        # The native tier often stopped at the same place; say it once.
        if not any((r.line, r.col) == (blocker.line, blocker.col) for r in reasons):
            reasons.append(blocker)
        return None
    return render_function(
        "hybrid.py.j2",
        tf=facts.tf,
        np=facts.np,
        num_batches="sequence.num_batches" if chain.defines("num_batches") else "len(sequence)",
        hooks=[hook for hook in _EPOCH_HOOKS if chain.defines(hook)],
    )


def _impurity(chain: ClassChain, facts: ModuleFacts) -> Reason | None:
    if not chain.complete or chain.method("__getitem__") is None:
        return Reason(chain.cls.line, chain.cls.col, "hybrid: part of the class is defined in another file")
    reachable = reachable_methods(chain, "__getitem__")
    for func in reachable:
        writes = attribute_writes(func)
        if writes:
            return facts.reason(
                writes[0].node,
                f"hybrid: {func.name.value} changes self.{writes[0].attribute}, so batches depend on call order",
            )
        for node in global_statements(func):
            return facts.reason(node, f"hybrid: {func.name.value} rebinds module-level state")
        draws = random_draws(func, facts.names)
        if draws:
            return facts.reason(
                draws[0],
                f"hybrid: {func.name.value} draws random numbers, which a parallel map would reorder",
            )
    read = set().union(*(attribute_reads(func) for func in reachable))
    for hook in _EPOCH_HOOKS:
        func = chain.method(hook)
        for write in attribute_writes(func) if func is not None else []:
            if write.attribute in read:
                return facts.reason(
                    write.node, f"hybrid: {hook}() changes self.{write.attribute}, which __getitem__ reads"
                )
    if chain.defines("num_batches"):
        return Reason(chain.cls.line, chain.cls.col, "hybrid: num_batches may be None (an endless dataset)")
    return None
