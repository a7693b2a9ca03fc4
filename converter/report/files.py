"""The per-file record every report format is built from."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from seq2tfdata.model import ClassFinding, Tier


@dataclass(frozen=True)
class FileReport:
    path: str
    findings: tuple[ClassFinding, ...] = ()
    error: str | None = None
    changed: bool = False
    notes: tuple[str, ...] = ()
    # Why the file was left alone without being read as code (``# seq2tfdata: skip-file``).
    skipped: str | None = None


def summary_counts(reports: Iterable[FileReport]) -> dict[str, int]:
    counts = Counter(finding.tier.value for report in reports for finding in report.findings)
    return {tier.value: counts.get(tier.value, 0) for tier in Tier}
