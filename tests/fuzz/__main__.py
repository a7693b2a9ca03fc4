"""``python -m tests.fuzz --count N --seed S [--jobs J] [--save]``: one summary line on stdout."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from tests.fuzz.campaign import Case, run_campaign, save_reproducers
from tests.fuzz.runner import CheckPool


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("--count", type=int, default=1000, help="how many inputs to draw")
    parser.add_argument("--seed", type=int, default=0, help="which inputs: the same seed draws the same ones")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds one input may take")
    parser.add_argument("--save", action="store_true", help="shrink failures into tests/fuzz/regressions/")
    parser.add_argument("--shrink-seconds", type=float, default=120.0, help="shrinking effort per reproducer")
    parser.add_argument("--verbose", action="store_true", help="list every failing input on stderr, as found")
    return parser


def _print_case(case: Case) -> None:
    for failure in case.failures:
        where = f"#{case.index} {case.seed_name} {'+'.join(case.strategies)}"
        print(f"{where}: {failure.kind}: {failure.detail}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with CheckPool(args.jobs, args.timeout) as pool:
        run = run_campaign(pool, args.count, args.seed, _print_case if args.verbose else None)
        saved = save_reproducers(run, pool, shrink_seconds=args.shrink_seconds) if args.save else []
    for path in saved:
        print(f"saved {path}", file=sys.stderr)
    print(run.summary())
    return 1 if run.failing else 0


if __name__ == "__main__":
    raise SystemExit(main())
