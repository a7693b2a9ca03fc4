"""Shrinking a failing input to a reproducer someone can read: delete lines while it still fails.

Delta debugging over lines: try dropping chunks of half the text, then quarters, down to single
lines, keeping any deletion after which the same kind of failure still shows and no kind the
input did not have appears (else a line-ending bug shrinks into a syntax error and reads as one).
Each try is a conversion (a second or more), so the effort is capped in tries and in seconds.
"""

from __future__ import annotations

import time

from tests.fuzz.lines import split_lines
from tests.fuzz.runner import CheckPool


def shrink(
    text: str, kind: str, kinds: set[str], pool: CheckPool, max_tries: int = 400, max_seconds: float = 120.0
) -> str:
    """The smallest text found, within the budget, that still fails with ``kind`` and with no
    kind outside ``kinds`` (those of ``text``)."""

    def still_fails(failures) -> bool:
        found = {failure.kind for failure in failures}
        return kind in found and found <= kinds

    lines = split_lines(text)
    chunk = max(1, len(lines) // 2)
    tries, stop_at = 0, time.monotonic() + max_seconds
    while lines and tries < max_tries and time.monotonic() < stop_at:
        candidates = [lines[:start] + lines[start + chunk:] for start in range(0, len(lines), chunk)]
        kept = None
        # One batch per free worker, so that the pool stays busy and the first hit ends the round.
        for first in range(0, len(candidates), pool.jobs):
            batch = candidates[first : first + pool.jobs]
            tries += len(batch)
            results = pool.check_each(["".join(candidate) for candidate in batch])
            kept = next((c for c, failures in zip(batch, results) if still_fails(failures)), None)
            if kept is not None or tries >= max_tries or time.monotonic() >= stop_at:
                break
        if kept is not None:
            lines = kept
            chunk = min(chunk, max(1, len(lines) // 2))
        elif chunk == 1:
            break
        else:
            chunk //= 2
    return "".join(lines)
