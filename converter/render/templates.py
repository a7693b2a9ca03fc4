"""Render the jinja2 templates in ``templates/`` into CST nodes.

Generated code is always parsed back to CST before it touches the user's module, so a template
bug shows up as a parse error here instead of as a broken file.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from seq2tfdata.render.text import render_text


def render_function(template: str, **context: Any) -> cst.FunctionDef:
    statement = cst.parse_statement(render_text(template, **context))
    if not isinstance(statement, cst.FunctionDef):
        raise ValueError(f"template {template} did not render a function definition")
    return statement
