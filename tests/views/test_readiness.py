"""The readiness pages and downloads."""

from __future__ import annotations

import csv
import io
import json

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from inspect_app.models import AuditEvent
from inspect_app.services import timeliness
from tests.page import text_of


@pytest.fixture(autouse=True)
def _fresh_snapshots():  # type: ignore[no-untyped-def]
    timeliness.clear_cache()
    yield
    timeliness.clear_cache()


def test_readiness_page_shows_the_overall_position_criteria_and_every_gap(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.viewer)
    soup = pages.get("/p/alpha/readiness/")
    text = text_of(soup)
    assert "Readiness for inspection" in text
    assert "estimate from this tool, not an inspection judgement" in text.lower()
    criteria_rows = soup.select("#criteria-scores ~ .app-table-wrapper")[0].select("tbody tr")
    assert len(criteria_rows) == 15
    # Every number links to where it comes from.
    first = criteria_rows[0]
    hrefs = [a["href"] for a in first.select("a")]
    assert "/p/alpha/readiness/criteria/EXP1" in hrefs
    assert "/p/alpha/self-evaluation/EXP1" in hrefs
    assert "/p/alpha/evidence/?criterion=EXP1" in hrefs
    assert "/p/alpha/readiness/?criterion=EXP1#gap-register" in hrefs
    assert f"{15 * 3}" in text or "gaps" in text  # an empty partnership has at least three gaps per criterion
    register = soup.select("#gap-register ~ .app-table-wrapper tbody tr")
    assert len(register) >= 45


def test_gap_register_filters_by_severity_criterion_code_and_owner(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    everything = pages.get("/p/alpha/readiness/")
    total = len(everything.select("#gap-register ~ .app-table-wrapper tbody tr"))
    soup = pages.get("/p/alpha/readiness/?criterion=LEAD2&code=NO_EVIDENCE")
    rows = soup.select("#gap-register ~ .app-table-wrapper tbody tr")
    assert len(rows) == 1
    assert "No evidence is linked to LEAD2." in text_of(rows[0])
    assert f"1 of {total} gaps match" in text_of(soup)
    # Unknown values are ignored rather than trusted.
    soup = pages.get("/p/alpha/readiness/?severity=urgent&criterion=ZZZ&owner=Mallory&code=DROP")
    assert len(soup.select("#gap-register ~ .app-table-wrapper tbody tr")) == total
    soup = pages.get("/p/alpha/readiness/?owner=none&severity=low")
    for row in soup.select("#gap-register ~ .app-table-wrapper tbody tr"):
        assert "Low" in text_of(row)


def test_criterion_page_explains_the_score_and_unknown_criteria_are_not_found(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.contributor)
    soup = pages.get("/p/alpha/readiness/criteria/EXP1")
    text = text_of(soup)
    assert "How the score is made up" in text
    assert "No evidence is linked to EXP1." in text
    assert len(soup.select("#score ~ .app-table-wrapper")[0].select("tbody tr")) == 5
    assert pages.client.get("/p/alpha/readiness/criteria/NOPE").status_code == 404


def test_inspectors_do_not_see_the_partnerships_readiness(client, two_partnerships, sign_in):
    sign_in(two_partnerships.a.inspector)
    assert client.get("/p/alpha/readiness/").status_code == 403
    assert client.get("/p/alpha/readiness/download.pdf").status_code == 403


@pytest.mark.parametrize("file_format", ["json", "csv", "xlsx", "docx", "html", "pdf"])
def test_every_download_reads_back_and_is_audited(client, session, two_partnerships, sign_in, file_format):
    sign_in(two_partnerships.a.viewer)
    response = client.get(f"/p/alpha/readiness/download.{file_format}")
    assert response.status_code == 200
    assert 'filename="readiness-alpha-' in response.headers["Content-Disposition"]
    body = response.data
    if file_format == "json":
        document = json.loads(body)
        assert document["schema"] == "inspect-app/readiness/1" and len(document["criteria"]) == 15
    elif file_format == "csv":
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        assert {"NO_EVIDENCE", "NO_SELF_EVALUATION"} <= {row["code"] for row in rows}
    elif file_format == "xlsx":
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        assert len(workbook.sheetnames) >= 2
    elif file_format == "docx":
        headings = [p.text for p in Document(io.BytesIO(body)).paragraphs if p.style.name.startswith("Heading")]
        assert "Gap register" in headings
    elif file_format == "html":
        assert b"<h1" in body and b"Gap register" in body
    else:
        assert body.startswith(b"%PDF")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.downloaded")).one()
    assert event.partnership_id == two_partnerships.a.partnership.id
    assert event.details["format"] == file_format
    assert client.get("/p/alpha/readiness/download.exe").status_code == 404


def test_dashboard_card_gives_the_score_and_links_to_readiness(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    soup = pages.get("/p/alpha/")
    link = soup.find("a", string="Readiness")
    assert link is not None and link["href"] == "/p/alpha/readiness/"
    assert "out of 100" in text_of(link.find_parent("div"))
