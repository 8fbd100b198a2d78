"""Family feedback service: importing waves all-or-nothing, analysis per survey and per criterion, framework moves."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from inspect_app.domain.errors import NotFound, ValidationFailed
from inspect_app.domain.feedback import (
    ColumnRole,
    SurveyMapping,
    mapping_from_yaml,
    summarise_criteria,
    summarise_items,
)
from inspect_app.domain.framework_diff import CriterionMapping
from inspect_app.importers.feedback import read_feedback
from inspect_app.models import (
    AuditEvent,
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyQuestion,
    SurveyResponse,
    SurveyWave,
    YouSaidWeDid,
)
from inspect_app.services import audit
from inspect_app.services import feedback as service
from inspect_app.services import feedback_comments as comments
from inspect_app.services.frameworks import partnership_framework
from tests.factories import FEEDBACK_FILES, NOW, create_feedback

GOOGLE = FEEDBACK_FILES / "google_forms.csv"
FIXTURES = ["google_forms.csv", "microsoft_forms.xlsx", "surveymonkey.csv", "surveymonkey.xlsx", "smartsurvey.csv"]


@pytest.fixture
def world(two_partnerships):  # type: ignore[no-untyped-def]
    return two_partnerships


@pytest.fixture
def framework(session, world):  # type: ignore[no-untyped-def]
    return partnership_framework(session, world.a.partnership)[1]


def google_mapping() -> SurveyMapping:
    return mapping_from_yaml((FEEDBACK_FILES / "google_forms_mapping.yml").read_text())


def new_survey(session, world, name="Parent survey", audience="parents_carers"):  # type: ignore[no-untyped-def]
    return service.create_survey(session, audit.SYSTEM, world.a.partnership.id, name=name, audience=audience, when=NOW)


def import_file(session, survey, framework, path=GOOGLE, mapping=None, label=None):  # type: ignore[no-untyped-def]
    return service.import_wave(
        session,
        audit.SYSTEM,
        survey,
        data=path.read_bytes(),
        file_name=path.name,
        mapping=mapping or google_mapping(),
        framework=framework,
        label=label,
        when=NOW,
    )


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_import_wave_stores_responses_answers_and_redacted_comments_and_saves_the_mapping(session, world, framework):
    survey = new_survey(session, world)
    outcome = import_file(session, survey, framework, label="Summer 2024")
    assert outcome.ok
    wave = outcome.wave
    expected = read_feedback(GOOGLE.read_bytes(), service.check_mapping(google_mapping(), framework))
    assert wave.respondents == len(expected.rows) == count(session, SurveyResponse)
    assert wave.answers == sum(len(r.answers) for r in expected.rows) == count(session, SurveyAnswer)
    assert wave.comments == count(session, SurveyComment) > 0
    assert wave.redaction_total == 5 and wave.redactions["phone"] == 2
    assert (wave.label, wave.source, wave.file_name) == ("Summer 2024", "google_forms", "google_forms.csv")
    assert wave.file_sha256 == service.file_sha256(GOOGLE.read_bytes())
    stored = " ".join(session.scalars(select(SurveyComment.text)))
    for personal in ("kemi.o@example.org", "7700 900456", "A805200123456", "LS6 2QW"):
        assert personal not in stored
    assert survey.source == "google_forms"
    assert service.saved_mapping(survey).columns == service.check_mapping(google_mapping(), framework).columns
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "feedback.wave_imported")).one()
    assert event.details["respondents"] == wave.respondents and event.partnership_id == world.a.partnership.id


def test_stored_answers_summarise_exactly_as_the_file_read_in_memory(session, world, framework):
    survey = new_survey(session, world)
    wave = import_file(session, survey, framework).wave
    expected = read_feedback(GOOGLE.read_bytes(), service.check_mapping(google_mapping(), framework)).rows
    loaded = service.load_responses(session, survey)[wave.id]
    assert summarise_items(loaded) == summarise_items(expected)
    assert [(s.criterion, s.stats, s.respondents, s.comments) for s in summarise_criteria(loaded)] == [
        (s.criterion, s.stats, s.respondents, s.comments) for s in summarise_criteria(expected)
    ]
    assert sorted(r.groups.items() for r in loaded) == sorted(r.groups.items() for r in expected)
    assert [(r.respondent_key, r.submitted_at) for r in loaded] == [
        (r.respondent_key, r.submitted_at) for r in expected
    ]


@pytest.mark.parametrize("name", FIXTURES)
def test_each_survey_tools_export_imports_with_the_suggested_mapping(session, world, framework, name):
    survey = new_survey(session, world)
    data = (FEEDBACK_FILES / name).read_bytes()
    proposal = service.propose_mapping(survey, data, framework)
    assert proposal.unknown == {}
    assert proposal.protected  # the tool's own columns are never offered for import
    outcome = import_file(session, survey, framework, FEEDBACK_FILES / name, mapping=proposal.mapping)
    assert outcome.ok and outcome.wave.respondents > 20
    names = " ".join(session.scalars(select(SurveyComment.text)))
    for personal in ("Siobhan", "Kerrigan", "Priyanka", "@example."):
        assert personal not in names


def test_importing_the_same_file_twice_into_a_survey_is_refused_and_changes_nothing(session, world, framework):
    survey = new_survey(session, world)
    import_file(session, survey, framework)
    before = count(session, SurveyResponse)
    with pytest.raises(ValidationFailed, match="already imported into Parent survey as wave"):
        import_file(session, survey, framework, label="Again")
    assert count(session, SurveyResponse) == before
    other = new_survey(session, world, name="Another survey")
    assert import_file(session, other, framework).ok  # the same file may start another survey


def test_row_errors_store_nothing_and_list_every_unknown_answer(session, world, framework):
    survey = new_survey(session, world)
    mapping = SurveyMapping(
        columns={
            "My child's special educational needs were identified early enough": ColumnRole.likert(
                "fam_needs_identified_early"
            ),
            "How far do you agree with the following statements? [My child is being prepared well for their "
            "next steps]": ColumnRole.likert("fam_prepared_next_steps"),
        }
    )
    outcome = import_file(session, survey, framework, FEEDBACK_FILES / "bad_answers.csv", mapping=mapping)
    assert not outcome.ok and outcome.wave is None
    assert sorted(e.value for e in outcome.result.errors) == ["Mostly", "Somewhat agree"]
    assert all(e.row in (3, 5) and "not on the agree scale" in e.message for e in outcome.result.errors)
    assert count(session, SurveyWave) == count(session, SurveyResponse) == count(session, SurveyAnswer) == 0
    placed = SurveyMapping(columns=mapping.columns, answers={"Somewhat agree": "agree", "Mostly": "agree"})
    assert import_file(session, survey, framework, FEEDBACK_FILES / "bad_answers.csv", mapping=placed).ok


def test_a_file_missing_a_mapped_column_or_empty_is_rejected(session, world, framework):
    survey = new_survey(session, world)
    with pytest.raises(ValidationFailed, match="has no column 'How old is your child\\?'"):
        import_file(session, survey, framework, FEEDBACK_FILES / "bad_answers.csv")
    for name, message in (("empty.csv", "The file is empty"), ("headers_only.csv", "no responses")):
        with pytest.raises(ValidationFailed, match=message):
            import_file(session, survey, framework, FEEDBACK_FILES / name)
    with pytest.raises(ValidationFailed, match="not a survey export"):
        import_file(session, survey, framework, FEEDBACK_FILES / "unknown_tool.csv")
    assert count(session, SurveyWave) == 0


def test_check_mapping_takes_the_criterion_from_the_question_bank_and_refuses_unknown_criteria(framework):
    mapping = SurveyMapping(columns={"Q": ColumnRole.likert("fam_needs_identified_early"), "T": ColumnRole.free_text()})
    assert service.check_mapping(mapping, framework).columns["Q"] == ColumnRole.likert(
        "fam_needs_identified_early", "EXP1"
    )
    with pytest.raises(ValidationFailed, match="criterion 'EXP99' is not in the framework"):
        service.check_mapping(SurveyMapping(columns={"T": ColumnRole.free_text("EXP99")}), framework)
    with pytest.raises(ValidationFailed, match="belongs to EXP1, not EXP3"):
        service.check_mapping(
            SurveyMapping(columns={"Q": ColumnRole.likert("fam_needs_identified_early", "EXP3")}), framework
        )


def test_mapping_from_choices_round_trips_through_the_mapping_pages_link_values(framework):
    mapping = service.mapping_from_choices(
        [
            ("A statement", "likert", "item:fam_help_at_right_time", ""),
            ("Another statement", "likert", "criterion:EXP4", ""),
            ("Unlinked statement", "likert", "", ""),
            ("Comments", "free_text", "item:fam_leaders_listen", ""),
            ("Which best describes you?", "group", "", "role"),
            ("Extra", "ignore", "", ""),
        ],
        {"Mostly": "agree"},
        framework,
    )
    columns = mapping.columns
    assert columns["A statement"] == ColumnRole.likert("fam_help_at_right_time", "EXP3")
    assert columns["Another statement"] == ColumnRole.likert("another_statement", "EXP4")
    assert columns["Unlinked statement"] == ColumnRole.likert("unlinked_statement")
    assert columns["Comments"] == ColumnRole.free_text("LEAD2")
    assert columns["Which best describes you?"] == ColumnRole.group("role")
    assert mapping.point_for("mostly") == "agree"
    assert [
        service.link_of(columns[n], framework) for n in ("A statement", "Another statement", "Unlinked statement")
    ] == ["item:fam_help_at_right_time", "criterion:EXP4", ""]


def test_wave_labels_default_to_the_months_and_are_unique_within_a_survey(session, world, framework):
    survey = new_survey(session, world)
    assert import_file(session, survey, framework).wave.label == "June 2024"
    smartsurvey = FEEDBACK_FILES / "smartsurvey.csv"
    proposal = service.propose_mapping(survey, smartsurvey.read_bytes(), framework)
    with pytest.raises(ValidationFailed, match="already has a wave called June 2024"):
        import_file(session, survey, framework, smartsurvey, mapping=proposal.mapping, label="june  2024")
    assert (
        service.default_wave_label([datetime(2025, 12, 3), datetime(2026, 1, 9)], NOW)
        == "December 2025 to January 2026"
    )
    assert service.default_wave_label([datetime(2026, 5, 3), datetime(2026, 6, 9)], NOW) == "May to June 2026"
    assert service.default_wave_label([], NOW) == "Imported 27 November 2026"


def test_survey_names_are_unique_per_partnership_ignoring_case(session, world):
    new_survey(session, world)
    with pytest.raises(ValidationFailed, match="There is already a survey called Parent survey"):
        new_survey(session, world, name="PARENT  survey")
    service.create_survey(
        session, audit.SYSTEM, world.b.partnership.id, name="Parent survey", audience="practitioners", when=NOW
    )
    with pytest.raises(ValidationFailed) as error:
        new_survey(session, world, name="", audience="everyone")
    assert error.value.messages == [
        "Enter the survey's name",
        "Select who the survey is for: parents_carers, children_young_people, practitioners",
    ]


def test_analyse_survey_summarises_the_latest_wave_and_compares_it_with_the_one_before(session, world, framework):
    survey = new_survey(session, world)
    first = import_file(session, survey, framework, label="Summer 2024").wave
    smartsurvey = FEEDBACK_FILES / "smartsurvey.csv"
    mapping = service.propose_mapping(survey, smartsurvey.read_bytes(), framework).mapping
    second = import_file(session, survey, framework, smartsurvey, mapping=mapping, label="Later").wave
    second.last_response_at = datetime(2025, 6, 1)
    analysis = service.analyse_survey(session, survey, framework, chart=False)
    assert (analysis.wave, analysis.previous) == (second, first)
    assert analysis.respondents == second.respondents
    assert analysis.items and analysis.criteria and analysis.item_changes and analysis.criterion_changes
    assert analysis.chart_title.startswith("Agreement ranges from")
    earlier = service.analyse_survey(session, survey, framework, wave_id=first.id, chart=False)
    assert (earlier.wave, earlier.previous, earlier.item_changes) == (first, None, [])
    with pytest.raises(NotFound):
        service.analyse_survey(session, survey, framework, wave_id=first.id + 100)


def test_group_breakdowns_show_fewer_than_five_as_suppressed_without_a_count(session, world, framework):
    survey = new_survey(session, world)
    import_file(session, survey, framework)
    analysis = service.analyse_survey(session, survey, framework, chart=False)
    roles = next(table for table in analysis.groups if table.kind == "role")
    small = [row for row in roles.rows if row.suppressed]
    assert small, "the fixture has a role with fewer than 5 respondents"
    assert all(row.respondents is None and all(c.suppressed and c.stats is None for c in row.cells) for row in small)
    shown = [row for row in roles.rows if not row.suppressed]
    assert all(row.respondents >= 5 for row in shown)
    assert all(cell.stats.n >= 5 for row in shown for cell in row.cells if not cell.suppressed)


def test_the_chart_is_an_svg_with_a_headline_title_and_its_numbers_in_a_table(session, world, framework):
    survey = new_survey(session, world)
    import_file(session, survey, framework)
    analysis = service.analyse_survey(session, survey, framework)
    assert analysis.chart_svg.startswith("<svg") and "<title" in analysis.chart_svg
    assert [row.label for row in analysis.chart_rows] == [row.label for row in analysis.items if row.stats.n]
    first = analysis.chart_rows[0]
    assert abs(sum(first.shares) - 100) < 0.3


def test_criterion_feedback_pools_each_surveys_latest_wave(session, world, framework):
    survey = new_survey(session, world)
    old = import_file(session, survey, framework, label="Old").wave
    smartsurvey = FEEDBACK_FILES / "smartsurvey.csv"
    mapping = service.propose_mapping(survey, smartsurvey.read_bytes(), framework).mapping
    latest = import_file(session, survey, framework, smartsurvey, mapping=mapping, label="New").wave
    latest.last_response_at = datetime(2030, 1, 1)
    young = new_survey(session, world, name="Young people", audience="children_young_people")
    import_file(session, young, framework)
    session.flush()

    results = service.criterion_feedback(session, world.a.partnership.id)
    exp1 = results["EXP1"]
    loaded = service.load_responses(session, survey)
    in_latest = next(s for s in summarise_criteria(loaded[latest.id]) if s.criterion == "EXP1")
    in_young = next(
        s
        for s in summarise_criteria(service.load_responses(session, young)[young.waves[0].id])
        if s.criterion == "EXP1"
    )
    assert exp1.responses == in_latest.respondents + in_young.respondents
    assert exp1.stats.n == in_latest.stats.n + in_young.stats.n
    assert {r.wave_label for r in exp1.by_survey} == {"New", young.waves[0].label}
    assert old.label not in {r.wave_label for r in exp1.by_survey}
    assert exp1.as_fact().responses == exp1.responses and exp1.as_fact().agree_pct == exp1.agree_pct
    asked = service.criterion_feedback(session, world.a.partnership.id, ["LEAD6", "EXP1"])
    assert list(asked) == ["LEAD6", "EXP1"]
    assert (asked["LEAD6"].responses, asked["LEAD6"].agree_pct) == (0, None)
    assert service.criterion_feedback(session, world.b.partnership.id) == {}


def test_criterion_feedback_keeps_practitioners_apart_from_family_voice(session, world, framework):
    parents = new_survey(session, world)
    import_file(session, parents, framework)
    staff = new_survey(session, world, name="Practitioners", audience="practitioners")
    import_file(session, staff, framework)
    session.flush()

    exp1 = service.criterion_feedback(session, world.a.partnership.id)["EXP1"]
    in_parents = next(
        s
        for s in summarise_criteria(service.load_responses(session, parents)[parents.waves[0].id])
        if s.criterion == "EXP1"
    )

    # The same file imported for both: families count once, practitioners apart, never pooled.
    assert (exp1.responses, exp1.stats.n) == (in_parents.respondents, in_parents.stats.n)
    assert exp1.practitioner_responses == in_parents.respondents
    assert exp1.practitioner_stats.n == in_parents.stats.n
    assert {r.audience for r in exp1.by_survey} == {"parents_carers", "practitioners"}
    family, staff_fact = exp1.as_fact(), exp1.practitioners_fact()
    assert family.audiences == ("parents_carers",) and family.responses == in_parents.respondents
    assert staff_fact is not None and staff_fact.audiences == ("practitioners",)
    unanswered = service.criterion_feedback(session, world.a.partnership.id, ["NOPE"])["NOPE"]
    assert unanswered.practitioners_fact() is None and unanswered.as_fact().responses == 0


def test_criterion_feedback_counts_confirmed_themes_quotes_and_actions(session, world, framework):
    survey, wave, comment, entry = create_feedback(session, world.a.partnership)
    before = service.criterion_feedback(session, world.a.partnership.id)
    comments.update_comment(
        session,
        audit.SYSTEM,
        comment,
        themes=["LEAD2"],
        is_quote=True,
        quote_note="Use it",
        framework=framework,
        when=NOW,
    )
    after = service.criterion_feedback(session, world.a.partnership.id)
    assert after["LEAD2"].comments == (before["LEAD2"].comments if "LEAD2" in before else 0) + 1
    assert [q.text for q in after["LEAD2"].quotes] == [comment.text]
    assert after["LEAD2"].quotes[0].survey_name == survey.name
    assert after["EXP1"].actions == 1


def test_delete_wave_removes_its_rows_keeps_linked_actions_and_is_audited(session, world, framework):
    survey, wave, comment, entry = create_feedback(session, world.a.partnership)
    create_feedback(session, world.b.partnership)
    service.delete_wave(session, audit.SYSTEM, wave, when=NOW)
    session.commit()
    a = world.a.partnership.id
    assert (
        session.scalar(select(func.count()).select_from(SurveyResponse).where(SurveyResponse.partnership_id == a)) == 0
    )
    assert session.scalar(select(func.count()).select_from(SurveyComment).where(SurveyComment.partnership_id == a)) == 0
    assert count(session, SurveyResponse) > 0  # partnership B's wave is untouched
    assert session.get(YouSaidWeDid, entry.id).comment_id is None
    assert session.scalars(select(AuditEvent.action).where(AuditEvent.action == "feedback.wave_deleted")).one()
    assert import_file(session, survey, framework, label="Again").ok  # the file can be imported again


def test_framework_move_hook_counts_then_rewrites_criterion_ids(session, world, framework):
    survey, wave, comment, entry = create_feedback(session, world.a.partnership)
    comment.themes = ["EXP3", "LEAD2"]
    mapping = CriterionMapping(
        targets={
            "EXP1": ("EXP1",),
            "EXP2": ("EXP2",),
            "EXP3": ("EXP3a", "EXP3b"),
            "EXP4": ("EXP4",),
            "EXP5": ("EXP5",),
        },
        unmapped=("LEAD2",),
    )
    themed_lead2 = [c for c in session.scalars(select(SurveyComment)) if "LEAD2" in c.themes]
    assert comment in themed_lead2
    preview = service.carry_criteria(session, world.a.partnership.id, mapping, False)
    assert preview.carried > 0 and preview.dropped == len(themed_lead2)
    assert session.scalars(select(SurveyQuestion.criterion).where(SurveyQuestion.criterion == "EXP3")).all()
    service.carry_criteria(session, world.a.partnership.id, mapping, True)
    assert not session.scalars(select(SurveyQuestion).where(SurveyQuestion.criterion == "EXP3")).all()
    assert session.scalars(select(SurveyQuestion).where(SurveyQuestion.criterion == "EXP3a")).all()
    assert comment.themes == ["EXP3a", "EXP3b"]
    saved = service.saved_mapping(session.get(Survey, survey.id))
    assert "EXP3" not in {role.criterion for role in saved.columns.values()}
    assert "EXP3a" in {role.criterion for role in saved.columns.values()}


def test_feedback_overview_counts_surveys_latest_responses_and_quotes(session, world):
    survey, wave, comment, entry = create_feedback(session, world.a.partnership)
    overview = service.feedback_overview(session, world.a.partnership.id)
    assert (overview.surveys, overview.responses, overview.quotes, overview.actions) == (1, wave.respondents, 0, 1)
    assert service.feedback_overview(session, world.b.partnership.id).surveys == 0


def test_redaction_summary_reads_as_a_sentence():
    assert service.redaction_summary({"email": 2, "phone": 1, "postcode": 0}) == (
        "3 personal details removed from free text (2 email addresses, 1 phone number)"
    )
    assert service.redaction_summary({"email": 0}) == "No personal details were found in the free text"


@pytest.mark.parametrize("name", FIXTURES)
def test_counting_a_wave_from_tuples_gives_exactly_the_domain_summaries(session, world, framework, name):
    from inspect_app.domain.feedback import GROUP_KINDS, by_group

    survey = new_survey(session, world)
    data = (FEEDBACK_FILES / name).read_bytes()
    mapping = service.propose_mapping(survey, data, framework).mapping
    wave = import_file(session, survey, framework, FEEDBACK_FILES / name, mapping=mapping).wave
    responses = service.load_responses(session, survey)[wave.id]
    questions, waves = service.load_wave_answers(session, survey)
    items, criteria = service.summarise_wave(questions, waves[wave.id])
    assert items == summarise_items(responses)
    assert criteria == summarise_criteria(responses)
    keys = [c.criterion for c in criteria if c.stats.answered]
    for kind in GROUP_KINDS:
        for min_n in (1, 5):
            expected = [(g.group, g.suppressed, g.respondents, g.criteria) for g in by_group(responses, kind, min_n)]
            counted = service.group_criteria(questions, waves[wave.id], kind, keys, min_n)
            assert [(g.group, g.suppressed, g.respondents, g.criteria) for g in counted] == expected
