"""One fuzz run: draw the inputs, check them, count the failures, keep reproducers."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.fuzz.mutations import draw_input
from tests.fuzz.properties import Failure
from tests.fuzz.runner import CheckPool
from tests.fuzz.seeds import load_seeds, read_exact, write_exact
from tests.fuzz.shrink import shrink

REGRESSIONS = Path(__file__).resolve().parent / "regressions"


@dataclass(frozen=True)
class Case:
    index: int
    seed_name: str
    strategies: tuple[str, ...]
    text: str
    failures: tuple[Failure, ...]

    @property
    def kinds(self) -> list[str]:
        return sorted({failure.kind for failure in self.failures})


@dataclass
class Run:
    count: int
    failing: list[Case] = field(default_factory=list)
    seconds: float = 0.0

    def kind_counts(self) -> Counter:
        """How many inputs showed each kind (one input may show several)."""
        return Counter(kind for case in self.failing for kind in case.kinds)

    def summary(self) -> str:
        counts = ", ".join(f"{kind}: {n}" for kind, n in sorted(self.kind_counts().items()))
        kinds = f" ({counts})" if counts else ""
        return f"fuzz: {self.count} inputs, {len(self.failing)} failures{kinds}, {self.seconds:.1f} s"


def run_campaign(pool: CheckPool, count: int, seed: int, on_failure: Callable[[Case], None] | None = None) -> Run:
    """Check inputs ``0 .. count-1`` of ``seed``; ``on_failure`` hears of each failing one as it is found."""
    started = time.monotonic()
    seeds = load_seeds()
    drawn = [draw_input(seeds, seed, index) for index in range(count)]
    run = Run(count)
    for index, failures in pool.check_all([text for _, text, _ in drawn]):
        if failures:
            name, text, strategies = drawn[index]
            run.failing.append(Case(index, name, strategies, text, tuple(failures)))
            if on_failure is not None:
                on_failure(run.failing[-1])
    run.failing.sort(key=lambda case: case.index)
    run.seconds = time.monotonic() - started
    return run


def save_reproducers(run: Run, pool: CheckPool, per_kind: int = 1, shrink_seconds: float = 120.0) -> list[Path]:
    """For each kind, the ``per_kind`` failing inputs with the fewest other kinds and then the
    shortest text, shrunk, as ``<kind>-<hash>.py``."""
    REGRESSIONS.mkdir(exist_ok=True)
    saved = []
    for kind in sorted(run.kind_counts()):
        cases = sorted((c for c in run.failing if kind in c.kinds), key=lambda c: (len(c.kinds), len(c.text), c.index))
        for case in cases[:per_kind]:
            text = shrink(case.text, kind, set(case.kinds), pool, max_seconds=shrink_seconds)
            digest = hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()[:12]
            path = REGRESSIONS / f"{kind}-{digest}.py"
            write_exact(path, text)
            saved.append(path)
    return saved


def regression_files() -> list[Path]:
    return sorted(REGRESSIONS.glob("*.py")) if REGRESSIONS.is_dir() else []


def check_regressions(pool: CheckPool, paths: list[Path]) -> list[list[Failure]]:
    return pool.check_each([read_exact(path) for path in paths])
