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
    assert button["href"] == "/p/alpha/evidence-pack/download" and "govuk-button" in button["class"]


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_contributors_and_viewers_cannot_prepare_a_pack(client, two_partnerships, evidence, sign_in, role):
    sign_in(getattr(two_partnerships.a, role))
    assert client.get("/p/alpha/evidence-pack/").status_code == 403
    assert client.get("/p/alpha/evidence-pack/download").status_code == 403


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
