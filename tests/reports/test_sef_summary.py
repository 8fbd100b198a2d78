"""The one-page criterion summary without the app: cutting texts at sentences, and the PDF's one page."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from inspect_app.reports.sef_document import (
    CriterionPage,
    EvidenceLine,
    MeasureLine,
    QuoteLine,
    SectionPages,
    SefDocument,
    StepLine,
)
from inspect_app.reports.sef_summary import FULL, CriterionSummary, excerpt, lay_out, render_pdf, shorten
from tests.factories import shipped_framework


def test_short_paragraphs_are_kept_whole():
    assert excerpt(("One.", "Two."), 100).paragraphs == ("One.", "Two.")
    assert not excerpt(("One.", "Two."), 100).cut


def test_a_long_text_is_cut_at_the_end_of_a_sentence_and_marked_cut():
    cut = excerpt(("First sentence here. Second sentence here. Third sentence here.",), 45)
    assert cut.paragraphs == ("First sentence here. Second sentence here.",)
    assert cut.cut


def test_a_sentence_ends_after_its_closing_quote_and_not_inside_a_number():
    assert shorten('Parents said "we were heard." Then more happened.', 35) == 'Parents said "we were heard."'
    assert shorten("Waits fell to 12.5 weeks in 2025. Then more.", 30) == "Waits fell to 12.5 weeks in…"


def test_a_first_sentence_longer_than_the_budget_is_cut_at_a_word_with_an_ellipsis():
    cut = excerpt(("A very long single sentence without any full stop that goes on and on",), 30)
    assert cut.paragraphs == ("A very long single sentence…",) and cut.cut


def test_later_paragraphs_that_do_not_fit_are_left_out():
    cut = excerpt(("Kept.", "Also a sentence that is too long to fit in what is left."), 40)
    assert cut.paragraphs == ("Kept.",) and cut.cut


def _sentences(topic: str, length: int) -> str:
    text = " ".join(f"{topic} sentence {n} says what changed for children in this part of the area." for n in range(99))
    return shorten(text, length)


def _longest_summary() -> CriterionSummary:
    """The criterion with the most measures, with every text as long as the app accepts."""
    framework = shipped_framework()
    criterion = max(framework.criteria, key=lambda c: (len(c.measures), len(c.indicators)))
    long_text = "\n".join(_sentences(f"Paragraph {n}", 700) for n in range(7))  # the form's 5,000 characters
    page = CriterionPage(
        id=criterion.id,
        title=criterion.title,
        written=True,
        version=4,
        status_text="Version 4, a draft waiting for sign-off by Council (local authority) and Integrated care board",
        grade_label="Developing",
        strengths=tuple(long_text.split("\n")),
        areas_for_development=tuple(long_text.split("\n")),
        impact=tuple(long_text.split("\n")),
        next_steps=tuple(
            StepLine(_sentences(f"Step {n}", 500), _sentences("Owner", 200), f"{n + 1} March 2027") for n in range(5)
        ),
        evidence=tuple(EvidenceLine(f"EV-{n:04d}", _sentences(f"Item {n}", 300), "Approved") for n in range(12)),
        measures=tuple(
            MeasureLine(framework.measure(m).title, "2025", "39.3%", "1,165 of 2,420", "46.1%")
            for m in criterion.measures
        ),
        feedback_text="1,428 responses from 3 surveys; 30.3% agree",
        quotes=tuple(QuoteLine(_sentences("Quote", 900), "Parent carer survey, Spring 2026") for _ in range(3)),
    )
    document = SefDocument(
        title="Self-evaluation",
        service_name="Inspect",
        partnership_name="Northshire local area partnership",
        partnership_slug="northshire",
        framework_label=f"{framework.title} ({framework.version})",
        as_of=date(2026, 11, 28),
        generated_at=datetime(2026, 11, 28, 9, 30, tzinfo=UTC),
        generated_text="28 November 2026 at 09:30",
        signed_off_only=False,
        criteria_total=1,
        criteria_written=1,
        criteria_signed_off=0,
        sections=(SectionPages("EXP", "Experiences", (page,)),),
    )
    return CriterionSummary(
        document=document,
        section_title="Experiences and outcomes",
        page=page,
        criterion_confirmed=True,
        expectations=tuple(indicator.text for indicator in criterion.indicators),
        expectations_confirmed=True,
    )


def test_the_web_page_budget_cuts_every_long_part_and_keeps_every_measure():
    summary = _longest_summary()
    layout = lay_out(summary, FULL)
    assert layout.impact.cut and layout.strengths.cut and layout.areas_for_development.cut
    assert sum(len(p) for p in layout.impact.paragraphs) <= FULL.impact
    assert layout.evidence_left_out == 12 - FULL.evidence and layout.next_steps_cut
    assert len(summary.page.measures) >= 10


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="needs poppler-utils (pdfinfo)")
def test_the_longest_summary_the_app_accepts_is_one_page_and_ends_with_its_last_next_step(tmp_path):
    path = tmp_path / "summary.pdf"
    path.write_bytes(render_pdf(_longest_summary()))

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE), info
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    text = re.sub(r"\s+", " ", text.decode("utf-8"))
    assert "Suspected autism referrals open 13 weeks or more" in text  # the last measure row
    assert "5 March 2027" in text  # the last next step: the page was not cut short
    assert "continued in the full self-evaluation" in text.lower()


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="needs poppler-utils (pdfinfo)")
def test_a_criterion_with_more_measures_than_a_page_holds_still_gets_exactly_one_page(tmp_path):
    longest = _longest_summary()
    many = longest.page.measures * 8  # no shipped criterion has this many: the page keeps what fits
    summary = replace(longest, page=replace(longest.page, measures=many))
    path = tmp_path / "summary.pdf"
    path.write_bytes(render_pdf(summary))

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE), info
