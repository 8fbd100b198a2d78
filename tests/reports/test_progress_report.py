"""The one-page progress report on an inspection's findings: web page, PDF and Word."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, datetime

import pytest
from docx import Document

from inspect_app.reports.progress_report import ProgressLine, ProgressReport, filename, render, shorten

pytestmark = pytest.mark.skipif(not shutil.which("pdfinfo"), reason="needs poppler-utils (pdfinfo, pdftotext)")


def line(n: int, **changes) -> ProgressLine:  # type: ignore[no-untyped-def]
    values = {
        "reference": f"PA{n}",
        "kind_label": "Area for priority action",
        "text": "Leaders should make sure that EHC plans are issued on time. " * 3,
        "owner": "Sam Patel",
        "due": date(2027, 6, 30),
        "status_label": "On track",
        "overdue": False,
        "latest_update": "Two more caseworkers started in October; the backlog fell by a third.",
        "latest_update_on": date(2026, 11, 2),
        "evidence": 2,
        "criteria": ("EXP2",),
    }
    values.update(changes)
    return ProgressLine(**values)


def report(lines, audience="board") -> ProgressReport:  # type: ignore[no-untyped-def]
    return ProgressReport(
        partnership_name="Northshire SEND Partnership",
        plan_title="Written statement of action",
        inspection_label="Full inspection notified 4 March 2019, under the Local area SEND inspection framework",
        outcome_label="Written statement of action required",
        report_url="https://reports.ofsted.gov.uk/provider/44/80539",
        audience=audience,
        as_of=date(2026, 11, 27),
        generated_at=datetime(2026, 11, 27, 10, 0),
        lines=tuple(lines),
    )


def pdf_facts(data: bytes, tmp_path) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return info, text


SAMPLE = [
    line(1),
    line(2, status_label="Off track", overdue=True, due=date(2026, 9, 30)),
    line(3, status_label="Done", latest_update_on=None, latest_update=""),
]


def test_html_has_every_finding_and_the_counts():
    html = render(report(SAMPLE), "html").decode()
    assert '<h1 class="govuk-heading-m">Written statement of action: progress</h1>' in html
    assert "3 findings: 1 on track, 1 off track, 1 done; 1 past their due date and not done." in html
    assert "Off track (overdue)" in html and "None yet" in html
    assert "For the partnership board" in html


def test_pdf_is_one_landscape_page_even_for_a_long_plan(tmp_path):
    info, text = pdf_facts(render(report(SAMPLE, audience="dfe-nhse"), "pdf"), tmp_path)
    assert "Pages:           1" in info and "841.89 x 595.276 pts (A4)" in info  # landscape
    assert "For DfE and NHS England" in text and "PA2" in text
    info, _ = pdf_facts(render(report([line(n) for n in range(1, 40)]), "pdf"), tmp_path)
    assert "Pages:           1" in info


def test_word_is_an_editable_table_with_a_row_per_finding():
    document = Document(io.BytesIO(render(report(SAMPLE), "docx")))
    [table] = document.tables
    assert [cell.text for cell in table.rows[0].cells] == [
        "Ref",
        "Finding",
        "Owner",
        "Due",
        "Status",
        "Latest progress",
        "Evidence",
    ]
    assert [row.cells[0].text for row in table.rows[1:]] == ["PA1", "PA2", "PA3"]
    assert table.rows[2].cells[4].text == "Off track (overdue)"
    assert document.sections[0].page_width > document.sections[0].page_height


def test_texts_are_shortened_at_a_sentence_end():
    assert shorten("One. Two. Three.", 10) == "One. Two. …"
    assert shorten("A long sentence without an end", 12) == "A long …"
    assert shorten("short", 10) == "short"
    assert filename(report(SAMPLE), "northshire", "pdf") == "northshire-findings-progress-2026-11-27-board.pdf"
