"""The case import service without the pages: all or nothing, counts on re-import, dry runs, personal data, audit.

tests/views/test_timeliness.py covers the same service through the upload page; these tests cover what the page
does not reach: dry runs, review files, rows the file leaves out, a repeated file, and each audit entry's details.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from inspect_app.importers.cases import read_cases, read_reviews
from inspect_app.models import AuditEvent, CaseRecord, DataImport, ImportRowError, ReviewRecord
from inspect_app.services import audit, case_imports, timeliness
from tests.factories import CASE_FILES, import_case_file

WHEN = datetime(2025, 6, 30, 12, 0)
TODAY = WHEN.date()
FIRST = (
    b"case_ref,request_date,decision_date,decision\n"
    b"C1,01/03/2024,05/04/2024,assess\nC2,02/03/2024,,\nC3,03/03/2024,10/04/2024,not_assess\n"
)
# The fixture's first three cases (its last two are deliberate errors: an age over 25, a birth after the request).
PERSONAL = b"".join((CASE_FILES / "cases_personal_data.csv").read_bytes().splitlines(keepends=True)[:4])
NEWER = (  # C1 unchanged, C2 now decided, C3 left out, C4 new
    b"case_ref,request_date,decision_date,decision\n"
    b"C1,01/03/2024,05/04/2024,assess\nC2,02/03/2024,12/04/2024,assess\nC4,04/03/2025,,\n"
)


def _import(session, partnership, data: bytes, *, kind: str = "cases", dry_run: bool = False):  # type: ignore[no-untyped-def]
    summary = case_imports.import_file(session, partnership.id, kind, data, today=TODAY, when=WHEN, dry_run=dry_run)
    session.commit()
    return summary


def _count(session, model, partnership_id: int) -> int:  # type: ignore[no-untyped-def]
    query = select(func.count()).select_from(model).where(model.partnership_id == partnership_id)
    return session.scalar(query) or 0


def test_one_bad_row_stores_nothing_and_every_bad_row_is_reported(session, two_partnerships):
    partnership = two_partnerships.a.partnership
    data = FIRST + b"C5,31/02/2024,,\nC6,01/03/2024,01/01/2024,assess\nC1,05/03/2024,,\n"
    summary = _import(session, partnership, data)
    assert not summary.ok
    assert [(e.row, e.column, e.value) for e in summary.errors] == [
        (5, "request_date", "31/02/2024"),
        (6, "decision_date", "01/01/2024"),
        (7, "case_ref", "C1"),
    ]
    assert summary.rows_read == 6
    assert (summary.added, summary.changed, summary.unchanged) == (0, 0, 0)
    assert _count(session, CaseRecord, partnership.id) == 0


def test_a_bad_row_in_a_reimport_leaves_the_stored_cases_as_they_were(session, two_partnerships):
    partnership = two_partnerships.a.partnership
    _import(session, partnership, FIRST)
    before = session.execute(select(CaseRecord.case_ref, CaseRecord.decision, CaseRecord.fingerprint)).all()
    summary = _import(session, partnership, NEWER + b"C9,,,\n")
    assert [(e.row, e.column, e.message) for e in summary.errors] == [
        (5, "request_date", "Enter the request date (only a historical case may leave it blank)")
    ]
    session.expire_all()
    assert session.execute(select(CaseRecord.case_ref, CaseRecord.decision, CaseRecord.fingerprint)).all() == before


def test_reimport_updates_by_case_reference_and_counts_added_changed_unchanged_and_left_out(session, two_partnerships):
    partnership = two_partnerships.a.partnership
    first = _import(session, partnership, FIRST)
    assert (first.added, first.changed, first.unchanged, first.not_in_file) == (3, 0, 0, 0)
    assert first.describe() == "3 cases added, 0 changed, 0 unchanged."
    ids = dict(session.execute(select(CaseRecord.case_ref, CaseRecord.id)).all())
    newer = _import(session, partnership, NEWER)
    assert (newer.added, newer.changed, newer.unchanged, newer.not_in_file) == (1, 1, 1, 1)
    assert newer.describe() == "1 case added, 1 changed, 1 unchanged."
    assert "1 case already stored was not in this file and stayed as they were." in newer.notes
    session.expire_all()
    stored = {r.case_ref: r for r in session.scalars(select(CaseRecord))}
    assert sorted(stored) == ["C1", "C2", "C3", "C4"]
    assert (stored["C2"].decision, stored["C2"].decision_date) == ("assess", date(2024, 4, 12))
    assert stored["C2"].id == ids["C2"] and stored["C1"].id == ids["C1"]  # updated in place, not duplicated
    again = _import(session, partnership, NEWER)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)


def test_a_dry_run_says_what_would_change_and_stores_nothing(session, two_partnerships):
    partnership = two_partnerships.a.partnership
    _import(session, partnership, FIRST)
    summary = _import(session, partnership, NEWER, dry_run=True)
    assert (summary.added, summary.changed, summary.unchanged) == (1, 1, 1)
    assert (
        summary.describe() == "Dry run: nothing was stored. Importing would give 1 case added, 1 changed, 1 unchanged."
    )
    session.expire_all()
    assert sorted(session.scalars(select(CaseRecord.case_ref))) == ["C1", "C2", "C3"]
    assert session.scalar(select(CaseRecord.decision).where(CaseRecord.case_ref == "C2")) is None


def test_the_same_references_in_another_partnership_are_separate_cases(session, two_partnerships):
    _import(session, two_partnerships.a.partnership, FIRST)
    summary = _import(session, two_partnerships.b.partnership, NEWER)
    assert (summary.added, summary.changed, summary.unchanged, summary.not_in_file) == (3, 0, 0, 0)
    assert _count(session, CaseRecord, two_partnerships.a.partnership.id) == 3
    assert _count(session, CaseRecord, two_partnerships.b.partnership.id) == 3


def test_personal_data_columns_are_dropped_named_and_never_stored(session, two_partnerships):
    partnership = two_partnerships.a.partnership
    summary = _import(session, partnership, PERSONAL)
    assert summary.ok
    assert summary.dropped_columns == [
        "Child's name",
        "Date of birth",
        "Address line 1",
        "Post code",
        "UPN",
        "ULN",
        "NHS number",
        "Parent email",
        "Phone number",
    ]
    assert (
        "Where the file gave no age at request, it was worked out from column Date of birth; no date of birth was "
        "stored." in summary.notes
    )
    ages = dict(session.execute(select(CaseRecord.case_ref, CaseRecord.age_at_request)).all())
    assert ages["EHC401"] == 7 and ages["EHC403"] == 5
    stored = " ".join(
        str(value) for row in session.execute(select(CaseRecord)).scalars() for value in vars(row).values()
    )
    for personal in ("Amelia", "Example Street", "ZZ1 1ZZ", "A123456789012", "943 476 5919", "parent@example.com"):
        assert personal not in stored


def test_review_files_import_and_update_by_case_and_meeting_date(session, two_partnerships):
    partnership = two_partnerships.a.partnership
    data = (CASE_FILES / "reviews_valid.csv").read_bytes()
    summary = _import(session, partnership, data, kind="reviews")
    assert summary.describe() == "4 reviews added, 0 changed, 0 unchanged."
    newer = data.replace(b"EHC005,26/06/2024,,", b"EHC005,26/06/2024,01/07/2024,maintain")
    summary = _import(session, partnership, newer, kind="reviews")
    assert (summary.added, summary.changed, summary.unchanged) == (0, 1, 3)
    assert _count(session, ReviewRecord, partnership.id) == 4
    bad = _import(session, partnership, (CASE_FILES / "reviews_errors.csv").read_bytes(), kind="reviews")
    assert not bad.ok and {e.row for e in bad.errors} == {3, 4, 5, 6, 7, 8, 9}
    assert _count(session, ReviewRecord, partnership.id) == 4


def test_a_file_without_a_required_column_is_refused_whole(session, two_partnerships):
    summary = _import(session, two_partnerships.a.partnership, b"case_ref,notes\nC1,x\n")
    assert not summary.ok and summary.errors == []
    assert "request_date" in summary.message


def test_each_import_is_audited_from_queued_to_its_outcome(session, two_partnerships):
    partnership = two_partnerships.a.partnership
    good = import_case_file(session, partnership, PERSONAL, when=WHEN)
    bad = import_case_file(session, partnership, FIRST + b"C5,31/02/2024,,\n", when=WHEN)
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "data_import").order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.object_id, e.partnership_id) for e in events] == [
        ("case_import.queued", str(good.id), partnership.id),
        ("case_import.succeeded", str(good.id), partnership.id),
        ("case_import.queued", str(bad.id), partnership.id),
        ("case_import.failed", str(bad.id), partnership.id),
    ]
    assert events[0].details == {"kind": "cases", "file": "cases.csv", "sha256": good.sha256}
    assert events[1].details["added"] == 3 and events[1].details["dropped_columns"][0] == "Child's name"
    assert events[3].details == {"kind": "cases", "file": "cases.csv", "errors": 1, "message": None}
    assert events[1].actor == audit.SYSTEM.label
    errors = session.execute(
        select(ImportRowError.row, ImportRowError.column).where(ImportRowError.import_id == bad.id)
    ).all()
    assert errors == [(5, "request_date")]
    assert (good.status, good.added, bad.status, bad.error_count) == ("succeeded", 3, "failed", 1)


def test_importing_the_same_file_again_says_when_it_was_imported_before(session, two_partnerships):
    partnership = two_partnerships.a.partnership
    first = import_case_file(session, partnership, FIRST, when=WHEN)
    second = import_case_file(session, partnership, FIRST, when=WHEN)
    assert (second.added, second.unchanged) == (0, 3)
    assert f"The same file was imported before, on 30 June 2025 (import {first.id})." in second.notes
    assert case_imports.latest_import(session, partnership.id).id == second.id
    assert session.scalar(select(func.count()).select_from(DataImport)) == 2


def test_every_field_reads_back_as_the_file_gave_it_after_a_first_and_a_changed_import(session, two_partnerships):
    """Rows are written in bulk (COPY on PostgreSQL, the driver's executemany on SQLite) and read back through the
    driver (SQLite's text dates and integer booleans converted): both ways give the records the file gave."""
    partnership, other = two_partnerships.a.partnership, two_partnerships.b.partnership
    first = (CASE_FILES / "cases_valid.csv").read_bytes()
    changed = first.replace(b"SEMH,12,", b'SEMH,13,"Hill House \\ Annexe, Room\t2"').replace(b",no,,ASD", b",yes,,ASD")
    reviews = (CASE_FILES / "reviews_valid.csv").read_bytes()
    _import(session, other, first)
    steps = [(first, datetime(2025, 6, 1), (6, 0, 0)), (changed, datetime(2025, 6, 2), (0, 2, 4))]
    steps.append((changed, datetime(2025, 6, 3), (0, 0, 6)))
    for data, when, counts in steps:
        summary = case_imports.import_file(session, partnership.id, "cases", data, today=TODAY, when=when)
        session.commit()
        assert (summary.added, summary.changed, summary.unchanged) == counts
        expected = {case.case_ref: case for case in read_cases(data, today=TODAY).rows}
        ids, loaded = timeliness.load_cases(session, partnership.id)
        assert {case.case_ref: case for case in loaded} == expected
        session.expire_all()
        stored = {row.id: row for row in session.scalars(select(CaseRecord))}
        assert {stored[i].case_ref for i in ids} == set(expected) and {stored[i].partnership_id for i in ids} == {
            partnership.id
        }
        assert {row.case_ref: (row.created_at, row.updated_at) for row in stored.values() if row.id in ids} == {
            ref: (datetime(2025, 6, 1), datetime(2025, 6, 2) if ref in ("EHC001", "EHC002") else datetime(2025, 6, 1))
            if when > datetime(2025, 6, 1)
            else (when, when)
            for ref in expected
        }
    assert expected["EHC002"].setting == "Hill House \\ Annexe, Room\t2" and expected["EHC001"].exception is True
    assert {case.case_ref: case for case in timeliness.load_cases(session, other.id)[1]} == {
        case.case_ref: case for case in read_cases(first, today=TODAY).rows
    }
    _import(session, partnership, reviews, kind="reviews")
    assert timeliness.load_reviews(session, partnership.id) == sorted(
        read_reviews(reviews, today=TODAY).rows, key=lambda review: review.meeting_date
    )


def test_rows_written_in_bulk_are_part_of_the_transaction_and_a_rollback_removes_them(session, two_partnerships):
    """The bulk writes go through the driver's own cursor (COPY, executemany) yet stay in the session's
    transaction: a failure after they ran (the caller rolls back) leaves what was stored before."""
    partnership = two_partnerships.a.partnership
    _import(session, partnership, FIRST)
    before = session.execute(select(CaseRecord.case_ref, CaseRecord.decision, CaseRecord.fingerprint)).all()
    summary = case_imports.import_file(session, partnership.id, "cases", NEWER, today=TODAY, when=WHEN)
    assert (summary.added, summary.changed) == (1, 1)
    assert _count(session, CaseRecord, partnership.id) == 4
    session.rollback()
    assert session.execute(select(CaseRecord.case_ref, CaseRecord.decision, CaseRecord.fingerprint)).all() == before
