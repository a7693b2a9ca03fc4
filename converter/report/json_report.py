"""The machine-readable report (``--report x.json``)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from seq2tfdata.model import Reason
from seq2tfdata.report.files import FileReport, summary_counts


def _reasons(reasons: Sequence[Reason]) -> list[dict[str, object]]:
    return [{"line": r.line, "col": r.col, "message": r.message} for r in reasons]


def to_json(reports: Sequence[FileReport]) -> str:
    classes = [
        {
            "path": report.path,
            "class": finding.name,
            "line": finding.line,
            "col": finding.col,
            "tier": finding.tier.value,
            **({"cell": finding.cell} if finding.cell is not None else {}),
            "reasons": _reasons(finding.reasons),
            "warnings": _reasons(finding.warnings),
        }
        for report in reports
        for finding in report.findings
    ]
    errors = [{"path": report.path, "message": report.error} for report in reports if report.error]
    call_sites = [{"path": report.path, "message": note} for report in reports for note in report.notes]
    document = {
        "classes": classes,
        "errors": errors,
        "call_sites": call_sites,
        "summary": {"tiers": summary_counts(reports), "files_changed": sum(r.changed for r in reports)},
    }
    return json.dumps(document, indent=2) + "\n"
