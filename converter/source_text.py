"""Python source built from source parts, for the analysis and the templates alike."""

from __future__ import annotations


def tuple_display(items: list[str]) -> str:
    """Python source of a tuple of the given sources, as black spells it."""
    if len(items) == 1:
        return f"({items[0]},)"
    return "(" + ", ".join(items) + ")"
