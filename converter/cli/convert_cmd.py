"""``seq2tfdata convert``: rewrite files (or show what would change), and write a report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from seq2tfdata.model import Options, Result, Tier
from seq2tfdata.report import FileReport
from seq2tfdata.write.atomic import describe_size
from seq2tfdata.write.batch import FileOutcome, run_batch
from seq2tfdata.write.convert_file import CallSiteJob, ConvertJob, convert_source, fix_calls_in_file, unified_diff
from seq2tfdata.write.gather import NOTEBOOK_SUFFIX
from seq2tfdata.write.limits import OverBudget, time_budget
from seq2tfdata.write.cache import Cache
from seq2tfdata.write.incremental import convert_candidates
from seq2tfdata.write.prepass import module_for, repository_sequence_bases
from seq2tfdata.cli import selection
from seq2tfdata.cli.common import OUTPUT_FORMATS, Patterns, add_common_arguments, regex
from seq2tfdata.cli.outcome import finish, print_skipped
from seq2tfdata.cli.progress_display import conversion_step, display_for
from seq2tfdata.cli.remove_run import remove_in_file, remove_in_stdin
from seq2tfdata.optout import file_opted_out

EXIT_CLEAN, EXIT_CHANGED, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 123
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
    parser.add_argument(
        "--exclude", action=Patterns, type=regex, metavar="REGEX",
        help="skip files found in directories that match; repeatable (any may match); replaces the config's",
    )
    parser.add_argument(
        "--extend-exclude", action=Patterns, extend=True, type=regex, metavar="REGEX",
        help="like --exclude, but adds to the patterns of the configuration; repeatable",
    )
    parser.add_argument(
        "--force-exclude", action=Patterns, type=regex, metavar="REGEX",
        help="skip matching files even when named explicitly (pre-commit) or as --stdin-filename; repeatable",
    )
    parser.add_argument(
        "--stdin-filename", metavar="PATH",
        help="with -: the file the text on stdin is (for messages, configuration lookup and exclusion)",
    )
    parser.add_argument(
        "--output-format", choices=OUTPUT_FORMATS, default=None,
        help="text (default): findings on stderr; json, github or sarif: the report on stdout",
    )
    add_common_arguments(parser)
    parser.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the cache of per-file results"
    )
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
    parser.add_argument(
        "--remove", action="store_true",
        help="strip the generated to_tf_dataset() blocks (and the imports they added) instead of converting",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    usage = _usage_problem(args)
    if usage:
        print(f"seq2tfdata convert: error: {usage}", file=sys.stderr)
        return EXIT_USAGE
    if args.paths == ["-"]:
        return _run_stdin(args)
    gathered = selection.gather(args)
    print_skipped(gathered.skipped, args)
    files, opted_out = selection.split_opted_out(gathered.files)
    if args.remove:
        reports = [remove_in_file(path, args) for path in files]
    else:
        display_for(args).step("indexing the project", f"{len(files)} files named")
        reports = convert_repository(files, args, write=args.write, diff=args.diff)
    reports += opted_out
    reports += [FileReport(path.as_posix(), error=f"{path.as_posix()}: no such file or directory") for path in gathered.missing]
    return _finish(reports, args)


def _usage_problem(args: argparse.Namespace) -> str | None:
    """Combinations argparse cannot refuse by itself (exit 2)."""
    if args.remove and args.fix_call_sites:
        return "--remove and --fix-call-sites cannot be combined"
    machine = (getattr(args, "output_format", None) or "text") != "text"
    code_on_stdout = args.diff or (args.paths == ["-"] and not args.check)
    if machine and code_on_stdout:
        return f"--output-format {args.output_format} writes to stdout, which --diff or - already use (add --check, or use --report)"
    if getattr(args, "stdin_filename", None) and args.paths != ["-"]:
        return "--stdin-filename only applies to - (stdin)"
    return None


def convert_repository(files: list[Path], args: argparse.Namespace, *, write: bool, diff: bool) -> list[FileReport]:
    """Convert every file, then (with --fix-call-sites) rewrite call sites repository-wide,
    since a class converted in one file is used in others."""
    roots = [Path(p) if Path(p).is_dir() else Path(p).parent for p in args.paths]
    timeout, max_bytes = args.timeout or None, args.max_file_size or None
    cache = Cache.open(enabled=not getattr(args, "no_cache", False))
    prepass = repository_sequence_bases(
        files, roots, timeout=timeout, max_bytes=max_bytes, jobs=args.jobs, cache=cache
    )
    roots = list(prepass.roots)  # module names are relative to the project, whatever was named
    job = ConvertJob(
        write=write,
        diff=diff,
        max_tier=Tier(args.tier),
        extra_sequence_bases=prepass.bases,
        roots=tuple(roots),
        max_bytes=max_bytes,
    )
    with conversion_step(args) as progress:
        outcomes = convert_candidates(
            files, prepass, job, jobs=args.jobs, on_progress=progress, timeout=timeout, cache=cache
        )
    cache.save()
    call_sites = [FileOutcome(path) for path in files]
    if getattr(args, "fix_call_sites", False):
        call_sites = _fix_call_sites(outcomes, roots, args, write=write, diff=diff)
    for outcome, calls in zip(outcomes, call_sites):
        sys.stdout.write(outcome.diff + calls.diff)
    return [_as_report(outcome, calls) for outcome, calls in zip(outcomes, call_sites)]


def _fix_call_sites(
    outcomes: list[FileOutcome], roots: list[Path], args: argparse.Namespace, *, write: bool, diff: bool
) -> list[FileOutcome]:
    from seq2tfdata.migrate import converted_class_names  # libcst: loaded only when needed

    # Classes are known by their qualified names: a class spelled like a converted one, in
    # another module, is another class. Notebooks cannot be imported from.
    classes = frozenset().union(
        *(
            converted_class_names(outcome.findings, module_for(outcome.path, roots))
            for outcome in outcomes
            if outcome.path.suffix != NOTEBOOK_SUFFIX
        )
    )
    # A notebook's own classes count in that notebook only (module "": see CallSiteJob).
    notebooks = {
        outcome.path.as_posix(): converted_class_names(outcome.findings)
        for outcome in outcomes
        if outcome.path.suffix == NOTEBOOK_SUFFIX
    }
    call_job = CallSiteJob(
        classes, write=write, diff=diff, roots=tuple(roots), max_bytes=args.max_file_size or None,
        notebook_classes=notebooks,
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
    name = selection.stdin_display_name(args)
    if selection.stdin_excluded(args) or file_opted_out(text):
        # An editor pipes every file through: an excluded one comes back as it went in.
        if not args.check and not args.diff:
            sys.stdout.write(text)
        reason = "excluded" if selection.stdin_excluded(args) else selection.OPTED_OUT_FILE
        return _finish([FileReport(name, skipped=reason)], args)
    if args.remove:
        return _finish([remove_in_stdin(text, args, name)], args)
    result = _convert_within_limits(text, args, name)
    if args.diff:
        sys.stdout.write(unified_diff(text, result.code, name))
    elif not args.check:
        sys.stdout.write(result.code)
    return _finish([FileReport(name, result.findings, result.error, result.changed)], args)


def _convert_within_limits(text: str, args: argparse.Namespace, name: str = "<stdin>") -> Result:
    size = len(text.encode("utf-8"))
    if args.max_file_size and size > args.max_file_size:
        message = f"{name}: {describe_size(size)} is over the {describe_size(args.max_file_size)} size limit; skipped"
        return Result(text, text, error=message)
    try:
        with time_budget(args.timeout or None) as budget:
            result = convert_source(text, Options(path=name, max_tier=Tier(args.tier)))
            if budget is not None and budget.expired:
                raise OverBudget(budget.seconds)
    except OverBudget as over:
        return Result(text, text, error=f"{name}: took longer than {over.seconds:g} s; skipped")
    return result


def _finish(reports: list[FileReport], args: argparse.Namespace) -> int:
    display_for(args).end()
    if args.remove:
        verb = "removed generated code from" if args.write else "would remove generated code from"
    else:
        verb = "converted" if args.write else "would convert"
    return finish(reports, args, verb=verb)
