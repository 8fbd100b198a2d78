from __future__ import annotations

import hashlib
import io
import re
import shutil
from datetime import date, timedelta

import pytest
import yaml
from sqlalchemy import select

from inspect_app.domain.errors import NotFound, ValidationFailed
from inspect_app.domain.frameworks import load_framework
from inspect_app.models import AuditEvent, EvidenceLink
from inspect_app.services import audit, framework_moves
from inspect_app.services import evidence as service
from inspect_app.services import frameworks as framework_service
from inspect_app.services.evidence import EvidenceFilter, EvidenceInvalid, Upload, add_months
from inspect_app.storage import BlobNotFound, LocalStore, StoredBlob
from tests.evidence_factories import PDF, SETTINGS, docx, fields, make_item
from tests.factories import LATEST_FRAMEWORK_DIR, NOW


class MemoryStore:
    """A second backend (as an object store would be): the services work with it unchanged."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def put(self, stream, *, max_bytes=None):  # type: ignore[no-untyped-def]
        data = stream.read()
        key = hashlib.sha256(data).hexdigest()
        self.blobs[key] = data
        return StoredBlob(key, len(data))

    def open(self, sha256):  # type: ignore[no-untyped-def]
        if sha256 not in self.blobs:
            raise BlobNotFound(sha256)
        return io.BytesIO(self.blobs[sha256])

    def exists(self, sha256):  # type: ignore[no-untyped-def]
        return sha256 in self.blobs

    def delete(self, sha256):  # type: ignore[no-untyped-def]
        self.blobs.pop(sha256, None)

    def keys(self):  # type: ignore[no-untyped-def]
        return iter(sorted(self.blobs))


@pytest.fixture
def store(tmp_path):  # type: ignore[no-untyped-def]
    return LocalStore(tmp_path / "store")


def _actions(session, item=None) -> list[str]:  # type: ignore[no-untyped-def]
    query = select(AuditEvent.action).where(AuditEvent.action.like("evidence.%")).order_by(AuditEvent.id)
    if item is not None:
        query = query.where(AuditEvent.object_id == str(item.id))
    return list(session.scalars(query))


def test_review_by_defaults_to_twelve_months_after_the_as_at_date(session, two_partnerships, store):
    item = make_item(session, store, two_partnerships.a, as_at=date(2024, 2, 29))
    assert item.review_by == date(2025, 2, 28)
    assert item.reference == "EV-0001"
    undated = make_item(session, store, two_partnerships.a, as_at=None)
    assert undated.review_by == add_months(NOW.date(), 12)
    assert undated.reference == "EV-0002"


def test_creating_an_item_checks_every_field_and_names_each_one(session, two_partnerships):
    world = two_partnerships
    _, framework = framework_service.partnership_framework(session, world.a.partnership)
    bad = fields(
        world.a,
        title=" ",
        evidence_type="no_such_type",
        partner="bank",
        owner_id=world.a.inspector.id,
        period_from=date(2026, 4, 1),
        period_to=date(2026, 3, 1),
        url="javascript:alert(1)",
    )
    with pytest.raises(EvidenceInvalid) as caught:
        service.create_item(
            session,
            audit.SYSTEM,
            world.a.partnership,
            bad,
            kind="link",
            framework=framework,
            settings=SETTINGS,
            when=NOW,
        )
    assert set(caught.value.by_field) == {"title", "evidence_type", "partner", "owner_id", "period_to", "url"}
    assert "https://" in caught.value.by_field["url"][0]


@pytest.mark.parametrize(
    "url", ["ftp://example.org/a", "file:///etc/passwd", "data:text/html,hi", "https://", "http://exa mple.org"]
)
def test_links_must_be_plain_http_or_https_addresses(url):
    assert service.check_url(url) is not None
    assert service.check_url("https://www.example.org/local-offer?x=1") is None


def test_owner_must_be_a_member_of_the_same_partnership(session, two_partnerships, store):
    with pytest.raises(EvidenceInvalid, match="owner who is a member"):
        make_item(session, store, two_partnerships.a, owner_id=two_partnerships.b.lead.id)


def test_revisions_keep_history_with_hash_size_type_and_uploader(session, two_partnerships, store):
    world = two_partnerships
    item = make_item(session, store, world.a)
    second = service.add_revision(
        session,
        store,
        audit.Actor.of(world.a.lead),
        item,
        Upload("Strategy v2.docx", io.BytesIO(docx()), note="Board changes"),
        settings=SETTINGS,
        when=NOW,
    )
    assert [r.number for r in item.revisions] == [1, 2]
    first = item.revisions[0]
    assert (first.sha256, first.size) == (hashlib.sha256(PDF).hexdigest(), len(PDF))
    assert first.media_type == "application/pdf"
    assert (second.uploaded_by, second.file_type, second.note) == ("lead@alpha.example", "docx", "Board changes")
    assert store.exists(first.sha256) and store.exists(second.sha256)
    assert service.download_name(item, second) == "Strategy v2.docx"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.pdf", b"", "The selected file is empty"),
        ("big.pdf", b"%PDF-" + b"x" * 2000, "must be smaller than 1 KB"),
        ("bad\x00name.pdf", PDF, "NUL"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "content is not"),
    ],
)
def test_refused_uploads_store_nothing(session, two_partnerships, store, name, data, message):
    world = two_partnerships
    item = make_item(session, store, world.a, kind="link")
    item.kind = "document"
    small = service.EvidenceSettings(max_bytes=1024)
    with pytest.raises(ValidationFailed, match=message):
        service.add_revision(
            session, store, audit.SYSTEM, item, Upload(name, io.BytesIO(data)), settings=small, when=NOW
        )
    assert item.revisions == []
    assert list(store.keys()) == []


def test_an_unseekable_stream_is_spooled_and_still_checked(session, two_partnerships, store):
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes):
            self.inner = io.BytesIO(data)

        def readable(self):  # type: ignore[no-untyped-def]
            return True

        def seekable(self):  # type: ignore[no-untyped-def]
            return False

        def readinto(self, buffer):  # type: ignore[no-untyped-def]
            chunk = self.inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    item = make_item(session, store, two_partnerships.a)
    revision = service.add_revision(
        session, store, audit.SYSTEM, item, Upload("again.pdf", Pipe(PDF)), settings=SETTINGS, when=NOW
    )
    assert revision.size == len(PDF)


def test_another_storage_backend_works_without_changing_the_services(session, two_partnerships):
    memory = MemoryStore()
    item = make_item(session, memory, two_partnerships.a)
    assert memory.exists(item.revisions[0].sha256)
    check = service.check_store(session, memory)
    assert (check.referenced, check.missing, check.unreferenced) == (1, [], [])


def test_workflow_submit_approve_return_and_every_change_is_audited(session, two_partnerships, store):
    world = two_partnerships
    lead = audit.Actor.of(world.a.lead)
    item = make_item(session, store, world.a)
    service.submit_for_review(session, audit.Actor.of(world.a.contributor), item, when=NOW)
    assert item.status == "ready_for_review"
    with pytest.raises(ValidationFailed, match="Only draft or returned"):
        service.submit_for_review(session, lead, item, when=NOW)
    with pytest.raises(EvidenceInvalid, match="Enter why"):
        service.return_item(session, lead, item, "  ", when=NOW)
    service.return_item(session, lead, item, "Add the appendix", when=NOW)
    assert (item.status, item.returned_reason, item.status_changed_by) == (
        "returned",
        "Add the appendix",
        "lead@alpha.example",
    )
    service.submit_for_review(session, audit.Actor.of(world.a.contributor), item, when=NOW)
    assert item.returned_reason is None
    service.approve(session, lead, item, when=NOW)
    assert item.status == "approved"
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.returned")).all()
    assert [(e.actor, e.details["reason"], e.details["status_from"]) for e in events] == [
        ("lead@alpha.example", "Add the appendix", "ready_for_review")
    ]
    assert _actions(session, item) == [
        "evidence.created",
        "evidence.revision_added",
        "evidence.links_changed",
        "evidence.submitted",
        "evidence.returned",
        "evidence.submitted",
        "evidence.approved",
    ]


def test_submitting_needs_a_file_and_at_least_one_criterion(session, two_partnerships, store):
    world = two_partnerships
    _, framework = framework_service.partnership_framework(session, world.a.partnership)
    item = service.create_item(
        session,
        audit.SYSTEM,
        world.a.partnership,
        fields(world.a),
        kind="document",
        framework=framework,
        settings=SETTINGS,
        when=NOW,
    )
    with pytest.raises(ValidationFailed) as caught:
        service.submit_for_review(session, audit.SYSTEM, item, when=NOW)
    assert caught.value.messages == [
        "Upload the file before sending the evidence for review",
        "Link the evidence to at least one criterion before sending it for review",
    ]


@pytest.mark.parametrize("change", ["details", "links", "file"])
def test_any_later_change_to_approved_evidence_returns_it_to_draft_with_the_reason(
    session, two_partnerships, store, change
):
    world = two_partnerships
    _, framework = framework_service.partnership_framework(session, world.a.partnership)
    item = make_item(session, store, world.a, status="approved")
    who = audit.Actor.of(world.a.contributor)
    if change == "details":
        service.update_item(
            session, who, item, fields(world.a, title="New title"), framework=framework, settings=SETTINGS, when=NOW
        )
    elif change == "links":
        service.set_links(
            session,
            who,
            item,
            {"LEAD1": "Sets out the priorities.", "LEAD2": "Shows the plan."},
            framework=framework,
            when=NOW,
        )
    else:
        service.add_revision(
            session, store, who, item, Upload("v2.docx", io.BytesIO(docx())), settings=SETTINGS, when=NOW
        )
    assert item.status == "draft"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.reopened")).one()
    assert event.details["status_from"] == "approved"
    assert "after approval" in event.details["reason"]


def test_saving_unchanged_details_changes_nothing(session, two_partnerships, store):
    world = two_partnerships
    _, framework = framework_service.partnership_framework(session, world.a.partnership)
    item = make_item(session, store, world.a, status="approved")
    same = fields(world.a, review_by=item.review_by)
    assert not service.update_item(session, audit.SYSTEM, item, same, framework=framework, settings=SETTINGS, when=NOW)
    assert item.status == "approved"


def test_links_need_a_sentence_each_and_a_known_criterion(session, two_partnerships, store):
    world = two_partnerships
    _, framework = framework_service.partnership_framework(session, world.a.partnership)
    item = make_item(session, store, world.a)
    with pytest.raises(EvidenceInvalid) as caught:
        service.set_links(session, audit.SYSTEM, item, {"EXP1": " ", "NOPE": "x"}, framework=framework, when=NOW)
    assert caught.value.by_field == {
        "note_EXP1": ["Enter what the evidence shows for EXP1"],
        "criteria": ["There is no criterion NOPE in the framework"],
    }
    assert [link.criterion_id for link in item.links] == ["LEAD1"]


def test_inspectors_only_ever_reach_approved_evidence(session, two_partnerships, store):
    world = two_partnerships
    pid = world.a.partnership.id
    approved = make_item(session, store, world.a, status="approved", title="Approved strategy")
    draft = make_item(session, store, world.a, title="Draft strategy")
    kwargs = {"today": NOW.date(), "soon_days": 30}
    inspector_items = service.list_evidence(session, pid, EvidenceFilter(), role="inspector", **kwargs).items
    assert [i.title for i in inspector_items] == ["Approved strategy"]
    # Asking for drafts by status does not get round it.
    assert service.list_evidence(session, pid, EvidenceFilter(status="draft"), role="inspector", **kwargs).total == 1
    assert len(service.list_evidence(session, pid, EvidenceFilter(), role="viewer", **kwargs).items) == 2
    with pytest.raises(NotFound):
        service.get_item(session, pid, draft.id, role="inspector")
    with pytest.raises(NotFound):
        service.get_revision(session, pid, draft.id, draft.revisions[0].id, role="inspector")
    assert service.get_item(session, pid, approved.id, role="inspector") is approved
    _, framework = framework_service.partnership_framework(session, world.a.partnership)
    coverage = service.coverage(session, pid, framework, role="inspector", today=NOW.date())
    assert coverage["LEAD1"].linked == 1


def test_another_partnerships_revision_is_not_found_even_with_the_same_file(session, two_partnerships, store):
    world = two_partnerships
    mine = make_item(session, store, world.a)
    theirs = make_item(session, store, world.b)
    assert mine.revisions[0].sha256 == theirs.revisions[0].sha256  # one blob, two partnerships
    with pytest.raises(NotFound):
        service.get_revision(session, world.a.partnership.id, theirs.id, theirs.revisions[0].id, role="lead")
    with pytest.raises(NotFound):
        service.get_revision(session, world.a.partnership.id, mine.id, theirs.revisions[0].id, role="lead")


def test_filters_search_criterion_type_owner_partner_stale_and_soon(session, two_partnerships, store):
    world = two_partnerships
    pid = world.a.partnership.id
    today = NOW.date()
    make_item(
        session,
        store,
        world.a,
        title="Short breaks statement",
        evidence_type="short_breaks_statement",
        partner="council",
        review_by=today - timedelta(days=1),
        links={"EXP3": "Lists short breaks."},
    )
    make_item(
        session,
        store,
        world.a,
        title="Waiting times",
        description="Speech and 100% language therapy",
        evidence_type="health_waiting_times",
        partner="icb",
        owner_id=world.a.lead.id,
        review_by=today + timedelta(days=10),
    )
    make_item(
        session,
        store,
        world.a,
        title="Board minutes",
        evidence_type="board_minutes",
        review_by=today + timedelta(days=200),
    )

    def titles(**kwargs):  # type: ignore[no-untyped-def]
        sort = kwargs.pop("sort", "title")
        result = service.list_evidence(
            session, pid, EvidenceFilter(sort=sort, **kwargs), role="lead", today=today, soon_days=30
        )
        return [item.title for item in result.items]

    assert titles() == ["Board minutes", "Short breaks statement", "Waiting times"]
    assert titles(q="language") == ["Waiting times"]
    assert titles(q="100%") == ["Waiting times"]
    assert titles(q="_") == []
    assert titles(criterion="EXP3") == ["Short breaks statement"]
    assert titles(evidence_type="board_minutes") == ["Board minutes"]
    assert titles(owner_id=world.a.lead.id) == ["Waiting times"]
    assert titles(partner="icb") == ["Waiting times"]
    assert titles(stale=True) == ["Short breaks statement"]
    assert titles(review_soon=True) == ["Waiting times"]
    assert titles(stale=True, review_soon=True) == ["Short breaks statement", "Waiting times"]
    assert titles(sort="review_by") == ["Short breaks statement", "Waiting times", "Board minutes"]
    page = service.list_evidence(
        session, pid, EvidenceFilter(sort="title"), role="lead", today=today, soon_days=30, page=2, size=2
    )
    assert (page.total, page.pages, [i.title for i in page.items]) == (3, 2, ["Waiting times"])


def test_digest_shows_leads_what_to_review_and_owners_what_to_fix_or_renew(session, two_partnerships, store):
    world = two_partnerships
    pid = world.a.partnership.id
    today = NOW.date()
    waiting = make_item(session, store, world.a, status="ready_for_review", title="Waiting")
    returned = make_item(session, store, world.a, status="returned", title="Returned")
    draft = make_item(session, store, world.a, title="Draft")
    due = make_item(session, store, world.a, status="approved", title="Due", review_by=today + timedelta(days=5))
    lead = service.digest_for(session, pid, world.a.lead.id, role="lead", today=today, soon_days=30)
    assert [i.title for i in lead.to_review] == ["Waiting"]
    mine = service.digest_for(session, pid, world.a.contributor.id, role="contributor", today=today, soon_days=30)
    assert (mine.to_review, mine.returned, mine.drafts, mine.awaiting, mine.renew) == (
        [],
        [returned],
        [draft],
        [waiting],
        [due],
    )
    assert service.digest_for(session, pid, world.a.viewer.id, role="viewer", today=today, soon_days=30).empty


def test_coverage_counts_items_per_criterion_and_the_types_still_missing(session, two_partnerships, store):
    world = two_partnerships
    _, framework = framework_service.partnership_framework(session, world.a.partnership)
    make_item(session, store, world.a, status="approved", evidence_type="ehcna_audit", links={"EXP1": "Audit."})
    make_item(session, store, world.a, evidence_type="sen2_return", links={"EXP1": "Return.", "LEAD1": "Data."})
    facts = service.coverage(session, world.a.partnership.id, framework, role="lead", today=NOW.date())
    assert (facts["EXP1"].linked, facts["EXP1"].approved) == (2, 1)
    expected = framework.criterion("EXP1").evidence_types
    assert facts["EXP1"].missing_types == tuple(t for t in expected if t not in ("ehcna_audit", "sen2_return"))
    assert facts["EXP2"].linked == 0


def _second_version(tmp_path, old):  # type: ignore[no-untyped-def]
    """A copy of the shipped framework in which EXP1 is split into EXP1A and EXP1B and EXP2 is dropped."""
    source = LATEST_FRAMEWORK_DIR
    target = tmp_path / "area-send" / "2099-01-01"
    shutil.copytree(source, target)
    meta = (target / "framework.yml").read_text()
    for before, after in ((old.version, "2099-01-01"), (old.in_force_from.isoformat(), "2099-01-01")):
        meta = meta.replace(before, after)
    (target / "framework.yml").write_text(meta)
    exp1 = (target / "criteria" / "EXP1.yml").read_text()
    for path in (target / "criteria" / "EXP1.yml", target / "criteria" / "EXP2.yml"):
        path.unlink()
    for new_id in ("EXP1A", "EXP1B"):
        text = exp1.replace("id: EXP1\n", f"id: {new_id}\n").replace("replaces: []", "replaces: [EXP1]")
        if new_id == "EXP1B":
            text = re.sub(r"survey_items:.*?\n(?=\w)", "survey_items: []\n", text, flags=re.DOTALL)
        (target / "criteria" / f"{new_id}.yml").write_text(text)
    sections = target / "sections.yml"
    sections.write_text(sections.read_text().replace("[EXP1, EXP2,", "[EXP1A, EXP1B,"))
    survey = yaml.safe_load((target / "survey-items.yml").read_text())
    survey["survey_items"] = [
        {**item, "criterion": "EXP1A" if item["criterion"] == "EXP1" else item["criterion"]}
        for item in survey["survey_items"]
        if item["criterion"] != "EXP2"
    ]
    (target / "survey-items.yml").write_text(yaml.safe_dump(survey, sort_keys=False, allow_unicode=True))
    return target


def test_moving_framework_version_carries_links_to_successors_and_keeps_orphans(
    session, two_partnerships, store, tmp_path
):
    world = two_partnerships
    partnership = world.a.partnership
    old_row, old = framework_service.partnership_framework(session, partnership)
    folder = _second_version(tmp_path, old)
    new = load_framework(folder)
    framework_service.store_framework(session, audit.SYSTEM, new, when=NOW)
    new_row = framework_service.get_version(session, new.id, "2099-01-01")
    split = make_item(
        session,
        store,
        world.a,
        status="approved",
        links={"EXP1": "Shows timely assessment.", "EXP3": "Shows help at the right time."},
    )
    dropped = make_item(session, store, world.a, links={"EXP2": "Shows plans are good."})

    plan = framework_moves.plan_move(session, partnership, new_row)
    report = next(r for r in plan.reports if r.what == "evidence links")
    assert (report.carried, report.dropped) == (2, 1)
    assert sorted(link.criterion_id for link in split.links) == ["EXP1", "EXP3"]  # the preview changed nothing

    framework_moves.move_partnership(session, audit.SYSTEM, partnership, new_row, when=NOW)
    session.expire_all()
    links = {(link.item_id, link.criterion_id): link for link in session.scalars(select(EvidenceLink))}
    assert {k[1] for k in links if k[0] == split.id} == {"EXP1A", "EXP1B", "EXP3"}
    assert links[(split.id, "EXP1B")].note == "Shows timely assessment."
    assert links[(dropped.id, "EXP2")].orphaned
    assert split.status == "approved"  # a framework move is not an edit of the evidence
    facts = service.coverage(session, partnership.id, new, role="lead", today=NOW.date())
    assert (facts["EXP1A"].linked, facts["EXP1B"].linked, facts["EXP3"].linked) == (1, 1, 1)
    assert "EXP2" not in facts
    assert (
        service.list_evidence(
            session, partnership.id, EvidenceFilter(criterion="EXP2"), role="lead", today=NOW.date(), soon_days=30
        ).total
        == 0
    )
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "framework.partnership_moved")).one()
    assert (event.details["carried"]["evidence links"], event.details["dropped"]["evidence links"]) == (2, 1)
    assert old_row.id != new_row.id


def test_deleting_an_item_is_audited_and_pruning_removes_only_unreferenced_files(session, two_partnerships, store):
    world = two_partnerships
    shared = make_item(session, store, world.a)
    also = make_item(session, store, world.b)  # same bytes in another partnership
    only = make_item(session, store, world.a, data=docx(), filename="x.docx")
    only_key = only.revisions[0].sha256
    service.delete_item(session, audit.Actor.of(world.a.lead), shared, when=NOW)
    service.delete_item(session, audit.Actor.of(world.a.lead), only, when=NOW)
    check = service.check_store(session, store)
    assert check.unreferenced == [only_key]
    assert service.prune_store(session, store, check.unreferenced) == 1
    assert store.exists(also.revisions[0].sha256) and not store.exists(only_key)
    assert _actions(session).count("evidence.deleted") == 2
