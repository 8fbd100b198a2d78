"""The downloaded self-evaluation (HTML), opened on its own in Chromium, passes axe at desktop and 320px wide."""

from __future__ import annotations

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
    render_html,
)
from tests.e2e.conftest import AXE, WCAG_TAGS


def _page(criterion_id: str, written: bool) -> CriterionPage:
    return CriterionPage(
        id=criterion_id,
        title=f"Children's needs are identified early ({criterion_id}), a long title that has to wrap on a phone",
        written=written,
        version=3 if written else None,
        status_text="Signed off by Council (local authority) and Integrated care board (NHS) (version 3)"
        if written
        else "Not written",
        grade_label="Developing" if written else "Not graded",
        strengths=("Early years settings identify needs early.",) if written else (),
        areas_for_development=("Too many plans take longer than 20 weeks.",) if written else (),
        impact=(),
        next_steps=(StepLine("Audit 20 plans issued late", "Head of SEND", "31 March 2027"),) if written else (),
        evidence=(EvidenceLine("EV-0004", "EHC needs assessment audit 2026", "Approved"),) if written else (),
        measures=(
            MeasureLine(
                "New EHC plans issued within 20 weeks, excluding exceptions",
                "2025",
                "39.3%",
                "165 of 420",
                "46.4% in 2024 (partnership 38% that year)",
            ),
        ),
        feedback_text="428 responses; 30.3% agree",
        quotes=(QuoteLine("We waited eighteen months for an assessment.", "Parent carer survey, Spring 2026"),),
    )


@pytest.fixture(scope="module")
def document_html() -> str:
    document = SefDocument(
        title="Self-evaluation",
        service_name="Inspect",
        partnership_name="Demoshire SEND Partnership",
        partnership_slug="demo",
        framework_label="Area SEND inspections: framework and handbook (2025-06-06)",
        as_of=date(2026, 11, 28),
        generated_at=datetime(2026, 11, 28, 9, 30, tzinfo=UTC),
        generated_text="28 November 2026 at 09:30",
        signed_off_only=False,
        criteria_total=2,
        criteria_written=1,
        criteria_signed_off=1,
        sections=(
            SectionPages("experiences", "Experiences and outcomes", (_page("EXP1", True),)),
            SectionPages("leadership", "Leadership", (_page("LEAD1", False),)),
        ),
    )
    return render_html(document).decode("utf-8")


@pytest.mark.parametrize("width", [1024, 320])
def test_downloaded_self_evaluation_has_no_axe_violations_and_fits_the_screen(page, document_html, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.set_content(document_html)
    page.add_script_tag(path=str(AXE))

    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations", WCAG_TAGS
    )

    assert [f"{v['id']}: {v['help']}" for v in violations] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("h1").inner_text() == "Self-evaluation"
    assert page.get_by_role("link", name="EXP1: Children's needs").count() == 1  # the contents link to each page
