"""The jinja2 templates in ``templates/``, rendered to text (``templates.render_function``
parses a generated method back to CST; reports use the text as it is)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from seq2tfdata.source_text import tuple_display


def _template_dirs() -> list[str]:
    package = Path(__file__).resolve().parent.parent
    # A source checkout keeps templates/ beside the package; a wheel ships them inside it.
    candidates = [package.parent / "templates", package / "templates"]
    return [str(path) for path in candidates if path.is_dir()]


def one_line(text: str) -> str:
    """User text made safe for a ``#`` comment: a line break or other control character in it
    would end the comment and turn the rest into live code, so each is escaped."""
    return "".join(
        char if char.isprintable() or char == " " else char.encode("unicode_escape").decode("ascii")
        for char in str(text)
    )


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_template_dirs()),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["one_line"] = one_line
    env.filters["tuple_display"] = tuple_display
    return env


def render_text(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
