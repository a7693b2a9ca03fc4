"""``verify FILE.py:FACTORY ...``: run Sequences against their ``to_tf_dataset()`` and report.

Exit codes follow black: 0 when every factory matches, 1 when any mismatches (a factory that
raises, calls ``sys.exit()`` or returns no Sequence fails its own run), 123 when a factory could
not be verified at all (bad spec, import failure, unavailable device, ``sys.exit()`` in the
Sequence's methods). Every factory is tried, whatever happened to the ones before it.
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
        allow_abbrev=False,
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
    status = EXIT_OK
    for spec in args.factories:
        outcome = _verify_one(spec, args)
        if outcome == EXIT_ERROR or (outcome == EXIT_MISMATCH and status == EXIT_OK):
            status = outcome
    return status


def _verify_one(spec: str, args: argparse.Namespace) -> int:
    """One factory's verification. Whatever its code raises, or a ``sys.exit()`` in it, fails
    this factory only; KeyboardInterrupt still stops the run."""
    # Imported here so that `--help` and the other subcommands never pay for TensorFlow.
    from seq2tfdata.verify import VerifyError, load_factory, verify_equivalence

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
        return EXIT_ERROR
    except SystemExit as exit:
        print(f"{spec}: error: the Sequence's code called sys.exit({exit.code!r})", file=sys.stderr)
        return EXIT_ERROR
    except Exception as error:  # noqa: BLE001 - user code the harness did not expect to fail there
        print(f"{spec}: error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_ERROR
    print(f"{spec}: {report.render()}")
    return EXIT_OK if report.ok else EXIT_MISMATCH
