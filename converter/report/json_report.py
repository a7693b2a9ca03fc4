"""The machine-readable report (``--report x.json``, ``--output-format json``).

Its shape is versioned by ``schema_version`` and described in docs/json-schema.md and
docs/report.schema.json. Fields are only ever added within a version; renaming or removing one
bumps it. ``line``/``col`` beside ``location`` are kept from the unversioned report.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from seq2tfdata import __version__
from seq2tfdata.model import ClassFinding, Reason
from seq2tfdata.report.files import FileReport, summary_counts
from seq2tfdata.report.locations import Location, split_location
from seq2tfdata.rules import BY_ID

SCHEMA_VERSION = 1


def _reasons(path: str, finding: ClassFinding, reasons: Sequence[Reason]) -> list[dict[str, object]]:
    return [
        {
            "rule": reason.rule,
            "rule_name": BY_ID[reason.rule].name if reason.rule in BY_ID else "other",
            "line": reason.line,
            "col": reason.col,
            "location": Location(path, reason.line, reason.col, finding.cell).as_json(),
            "message": reason.message,
        }
        for reason in reasons
    ]


def _class(report: FileReport, finding: ClassFinding) -> dict[str, object]:
    return {
        "path": report.path,
        "class": finding.name,
        "line": finding.line,
        "col": finding.col,
        "location": Location(report.path, finding.line, finding.col, finding.cell).as_json(),
        "tier": finding.tier.value,
        **({"cell": finding.cell} if finding.cell is not None else {}),
        "changed": report.changed,
        "reasons": _reasons(report.path, finding, finding.reasons),
        "warnings": _reasons(report.path, finding, finding.warnings),
    }


def _located(path: str, message: str) -> dict[str, object]:
    location, text = split_location(path, message)
    return {"path": path, "location": location.as_json(), "message": message, "text": text}


def report_document(reports: Sequence[FileReport]) -> dict[str, object]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "seq2tfdata", "version": __version__},
        "classes": [_class(report, finding) for report in reports for finding in report.findings],
        "errors": [_located(report.path, report.error) for report in reports if report.error],
        "call_sites": [_located(report.path, note) for report in reports for note in report.notes],
        "skipped_files": [{"path": r.path, "reason": r.skipped} for r in reports if r.skipped],
        "summary": {
            "files": len(reports),
            "tiers": summary_counts(reports),
            "files_changed": sum(r.changed for r in reports),
            "errors": sum(1 for r in reports if r.error),
        },
    }


def to_json(reports: Sequence[FileReport]) -> str:
    return json.dumps(report_document(reports), indent=2) + "\n"
