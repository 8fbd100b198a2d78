"""Imports refresh PostgreSQL's planner statistics for the tables they bulk-load (services/planner.py).

The test server runs with autovacuum off, and the tests empty every table with TRUNCATE, which resets a table's
row estimate (`pg_class.reltuples`) to -1, "never analysed". Only the import's own ANALYZE can set it to the
rows it wrote.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from inspect_app.models import CaseRecord, SurveyAnswer, SurveyComment, SurveyResponse
from inspect_app.services import case_imports, planner
from tests.case_data import CASES, REVIEWS, WHEN
from tests.factories import create_feedback, import_case_file

pytestmark = pytest.mark.postgres_only(why="its planner statistics")


def _estimate(session, table: str) -> float:  # type: ignore[no-untyped-def]
    return session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = :name"), {"name": table})


def _rows(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model))


def test_a_case_import_leaves_the_planner_the_number_of_rows_it_wrote(session, two_partnerships):
    assert _estimate(session, "cases") == -1
    import_case_file(session, two_partnerships.a.partnership, CASES, when=WHEN)
    import_case_file(session, two_partnerships.a.partnership, REVIEWS, kind="reviews", when=WHEN)
    assert _estimate(session, "cases") == _rows(session, CaseRecord) == 9
    assert _estimate(session, "annual_reviews") > 0


def test_a_survey_import_leaves_the_planner_the_number_of_answers_it_wrote(session, two_partnerships):
    assert _estimate(session, "survey_answers") == -1
    create_feedback(session, two_partnerships.a.partnership)
    answers = _rows(session, SurveyAnswer)
    assert answers > 0
    assert _estimate(session, "survey_answers") == answers
    assert _estimate(session, "survey_responses") == _rows(session, SurveyResponse)
    assert _estimate(session, "survey_comments") == _rows(session, SurveyComment)


def test_a_dry_run_or_a_refused_file_leaves_the_statistics_alone(session, two_partnerships):
    partnership = two_partnerships.a.partnership
    summary = case_imports.import_file(
        session, partnership.id, "cases", CASES, today=WHEN.date(), when=WHEN, dry_run=True
    )
    session.rollback()
    assert (summary.ok, summary.added) == (True, 9)
    record = import_case_file(session, partnership, b"case_ref,request_date\nA1,31/02/2025\n")
    assert record.status == "failed"
    assert _estimate(session, "cases") == -1


def test_nothing_is_analysed_without_tables(session):
    planner.refresh_statistics(session)  # no statement: an empty ANALYZE list would analyse the whole database
    assert _estimate(session, "cases") == -1
