"""``seq2tfdata``: entry point and subcommand dispatch."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from seq2tfdata import __version__
from seq2tfdata.cli import convert_cmd, report_cmd, verify_cmd
from seq2tfdata.cli.config_args import with_config
from seq2tfdata.config import ConfigError
from seq2tfdata.write.limits import raise_if_interrupted, stop_on_interrupt

EXIT_USAGE = 2
EXIT_INTERNAL_ERROR = 123
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for a process Ctrl-C stopped

EPILOG = """\
exit codes:
  0    nothing to change (convert), every factory matched (verify), no error (report)
  1    files changed or would change (convert; 0 with --exit-zero-even-if-changed), a mismatch (verify)
  2    usage error: a bad option or value, a bad [tool.seq2tfdata] table in pyproject.toml
  123  an error: a file that cannot be read, parsed or written, an unwritable --report,
       a factory that could not be verified, an internal error (the other files are still processed)
  130  interrupted (Ctrl-C)

configuration:
  [tool.seq2tfdata] in the nearest pyproject.toml (or --config FILE) sets any option by its long
  name (extend-exclude = ["/gen/"], tier = "hybrid"); the command line wins.
  `# seq2tfdata: skip` on a class line or the line above leaves the class alone;
  `# seq2tfdata: skip-file` in a file's first 10 lines leaves the file alone.

examples:
  seq2tfdata convert src/                         list what would change
  seq2tfdata convert --write --fix-call-sites .   convert, and fix fit(...) calls for Keras 3
  seq2tfdata convert --check --output-format github .   CI annotations; exit 1 if anything would change
  seq2tfdata convert - --stdin-filename pkg/data.py < pkg/data.py   editors: stdin to stdout
  seq2tfdata convert --remove --write .           strip every generated to_tf_dataset()
  seq2tfdata report --output-format sarif . > seq2tfdata.sarif
  seq2tfdata verify pkg/data.py:make_sequence --epochs 3
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seq2tfdata",
        description="Convert Keras Sequence / PyDataset classes into tf.data pipelines.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        # No argument files (``@args.txt``): a source file may be named ``@x.py``. No abbreviated
        # options: ``--fix`` must not quietly mean ``--fix-call-sites``.
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    convert_cmd.register(subparsers)
    verify_cmd.register(subparsers)
    report_cmd.register(subparsers)
    for sub in subparsers.choices.values():
        sub.epilog, sub.formatter_class = EPILOG, argparse.RawDescriptionHelpFormatter
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args = with_config(parser, argv, args)
    except ConfigError as error:
        print(f"seq2tfdata: error: {error}", file=sys.stderr)
        return EXIT_USAGE
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
    except Exception as error:  # noqa: BLE001 - one line, not a traceback, whatever went wrong
        print(f"seq2tfdata: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        if getattr(args, "verbose", False):
            traceback.print_exc()
        else:
            print("seq2tfdata: run again with -v for the traceback, and please report it", file=sys.stderr)
        return EXIT_INTERNAL_ERROR
    return status
