"""``seq2tfdata``: entry point and subcommand dispatch."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from converter import __version__
from converter.cli import convert_cmd, report_cmd, verify_cmd

EXIT_INTERNAL_ERROR = 123


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seq2tfdata",
        description="Convert Keras Sequence / PyDataset classes into tf.data pipelines.",
        fromfile_prefix_chars="@",
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
        return args.func(args)
    except KeyboardInterrupt:
        return 130
