"""Reports: what was found and converted, for machines (JSON) and for people (Markdown)."""

from seq2tfdata.report.files import FileReport, summary_counts
from seq2tfdata.report.json_report import to_json
from seq2tfdata.report.markdown_report import to_markdown

__all__ = ["FileReport", "summary_counts", "to_json", "to_markdown"]
