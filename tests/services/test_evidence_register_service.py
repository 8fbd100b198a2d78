from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from inspect_app.models import AuditEvent, EvidenceItem
from inspect_app.reports.evidence_register import register_csv, register_xlsx
from inspect_app.services import audit
from inspect_app.services import evidence_register as service
from inspect_app.services import frameworks as framework_service
from inspect_app.storage import LocalStore
from tests.evidence_factories import SETTINGS, make_item
from tests.factories import NOW


@pytest.fixture
def store(tmp_path):  # type: ignore[no-untyped-def]
    return LocalStore(tmp_path / "store")


def _library(session, world, store) -> None:  # type: ignore[no-untyped-def]
    a = world.a
    make_item(
        session,
        store,
        a,
        status="approved",
        title="Strategy, “final”, 2025–28",
        description="Line one\nLine two, with a comma",
        period_from=date(2025, 4, 1),
        period_to=date(2026, 3, 31),
        links={"LEAD1": "Sets out priorities.", "EXP1": "Names the 20-week target: see p. 4."},
    )
    make_item(
        session,
        store,
        a,
        kind="link",
        status="returned",
        title="Local offer",
        evidence_type="local_offer",
        partner="parent_carer_forum",
        owner_id=a.viewer.id,
        url="https://example.org/offer?a=1&b=2",
    )
    make_item(
        session,
        store,
        a,
        status="ready_for_review",
        title="Minutes",
        evidence_type="board_minutes",
        partner="icb",
        owner_id=a.lead.id,
        as_at=None,
        review_by=date(2026, 12, 1),
        links={"LEAD3": "Minutes show the board challenging delays."},
    )


def _import(session, world, data, *, allow_approved=True):  # type: ignore[no-untyped-def]
    _, framework = framework_service.partnership_framework(session, world.b.partnership)
    return service.import_register(
        session,
        audit.SYSTEM,
        world.b.partnership,
        data,
        framework=framework,
        settings=SETTINGS,
        when=NOW,
        allow_approved=allow_approved,
        filename="reg",
    )


def _same_people_in_b(session, world) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import add_member

    for user in (world.a.contributor, world.a.viewer, world.a.lead):
        add_member(session, world.b.partnership, user, "contributor")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_exported_register_imports_back_unchanged(session, two_partnerships, store, file_format):
    world = two_partnerships
    _library(session, world, store)
    _same_people_in_b(session, world)
    write = register_csv if file_format == "csv" else register_xlsx
    exported = write(service.export_rows(session, world.a.partnership.id, role="lead"))
    result = _import(session, world, exported)
    assert result.ok, result.errors
    again = write(service.export_rows(session, world.b.partnership.id, role="lead"))
    if file_format == "csv":
        assert again == exported
    else:

        def cells(data):  # type: ignore[no-untyped-def]
            return [[c.value for c in row] for row in load_workbook(io.BytesIO(data)).active.iter_rows()]

        assert cells(again) == cells(exported)
        assert len(cells(again)) == 4


def test_an_import_with_any_bad_row_adds_nothing(session, two_partnerships, store):
    world = two_partnerships
    data = (
        b"title,evidence_type,partner,owner_email,criteria\n"
        b"Good,board_minutes,council,lead@beta.example,LEAD1: Shows challenge.\n"
        b"Bad,board_minutes,council,lead@alpha.example,LEAD1\n"
    )
    result = _import(session, world, data)
    assert [(e.row, e.column) for e in result.errors] == [(3, "owner_email")]
    session.rollback()
    assert session.scalar(select(func.count()).select_from(EvidenceItem)) == 0


def test_imported_items_get_references_links_statuses_and_an_audit_entry(session, two_partnerships):
    world = two_partnerships
    data = (
        b"reference,title,evidence_type,partner,owner_email,criteria,status,returned_reason\n"
        b",First,board_minutes,council,lead@beta.example,LEAD1: Shows challenge.,approved,\n"
        b"EV-0001,Second,board_minutes,council,lead@beta.example,,returned,Wrong year\n"
    )
    result = _import(session, world, data)
    assert result.ok, result.errors
    items = session.scalars(select(EvidenceItem).order_by(EvidenceItem.title)).all()
    assert [(i.title, i.reference, i.status) for i in items] == [
        ("First", "EV-0002", "approved"),
        ("Second", "EV-0001", "returned"),
    ]
    assert items[0].links[0].note == "Shows challenge."
    assert items[1].returned_reason == "Wrong year"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.register_imported")).one()
    assert event.details["rows"] == 2
