"""The readiness pages and downloads."""

from __future__ import annotations

import csv
import io
import json

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from inspect_app.domain.readiness import CAVEAT, GAP_CODES
from inspect_app.models import AuditEvent
from inspect_app.services import timeliness
from tests.page import text_of


@pytest.fixture(autouse=True)
def _fresh_snapshots():  # type: ignore[no-untyped-def]
    timeliness.clear_cache()
    yield
    timeliness.clear_cache()


def test_readiness_page_says_where_the_partnership_stands_in_its_own_words_and_stays_short(
    pages, two_partnerships, sign_in
):
    sign_in(two_partnerships.a.viewer)
    soup = pages.get("/p/alpha/readiness/")
    text = text_of(soup)
    assert "Readiness for inspection" in text
    assert "Not enough data yet" in text
    assert CAVEAT in text
    assert "Impact: what the data and families say" in text and "Preparation: can the partnership show it" in text
    criteria_rows = soup.select("#criteria-scores ~ .app-table-wrapper")[0].select("tbody tr")
    assert len(criteria_rows) == 15
    first = criteria_rows[0]
    hrefs = [a["href"] for a in first.select("a")]
    assert "/p/alpha/readiness/criteria/EXP1" in hrefs
    assert "/p/alpha/readiness/gaps?criterion=EXP1" in hrefs
    assert len(soup.select("#next-actions ~ ol li")) == 5  # the register has its own page
    assert not soup.select("#gap-register")
    assert soup.find("a", string="How it is made up")["href"] == "/p/alpha/readiness/how-it-is-made-up"
    # Provisional wording is marked wherever a criterion is shown; the AP section counts once.
    ap1 = next(row for row in criteria_rows if "AP1" in text_of(row))
    assert "Provisional wording" in text_of(ap1)
    assert "Provisional wording" not in text_of(first)
    assert "counts as one criterion" in text
    # No rule codes on screen.
    assert not any(code in text for code in GAP_CODES)


def test_each_next_action_links_to_where_it_is_done(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    soup = pages.get("/p/alpha/readiness/")
    links = [a["href"] for a in soup.select("#next-actions ~ ol li a")]
    assert len(links) == 5
    assert all(link.startswith("/p/alpha/") for link in links)
    assert "/p/alpha/evidence/new?criterion=EXP1" in links  # no evidence: the add form
    assert "/p/alpha/self-evaluation/EXP1/edit" in links  # no self-evaluation: the edit form
    for link in links:
        assert pages.client.get(link).status_code == 200, link


def test_gap_register_has_its_own_page_and_filters_by_severity_criterion_kind_and_owner(
    pages, two_partnerships, sign_in
):
    sign_in(two_partnerships.a.lead)
    everything = pages.get("/p/alpha/readiness/gaps")
    total = len(everything.select(".app-table-wrapper tbody tr"))
    assert total >= 45  # an empty partnership has at least three gaps per criterion
    assert not any(code in text_of(everything.select_one("main")) for code in GAP_CODES)
    soup = pages.get("/p/alpha/readiness/gaps?criterion=LEAD2&code=NO_EVIDENCE")
    rows = soup.select(".app-table-wrapper tbody tr")
    assert len(rows) == 1
    assert "No evidence is linked to LEAD2." in text_of(rows[0])
    assert rows[0].select("a")[-1]["href"] == "/p/alpha/evidence/new?criterion=LEAD2"
    assert f"1 of {total} gaps match" in text_of(soup)
    # Unknown values are ignored rather than trusted.
    soup = pages.get("/p/alpha/readiness/gaps?severity=urgent&criterion=ZZZ&owner=Mallory&code=DROP")
    assert len(soup.select(".app-table-wrapper tbody tr")) == total
    soup = pages.get("/p/alpha/readiness/gaps?owner=none&severity=low")
    for row in soup.select(".app-table-wrapper tbody tr"):
        assert "Low" in text_of(row)


def test_how_it_is_made_up_explains_the_model_in_plain_english_with_the_configured_numbers(
    app, pages, two_partnerships, sign_in
):
    app.config["READINESS"] = {"duty_green_min": 95, "impact_share": 0.8}
    sign_in(two_partnerships.a.viewer)
    soup = pages.get("/p/alpha/readiness/how-it-is-made-up")
    text = text_of(soup)
    assert "How readiness is made up" in text
    assert "green when at least 95% of cases met the time limit" in text
    assert "80% of its impact and 20% of its preparation" in text
    assert "practitioners' answers are shown apart" in text
    assert "Not enough data yet" in text and CAVEAT in text
    assert "Statutory duty below the law" in text  # every kind of gap, by name
    assert not any(code in text for code in GAP_CODES)


def test_criterion_page_answers_impact_and_preparation_and_unknown_criteria_are_not_found(
    pages, two_partnerships, sign_in
):
    sign_in(two_partnerships.a.contributor)
    soup = pages.get("/p/alpha/readiness/criteria/EXP1")
    text = text_of(soup)
    assert "Impact: what the data and families say" in text
    assert "Preparation: can the partnership show it" in text
    assert "Practitioners say" in text
    assert "No evidence is linked to EXP1." in text
    assert "EXP1 has not enough data on impact to score" in text
    assert pages.client.get("/p/alpha/readiness/criteria/NOPE").status_code == 404
    assert "Provisional wording" in text_of(pages.get("/p/alpha/readiness/criteria/AP2"))


@pytest.mark.parametrize(
    "url", ["/", "/gaps", "/how-it-is-made-up", "/criteria/EXP1", "/download.pdf", "/download.json"]
)
def test_inspectors_do_not_see_the_partnerships_readiness(client, two_partnerships, sign_in, url):
    sign_in(two_partnerships.a.inspector)
    assert client.get(f"/p/alpha/readiness{url}").status_code == 403


@pytest.mark.parametrize("file_format", ["json", "csv", "xlsx", "docx", "html", "pdf"])
def test_every_download_reads_back_and_is_audited(client, session, two_partnerships, sign_in, file_format):
    sign_in(two_partnerships.a.viewer)
    response = client.get(f"/p/alpha/readiness/download.{file_format}")
    assert response.status_code == 200
    assert 'filename="readiness-alpha-' in response.headers["Content-Disposition"]
    body = response.data
    if file_format == "json":
        document = json.loads(body)
        assert document["schema"] == "inspect-app/readiness/2" and len(document["criteria"]) == 15
        assert document["overall"]["position"] == "not_enough_data"
        assert document["gaps"][0]["link"].startswith("/p/alpha/")
    elif file_format == "csv":
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        assert rows[0]["record"] == "overall" and rows[0]["title"] == "Not enough data yet"
        assert {"NO_EVIDENCE", "NO_SELF_EVALUATION"} <= {row["code"] for row in rows if row["record"] == "gap"}
    elif file_format == "xlsx":
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        assert "Comparisons" in workbook.sheetnames
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


def test_dashboard_card_gives_the_position_and_the_top_five_next_actions(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    soup = pages.get("/p/alpha/")
    link = soup.find("a", string="Readiness")
    assert link is not None and link["href"] == "/p/alpha/readiness/"
    card = link.find_parent("div")
    assert "Not enough data yet" in text_of(card)
    assert CAVEAT in text_of(card)
    actions = card.select("ol li a")
    assert len(actions) == 5
    assert all(a["href"].startswith("/p/alpha/") for a in actions)


def test_inspectors_dashboard_has_no_readiness_card(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.inspector)
    soup = pages.get("/p/alpha/")
    assert soup.find("a", string="Readiness") is None
    assert "Next actions" not in text_of(soup)
