"""The readiness report in each format: one function per format, a media type and a file name for each.

The report itself (`ReadinessReport`) is built in `reports/readiness_report.py`; each renderer lives in its own
module and takes the built report.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from inspect_app.domain.errors import ValidationFailed
from inspect_app.reports.readiness_docx import render_docx
from inspect_app.reports.readiness_html import render_html, render_pdf
from inspect_app.reports.readiness_report import ReadinessReport
from inspect_app.reports.readiness_tables import render_csv, render_xlsx


def render_json(report: ReadinessReport) -> bytes:
    """Render the `inspect-app/readiness/2` JSON document (UTF-8, indented, keys in the design's order)."""
    return (json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


RENDERERS: dict[str, Callable[[ReadinessReport], bytes]] = {
    "json": render_json,
    "html": render_html,
    "pdf": render_pdf,
    "docx": render_docx,
    "xlsx": render_xlsx,
    "csv": render_csv,
}
MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
EXTENSIONS: dict[str, str] = {name: f".{name}" for name in RENDERERS}
FORMATS: tuple[str, ...] = tuple(RENDERERS)


def render(report: ReadinessReport, report_format: str) -> bytes:
    """Render the report in one of FORMATS; an unknown format raises ValidationFailed naming the choices."""
    renderer = RENDERERS.get(report_format)
    if renderer is None:
        raise ValidationFailed(f"Choose a report format from {', '.join(FORMATS)}, not {report_format!r}")
    return renderer(report)


def filename(report: ReadinessReport, report_format: str) -> str:
    """Return the download file name for the report in a format: readiness-<slug>-<as of>.<ext>."""
    return f"{report.filename_stem}{EXTENSIONS[report_format]}"
