"""``seq2tfdata``: entry point and subcommand dispatch."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from seq2tfdata import __version__
from seq2tfdata.cli import convert_cmd, report_cmd, verify_cmd
from seq2tfdata.write.limits import raise_if_interrupted, stop_on_interrupt

EXIT_INTERNAL_ERROR = 123
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for a process Ctrl-C stopped


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seq2tfdata",
        description="Convert Keras Sequence / PyDataset classes into tf.data pipelines.",
        # No argument files (``@args.txt``): a source file may be named ``@x.py``. No abbreviated
        # options: ``--fix`` must not quietly mean ``--fix-call-sites``.
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    convert_cmd.register(subparsers)
    verify_cmd.register(subparsers)
    report_cmd.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with stop_on_interrupt():
            try:
                status = args.func(args)
            except Exception:
                raise_if_interrupted()  # a Ctrl-C that library code turned into another error
                raise
            raise_if_interrupted()
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return status
