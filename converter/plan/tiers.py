"""The tier planners, best first. The generator tier is last and always succeeds."""

from __future__ import annotations

from converter.model import Reason, Tier
from converter.plan.generator_tier import plan_generator
from converter.plan.plan import TierPlanner

TIER_PLANNERS: list[tuple[Tier, TierPlanner]] = [
    (Tier.GENERATOR, plan_generator),
]
