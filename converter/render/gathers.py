"""The lines of a gathered batch: each output read at the batch's row positions at once."""

from __future__ import annotations

from seq2tfdata.analyse.native.gathers import GatheredOutput


def gather_lines(gathers: dict[str, GatheredOutput], tables: dict[str, str], tf: str) -> list[str]:
    lines = []
    for name, output in gathers.items():
        gather = output.gather
        bounds = [gather.lower] if gather.upper is None else [gather.lower, gather.upper]
        reader = "rows_at" if gather.upper is None else "windows_at"
        code = f"{reader}({tables[gather.attribute]}, positions, {', '.join(bounds)})"
        if gather.rest:
            # The batch axis, and a window's own axis, come before the Sequence's indices.
            code += f"[{', '.join([':'] * len(bounds) + list(gather.rest))}]"
        if output.dtype is not None:
            code = f"{tf}.cast({code}, {tf}.{output.dtype})"
        lines.append(f"{name} = {code}")
    return lines
