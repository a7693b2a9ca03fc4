"""Rows read at the batch's row positions plus offsets: windows over a series and the target
rows after them (``TimeseriesGenerator``'s shape), gathered for a whole batch at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Gather:
    """``self.<attribute>[k + lower:k + upper, *rest]`` (a window, ``upper`` set) or
    ``self.<attribute>[k + lower, *rest]`` for the row position ``k``. Offsets and the basic
    indices in ``rest`` are Python source of numbers known when the dataset is built."""

    attribute: str
    lower: str
    upper: str | None = None
    rest: tuple[str, ...] = ()


@dataclass(frozen=True)
class GatheredOutput:
    """A per-row output that is a ``Gather`` (cast to ``dtype`` if set), and the build-time
    table the per-row pipeline would read it from instead."""

    gather: Gather
    dtype: str | None
    table: str


def shifted_offset(offset: str, op: str, number: str) -> str:
    """The offset of ``(k + offset) op number``, for ``op`` ``+`` or ``-``."""
    if offset == "0":
        return number if op == "+" else f"-{number}"
    return f"{offset} {op} {number}"
