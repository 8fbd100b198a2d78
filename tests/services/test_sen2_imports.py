"""SEN2 returns through the import service: the partnership's key, next year's return, H records, all or nothing."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from inspect_app.domain.sen2_returns import ActivePlan, Assessment, Header, NamedPlan, Request, write_xml
from inspect_app.models import CaseRecord, DataImport, ImportRowError, PseudonymKey, ReviewRecord
from inspect_app.services import audit, case_imports, sen2_imports, timeliness
from tests.factories import create_partnership
from tests.sen2_data import every_state, person

WHEN = datetime(2026, 12, 1, 9, 0)
TODAY = WHEN.date()


def _import(session, partnership, data: bytes, *, dry_run: bool = False):  # type: ignore[no-untyped-def]
    summary = case_imports.import_file(session, partnership.id, "sen2", data, today=TODAY, when=WHEN, dry_run=dry_run)
    session.commit()
    return summary


def _count(session, model, partnership_id: int) -> int:  # type: ignore[no-untyped-def]
    query = select(func.count()).select_from(model).where(model.partnership_id == partnership_id)
    return session.scalar(query) or 0


def _cases(session, partnership_id: int) -> dict[str, CaseRecord]:  # type: ignore[no-untyped-def]
    return {
        row.case_ref: row
        for row in session.scalars(select(CaseRecord).where(CaseRecord.partnership_id == partnership_id))
    }


def test_a_return_stores_every_request_and_review_and_says_what_it_dropped(session, two_partnerships):
    partnership = two_partnerships.a.partnership
    header, people, labels = every_state(2026)
    summary = _import(session, partnership, write_xml(header, people))
    assert summary.ok, summary.errors
    assert (summary.added, summary.changed, summary.unchanged) == (len(labels), 0, 0)
    assert summary.reviews == (2, 0, 0)  # the two active plans whose return records a review
    assert summary.rows_read == len(people)
    assert "UPN" in summary.dropped_columns and "Surname" in summary.dropped_columns
    assert (
        summary.describe()
        == f"{len(labels)} cases added, 0 changed, 0 unchanged; 2 reviews added, 0 changed, 0 unchanged."
    )
    assert any("SEN2 return for 2026 (XML) from local authority 805" in note for note in summary.notes)
    assert _count(session, CaseRecord, partnership.id) == len(labels)
    assert _count(session, ReviewRecord, partnership.id) == 2
    stored = " ".join(str(value) for row in _cases(session, partnership.id).values() for value in vars(row).values())
    assert "A000000000001" not in stored and "Surname1" not in stored


def test_the_partnership_key_is_made_once_and_each_partnership_has_its_own(session, two_partnerships):
    a, b = two_partnerships.a.partnership, two_partnerships.b.partnership
    first = sen2_imports.pseudonym_secret(session, a.id, when=WHEN)
    assert sen2_imports.pseudonym_secret(session, a.id, when=WHEN) == first
    assert sen2_imports.pseudonym_secret(session, b.id, when=WHEN) != first
    assert len(first) == 32
    assert session.scalar(select(func.count()).select_from(PseudonymKey)) == 2


def test_the_same_return_in_two_partnerships_gives_different_references(session, two_partnerships):
    a = two_partnerships.a.partnership
    b = create_partnership(session, slug="same-council", la_code=a.la_code)
    header, people, _labels = every_state(2026)
    assert _import(session, a, write_xml(header, people)).ok
    assert _import(session, b, write_xml(header, people)).ok
    assert not set(_cases(session, a.id)) & set(_cases(session, b.id))


def test_next_years_return_updates_the_same_cases_and_ties_h_records_to_them(session, two_partnerships):
    partnership = two_partnerships.a.partnership
    received = date(2025, 3, 3)
    this_year = person(
        1,
        Request(received, "Y", date(2025, 4, 1), assessment=Assessment("A")),  # assessment under way at census
        Request(date(2025, 11, 20), "A"),
    )
    first = _import(session, partnership, write_xml(Header(2026, "805", date(2026, 1, 15)), [this_year]))
    assert first.ok and first.added == 2
    decided = _cases(session, partnership.id)
    plan_ref = next(ref for ref, row in decided.items() if row.request_date == received)
    # The 2027 return: the first request was decided before its period (H), its plan issued on 10 Feb 2026; the
    # second was refused in January 2026.
    next_year = person(
        1,
        Request(
            None,
            "H",
            assessment=Assessment("Y", date(2026, 2, 10), plan=NamedPlan(date(2026, 2, 10))),
            active_plan=ActivePlan(
                review_meeting=date(2026, 11, 2), review_outcome="M", last_review=date(2026, 11, 20)
            ),
        ),
        Request(date(2025, 11, 20), "N", date(2026, 1, 5)),
    )
    second = _import(session, partnership, write_xml(Header(2027, "805", TODAY), [next_year]))
    assert second.ok, second.errors
    assert (second.added, second.changed, second.unchanged) == (0, 2, 0)
    assert any("matched to the cases stored from an earlier return" in note for note in second.notes)
    cases = _cases(session, partnership.id)
    assert len(cases) == 2
    tied = cases[plan_ref]
    # The earlier return's request and decision are kept; the later return's outcome and plan are added.
    assert (tied.request_date, tied.decision, tied.decision_date) == (received, "assess", date(2025, 4, 1))
    assert (tied.assessment_outcome, tied.assessment_outcome_date, tied.final_plan_date) == (
        "plan",
        date(2026, 2, 10),
        date(2026, 2, 10),
    )
    reviews = session.scalars(select(ReviewRecord).where(ReviewRecord.partnership_id == partnership.id)).all()
    assert [(r.case_ref, r.meeting_date) for r in reviews] == [(plan_ref, date(2026, 11, 2))]
    refused = next(row for ref, row in cases.items() if ref != plan_ref)
    assert (refused.decision, refused.decision_date) == ("not_assess", date(2026, 1, 5))


def test_a_return_with_a_problem_stores_nothing_and_keeps_every_problem_with_its_place(session, two_partnerships):
    partnership = two_partnerships.a.partnership
    text = write_xml(Header(2026, "805", date(2026, 1, 15)), [person(1, Request(date(2025, 1, 5), "Y"))]).decode()
    record = case_imports.create_import(
        session,
        audit.SYSTEM,
        partnership,
        kind="sen2",
        filename="return.xml",
        data=text.replace(">Y<", ">Q<").encode(),
        when=WHEN,
    )
    case_imports.mark_running(record, when=WHEN)
    summary = case_imports.run_import(session, record, text.replace(">Y<", ">Q<").encode(), today=TODAY, when=WHEN)
    session.commit()
    assert not summary.ok
    assert record.status == "failed" and record.error_count == 1
    (error,) = case_imports.row_errors(session, record)
    assert case_imports.describe_row_error("sen2", error) == (
        "Person 1, Requests 1 › RequestOutcome (value 'Q'): Enter one of the 2026 codes: Y, N, W, A or H"
    )
    assert _count(session, CaseRecord, partnership.id) == 0
    assert _count(session, ImportRowError, partnership.id) == 1


def test_a_return_for_another_council_is_refused_whole(session, two_partnerships):
    partnership = two_partnerships.a.partnership
    header, people, _labels = every_state(2026)
    header.lea = "806"
    summary = _import(session, partnership, write_xml(header, people))
    assert summary.message is not None and "local authority 806" in summary.message
    assert _count(session, CaseRecord, partnership.id) == 0


def test_a_dry_run_says_what_would_change_and_stores_nothing(session, two_partnerships):
    partnership = two_partnerships.a.partnership
    header, people, labels = every_state(2026)
    summary = _import(session, partnership, write_xml(header, people), dry_run=True)
    assert summary.ok and summary.added == len(labels)
    assert summary.describe().startswith("Dry run: nothing was stored.")
    assert _count(session, CaseRecord, partnership.id) == 0


def test_an_uploaded_return_runs_from_its_file_and_the_summary_holds_every_new_measure(app, session, two_partnerships):
    partnership = two_partnerships.a.partnership
    header, people, _labels = every_state(2026)
    data = write_xml(header, people)
    path = case_imports.save_upload(app.config["IMPORT_UPLOAD_DIR"], data)
    record = case_imports.create_import(
        session, audit.SYSTEM, partnership, kind="sen2", filename="return.xml", data=data, when=WHEN
    )
    session.commit()
    case_imports.run_import_job(app, record.id, path, inline=True)
    assert session.get(DataImport, record.id).status == "succeeded"
    assert not path.exists()
    values = {(v.measure_id, v.period): v for v in timeliness.annual_measures(session, partnership.id, TODAY)}
    assert (values["reassessment_14wk", "2025"].numerator, values["reassessment_14wk", "2025"].denominator) == (1, 1)
    assert values["phase_transfer_on_time", "2026"].denominator == 1
