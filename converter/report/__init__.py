"""Reports: what was found and converted, for machines (JSON, GitHub, SARIF) and people (Markdown)."""

from seq2tfdata.report.annotations import to_github, to_sarif
from seq2tfdata.report.files import FileReport, summary_counts
from seq2tfdata.report.json_report import SCHEMA_VERSION, report_document, to_json
from seq2tfdata.report.markdown_report import to_markdown

__all__ = [
    "SCHEMA_VERSION",
    "FileReport",
    "report_document",
    "summary_counts",
    "to_github",
    "to_json",
    "to_markdown",
    "to_sarif",
]
