"""The hybrid tier: tf.data structure around ``__getitem__`` run by ``tf.numpy_function``.

Batches are computed by a parallel, order-preserving ``map`` over batch indices. That is only
equivalent when ``__getitem__`` is a pure function of its index: it writes nothing on ``self``,
draws no random numbers, and no epoch hook changes what it reads.
"""

from __future__ import annotations

import libcst as cst

from seq2tfdata.analyse.chain import ClassChain
from seq2tfdata.analyse.helpers import called_helpers, helper_impurity
from seq2tfdata.analyse.purity import EPOCH_HOOKS, hook_conflict, side_effect
from seq2tfdata.analyse.randomness import random_draws
from seq2tfdata.analyse.reach import reachable_methods
from seq2tfdata.model import Reason
from seq2tfdata.plan.guard import guarded
from seq2tfdata.plan.method import GuardedPlan, HybridPipeline
from seq2tfdata.plan.plan import ModuleFacts


def plan_hybrid(chain: ClassChain, facts: ModuleFacts, reasons: list[Reason]) -> GuardedPlan | None:
    if not chain.complete or chain.method("__getitem__") is None:
        blocker: Reason | None = Reason(chain.cls.line, chain.cls.col, "hybrid: part of the class is defined in another file", rule="S2T101")
        imported: list[str] = []
    else:
        reachable = reachable_methods(chain, "__getitem__")
        helpers, imported = called_helpers(reachable, facts.functions, facts.names)
        blocker = _impurity(chain, facts, reachable, helpers)
    if blocker is not None:
        # The native tier often stopped at the same place; say it once.
        if not any((r.line, r.col) == (blocker.line, blocker.col) for r in reasons):
            reasons.append(blocker)
        return None
    hooks = [hook for hook in EPOCH_HOOKS if chain.defines(hook)]
    return guarded(HybridPipeline(hooks=hooks, assumed_pure=imported), chain, facts)


def _impurity(
    chain: ClassChain, facts: ModuleFacts, reachable: list[cst.FunctionDef], helpers: list[cst.FunctionDef]
) -> Reason | None:
    impurity = side_effect(reachable) or hook_conflict(chain, reachable)
    if impurity is not None:
        return facts.reason(impurity.node, f"hybrid: {impurity.message}")
    impurity = helper_impurity(helpers, facts.names)
    if impurity is not None:
        return facts.reason(impurity.node, f"hybrid: {impurity.message}, so batches would depend on call order")
    for func in reachable:
        draws = random_draws(func, facts.names)
        if draws:
            return facts.reason(
                draws[0], f"hybrid: {func.name.value} draws random numbers, which a parallel map would reorder"
            )
    if chain.defines("num_batches"):
        return Reason(chain.cls.line, chain.cls.col, "hybrid: num_batches may be None (an endless dataset)", rule="S2T102")
    return None
