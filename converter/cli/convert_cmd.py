"""``seq2tfdata convert``: rewrite files (or show what would change), and write a report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from seq2tfdata.core import convert_source
from seq2tfdata.model import Options, Result, Tier
from seq2tfdata.report import FileReport, summary_counts, to_json, to_markdown
from seq2tfdata.write.atomic import describe_size
from seq2tfdata.write.batch import FileOutcome, run_batch
from seq2tfdata.migrate import converted_class_names
from seq2tfdata.write.convert_file import CallSiteJob, ConvertJob, convert_file, fix_calls_in_file, unified_diff
from seq2tfdata.write.gather import NOTEBOOK_SUFFIX, gather_files
from seq2tfdata.write.limits import OverBudget, time_budget
from seq2tfdata.write.prepass import module_for, repository_sequence_bases
from seq2tfdata.write.progress import progress_for

EXIT_CLEAN, EXIT_CHANGED, EXIT_ERROR = 0, 1, 123
DEFAULT_TIMEOUT_SECONDS = 60.0
# Hand-written modules stay far below this; what is above it is data or generated code, whose
# conversion (about a minute per MB of short statements) would only run into the timeout.
DEFAULT_MAX_FILE_SIZE = "2M"
_SIZE_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}


def file_size(text: str) -> int:
    """``--max-file-size``: bytes, or a number with K, M or G (KiB, MiB, GiB); 0 means no limit."""
    number, unit = text.strip().upper().rstrip("B").rstrip("I"), ""
    if number[-1:] in _SIZE_UNITS:
        number, unit = number[:-1], number[-1]
    try:
        size = float(number) * _SIZE_UNITS[unit]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 2M, 500K or 100000)") from None
    if size < 0:
        raise argparse.ArgumentTypeError("a size cannot be negative")
    return int(size)


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("a timeout cannot be negative")
    return value


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
    parser.add_argument(
        "--timeout",
        type=seconds,
        default=DEFAULT_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=f"give up on a file after this long, report it, go on (default {DEFAULT_TIMEOUT_SECONDS:g}; 0: none)",
    )
    parser.add_argument(
        "--max-file-size",
        type=file_size,
        default=file_size(DEFAULT_MAX_FILE_SIZE),
        metavar="SIZE",
        help=f"skip and report larger Python files; 500K, 8M... (default {DEFAULT_MAX_FILE_SIZE}; 0: none)",
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "convert", help="add to_tf_dataset() to every Keras Sequence class", allow_abbrev=False
    )
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
    timeout, max_bytes = args.timeout or None, args.max_file_size or None
    prepass = repository_sequence_bases(files, roots, timeout=timeout, max_bytes=max_bytes)
    job = ConvertJob(
        write=write,
        diff=diff,
        max_tier=Tier(args.tier),
        extra_sequence_bases=prepass.bases,
        roots=tuple(roots),
        max_bytes=max_bytes,
    )
    # A file the pre-pass already gave up on would only run out of time again.
    pending = [path for path in files if path not in prepass.over_budget]
    with progress_for(sys.stderr) as progress:
        done = run_batch(convert_file, pending, job, jobs=args.jobs, on_progress=progress, timeout=timeout)
    by_path = dict(zip(pending, done))
    outcomes = [by_path.get(path) or FileOutcome.over_budget(path, timeout or 0) for path in files]
    call_sites = [FileOutcome(path) for path in files]
    if getattr(args, "fix_call_sites", False):
        call_sites = _fix_call_sites(outcomes, roots, args, write=write, diff=diff)
    for outcome, calls in zip(outcomes, call_sites):
        sys.stdout.write(outcome.diff + calls.diff)
    return [_as_report(outcome, calls) for outcome, calls in zip(outcomes, call_sites)]


def _fix_call_sites(
    outcomes: list[FileOutcome], roots: list[Path], args: argparse.Namespace, *, write: bool, diff: bool
) -> list[FileOutcome]:
    # Classes are known by their qualified names: a class spelled like a converted one, in
    # another module, is another class. Notebooks cannot be imported from.
    classes = frozenset().union(
        *(
            converted_class_names(outcome.findings, module_for(outcome.path, roots))
            for outcome in outcomes
            if outcome.path.suffix != NOTEBOOK_SUFFIX
        )
    )
    call_job = CallSiteJob(
        classes, write=write, diff=diff, roots=tuple(roots), max_bytes=args.max_file_size or None
    )
    eligible = [outcome.path for outcome in outcomes if not outcome.over_limit]
    fixed = run_batch(fix_calls_in_file, eligible, call_job, jobs=args.jobs, timeout=args.timeout or None)
    by_path = dict(zip(eligible, fixed))
    return [by_path.get(outcome.path) or FileOutcome(outcome.path) for outcome in outcomes]


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
    result = _convert_within_limits(text, args)
    if args.diff:
        sys.stdout.write(unified_diff(text, result.code, "<stdin>"))
    elif not args.check:
        sys.stdout.write(result.code)
    return _finish([FileReport("<stdin>", result.findings, result.error, result.changed)], args)


def _convert_within_limits(text: str, args: argparse.Namespace) -> Result:
    size = len(text.encode("utf-8"))
    if args.max_file_size and size > args.max_file_size:
        message = f"<stdin>: {describe_size(size)} is over the {describe_size(args.max_file_size)} size limit; skipped"
        return Result(text, text, error=message)
    try:
        with time_budget(args.timeout or None) as budget:
            result = convert_source(text, Options(path="<stdin>", max_tier=Tier(args.tier)))
            if budget is not None and budget.expired:
                raise OverBudget(budget.seconds)
    except OverBudget as over:
        return Result(text, text, error=f"<stdin>: took longer than {over.seconds:g} s; skipped")
    return result


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
