"""The readiness report as PDF, read back with poppler's pdftotext and pdfinfo (installed by `make`)."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from inspect_app.domain.readiness import CAVEAT
from inspect_app.reports.readiness_render import render_pdf
from tests.reports.conftest import report_from
from tests.reports.sample import readiness_input

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (pdftotext)")


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """Return the text of each page, whitespace collapsed."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return [re.sub(r"\s+", " ", page).strip() for page in text.decode("utf-8").split("\f")[:-1]]


def unhyphenated(text: str) -> str:
    """Drop hyphens: pdftotext joins a word broken at a line-end hyphen ("multi-" + "agency" -> "multiagency")."""
    return text.replace("-", "")


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def busy_render(busy_report):  # type: ignore[no-untyped-def]
    """Render the busy report once, collecting anything WeasyPrint logs (unsupported CSS, missing fonts)."""
    collect, logger = Collect(), logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        return render_pdf(busy_report), collect.messages
    finally:
        logger.removeHandler(collect)


@pytest.fixture
def busy_pages(busy_render, tmp_path) -> list[str]:  # type: ignore[no-untyped-def]
    return pdf_pages(busy_render[0], tmp_path)


RUNNING_HEADER = ("Northshire local area partnership – readiness report ", "As of 27 November 2026 ")


def body(page: str) -> str:
    """Return a page's text without the running header."""
    for part in RUNNING_HEADER:
        page = page.replace(part, "", 1)
    return page


def test_pdf_is_a_pdf_and_weasyprint_logged_no_warnings(busy_render):
    pdf, warnings = busy_render

    assert pdf.startswith(b"%PDF-")
    assert warnings == []


def test_pdf_cover_names_the_report_partnership_date_position_caveat_and_reason(busy_pages, busy_report):
    cover = busy_pages[0]

    assert cover.startswith("Northshire local area partnership Readiness report Position as of 27 November 2026")
    assert f"Overall position {busy_report.overall.label}" in cover
    assert f"{CAVEAT}. {busy_report.overall.reason[:60]}" in cover
    assert "Page " not in cover  # the cover carries no page number or running header


def test_pdf_numbers_every_page_after_the_cover_as_page_n_of_m(busy_pages):
    total = len(busy_pages)

    assert total > 10
    for number, page in enumerate(busy_pages[1:], start=2):
        assert all(part in page for part in RUNNING_HEADER)
        assert page.endswith(f"Page {number} of {total}")
        assert CAVEAT in page


def contents_page(pages: list[str], heading: str) -> int:
    listed = re.search(rf"{re.escape(unhyphenated(heading))}[ .]*(\d+)", unhyphenated(pages[1]))
    assert listed, f"{heading} is not in the contents"
    return int(listed.group(1))


@pytest.mark.parametrize("heading", ["Overall position", "Gap register", "About this report"])
def test_pdf_contents_give_the_page_each_part_starts_on(busy_pages, heading):
    assert body(busy_pages[1]).startswith("Contents Overall position")

    assert body(busy_pages[contents_page(busy_pages, heading) - 1]).startswith(heading)


def test_pdf_contents_give_the_page_next_actions_are_on(busy_pages):
    """Next actions follow the overall position without a page break, so they start part-way down a page."""
    number = contents_page(busy_pages, "Next actions")

    assert number > 2  # after the contents page, which lists it
    assert "Next actions" in body(busy_pages[number - 1])


def test_pdf_contents_give_the_page_of_every_section_and_criterion(busy_pages, busy_report):
    for section in busy_report.sections:
        assert body(busy_pages[contents_page(busy_pages, section.title) - 1]).startswith(section.title)
        for detail in section.criteria:
            heading = f"{detail.row.id}: {detail.row.title}"
            if detail.row.provisional:
                heading += " (provisional wording)"
            assert unhyphenated(heading.removesuffix(" (provisional wording)")) in unhyphenated(
                busy_pages[contents_page(busy_pages, heading) - 1]
            )


def test_pdf_has_every_criterion_a_gap_message_and_the_scores(busy_pages, busy_report):
    text = " ".join(busy_pages)

    for row in busy_report.criteria:
        assert unhyphenated(f"{row.id}: {row.title}") in unhyphenated(text)
        if row.score is None:
            assert f"{row.id} has not enough data on impact to score" in text
        else:
            assert f"{row.id} scores {row.score} out of 100 ({row.rag_label})" in text
    assert busy_report.gap_register[0].message in text
    assert busy_report.gap_register[-1].action in text
    assert f"Overall score {busy_report.overall.score_text}" in text
    assert f"Impact: what the data and families say {busy_report.overall.impact_text}" in text


def test_pdf_charts_come_with_a_table_of_their_numbers(busy_pages, busy_report):
    text = " ".join(busy_pages)

    assert busy_report.scores_chart_title in text  # the chart's own title, drawn as text
    assert "Score (0 to 100): impact, then preparation" in text
    assert "Impact and preparation of each criterion (the numbers in the chart)" in text
    for row in busy_report.criteria:  # pdftotext reads the table column by column, so each figure on its own
        assert row.preparation_text in text and row.impact_text in text and row.score_text in text
    assert "Provisional wording" in text
    high = busy_report.overall.gaps[0]
    assert f"Gaps by severity (the numbers in the chart) Severity Gaps ▩ High {high.count}" in text


def test_a_partnership_with_no_data_gets_a_pdf_with_every_criterion_and_its_gaps(no_data_report, tmp_path):
    text = " ".join(pdf_pages(render_pdf(no_data_report), tmp_path))

    for row in no_data_report.criteria:
        assert unhyphenated(f"{row.id}: {row.title}") in unhyphenated(text)
        assert f"No evidence is linked to {row.id}." in text
        assert f"{row.id} has no self-evaluation: no grade and no text." in text


def test_the_pdf_never_uses_an_inspection_outcomes_label(busy_pages, no_data_report, tmp_path):
    from tests.factories import shipped_framework

    for text in (" ".join(busy_pages), " ".join(pdf_pages(render_pdf(no_data_report), tmp_path))):
        for outcome in shipped_framework().outcomes:
            assert outcome.label.lower() not in text.lower()
        assert "systemic failings" not in text.lower()
        assert CAVEAT in text


def test_a_framework_with_no_criteria_gets_a_short_pdf(tmp_path):
    pages = pdf_pages(render_pdf(report_from(readiness_input(()))), tmp_path)

    assert "No gaps were found." in " ".join(pages)
