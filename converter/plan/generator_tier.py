"""The generator tier: a ``from_generator`` wrapper that is correct for any Sequence."""

from __future__ import annotations

import libcst as cst

from converter.analyse.chain import ClassChain
from converter.analyse.signature import infer_signature, render_signature
from converter.model import Reason
from converter.plan.plan import ModuleFacts
from converter.render.templates import render_function


def _on_epoch_begin_call(chain: ClassChain) -> str:
    if chain.defines("on_epoch_begin"):
        return "sequence.on_epoch_begin()"
    if not chain.complete:
        # An ancestor in another file may define it; Keras 2's Sequence has no such hook.
        return 'getattr(sequence, "on_epoch_begin", lambda: None)()'
    return ""


def plan_generator(chain: ClassChain, facts: ModuleFacts, reasons: list[Reason]) -> cst.FunctionDef:
    getitem = chain.method("__getitem__")
    signature = infer_signature(getitem, facts.names) if getitem is not None else None
    return render_function(
        "generator.py.j2",
        tf=facts.tf,
        np=facts.np,
        signature=render_signature(signature, facts.tf) if signature is not None else "",
        num_batches="sequence.num_batches" if chain.defines("num_batches") else "len(sequence)",
        may_be_infinite=chain.defines("num_batches"),
        on_epoch_begin=_on_epoch_begin_call(chain),
        why_not_native=_why_not_native(reasons),
    )


def _why_not_native(reasons: list[Reason]) -> list[str]:
    # No line numbers: they move when other classes grow, and the output must stay stable.
    return [reason.message for reason in reasons[:3]]
