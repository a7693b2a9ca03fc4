"""``verify FILE.py:FACTORY ...``: run Sequences against their ``to_tf_dataset()`` and report.

Exit codes follow black: 0 when every factory matches, 1 when any mismatches, 123 when a
factory could not be verified at all (bad spec, import failure, unavailable device).
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK = 0
EXIT_MISMATCH = 1
EXIT_ERROR = 123


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "verify",
        help="check that to_tf_dataset() yields the same batches as the Sequence",
        description=(
            "Build each Sequence with FACTORY, play its epochs by index, then iterate its "
            "to_tf_dataset() and compare structure, dtypes, shapes and values."
        ),
    )
    parser.add_argument(
        "factories",
        nargs="+",
        metavar="FILE.py:FACTORY",
        help="a callable returning a Sequence; it may take one argument, a scratch directory",
    )
    parser.add_argument("--epochs", type=int, default=2, help="epochs to compare (default 2)")
    parser.add_argument("--device", choices=("auto", "cpu", "gpu"), default="auto")
    parser.add_argument("--atol", type=float, default=0.0, help="absolute tolerance (default 0)")
    parser.add_argument("--rtol", type=float, default=0.0, help="relative tolerance (default 0)")
    parser.add_argument(
        "--order",
        choices=("auto", "exact", "multiset"),
        default="auto",
        help="auto: ignore batch order only in epochs the Sequence itself shuffles",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for the global RNGs")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    # Imported here so that `--help` and the other subcommands never pay for TensorFlow.
    from converter.verify import VerifyError, load_factory, verify_equivalence

    status = EXIT_OK
    for spec in args.factories:
        try:
            report = verify_equivalence(
                load_factory(spec),
                epochs=args.epochs,
                device=args.device,
                atol=args.atol,
                rtol=args.rtol,
                order=args.order,
                seed=getattr(args, "seed", 0),
            )
        except VerifyError as error:
            print(f"{spec}: error: {error}", file=sys.stderr)
            status = EXIT_ERROR
            continue
        print(f"{spec}: {report.render()}")
        if not report.ok and status == EXIT_OK:
            status = EXIT_MISMATCH
    return status
