from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from inspect_app.models import AuditEvent, EvidenceItem, EvidenceRevision
from inspect_app.storage import get_store
from tests.evidence_factories import PDF, docx, make_item
from tests.page import text_of


def _new_document(name="strategy.pdf", data=PDF, **overrides):  # type: ignore[no-untyped-def]
    form = {
        "kind": "document",
        "title": "SEND strategy",
        "evidence_type": "send_strategy",
        "partner": "council",
        "as_at": ["31", "3", "2026"],
        "file": (io.BytesIO(data), name),
    }
    form.update(overrides)
    return form


def _count(session, model=EvidenceItem) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


def _items(session, world, **kwargs):  # type: ignore[no-untyped-def]
    item = make_item(session, get_store(), world, **kwargs)
    session.commit()
    return item


def test_empty_library_invites_the_first_item(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.contributor)
    soup = pages.get("/p/alpha/evidence/")
    assert "There is no evidence in the library yet" in text_of(soup)
    assert soup.find("a", string="Add evidence")


def test_contributor_uploads_a_document_and_is_taken_to_link_it(pages, client, session, two_partnerships, sign_in):
    world = two_partnerships
    sign_in(world.a.contributor)
    form = _new_document(owner_id=str(world.a.contributor.id))
    response = client.post("/p/alpha/evidence/new", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    item = session.scalars(select(EvidenceItem)).one()
    assert response.headers["Location"].endswith(f"/p/alpha/evidence/items/{item.id}/links")
    revision = item.revisions[0]
    assert (revision.filename, revision.media_type, revision.uploaded_by) == (
        "strategy.pdf",
        "application/pdf",
        "contributor@alpha.example",
    )
    assert get_store().exists(revision.sha256)
    assert item.review_by.isoformat() == "2027-03-31"

    soup = pages.post(
        f"/p/alpha/evidence/items/{item.id}/links",
        data={"criteria": ["LEAD1", "EXP1"], "note_LEAD1": "Sets the priorities.", "note_EXP1": ""},
    )
    assert "Enter what the evidence shows for EXP1" in text_of(soup)
    assert soup.title.get_text().startswith("Error: ")
    response = client.post(
        f"/p/alpha/evidence/items/{item.id}/links",
        data={
            "criteria": ["LEAD1", "EXP1"],
            "note_LEAD1": "Sets the priorities.",
            "note_EXP1": "Names the 20-week target.",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert {link.criterion_id: link.note for link in item.links} == {
        "EXP1": "Names the 20-week target.",
        "LEAD1": "Sets the priorities.",
    }


def test_adding_evidence_with_nothing_filled_in_shows_gov_uk_errors(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.contributor)
    soup = pages.post("/p/alpha/evidence/new", data={}, content_type="multipart/form-data")
    summary = text_of(soup.select_one(".govuk-error-summary"))
    for message in (
        "Select whether you are uploading a document or adding a web link",
        "Enter a title",
        "Select an evidence type",
        "Select the partner the evidence comes from",
        "Select an owner",
    ):
        assert message in summary
    assert _count(session) == 0


def test_a_web_link_must_be_http_or_https(pages, session, two_partnerships, sign_in):
    world = two_partnerships
    sign_in(world.a.contributor)
    form = _new_document(kind="link", url="javascript:alert(1)", owner_id=str(world.a.contributor.id))
    form.pop("file")
    soup = pages.post("/p/alpha/evidence/new", data=form, content_type="multipart/form-data")
    assert "Enter a web address that starts with https:// or http://" in text_of(soup)
    assert _count(session) == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", docx(), "is called .pdf but its content is a Word document"),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * 70_000, "must be smaller than 64 KB"),
        ("empty.pdf", b"", "The selected file is empty"),
        ("page.html", b"<html><script>alert(document.cookie)</script></html>", "must be a PDF, Word"),
        ("page.txt", b"<html><script>alert(document.cookie)</script></html>", "content is not"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "must be a PDF, Word"),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "content is not"),
        ("evil\x00.pdf", PDF, "NUL"),
    ],
)
def test_hostile_uploads_are_refused_and_nothing_is_stored(
    pages, app, session, two_partnerships, sign_in, name, data, message
):
    world = two_partnerships
    app.config["EVIDENCE_MAX_BYTES"] = 64 * 1024
    before = set(get_store().keys())
    try:
        sign_in(world.a.contributor)
        soup = pages.post(
            "/p/alpha/evidence/new",
            data=_new_document(name, data, owner_id=str(world.a.contributor.id)),
            content_type="multipart/form-data",
        )
    finally:
        app.config["EVIDENCE_MAX_BYTES"] = 25 * 1024 * 1024
    assert message in text_of(soup.select_one(".govuk-error-summary"))
    assert (_count(session), _count(session, EvidenceRevision)) == (0, 0)
    assert set(get_store().keys()) == before


