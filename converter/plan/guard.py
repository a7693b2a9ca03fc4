"""Wrap a native or hybrid pipeline in the run-time checks that keep it never worse than a
``from_generator`` wrapper.

The analysis proves what the code makes plain; what only the data can tell (rows of one shape,
a homogeneous array, ``len()`` matching the rows, the dtypes the pipeline computes, no ``None``
leaves, a finite length) is checked when ``to_tf_dataset()`` is called, on the batch count and
on the Sequence's own first and last batch. Data that breaks an assumption is served by the
generator-tier pipeline instead, with a warning naming the assumption and the Sequence's source.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from seq2tfdata.analyse.chain import ClassChain
from seq2tfdata.markers import FALLBACK_WARNING, BlockFacts, facts_comment
from seq2tfdata.plan.generator_tier import generator_context
from seq2tfdata.plan.plan import ModuleFacts
from seq2tfdata.render.templates import render_function


def render_guarded(tier: str, chain: ClassChain, facts: ModuleFacts, **context: Any) -> cst.FunctionDef:
    """``tier`` names the ``<tier>_header.py.j2`` and ``<tier>_body.py.j2`` templates."""
    permutation = context.get("permutation")
    block = BlockFacts(
        tier=tier,
        reshuffles=bool(permutation is not None and permutation.condition),
        draws=bool(context.get("row_draws") or context.get("element_draws")),
    )
    return render_function(
        "guarded.py.j2",
        header_template=f"{tier}_header.py.j2",
        body_template=f"{tier}_body.py.j2",
        warnings=facts.warnings,
        fallback_warning=FALLBACK_WARNING,
        facts_comment=facts_comment(block),
        **{**generator_context(chain, facts), **context},
    )
