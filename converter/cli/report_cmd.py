"""``seq2tfdata report``: convert in memory and report the outcome; no source file is written."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from converter.core import convert_source
from converter.model import Options, Tier
from converter.report import FileReport, to_json, to_markdown
from converter.write.atomic import SourceError, read_source
from converter.write.gather import gather_files

EXIT_CLEAN, EXIT_ERROR = 0, 123
FORMATS = {"md": to_markdown, "json": to_json}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="list every Sequence class with its tier, blockers and warnings, without writing any file",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    parser.add_argument("--format", choices=sorted(FORMATS), default="md", help="report format (default: md)")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the report here instead of stdout")
    parser.add_argument(
        "--tier",
        choices=[t.value for t in Tier if t is not Tier.SKIPPED],
        default=Tier.NATIVE.value,
        help="the best tier to consider (default: native)",
    )
    parser.add_argument("--exclude", metavar="REGEX", help="skip files found in directories matching this")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    max_tier = Tier(args.tier)
    # Notebooks are left out: their findings would carry line numbers of the joined cells,
    # which point nowhere a reader can look.
    gathered = gather_files(args.paths, exclude=args.exclude, force_exclude=None, include_notebooks=False)
    reports = [_report_file(path, max_tier) for path in gathered.files]
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


def _report_file(path: Path, max_tier: Tier) -> FileReport:
    display = path.as_posix()
    try:
        source = read_source(path)
    except SourceError as error:
        return FileReport(display, error=str(error))
    result = convert_source(source.text, Options(path=display, max_tier=max_tier))
    return FileReport(display, result.findings, error=result.error, changed=result.changed)
