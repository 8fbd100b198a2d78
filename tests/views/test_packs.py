"""The evidence pack in the browser: who may prepare it, what the download holds, and the audit trail."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from inspect_app.models import AuditEvent
from inspect_app.reports.evidence_pack import verify_pack
from inspect_app.storage import get_store
from tests.evidence_factories import make_item
from tests.page import text_of


@pytest.fixture
def evidence(session, two_partnerships):  # type: ignore[no-untyped-def]
    a = two_partnerships.a
    items = {
        "approved": make_item(
            session,
            get_store(),
            a,
            title="SEND strategy",
            links={"LEAD1": "Sets out the priorities.", "EXP1": "Early help first."},
            status="approved",
        ),
        "draft": make_item(session, get_store(), a, title="Unfinished draft"),
    }
    make_item(session, get_store(), two_partnerships.b, title="Beta strategy", status="approved")
    session.commit()
    return items


def download(client):  # type: ignore[no-untyped-def]
    response = client.get("/p/alpha/evidence-pack/download")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="evidence-pack-alpha-')
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data()


@pytest.mark.parametrize("role", ["lead", "inspector"])
def test_leads_and_inspectors_see_what_the_pack_will_hold(pages, two_partnerships, evidence, sign_in, role):
    sign_in(getattr(two_partnerships.a, role))
    soup = pages.get("/p/alpha/evidence-pack/")
    text = text_of(soup)
    assert "1 approved file" in text and "0 of" in text
    button = soup.find("a", string="Download evidence pack")
    assert button["href"].startswith("/p/alpha/evidence-pack/download?chosen=1") and "govuk-button" in button["class"]
    assert "readiness" not in text_of(soup.select_one("main")).lower()


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_contributors_and_viewers_cannot_prepare_a_pack(client, two_partnerships, evidence, sign_in, role):
    sign_in(getattr(two_partnerships.a, role))
    assert client.get("/p/alpha/evidence-pack/").status_code == 403
    assert client.get("/p/alpha/evidence-pack/preview").status_code == 403
    assert client.get("/p/alpha/evidence-pack/download").status_code == 403


def test_a_lead_chooses_extras_only_from_the_list_and_previews_exactly_the_files_inspectors_receive(
    client, pages, two_partnerships, evidence, sign_in
):
    sign_in(two_partnerships.a.lead)
    soup = pages.get("/p/alpha/evidence-pack/")
    boxes = soup.select("input[name=include]")
    assert [b["value"] for b in boxes] == ["self_evaluation", "timeliness", "national_figures", "family_feedback"]
    assert all(b.has_attr("checked") for b in boxes)
    form = soup.find("input", attrs={"name": "include"}).find_parent("form")
    assert form["action"] == "/p/alpha/evidence-pack/preview" and form["method"] == "get"

    preview = pages.get("/p/alpha/evidence-pack/preview?chosen=1&include=national_figures")
    listed = [th.get_text(strip=True) for th in preview.select("table")[0].select("tbody th")]
    assert listed == ["index.html", "data/national-figures.csv", "manifest.json, manifest.csv"]
    assert "SEND strategy" in text_of(preview) and "Unfinished draft" not in text_of(preview)
    download_href = preview.find("a", string="Download this pack")["href"]
    assert download_href == "/p/alpha/evidence-pack/download?chosen=1&include=national_figures"

    response = client.get(download_href)
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        names = set(archive.namelist())
    generated = {"index.html", "manifest.json", "manifest.csv", "data/national-figures.csv"}
    assert names - {n for n in names if n.startswith("evidence/")} == generated
    # Nothing outside the list can be added.
    assert client.get("/p/alpha/evidence-pack/download?chosen=1&include=readiness").status_code == 404
    assert client.get("/p/alpha/evidence-pack/preview?chosen=1&include=../../etc").status_code == 404


def test_lead_downloads_a_pack_of_approved_evidence_that_verifies(client, session, two_partnerships, evidence, sign_in):
    sign_in(two_partnerships.a.lead)
    data = download(client)
    result = verify_pack(io.BytesIO(data))
    assert result.ok, result.problems
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        index = archive.read("index.html").decode()
    assert [f["evidence_id"] for f in manifest["files"] if f["kind"] == "evidence"] == [evidence["approved"].id]
    assert "Unfinished draft" not in index and "Beta strategy" not in index
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence_pack.built")).one()
    assert (event.actor, event.details["via"], event.details["evidence_files"]) == ("lead@alpha.example", "web", 1)
    assert not session.scalars(select(AuditEvent).where(AuditEvent.action == "inspector.downloaded")).all()


def test_inspector_download_is_in_the_inspector_activity_leads_see(
    pages, client, session, two_partnerships, evidence, sign_in
):
    sign_in(two_partnerships.a.inspector)
    download(client)
    sign_in(two_partnerships.a.lead)
    soup = pages.get("/p/alpha/inspections/inspector-activity")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in soup.select("table")[1].select("tbody tr")]
    downloaded = [row for row in rows if "inspector.downloaded" in row]
    assert len(downloaded) == 1 and downloaded[0][3].startswith("evidence-pack-alpha-")


def test_the_pack_is_linked_from_the_inspector_guide_and_the_library(pages, two_partnerships, evidence, sign_in):
    sign_in(two_partnerships.a.inspector)
    guide = [a["href"] for a in pages.get("/p/alpha/").select("main ol a")]
    assert "/p/alpha/evidence-pack/" in guide
    library = pages.get("/p/alpha/evidence/")
    assert library.find("a", href="/p/alpha/evidence-pack/") is not None
    sign_in(two_partnerships.a.lead)
    assert pages.get("/p/alpha/evidence/").find("a", href="/p/alpha/evidence-pack/") is not None
    sign_in(two_partnerships.a.contributor)
    assert pages.get("/p/alpha/evidence/").find("a", href="/p/alpha/evidence-pack/") is None
