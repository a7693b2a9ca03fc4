"""``seq2tfdata convert``: rewrite files (or show what would change), and write a report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from converter.core import convert_source
from converter.model import Options, Tier
from converter.report import FileReport, summary_counts, to_json, to_markdown
from converter.write.batch import FileOutcome, run_batch
from converter.migrate import converted_class_names
from converter.write.convert_file import CallSiteJob, ConvertJob, convert_file, fix_calls_in_file, unified_diff
from converter.write.gather import gather_files
from converter.write.prepass import repository_sequence_bases
from converter.write.progress import progress_for

EXIT_CLEAN, EXIT_CHANGED, EXIT_ERROR = 0, 1, 123


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """Options shared by every command that reads a repository."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or directories; - reads stdin")
    parser.add_argument(
        "--tier",
        choices=[t.value for t in Tier if t is not Tier.SKIPPED],
        default=Tier.NATIVE.value,
        help="the best tier to emit (default: native)",
    )
    parser.add_argument("--exclude", metavar="REGEX", help="skip files found in directories that match")
    parser.add_argument("--force-exclude", metavar="REGEX", help="skip matching files even when named explicitly")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: one per core)")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("convert", help="add to_tf_dataset() to every Keras Sequence class")
    add_selection_arguments(parser)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite files in place (atomically)")
    mode.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    mode.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything would change")
    parser.add_argument("--report", type=Path, metavar="FILE", help="write a report: .json or .md")
    parser.add_argument(
        "--exit-zero-even-if-changed", action="store_true", help="exit 0 after rewriting (errors still exit 123)"
    )
    parser.add_argument(
        "--fix-call-sites",
        action="store_true",
        help="also rewrite fit/evaluate/predict(_generator) calls on converted instances for Keras 3",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.paths == ["-"]:
        return _run_stdin(args)
    gathered = gather_files([Path(p) for p in args.paths], exclude=args.exclude, force_exclude=args.force_exclude)
    reports = convert_repository(gathered.files, args, write=args.write, diff=args.diff)
    reports += [FileReport(path.as_posix(), error=f"{path.as_posix()}: no such file or directory") for path in gathered.missing]
    return _finish(reports, args)


def convert_repository(files: list[Path], args: argparse.Namespace, *, write: bool, diff: bool) -> list[FileReport]:
    """Convert every file, then (with --fix-call-sites) rewrite call sites repository-wide,
    since a class converted in one file is used in others."""
    roots = [Path(p) if Path(p).is_dir() else Path(p).parent for p in args.paths]
    bases = repository_sequence_bases(files, roots)
    job = ConvertJob(write=write, diff=diff, max_tier=Tier(args.tier), extra_sequence_bases=bases, roots=tuple(roots))
    with progress_for(sys.stderr) as progress:
        outcomes = run_batch(convert_file, files, job, jobs=args.jobs, on_progress=progress)
    call_sites: list[FileOutcome] = [FileOutcome(path) for path in files]
    if getattr(args, "fix_call_sites", False):
        names = converted_class_names(f for outcome in outcomes for f in outcome.findings)
        call_job = CallSiteJob(names, write=write, diff=diff)
        call_sites = run_batch(fix_calls_in_file, files, call_job, jobs=args.jobs)
    for outcome, calls in zip(outcomes, call_sites):
        sys.stdout.write(outcome.diff + calls.diff)
    return [_as_report(outcome, calls) for outcome, calls in zip(outcomes, call_sites)]


def _as_report(outcome: FileOutcome, calls: FileOutcome) -> FileReport:
    return FileReport(
        outcome.path.as_posix(),
        outcome.findings,
        outcome.error or calls.error,
        outcome.changed or calls.changed,
        calls.notes,
    )


def _run_stdin(args: argparse.Namespace) -> int:
    text = sys.stdin.read()
    result = convert_source(text, Options(path="<stdin>", max_tier=Tier(args.tier)))
    if args.diff:
        sys.stdout.write(unified_diff(text, result.code, "<stdin>"))
    elif not args.check:
        sys.stdout.write(result.code)
    return _finish([FileReport("<stdin>", result.findings, result.error, result.changed)], args)


def _finish(reports: list[FileReport], args: argparse.Namespace) -> int:
    if args.report:
        text = to_markdown(reports) if args.report.suffix.lower() in {".md", ".markdown"} else to_json(reports)
        args.report.write_text(text, encoding="utf-8")
    _print_summary(reports, args)
    if any(r.error for r in reports):
        return EXIT_ERROR
    if any(r.changed for r in reports) and not args.exit_zero_even_if_changed:
        return EXIT_CHANGED
    return EXIT_CLEAN


def _print_summary(reports: list[FileReport], args: argparse.Namespace) -> None:
    verb = "converted" if args.write else "would convert"
    for report in reports:
        if report.error:
            print(f"error: {report.error}", file=sys.stderr)
        if report.changed and report.path != "<stdin>":
            print(f"{verb} {report.path}", file=sys.stderr)
        for finding in report.findings:
            cell = f"cell {finding.cell}:" if finding.cell is not None else ""
            print(f"{report.path}:{cell}{finding.line}:{finding.col}: {finding.name}: {finding.tier.value}", file=sys.stderr)
            for reason in finding.reasons:
                print(f"  {reason.render(report.path)}", file=sys.stderr)
            for warning in finding.warnings:
                print(f"  warning: {warning.render(report.path)}", file=sys.stderr)
        for note in report.notes:
            print(f"call site: {note}", file=sys.stderr)
    counts = ", ".join(f"{tier} {count}" for tier, count in summary_counts(reports).items())
    changed = sum(r.changed for r in reports)
    errors = sum(1 for r in reports if r.error)
    print(f"{len(reports)} files checked; {changed} {verb}; {errors} errors; classes: {counts}", file=sys.stderr)
