"""Turn a tier's plan into the ``to_tf_dataset()`` method: the one place plans become code."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import libcst as cst

from seq2tfdata.analyse.native.image_formats import stored_channels_source
from seq2tfdata.markers import DRAWS_NOTE, FALLBACK_WARNING, facts_comment
from seq2tfdata.plan.method import GeneratorPlan, GuardedPlan, MethodPlan, NativePipeline
from seq2tfdata.render.gathers import gather_lines
from seq2tfdata.render.statements import statement_lines
from seq2tfdata.render.templates import render_function


def render_method(plan: MethodPlan) -> cst.FunctionDef:
    generator = _fields(plan.generator)
    if isinstance(plan, GeneratorPlan):
        return render_function(
            "generator.py.j2", why_not_native=plan.why_not_native, facts_comment=facts_comment(plan.block), **generator
        )
    return _render_guarded(plan, generator)


def _render_guarded(plan: GuardedPlan, generator: dict[str, Any]) -> cst.FunctionDef:
    family = "native" if isinstance(plan.pipeline, NativePipeline) else "hybrid"
    pipeline = _fields(plan.pipeline)
    if isinstance(plan.pipeline, NativePipeline):
        pipeline.update(
            stored_channels=stored_channels_source(),
            draws_note=DRAWS_NOTE,
            row_lines=statement_lines(plan.pipeline.row_bindings),
            element_lines=statement_lines(plan.pipeline.element_bindings),
            gather_lines=gather_lines(plan.pipeline.gathers, plan.pipeline.gather_tables, plan.generator.tf),
        )
    return render_function(
        "guarded.py.j2",
        header_template=f"{family}_header.py.j2",
        body_template=f"{family}_body.py.j2",
        warnings=plan.warnings_module,
        fallback_warning=FALLBACK_WARNING,
        facts_comment=facts_comment(plan.block),
        **{**generator, **pipeline},
    )


def _fields(value: object) -> dict[str, Any]:
    # Shallow: the templates read the values' own fields (a PadSpec's padding, a step's source).
    return {f.name: getattr(value, f.name) for f in fields(value)}  # type: ignore[arg-type]
