"""Wrap a native or hybrid pipeline in the run-time checks that keep it never worse than a
``from_generator`` wrapper.

The analysis proves what the code makes plain; what only the data can tell (rows of one shape,
a homogeneous array, ``len()`` matching the rows, the dtypes the pipeline computes, no ``None``
leaves, a finite length) is checked when ``to_tf_dataset()`` is called, on the batch count and
on the Sequence's own first and last batch. Data that breaks an assumption is served by the
generator-tier pipeline instead, with a warning naming the assumption and the Sequence's source.
"""

from __future__ import annotations

from seq2tfdata.analyse.chain import ClassChain
from seq2tfdata.plan.generator_tier import generator_facts
from seq2tfdata.plan.method import GuardedPlan, HybridPipeline, NativePipeline
from seq2tfdata.plan.plan import ModuleFacts


def guarded(pipeline: NativePipeline | HybridPipeline, chain: ClassChain, facts: ModuleFacts) -> GuardedPlan:
    return GuardedPlan(pipeline, generator_facts(chain, facts), warnings_module=facts.warnings)
