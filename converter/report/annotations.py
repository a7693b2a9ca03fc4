"""CI formats: GitHub Actions workflow commands and SARIF 2.1.0 (code scanning).

Both list the same items: one per reason and warning of every class, one per file error, one
per call-site note; each with its rule id (``rules.RULES``) and location.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from seq2tfdata import __version__
from seq2tfdata.model import Tier
from seq2tfdata.report.files import FileReport
from seq2tfdata.report.locations import Location, split_location
from seq2tfdata.rules import CALL_SITE, FILE_ERROR, RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass(frozen=True)
class Item:
    level: str  # SARIF's: error, warning, note
    rule: str
    location: Location
    message: str


def items(reports: Sequence[FileReport]) -> Iterator[Item]:
    for report in reports:
        if report.error:
            location, text = split_location(report.path, report.error)
            yield Item("error", FILE_ERROR, location, text)
        for finding in report.findings:
            # A skipped class is left as it was, which a reviewer should see; a slower tier is a note.
            level = "warning" if finding.tier is Tier.SKIPPED else "note"
            for reason in finding.reasons:
                where = Location(report.path, reason.line, reason.col, finding.cell)
                yield Item(level, reason.rule, where, f"{finding.name} ({finding.tier.value}): {reason.message}")
            for warning in finding.warnings:
                where = Location(report.path, warning.line, warning.col, finding.cell)
                yield Item("warning", warning.rule, where, f"{finding.name}: {warning.message}")
        for note in report.notes:
            location, text = split_location(report.path, note)
            yield Item("note", CALL_SITE, location, text)


_GITHUB_LEVELS = {"error": "error", "warning": "warning", "note": "notice"}


def _escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def to_github(reports: Sequence[FileReport]) -> str:
    lines = []
    for item in items(reports):
        props = [f"file={_escape(item.location.path, property_value=True)}"]
        if item.location.line is not None:
            props += [f"line={item.location.line}", f"col={item.location.column}"]
        props.append(f"title={_escape('seq2tfdata ' + item.rule, property_value=True)}")
        lines.append(f"::{_GITHUB_LEVELS[item.level]} {','.join(props)}::{_escape(item.message)}\n")
    return "".join(lines)


def _sarif_result(item: Item) -> dict[str, object]:
    region = {"startLine": item.location.line, "startColumn": item.location.column}
    physical: dict[str, object] = {"artifactLocation": {"uri": item.location.path}}
    if item.location.line is not None:
        physical["region"] = region
    return {
        "ruleId": item.rule,
        "level": item.level,
        "message": {"text": item.message},
        "locations": [{"physicalLocation": physical}],
    }


def to_sarif(reports: Sequence[FileReport]) -> str:
    rules = [{"id": r.id, "name": r.name, "shortDescription": {"text": r.summary}} for r in RULES]
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "seq2tfdata", "version": __version__, "rules": rules}},
                "results": [_sarif_result(item) for item in items(reports)],
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"
