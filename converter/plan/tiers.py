"""The tier planners, best first. The generator tier is last and always succeeds."""

from __future__ import annotations

from seq2tfdata.model import Tier
from seq2tfdata.plan.generator_tier import plan_generator
from seq2tfdata.plan.hybrid_tier import plan_hybrid
from seq2tfdata.plan.native_tier import plan_hybrid_rows, plan_native
from seq2tfdata.plan.plan import TierPlanner

TIER_PLANNERS: list[tuple[Tier, TierPlanner]] = [
    (Tier.NATIVE, plan_native),
    (Tier.HYBRID, plan_hybrid_rows),
    (Tier.HYBRID, plan_hybrid),
    (Tier.GENERATOR, plan_generator),
]
