"""``seq2tfdata convert``: rewrite files (or show what would change), and write a report."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from converter.core import convert_source
from converter.model import Options, Tier
from converter.report import FileReport, summary_counts, to_json, to_markdown
from converter.write.atomic import SourceError, read_source, write_if_changed
from converter.write.gather import gather_files

EXIT_CLEAN, EXIT_CHANGED, EXIT_ERROR = 0, 1, 123


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("convert", help="add to_tf_dataset() to every Keras Sequence class")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or directories; - reads stdin")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite files in place (atomically)")
    mode.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    mode.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything would change")
    parser.add_argument("--report", type=Path, metavar="FILE", help="write a report: .json or .md")
    parser.add_argument(
        "--tier",
        choices=[t.value for t in Tier if t is not Tier.SKIPPED],
        default=Tier.NATIVE.value,
        help="the best tier to emit (default: native)",
    )
    parser.add_argument("--exclude", metavar="REGEX", help="skip files found in directories matching this")
    parser.add_argument("--force-exclude", metavar="REGEX", help="skip matching files even when named explicitly")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = Options(max_tier=Tier(args.tier))
    if args.paths == ["-"]:
        return _run_stdin(args, options)
    gathered = gather_files([Path(p) for p in args.paths], exclude=args.exclude, force_exclude=args.force_exclude)
    reports = [_convert_file(path, args, options) for path in gathered.files]
    if args.report:
        _write_report(args.report, reports)
    _print_summary(reports, args)
    return _exit_code(reports)


def _convert_file(path: Path, args: argparse.Namespace, options: Options) -> FileReport:
    display = path.as_posix()
    try:
        source = read_source(path)
    except SourceError as error:
        return FileReport(display, error=str(error))
    result = convert_source(source.text, Options(path=display, max_tier=options.max_tier))
    if result.error:
        return FileReport(display, result.findings, error=result.error)
    if result.changed:
        if args.diff:
            sys.stdout.write(_unified_diff(source.text, result.code, display))
        elif args.write:
            write_if_changed(path, result.code, source)
            print(f"converted {display}", file=sys.stderr)
        else:
            print(f"would convert {display}", file=sys.stderr)
    return FileReport(display, result.findings, changed=result.changed)


def _run_stdin(args: argparse.Namespace, options: Options) -> int:
    text = sys.stdin.read()
    result = convert_source(text, Options(path="<stdin>", max_tier=options.max_tier))
    if args.diff:
        sys.stdout.write(_unified_diff(text, result.code, "<stdin>"))
    elif not args.check:
        sys.stdout.write(result.code)
    report = FileReport("<stdin>", result.findings, result.error, result.changed)
    if args.report:
        _write_report(args.report, [report])
    _print_summary([report], args)
    return _exit_code([report])


def _unified_diff(before: str, after: str, name: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{name}", f"b/{name}"
    )
    return "".join(lines)


def _write_report(target: Path, reports: list[FileReport]) -> None:
    text = to_markdown(reports) if target.suffix.lower() in {".md", ".markdown"} else to_json(reports)
    target.write_text(text, encoding="utf-8")


def _print_summary(reports: list[FileReport], args: argparse.Namespace) -> None:
    for report in reports:
        if report.error:
            print(f"error: {report.error}", file=sys.stderr)
        for finding in report.findings:
            print(f"{report.path}:{finding.line}:{finding.col}: {finding.name}: {finding.tier.value}", file=sys.stderr)
            for reason in finding.reasons:
                print(f"  {reason.render(report.path)}", file=sys.stderr)
            for warning in finding.warnings:
                print(f"  warning: {warning.render(report.path)}", file=sys.stderr)
    changed = sum(r.changed for r in reports)
    verb = "converted" if args.write else "would convert"
    counts = ", ".join(f"{tier} {count}" for tier, count in summary_counts(reports).items())
    errors = sum(1 for r in reports if r.error)
    print(
        f"{len(reports)} files checked; {changed} {verb}; {errors} errors; classes: {counts}",
        file=sys.stderr,
    )


def _exit_code(reports: list[FileReport]) -> int:
    if any(r.error for r in reports):
        return EXIT_ERROR
    return EXIT_CHANGED if any(r.changed for r in reports) else EXIT_CLEAN
