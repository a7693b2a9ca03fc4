"""The report for people (``--report x.md``, ``seq2tfdata report``)."""

from __future__ import annotations

from collections.abc import Sequence

from seq2tfdata.render.text import render_text
from seq2tfdata.report.files import FileReport, summary_counts


def to_markdown(reports: Sequence[FileReport], title: str = "seq2tfdata report") -> str:
    rows = [(report, finding) for report in reports for finding in report.findings]
    return render_text(
        "report.md.j2",
        title=title,
        counts=summary_counts(reports),
        rows=rows,
        errors=[report for report in reports if report.error],
        notes=[note for report in reports for note in report.notes],
        files_changed=sum(report.changed for report in reports),
    )