def test_a_path_in_the_uploaded_name_never_reaches_the_store(client, session, two_partnerships, sign_in, app):
    world = two_partnerships
    sign_in(world.a.contributor)
    form = _new_document("../../../../tmp/owned.pdf", owner_id=str(world.a.contributor.id))
    assert client.post("/p/alpha/evidence/new", data=form, content_type="multipart/form-data").status_code == 302
    revision = session.scalars(select(EvidenceRevision)).one()
    assert revision.filename == "owned.pdf"
    store_root = app.config["EVIDENCE_STORE_PATH"]
    assert (store_root / revision.sha256[:2] / revision.sha256[2:4] / revision.sha256).read_bytes() == PDF
    assert not list(store_root.parent.rglob("*owned*"))  # nothing named from the upload in the instance folder


def test_downloads_are_attachments_with_nosniff_and_the_checked_type(client, session, two_partnerships, sign_in):
    world = two_partnerships
    item = _items(session, world.a, data=docx(), filename="Board paper.docx")
    revision = item.revisions[0]
    sign_in(world.a.viewer)
    response = client.get(f"/p/alpha/evidence/items/{item.id}/revisions/{revision.id}/download")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Board paper.docx" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_data() == docx()
    response.close()


def test_no_file_of_one_partnership_is_downloadable_from_another_even_by_sha256(
    client, session, two_partnerships, sign_in, app
):
    world = two_partnerships
    mine = _items(session, world.a, status="approved")
    theirs = _items(session, world.b, data=docx(), filename="secret.docx", status="approved")
    their_revision = theirs.revisions[0]
    sign_in(world.a.lead)
    for url in (
        f"/p/alpha/evidence/items/{theirs.id}/revisions/{their_revision.id}/download",
        f"/p/alpha/evidence/items/{mine.id}/revisions/{their_revision.id}/download",
        f"/p/beta/evidence/items/{theirs.id}/revisions/{their_revision.id}/download",
        f"/p/alpha/evidence/{their_revision.sha256}",
        f"/p/alpha/evidence/items/{their_revision.sha256}",
        f"/p/alpha/evidence/revisions/{their_revision.sha256}/download",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert docx() not in response.get_data()
    evidence_rules = [rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("evidence.")]
    assert not [rule for rule in evidence_rules if "sha" in rule or "<path:" in rule or "<string:" in rule]


def test_inspectors_see_only_approved_evidence_and_their_downloads_are_audited(
    pages, client, session, two_partnerships, sign_in
):
    world = two_partnerships
    approved = _items(session, world.a, status="approved", title="Approved strategy")
    draft = _items(session, world.a, title="Draft plan")
    waiting = _items(session, world.a, title="Waiting plan", status="ready_for_review")
    sign_in(world.a.inspector)
    text = text_of(pages.get("/p/alpha/evidence/?status=draft"))
    assert "Approved strategy" in text
    assert "Draft plan" not in text and "Waiting plan" not in text
    item_page = text_of(pages.get(f"/p/alpha/evidence/items/{approved.id}"))
    assert "History" not in item_page and "Edit details" not in item_page
    for item in (draft, waiting):
        assert client.get(f"/p/alpha/evidence/items/{item.id}").status_code == 404
        url = f"/p/alpha/evidence/items/{item.id}/revisions/{item.revisions[0].id}/download"
        assert client.get(url).status_code == 404
    response = client.get(f"/p/alpha/evidence/items/{approved.id}/revisions/{approved.revisions[0].id}/download")
    assert response.status_code == 200
    response.close()
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.downloaded")).one()
    assert (event.actor, event.details["sha256"]) == ("inspector@alpha.example", approved.revisions[0].sha256)
    csv = client.get("/p/alpha/evidence/register.csv").get_data(as_text=True)
    assert "Approved strategy" in csv and "Draft plan" not in csv
    assert client.get(f"/p/alpha/evidence/items/{draft.id}/edit").status_code == 403


def test_contributor_submits_and_the_lead_returns_then_approves(pages, client, session, two_partnerships, sign_in):
    world = two_partnerships
    item = _items(session, world.a)
    sign_in(world.a.contributor)
    assert client.post(f"/p/alpha/evidence/items/{item.id}/submit").status_code == 302
    assert client.get(f"/p/alpha/evidence/items/{item.id}/review").status_code == 403  # leads only
    sign_in(world.a.lead)
    digest = text_of(pages.get("/p/alpha/evidence/my-work"))
    assert "Waiting for your review (1)" in digest and item.title in digest
    soup = pages.post(f"/p/alpha/evidence/items/{item.id}/review", data={"decision": "return", "reason": ""})
    assert "Enter why you are returning the evidence" in text_of(soup)
    client.post(f"/p/alpha/evidence/items/{item.id}/review", data={"decision": "return", "reason": "Add page 4"})
    session.expire_all()
    assert (item.status, item.returned_reason) == ("returned", "Add page 4")
    sign_in(world.a.contributor)
    digest = text_of(pages.get("/p/alpha/evidence/my-work"))
    assert "Returned to you (1)" in digest and "Add page 4" in digest
    client.post(f"/p/alpha/evidence/items/{item.id}/submit")
    sign_in(world.a.lead)
    client.post(f"/p/alpha/evidence/items/{item.id}/review", data={"decision": "approve"})
    session.expire_all()
    assert item.status == "approved"
    page = text_of(pages.get(f"/p/alpha/evidence/items/{item.id}"))
    assert "Approved by lead@alpha.example" in page
    assert "Returned" in page and "Add page 4" in page  # the history keeps who returned it and why


def test_submitting_without_links_explains_what_is_missing(pages, client, session, two_partnerships, sign_in):
    world = two_partnerships
    item = _items(session, world.a, links={})
    sign_in(world.a.contributor)
    response = client.post(f"/p/alpha/evidence/items/{item.id}/submit", follow_redirects=True)
    assert "Link the evidence to at least one criterion" in response.get_data(as_text=True)
    session.expire_all()
    assert item.status == "draft"


def test_editing_approved_evidence_warns_and_returns_it_to_draft(pages, client, session, two_partnerships, sign_in):
    world = two_partnerships
    item = _items(session, world.a, status="approved")
    sign_in(world.a.contributor)
    soup = pages.get(f"/p/alpha/evidence/items/{item.id}/edit")
    assert "If you change it, it goes back to draft" in text_of(soup)
    form = {
        "title": "Strategy (revised)",
        "evidence_type": "send_strategy",
        "partner": "council",
        "owner_id": str(world.a.contributor.id),
        "as_at": ["31", "3", "2026"],
        "description": item.description,
    }
    response = client.post(f"/p/alpha/evidence/items/{item.id}/edit", data=form, follow_redirects=True)
    assert "it is back to draft" in response.get_data(as_text=True)
    session.expire_all()
    assert (item.title, item.status) == ("Strategy (revised)", "draft")


def test_uploading_a_new_version_keeps_the_old_one(pages, client, session, two_partnerships, sign_in):
    world = two_partnerships
    item = _items(session, world.a)
    sign_in(world.a.contributor)
    response = client.post(
        f"/p/alpha/evidence/items/{item.id}/revisions/new",
        data={"file": (io.BytesIO(docx()), "v2.docx"), "note": "Signed off"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    text = text_of(pages.get(f"/p/alpha/evidence/items/{item.id}"))
    assert "v2.docx" in text and "strategy.pdf" in text and "Signed off" in text


def test_library_filters_and_sorts_from_the_query_string(pages, session, two_partnerships, sign_in):
    world = two_partnerships
    _items(session, world.a, title="Alpha strategy", links={"EXP1": "Shows it."})
    _items(session, world.a, title="Beta minutes", evidence_type="board_minutes", partner="icb")
    sign_in(world.a.viewer)
    soup = pages.get("/p/alpha/evidence/?criterion=EXP1")
    assert [a.get_text() for a in soup.select("tbody a.govuk-link")] == ["Alpha strategy"]
    soup = pages.get("/p/alpha/evidence/?partner=icb&sort=title&due=stale&due=soon&q=")
    assert "No evidence matches these filters" in text_of(soup)
    soup = pages.get("/p/alpha/evidence/?q=minutes&sort=nonsense&status=bogus&owner=x&page=99")
    assert [a.get_text() for a in soup.select("tbody a.govuk-link")] == ["Beta minutes"]


def test_the_library_paginates(pages, app, session, two_partnerships, sign_in):
    world = two_partnerships
    for number in range(3):
        _items(session, world.a, title=f"Item {number}", kind="link")
    app.config["PAGE_SIZE"] = 2
    try:
        sign_in(world.a.viewer)
        soup = pages.get("/p/alpha/evidence/?sort=title&due=stale&due=soon")
        assert "Page 1 of 1" not in text_of(soup)
        soup = pages.get("/p/alpha/evidence/?sort=title")
        next_link = soup.select_one(".govuk-pagination__next a")["href"]
        assert "page=2" in next_link and "sort=title" in next_link
        assert [a.get_text() for a in pages.get(next_link).select("tbody a.govuk-link")] == ["Item 2"]
    finally:
        app.config["PAGE_SIZE"] = 25


def test_criterion_pages_show_linked_evidence_badges_and_missing_types(pages, session, two_partnerships, sign_in):
    world = two_partnerships
    _items(
        session,
        world.a,
        status="approved",
        title="Needs assessment audit",
        evidence_type="ehcna_audit",
        links={"EXP1": "Shows 90% of advice arrives within 6 weeks."},
    )
    _items(
        session,
        world.a,
        title="Draft waiting list",
        evidence_type="waiting_list_extract",
        links={"EXP1": "Lists who waits."},
    )
    sign_in(world.a.lead)
    soup = pages.get("/p/alpha/framework/criteria/EXP1")
    text = text_of(soup)
    assert "2 evidence items (1 approved)" in text
    assert "Missing types:" in text and "Needs assessment audit" in text
    assert "Shows 90% of advice arrives within 6 weeks." in text
    assert soup.find("a", string="See this evidence in the library")["href"].endswith("/evidence/?criterion=EXP1")
    overview = text_of(pages.get("/p/alpha/framework/"))
    assert "2 evidence items (1 approved)" in overview and "0 evidence items (0 approved)" in overview
    sign_in(world.a.inspector)
    text = text_of(pages.get("/p/alpha/framework/criteria/EXP1"))
    assert "1 evidence item" in text and "Draft waiting list" not in text and "Missing types" not in text


def test_dashboard_card_summarises_the_library(pages, session, two_partnerships, sign_in):
    world = two_partnerships
    _items(session, world.a, status="approved")
    _items(session, world.a, status="ready_for_review")
    sign_in(world.a.lead)
    assert "2 items: 1 approved, 1 waiting for review, 0 past their review-by date." in text_of(pages.get("/p/alpha/"))


def test_import_page_lists_row_errors_and_imports_nothing_then_imports_a_good_file(
    pages, client, session, two_partnerships, sign_in
):
    world = two_partnerships
    sign_in(world.a.contributor)
    bad = (
        b"title,evidence_type,partner,owner_email,status\n"
        b"A,board_minutes,council,lead@alpha.example,draft\n"
        b"B,board_minutes,bank,lead@alpha.example,approved\n"
    )
    soup = pages.post(
        "/p/alpha/evidence/import", data={"file": (io.BytesIO(bad), "register.csv")}, content_type="multipart/form-data"
    )
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in soup.select("tbody tr")]
    assert ["3", "partner", "bank", "Use council, icb, parent_carer_forum, school_college, provider or other"] in rows
    assert ["3", "status", "approved", "Only a lead can import approved evidence"] in rows
    assert "Nothing was imported" in text_of(soup)
    assert _count(session) == 0
    good = b"title,evidence_type,partner,owner_email\nA,board_minutes,council,lead@alpha.example\n"
    response = client.post(
        "/p/alpha/evidence/import",
        data={"file": (io.BytesIO(good), "register.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert _count(session) == 1


def test_register_downloads_as_csv_and_xlsx(client, session, two_partnerships, sign_in):
    world = two_partnerships
    _items(session, world.a, title="Strategy")
    sign_in(world.a.viewer)
    csv = client.get("/p/alpha/evidence/register.csv")
    assert csv.headers["Content-Disposition"].startswith('attachment; filename="evidence-register-alpha-')
    assert "EV-0001,Strategy" in csv.get_data(as_text=True)
    xlsx = client.get("/p/alpha/evidence/register.xlsx")
    assert xlsx.get_data()[:2] == b"PK"


def test_lead_deletes_an_item_after_confirming(pages, client, session, two_partnerships, sign_in):
    world = two_partnerships
    item = _items(session, world.a)
    sign_in(world.a.contributor)
    assert client.post(f"/p/alpha/evidence/items/{item.id}/delete").status_code == 403
    sign_in(world.a.lead)
    assert "You cannot undo this" in text_of(pages.get(f"/p/alpha/evidence/items/{item.id}/delete"))
    assert client.post(f"/p/alpha/evidence/items/{item.id}/delete").status_code == 302
    assert _count(session) == 0
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.deleted")).one()
