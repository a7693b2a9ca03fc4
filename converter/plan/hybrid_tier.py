"""The hybrid tier: tf.data structure around ``__getitem__`` run by ``tf.numpy_function``.

Batches are computed by a parallel, order-preserving ``map`` over batch indices. That is only
equivalent when ``__getitem__`` is a pure function of its index within a pass: it writes nothing
on ``self`` and draws no random numbers. When ``on_epoch_end`` changes what it reads (reshuffled
indices, reordered arrays), the pipeline calls it once a pass's batches are all made, as ``fit``
does; ``on_epoch_begin`` and ``len()`` must then not depend on it.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from seq2tfdata.analyse.chain import ClassChain
from seq2tfdata.analyse.helpers import called_helpers, functions_held_on_self, helper_impurity
from seq2tfdata.analyse.length_stability import length_change
from seq2tfdata.analyse.purity import EPOCH_HOOKS, Impurity, hook_conflict, loggers_on_self, side_effect
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
        held = functions_held_on_self(chain, facts.functions, facts.names)
        helpers, imported = called_helpers([*reachable, *held.values()], facts.functions, facts.names)
        helpers = list({id(f): f for f in [*held.values(), *helpers]}.values())
        blocker = _impurity(chain, facts, reachable, helpers, set(held))
    if blocker is not None:
        # The native tier often stopped at the same place; say it once.
        if not any((r.line, r.col) == (blocker.line, blocker.col) for r in reasons):
            reasons.append(blocker)
        return None
    hooks = [hook for hook in EPOCH_HOOKS if chain.defines(hook)]
    calls_on_epoch_end = _epoch_state(chain, reachable)
    return guarded(HybridPipeline(hooks=hooks, assumed_pure=imported, calls_on_epoch_end=calls_on_epoch_end), chain, facts)


def _held_callable(chain: ClassChain, reachable: list[cst.FunctionDef], held_functions: set[str]) -> Impurity | None:
    """``self.augmenter(...)``: an object held on self called directly. Its code is not read
    here, and a callable augmenter usually draws random numbers or keeps state. A function of
    this module held on self (``held_functions``) is read as a helper instead."""
    for func in reachable:
        for call in m.findall(func.body, m.Call(func=m.Attribute(value=m.Name("self"), attr=m.Name()))):
            name = call.func.attr.value  # type: ignore[attr-defined]
            if chain.method(name) is None and not chain.defines(name) and name not in held_functions:
                message = f"{func.name.value} calls self.{name}(), an object held on self, which may change it or draw random numbers"
                return Impurity(call, message)
    return None


def _epoch_state(chain: ClassChain, reachable: list[cst.FunctionDef]) -> bool:
    """``on_epoch_end`` changes what ``__getitem__`` reads, so the pipeline must call it."""
    return hook_conflict(chain, reachable, hooks=("on_epoch_end",)) is not None


def _length_change(chain: ClassChain, reachable: list[cst.FunctionDef]) -> Impurity | None:
    """A pass's length is fixed when the dataset is built: an ``on_epoch_end`` the pipeline
    calls may not change what ``len()`` reads (a shuffle in place or reordered rows keep it)."""
    if not _epoch_state(chain, reachable):
        return None
    change = length_change(chain)
    if change is None:
        return None
    func, write = change
    if write is None:
        return Impurity(chain.cls.node, "__len__ is defined in another file, so on_epoch_end() may change it")
    return Impurity(write.node, f"{func.name.value}() changes self.{write.attribute}, which __len__ reads, between epochs")


def _impurity(
    chain: ClassChain,
    facts: ModuleFacts,
    reachable: list[cst.FunctionDef],
    helpers: list[cst.FunctionDef],
    held_functions: set[str],
) -> Reason | None:
    impurity = (
        side_effect(reachable, loggers_on_self(chain, facts.names))
        or _held_callable(chain, reachable, held_functions)
        or hook_conflict(chain, reachable, hooks=("on_epoch_begin",))
        or _length_change(chain, reachable)
    )
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
