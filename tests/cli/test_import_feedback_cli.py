"""`inspect-app import feedback FILE --partnership S --survey NAME [--mapping FILE]` (DESIGN.md contract)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from inspect_app.models import Survey, SurveyResponse, SurveyWave
from tests.factories import FEEDBACK_FILES

GOOGLE = str(FEEDBACK_FILES / "google_forms.csv")
MAPPING = str(FEEDBACK_FILES / "google_forms_mapping.yml")


def run(app, *args):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["import", "feedback", *args])


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def world(two_partnerships):  # type: ignore[no-untyped-def]
    return two_partnerships


def test_without_a_mapping_the_suggestion_is_printed_and_nothing_is_created(app, session, world):
    result = run(app, GOOGLE, "--partnership", "alpha", "--survey", "Parent survey")
    assert result.exit_code == 1
    assert "version: 1" in result.stderr and "role: likert" in result.stderr
    assert "no column mapping for survey 'Parent survey'" in result.stderr and "--mapping FILE" in result.stderr
    assert result.stderr.splitlines()[-1].startswith(f"{GOOGLE}: ")
    assert count(session, Survey) == 0


def test_a_mapping_file_imports_creates_the_survey_and_the_saved_mapping_imports_the_next_wave(app, session, world):
    result = run(
        app,
        GOOGLE,
        "--partnership",
        "alpha",
        "--survey",
        "Parent survey",
        "--mapping",
        MAPPING,
        "--audience",
        "parents_carers",
        "--wave",
        "Summer 2024",
    )
    assert result.exit_code == 0, result.stderr
    assert "Imported 36 responses into 'Parent survey' as wave 'Summer 2024' (Google Forms)." in result.stdout
    assert "5 personal details removed from free text" in result.stdout
    survey = session.scalars(select(Survey)).one()
    assert (survey.audience, survey.partnership_id) == ("parents_carers", world.a.partnership.id)
    # The next wave of the same survey needs no --mapping: the saved one is used.
    text = (FEEDBACK_FILES / "google_forms.csv").read_text().splitlines()
    later = FEEDBACK_FILES.parent / "later.csv"
    try:
        later.write_text("\n".join([text[0], *text[25:]]) + "\n")
        result = run(app, str(later), "--partnership", "alpha", "--survey", "parent  SURVEY")
    finally:
        later.unlink()
    assert result.exit_code == 0, result.stderr
    assert count(session, SurveyWave) == 2 and count(session, Survey) == 1


def test_the_same_file_again_is_refused_naming_the_file(app, session, world):
    assert run(app, GOOGLE, "--partnership", "alpha", "--survey", "S", "--mapping", MAPPING).exit_code == 0
    result = run(app, GOOGLE, "--partnership", "alpha", "--survey", "S")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{GOOGLE}: This file was already imported into S as wave 'June 2024'")
    assert count(session, SurveyWave) == 1


def test_answers_not_on_the_scale_are_reported_by_file_row_and_column_and_nothing_is_stored(
    app, session, world, tmp_path
):
    mapping = tmp_path / "mapping.yml"
    mapping.write_text(
        "version: 1\ncolumns:\n"
        "- column: My child's special educational needs were identified early enough\n  role: likert\n"
        "  survey_item: fam_needs_identified_early\n"
        "- column: How far do you agree with the following statements? [My child is being prepared well for their "
        "next steps]\n  role: likert\n  survey_item: fam_prepared_next_steps\n"
    )
    bad = str(FEEDBACK_FILES / "bad_answers.csv")
    result = run(app, bad, "--partnership", "alpha", "--survey", "S", "--mapping", str(mapping))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert any(
        line.startswith(
            f"{bad}: Row 3, column My child's special educational needs were identified early "
            "enough (value 'Somewhat agree'): This answer is not on the agree scale"
        )
        for line in lines
    )
    assert any("Row 5" in line and "'Mostly'" in line for line in lines)
    assert count(session, Survey) == count(session, SurveyResponse) == 0


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_answers.csv", "The file has no column 'My child got the help they needed at the right time'"),
        ("empty.csv", "The file is empty"),
        ("unknown_tool.csv", "not a survey export this service can read"),
    ],
)
def test_bad_files_exit_1_with_the_reason_on_stderr(app, session, world, name, message):
    path = str(FEEDBACK_FILES / name)
    result = run(app, path, "--partnership", "alpha", "--survey", "S", "--mapping", MAPPING)
    assert result.exit_code == 1
    assert f"{path}: " in result.stderr and message in result.stderr
    assert count(session, Survey) == 0


def test_an_unknown_partnership_or_a_broken_mapping_is_an_error(app, session, world, tmp_path):
    result = run(app, GOOGLE, "--partnership", "nowhere", "--survey", "S", "--mapping", MAPPING)
    assert result.exit_code == 1 and "No partnership 'nowhere'" in result.stderr
    broken = tmp_path / "m.yml"
    broken.write_text("version: 1\ncolumns:\n- column: Timestamp\n  role: sideways\n")
    result = run(app, GOOGLE, "--partnership", "alpha", "--survey", "S", "--mapping", str(broken))
    assert result.exit_code == 1 and "the role must be one of likert, free_text, group, ignore" in result.stderr
