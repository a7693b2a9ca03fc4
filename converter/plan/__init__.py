"""Planning: which tier each class gets, why, and the values its template needs."""

from seq2tfdata.plan.plan import ClassPlan, ModuleFacts, plan_class

__all__ = ["ClassPlan", "ModuleFacts", "plan_class"]
