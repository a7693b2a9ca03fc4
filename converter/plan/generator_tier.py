"""The generator tier: a ``from_generator`` wrapper that is correct for any Sequence."""

from __future__ import annotations

from seq2tfdata.analyse.array_sharing import shared_array_write
from seq2tfdata.analyse.chain import ClassChain
from seq2tfdata.analyse.length_stability import length_instability
from seq2tfdata.analyse.signature import infer_signature, render_signature
from seq2tfdata.model import Reason
from seq2tfdata.plan.method import GeneratorFacts, GeneratorPlan
from seq2tfdata.plan.plan import ModuleFacts


def _on_epoch_begin_call(chain: ClassChain) -> str:
    if chain.defines("on_epoch_begin"):
        return "sequence.on_epoch_begin()"
    if not chain.complete:
        # An ancestor in another file may define it; Keras 2's Sequence has no such hook.
        return 'getattr(sequence, "on_epoch_begin", lambda: None)()'
    return ""


def _length_call(chain: ClassChain) -> str:
    """How a pass reads its batch count; empty when only the run time can tell (see the template)."""
    if chain.defines("num_batches"):
        return "sequence.num_batches"
    if chain.complete and chain.defines("__len__"):
        return "len(sequence)"
    return ""


def generator_facts(chain: ClassChain, facts: ModuleFacts) -> GeneratorFacts:
    """What ``generator_body.py.j2`` needs, also for the fallback of the faster tiers."""
    getitem = chain.method("__getitem__")
    signature = infer_signature(getitem, facts.names) if getitem is not None else None
    length_call = _length_call(chain)
    return GeneratorFacts(
        tf=facts.tf,
        np=facts.np,
        signature=render_signature(signature, facts.tf) if signature is not None else "",
        length_call=length_call,
        may_be_infinite=length_call != "len(sequence)",
        cardinality_blocker=length_instability(chain) or "",
        on_epoch_begin=_on_epoch_begin_call(chain),
        copies_batches=shared_array_write(chain, facts.functions, facts.names) is not None,
    )


def plan_generator(chain: ClassChain, facts: ModuleFacts, reasons: list[Reason]) -> GeneratorPlan:
    return GeneratorPlan(generator_facts(chain, facts), _why_not_native(reasons))


def _why_not_native(reasons: list[Reason]) -> list[str]:
    # No line numbers: they move when other classes grow, and the output must stay stable.
    return [reason.message for reason in reasons[:3]]
