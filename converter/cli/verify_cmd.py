"""``verify FILE.py:FACTORY ...``: run Sequences against their ``to_tf_dataset()`` and report.

Exit codes follow black: 0 when every factory matches, 1 when any mismatches (a factory that
raises, calls ``sys.exit()`` or returns no Sequence fails its own run), 123 when a factory could
not be verified at all (bad spec, import failure, unavailable device, ``sys.exit()`` in the
Sequence's methods). Every factory is tried, whatever happened to the ones before it.
Without the ``[verify]`` extra (numpy, TensorFlow) it prints one line saying how to install it
and exits 123 before trying any.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time

EXIT_OK = 0
EXIT_MISMATCH = 1
EXIT_ERROR = 123
# numpy before TensorFlow: the harness imports numpy first, and TensorFlow brings it anyway.
_VERIFY_MODULES = ("numpy", "tensorflow")
MISSING_EXTRAS = 'seq2tfdata verify needs TensorFlow: pip install "seq2tfdata[verify]"'


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
    if _missing_extras():
        print(MISSING_EXTRAS, file=sys.stderr)
        return EXIT_ERROR
    status = EXIT_OK
    outcomes = []
    for number, spec in enumerate(args.factories, start=1):
        if len(args.factories) > 1:
            print(f"[{number}/{len(args.factories)}] verifying {spec} ...", file=sys.stderr, flush=True)
        outcome = _verify_one(spec, args)
        outcomes.append(outcome)
        if outcome == EXIT_ERROR or (outcome == EXIT_MISMATCH and status == EXIT_OK):
            status = outcome
    print(_tally(outcomes), file=sys.stderr)
    return status


def _tally(outcomes: list[int]) -> str:
    matched, mismatched = outcomes.count(EXIT_OK), outcomes.count(EXIT_MISMATCH)
    errors = outcomes.count(EXIT_ERROR)
    noun = "factory" if len(outcomes) == 1 else "factories"
    return f"verify: {len(outcomes)} {noun}: {matched} matched, {mismatched} mismatched, {errors} could not be verified"


def _missing_extras() -> bool:
    """True when numpy or TensorFlow cannot be found; looked up without importing them, so a
    core-only install answers at once (a broken TensorFlow still fails per factory, with its error)."""
    for name in _VERIFY_MODULES:
        try:
            if importlib.util.find_spec(name) is None:
                return True
        except ValueError:  # a module in sys.modules without __spec__: it is there
            continue
    return False


def _verify_one(spec: str, args: argparse.Namespace) -> int:
    """One factory's verification. Whatever its code raises, or a ``sys.exit()`` in it, fails
    this factory only; KeyboardInterrupt still stops the run."""
    # Imported here so that `--help` and the other subcommands never pay for TensorFlow.
    from seq2tfdata.verify import VerifyError, load_factory, verify_equivalence

    started = time.monotonic()

    def show(step: str) -> None:
        print(f"{spec}: {step} ({time.monotonic() - started:.1f} s)", file=sys.stderr, flush=True)

    try:
        report = verify_equivalence(
            load_factory(spec),
            epochs=args.epochs,
            device=args.device,
            atol=args.atol,
            rtol=args.rtol,
            order=args.order,
            seed=getattr(args, "seed", 0),
            on_step=show,
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
