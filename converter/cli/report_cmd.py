"""``seq2tfdata report``: convert in memory and report the outcome; no source file is written."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from seq2tfdata.cli.convert_cmd import add_selection_arguments, convert_repository
from seq2tfdata.report import FileReport, to_json, to_markdown
from seq2tfdata.write.gather import gather_files

EXIT_CLEAN, EXIT_ERROR = 0, 123
FORMATS = {"md": to_markdown, "json": to_json}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="list every Sequence class with its tier, blockers and warnings, without writing any file",
        allow_abbrev=False,
    )
    add_selection_arguments(parser)
    parser.add_argument("--format", choices=sorted(FORMATS), default="md", help="report format (default: md)")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the report here instead of stdout")
    parser.set_defaults(func=run, fix_call_sites=True)


def run(args: argparse.Namespace) -> int:
    gathered = gather_files(args.paths, exclude=args.exclude, force_exclude=args.force_exclude)
    # The same passes as `convert --fix-call-sites`, writing nothing.
    reports = convert_repository(gathered.files, args, write=False, diff=False)
    reports += [FileReport(path.as_posix(), error=f"{path}: no such file or directory") for path in gathered.missing]
    text = FORMATS[args.format](reports)
    if args.output is None:
        sys.stdout.write(text)
    else:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as error:
            print(f"error: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
            return EXIT_ERROR
    return EXIT_ERROR if any(report.error for report in reports) else EXIT_CLEAN
