"""A criterion's self-evaluation on one page: the web page, the one-page PDF, who sees which version."""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime

import pytest
from sqlalchemy import select

from inspect_app.domain.self_evaluation import EntryContent, NextStep
from inspect_app.models import AuditEvent
from inspect_app.services import audit, timeliness
from inspect_app.services import feedback_comments as comment_service
from inspect_app.services.frameworks import partnership_framework
from inspect_app.services.readiness import ReadinessSettings
from inspect_app.services.sef_document import build_sef_document
from tests.evidence_factories import make_item
from tests.factories import create_feedback, import_case_file, write_sef_entry
from tests.page import text_of

WHEN = datetime(2026, 2, 1, 9, 0)
HEADINGS = (
    "What the framework expects",
    "Grade and sign-off",
    "Evidence of impact",
    "Measures beside England",
    "What families say",
    "Evidence cited",
    "Next steps",
)


@pytest.fixture(autouse=True)
def _fresh_snapshots():  # type: ignore[no-untyped-def]
    timeliness.clear_cache()
    yield
    timeliness.clear_cache()


def _write(session, world_part, criterion_id: str, content: EntryContent, *, sign: bool) -> None:  # type: ignore[no-untyped-def]
    write_sef_entry(session, world_part, criterion_id, content, sign=sign, when=WHEN)


def _pdf(data: bytes, tmp_path) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """The PDF's page count (poppler's pdfinfo) and its text, whitespace collapsed."""
    path = tmp_path / "summary.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return pages, re.sub(r"\s+", " ", text.decode("utf-8"))


def _sentences(topic: str, count: int) -> str:
    return " ".join(
        f"{topic} sentence {n} says what changed for children in this part of the area." for n in range(count)
    )


def test_members_see_the_current_draft_and_inspectors_the_signed_off_version(
    pages, session, two_partnerships, sign_in, tmp_path
):
    from inspect_app.storage.local import LocalStore

    a = two_partnerships.a
    store = LocalStore(tmp_path / "store")
    approved = make_item(session, store, a, title="Approved audit", status="approved", links={"EXP1": "Shows it."})
    draft = make_item(session, store, a, title="Draft tracker", links={"EXP1": "Shows it."})
    cited = (approved.id, draft.id)
    _write(session, a, "EXP1", EntryContent(grade="secure", impact="Signed impact.", evidence_ids=cited), sign=True)
    _write(
        session,
        a,
        "EXP1",
        EntryContent(grade="strong", impact="Draft impact after sign-off.", evidence_ids=cited),
        sign=False,
    )

    sign_in(a.viewer)
    page = pages.get("/p/alpha/self-evaluation/EXP1/summary")
    text = text_of(page)
    assert page.h1.get_text(" ", strip=True).startswith("EXP1: Children and young people's needs are identified")
    assert "Draft impact after sign-off." in text and "Signed impact." not in text
    assert "Strong" in text and "Version 2, a draft waiting for sign-off by" in text
    # The inspector's reading order: expectations, grade, impact, measures, families, evidence, next steps.
    headings = [h2.get_text(strip=True) for h2 in page.select("main h2")]
    assert headings == list(HEADINGS)
    assert "Needs are spotted early" in text  # what the framework expects, from the framework's indicators
    assert page.find("a", href="/p/alpha/self-evaluation/EXP1/summary.pdf")
    assert "Approved audit (approved)" in text and "Draft tracker (draft)" in text

    sign_in(a.inspector)
    text = text_of(pages.get("/p/alpha/self-evaluation/EXP1/summary"))
    assert "Signed impact." in text and "Draft impact after sign-off." not in text
    assert "Secure" in text and "(version 1)" in text
    assert "Approved audit" in text and "Draft tracker" not in text  # inspectors see approved evidence only


def test_an_inspector_with_nothing_signed_off_gets_a_page_saying_so(
    pages, session, two_partnerships, sign_in, tmp_path
):
    a = two_partnerships.a
    _write(session, a, "EXP2", EntryContent(grade="weak", strengths="Draft only."), sign=False)
    sign_in(a.inspector)

    page = pages.get("/p/alpha/self-evaluation/EXP2/summary")
    text = text_of(page)
    assert "No signed-off evaluation." in text
    assert "Draft only." not in text and "Weak" not in text
    assert "Evidence of impact" not in text and "Measures beside England" in text

    response = pages.client.get("/p/alpha/self-evaluation/EXP2/summary.pdf")
    assert response.status_code == 200
    count, pdf_text = _pdf(response.data, tmp_path)
    assert count == 1 and "No signed-off evaluation." in pdf_text and "Draft only." not in pdf_text


