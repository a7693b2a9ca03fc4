"""The end of a ``convert`` or ``report`` run: the report file, the chosen output format, the
summary on stderr and the exit code (0 clean, 1 changed, 123 error)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from seq2tfdata.report import FileReport, summary_counts, to_github, to_json, to_markdown, to_sarif

EXIT_CLEAN, EXIT_CHANGED, EXIT_ERROR = 0, 1, 123
MACHINE_FORMATS = {"json": to_json, "github": to_github, "sarif": to_sarif}


def report_text(reports: Sequence[FileReport], output_format: str) -> str:
    if output_format in MACHINE_FORMATS:
        return MACHINE_FORMATS[output_format](reports)
    return to_markdown(reports)


def write_report(reports: Sequence[FileReport], path: Path) -> str | None:
    """``--report FILE``: JSON, or Markdown for ``.md``; the error, if it cannot be written."""
    text = to_markdown(reports) if path.suffix.lower() in {".md", ".markdown"} else to_json(reports)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        return f"cannot write the report {path}: {error.strerror or error}"
    return None


def finish(reports: list[FileReport], args: argparse.Namespace, *, verb: str) -> int:
    status_error = None
    if getattr(args, "report", None):
        status_error = write_report(reports, args.report)
    output_format = getattr(args, "output_format", None) or "text"
    if output_format in MACHINE_FORMATS:
        sys.stdout.write(MACHINE_FORMATS[output_format](reports))
    print_summary(reports, args, verb=verb, details=output_format == "text")
    if status_error:
        print(f"error: {status_error}", file=sys.stderr)
    if status_error or any(r.error for r in reports):
        return EXIT_ERROR
    if any(r.changed for r in reports) and not getattr(args, "exit_zero_even_if_changed", False):
        return EXIT_CHANGED
    return EXIT_CLEAN


def print_summary(reports: Sequence[FileReport], args: argparse.Namespace, *, verb: str, details: bool) -> None:
    """Errors always; with ``-q`` nothing else; ``details``: each class and its reasons."""
    quiet, verbose = getattr(args, "quiet", False), getattr(args, "verbose", False)
    for report in reports:
        if report.error:
            print(f"error: {report.error}", file=sys.stderr)
        if quiet:
            continue
        if report.skipped and (verbose or details):
            print(f"skipped {report.path}: {report.skipped}", file=sys.stderr)
        if report.changed and not report.path.startswith("<"):
            print(f"{verb} {report.path}", file=sys.stderr)
        if details:
            _print_details(report)
    if quiet:
        return
    counts = ", ".join(f"{tier} {count}" for tier, count in summary_counts(reports).items())
    changed = sum(r.changed for r in reports)
    errors = sum(1 for r in reports if r.error)
    print(f"{len(reports)} files checked; {changed} {verb}; {errors} errors; classes: {counts}", file=sys.stderr)


def _print_details(report: FileReport) -> None:
    for finding in report.findings:
        cell = f"cell {finding.cell}:" if finding.cell is not None else ""
        print(f"{report.path}:{cell}{finding.line}:{finding.col}: {finding.name}: {finding.tier.value}", file=sys.stderr)
        for reason in finding.reasons:
            print(f"  {reason.render(report.path)} [{reason.rule}]", file=sys.stderr)
        for warning in finding.warnings:
            print(f"  warning: {warning.render(report.path)} [{warning.rule}]", file=sys.stderr)
    for note in report.notes:
        print(f"call site: {note}", file=sys.stderr)


def print_skipped(skipped: Sequence[tuple[Path, str]], args: argparse.Namespace) -> None:
    """``-v``: the files the walk left out, and why."""
    if getattr(args, "verbose", False):
        for path, reason in skipped:
            print(f"skipped {path.as_posix()}: {reason}", file=sys.stderr)
