"""The tier planners, best first. The generator tier is last and always succeeds."""

from __future__ import annotations

from converter.model import Tier
from converter.plan.generator_tier import plan_generator
from converter.plan.hybrid_tier import plan_hybrid
from converter.plan.native_tier import plan_hybrid_rows, plan_native
from converter.plan.plan import TierPlanner

TIER_PLANNERS: list[tuple[Tier, TierPlanner]] = [
    (Tier.NATIVE, plan_native),
    (Tier.HYBRID, plan_hybrid_rows),
    (Tier.HYBRID, plan_hybrid),
    (Tier.GENERATOR, plan_generator),
]