def test_the_pdf_is_one_page_even_with_very_long_texts_and_keeps_the_headings_and_figures(
    client, app, session, two_partnerships, sign_in, tmp_path
):
    a = two_partnerships.a
    import_case_file(session, a.partnership, "cases_valid.csv")
    _, wave, _, _ = create_feedback(session, a.partnership)
    _, framework = partnership_framework(session, a.partnership)
    comments = comment_service.list_comments(session, a.partnership.id, comment_service.CommentFilter())[:4]
    for comment in comments:
        comment.text = _sentences("Quote", 12)
        comment_service.update_comment(
            session,
            audit.SYSTEM,
            comment,
            themes=["EXP1"],
            is_quote=True,
            quote_note=None,
            framework=framework,
            when=WHEN,
        )
    from inspect_app.storage.local import LocalStore

    store = LocalStore(tmp_path / "store")
    items = [
        make_item(
            session, store, a, title=f"Evidence item {n} " + "with a long title " * 12, links={"EXP1": "Shows it."}
        )
        for n in range(10)
    ]
    session.commit()
    long_text = "\n".join(_sentences(f"Paragraph {p}", 9) for p in range(7))  # about 5,000 characters
    _write(
        session,
        a,
        "EXP1",
        EntryContent(
            grade="developing",
            strengths=long_text,
            areas_for_development=long_text,
            impact="Impact comes first. " + long_text,
            next_steps=tuple(
                NextStep(_sentences(f"Step {n}", 6)[:500], "Head of SEND " * 10, date(2026, 9, n + 1)) for n in range(5)
            ),
            evidence_ids=tuple(item.id for item in items),
        ),
        sign=False,
    )
    expected = build_sef_document(
        session, a.partnership, ReadinessSettings.from_app_config(app.config), criterion_ids=["EXP1"]
    )
    (measures,) = [page.measures for section in expected.sections for page in section.criteria]
    figures = [m for m in measures if m.counts_text]
    assert figures, "the case file gives EXP1 figures from the data"

    sign_in(a.lead)
    response = client.get("/p/alpha/self-evaluation/EXP1/summary.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="self-evaluation-alpha-EXP1-summary-'
    )
    count, text = _pdf(response.data, tmp_path)
    assert count == 1
    for heading in HEADINGS:
        assert heading in text, heading
    assert "Impact comes first." in text and "Continued in the full self-evaluation" in text
    assert "Paragraph 6 sentence 8" not in text  # the end of the long text is left for the full document
    assert text.index("Impact comes first.") < text.index("Paragraph 0 sentence 0 says what changed for children")
    for measure in figures:
        assert measure.value_text in text and measure.counts_text in text
    assert "Developing" in text and "1 September 2026" in text and "5 September 2026" in text


def test_the_page_shows_the_same_measure_rows_as_the_document(pages, app, session, two_partnerships, sign_in):
    a = two_partnerships.a
    import_case_file(session, a.partnership, "cases_valid.csv")
    document = build_sef_document(
        session, a.partnership, ReadinessSettings.from_app_config(app.config), criterion_ids=["EXP1", "LEAD5"]
    )
    assert [p.id for s in document.sections for p in s.criteria] == ["EXP1", "LEAD5"]
    (lead5,) = [p for s in document.sections for p in s.criteria if p.id == "LEAD5"]

    sign_in(a.viewer)
    page = pages.get("/p/alpha/self-evaluation/LEAD5/summary")
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in page.select(".app-summary__measures tbody tr")
    ]
    assert rows == [
        [
            m.title,
            m.period_text,
            f"{m.value_text} ({m.counts_text})" if m.counts_text else m.value_text,
            m.england_text,
        ]
        for m in lead5.measures
    ]
    wrapper = page.select_one(".app-table-wrapper")
    assert wrapper["aria-label"] == "Measures for LEAD5 beside England"
    assert wrapper.find("caption").get_text(strip=True) == "Measures for LEAD5 beside England"


def test_summary_downloads_are_audited(client, session, two_partnerships, sign_in):
    a = two_partnerships.a
    _write(session, a, "EXP1", EntryContent(grade="secure", impact="Signed impact."), sign=True)
    for user in (a.contributor, a.inspector):
        sign_in(user)
        assert client.get("/p/alpha/self-evaluation/EXP1/summary.pdf").status_code == 200

    downloads = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.downloaded")).all()
    assert [(e.actor, e.object_id, e.details["criterion"], e.details["signed_off_only"]) for e in downloads] == [
        ("contributor@alpha.example", "sef-summary", "EXP1", False),
        ("inspector@alpha.example", "sef-summary", "EXP1", True),
    ]
    taken = session.scalars(select(AuditEvent).where(AuditEvent.action == "inspector.downloaded")).one()
    assert taken.object_id.startswith("self-evaluation-alpha-EXP1-summary-")


def test_an_unknown_criterion_is_not_found_and_another_partnership_is_refused(client, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    assert client.get("/p/alpha/self-evaluation/NOPE9/summary").status_code == 404
    assert client.get("/p/alpha/self-evaluation/NOPE9/summary.pdf").status_code == 404
    sign_in(two_partnerships.b.lead)
    assert client.get("/p/alpha/self-evaluation/EXP1/summary").status_code == 404
    assert client.get("/p/alpha/self-evaluation/EXP1/summary.pdf").status_code == 404


def test_the_entry_page_and_the_document_link_to_each_summary(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.inspector)
    entry = pages.get("/p/alpha/self-evaluation/EXP1")
    assert entry.find("a", href="/p/alpha/self-evaluation/EXP1/summary")
    document = pages.get("/p/alpha/self-evaluation/document")
    assert len(document.select('a[href$="/summary"]')) == 15
    assert document.find(id="criterion-EXP1")  # where "continued in the full self-evaluation" leads
