"""``seq2tfdata report``: convert in memory and report the outcome; no source file is written."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from seq2tfdata.cli import selection
from seq2tfdata.cli.convert_cmd import _convert_within_limits, add_selection_arguments, convert_repository
from seq2tfdata.cli.outcome import print_skipped, report_text
from seq2tfdata.cli.progress_display import display_for
from seq2tfdata.optout import file_opted_out
from seq2tfdata.report import FileReport

EXIT_CLEAN, EXIT_ERROR = 0, 123
# ``md`` is the older name of ``text`` (the Markdown report for people).
CHOICES = ["text", "md", "json", "github", "sarif"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="list every Sequence class with its tier, blockers and warnings, without writing any file",
        allow_abbrev=False,
    )
    add_selection_arguments(parser)
    parser.add_argument("--format", dest="output_format", choices=CHOICES, help="same as --output-format")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the report here instead of stdout")
    parser.set_defaults(func=run, fix_call_sites=True)


def run(args: argparse.Namespace) -> int:
    output_format = {None: "text", "md": "text"}.get(args.output_format, args.output_format)
    if args.paths == ["-"]:
        reports = [_stdin_report(args)]
    else:
        gathered = selection.gather(args)
        print_skipped(gathered.skipped, args)
        files, opted_out = selection.split_opted_out(gathered.files)
        display_for(args).step("indexing the project", f"{len(files)} files named")
        # The same passes as `convert --fix-call-sites`, writing nothing.
        reports = convert_repository(files, args, write=False, diff=False) + opted_out
        reports += [FileReport(path.as_posix(), error=f"{path}: no such file or directory") for path in gathered.missing]
    display_for(args).end()
    text = report_text(reports, output_format)
    if args.output is None:
        sys.stdout.write(text)
    else:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as error:
            print(f"error: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
            return EXIT_ERROR
    for report in reports:
        if report.error:
            print(f"error: {report.error}", file=sys.stderr)
    return EXIT_ERROR if any(report.error for report in reports) else EXIT_CLEAN


def _stdin_report(args: argparse.Namespace) -> FileReport:
    """``report -``: the text on stdin, named by ``--stdin-filename``."""
    text = sys.stdin.read()
    name = selection.stdin_display_name(args)
    if selection.stdin_excluded(args):
        return FileReport(name, skipped="excluded")
    if file_opted_out(text):
        return FileReport(name, skipped=selection.OPTED_OUT_FILE)
    result = _convert_within_limits(text, args, name)
    return FileReport(name, result.findings, result.error, result.changed)
