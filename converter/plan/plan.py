"""Decide, per Sequence class, the best tier that can be proven correct, and explain downgrades."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import CodePosition

from seq2tfdata.analyse.chain import ClassChain, raises_not_implemented
from seq2tfdata.analyse.dtypes import Names, float64_sources
from seq2tfdata.analyse.reach import reachable_methods
from seq2tfdata.find.sequences import SequenceClass
from seq2tfdata.markers import hand_written_method
from seq2tfdata.model import Options, Reason, Tier

if TYPE_CHECKING:
    from seq2tfdata.plan.method import MethodPlan


@dataclass(frozen=True)
class ModuleFacts:
    """What every class plan of one module shares."""

    names: Names
    positions: Mapping[cst.CSTNode, object]
    tf: str
    np: str
    options: Options
    # The name the module binds ``warnings`` to, for the faster tiers' fallback warning.
    warnings: str = "warnings"
    # The module's own top-level functions, which batch code may call as helpers.
    functions: Mapping[str, cst.FunctionDef] = field(default_factory=dict)

    def reason(self, node: cst.CSTNode, message: str) -> Reason:
        start: CodePosition = self.positions[node].start  # type: ignore[attr-defined]
        return Reason(start.line, start.column + 1, message)


@dataclass
class ClassPlan:
    cls: SequenceClass
    tier: Tier
    reasons: list[Reason] = field(default_factory=list)
    warnings: list[Reason] = field(default_factory=list)
    method: cst.FunctionDef | None = None


# A tier planner returns its plan for the class, or adds to ``reasons`` why it cannot.
TierPlanner = Callable[[ClassChain, ModuleFacts, list[Reason]], "MethodPlan | None"]
# Renders a plan into the method's code (``render.methods.render_method``, passed in by the core).
Renderer = Callable[["MethodPlan"], cst.FunctionDef]


def plan_class(
    cls: SequenceClass, facts: ModuleFacts, planners: list[tuple[Tier, TierPlanner]], render: Renderer
) -> ClassPlan:
    """``planners`` are tried best tier first; the generator tier always succeeds. A plan that
    does not render to code that compiles drops the class to the next tier."""
    if cls.unresolved:
        return ClassPlan(cls, Tier.SKIPPED, [Reason(cls.line, cls.col, f"not converted: {cls.unresolved}")])
    chain = ClassChain(cls)
    blocker = _blocker(chain, facts)
    if blocker is not None:
        return ClassPlan(cls, Tier.SKIPPED, [blocker])
    plan = ClassPlan(cls, Tier.GENERATOR, warnings=_float64_warnings(chain, facts))
    for tier, planner in planners:
        if tier.rank < facts.options.max_tier.rank:
            continue
        try:
            planned = planner(chain, facts, plan.reasons)
            method = render(planned) if planned is not None else None
            if method is not None:
                _check_compiles(method)
        except Exception as error:  # noqa: BLE001 - one class's failure must not spoil the file
            # A construct the planner does not expect drops the class to the next tier.
            plan.reasons.append(Reason(cls.line, cls.col, f"{tier.value} tier failed: {type(error).__name__}: {error}", rule="S2T007"))
            continue
        if method is not None:
            plan.tier, plan.method = tier, method
            return plan
    plan.tier = Tier.SKIPPED
    plan.reasons.append(Reason(cls.line, cls.col, f"not converted: no tier could convert `{cls.name}`", rule="S2T005"))
    return plan


def _check_compiles(method: cst.FunctionDef) -> None:
    compile(cst.Module([method]).code, "<generated to_tf_dataset>", "exec")


def _blocker(chain: ClassChain, facts: ModuleFacts) -> Reason | None:
    cls = chain.cls
    for ancestor in chain.classes:
        existing = hand_written_method(ancestor.node.body)
        if existing is not None:
            where = "has" if ancestor is cls else f"inherits from `{ancestor.name}`"
            return facts.reason(existing, f"not converted: `{cls.name}` {where} a hand-written to_tf_dataset()")
    getitem = chain.method("__getitem__")
    if getitem is None and chain.complete and not chain.defines("__getitem__"):
        return Reason(cls.line, cls.col, f"not converted: `{cls.name}` is abstract (no __getitem__ in its class chain)", rule="S2T004")
    if getitem is not None and raises_not_implemented(getitem):
        return facts.reason(getitem, f"not converted: `{cls.name}` is abstract (__getitem__ raises NotImplementedError)")
    return None


def _float64_warnings(chain: ClassChain, facts: ModuleFacts) -> list[Reason]:
    warnings: list[Reason] = []
    for func in reachable_methods(chain, "__getitem__"):
        for node, what in float64_sources(func, facts.names):
            warnings.append(
                facts.reason(
                    node,
                    f"{what}: batches stay float64 after conversion (as in Keras 3); "
                    "cast in the Sequence if the model expects float32",
                )
            )
    return warnings
