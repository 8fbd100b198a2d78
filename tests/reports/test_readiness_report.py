from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.readiness import ESTIMATE_LABEL, SEVERITIES
from inspect_app.reports.readiness_report import (
    EXTENSIONS,
    FORMATS,
    MAX_NEXT_ACTIONS,
    MEDIA_TYPES,
    RENDERERS,
    build_readiness_report,
    filename,
    render,
)
from tests.factories import shipped_framework
from tests.reports.conftest import report_for, report_from
from tests.reports.sample import GENERATED_AT, busy_input, readiness_input


def test_report_lists_every_criterion_of_the_framework_in_order_under_its_section(busy_report):
    framework = shipped_framework()

    assert [row.id for row in busy_report.criteria] == [c.id for c in framework.criteria]
    assert [s.id for s in busy_report.sections] == ["EXP", "LEAD", "AP"]
    assert busy_report.sections[1].title == "Leadership and partnership working"
    assert [d.row.id for d in busy_report.sections[2].criteria] == ["AP1", "AP2", "AP3", "AP4"]
    assert busy_report.criteria[5].section_title == "Leadership and partnership working"


def test_report_states_the_overall_position_with_the_estimate_label(busy_report, busy_result):
    overall = busy_report.overall

    assert overall.score == busy_result.overall.score
    assert overall.criteria_red + overall.criteria_amber + overall.criteria_green == overall.criteria == 15
    assert overall.estimate_label == ESTIMATE_LABEL
    assert overall.indicative_outcome_label == "Widespread and/or systemic failings"
    assert overall.summary.startswith(
        f"Overall readiness is {overall.score} out of 100 ({overall.rag_label}). Of 15 criteria, "
    )
    assert [c.severity for c in overall.gaps] == list(SEVERITIES)
    assert overall.gaps_total == len(busy_result.gaps) > 50


def test_gap_register_is_every_gap_most_severe_first_with_its_criterion_title(busy_report, busy_result):
    register = busy_report.gap_register
    ranks = [SEVERITIES.index(g.severity) for g in register]

    assert [(g.criterion_id, g.code, g.message) for g in register] == [
        (g.criterion_id, g.code, g.message) for g in busy_result.gaps
    ]
    assert ranks == sorted(ranks)
    assert (
        register[0].criterion_title
        == busy_report.criteria[[r.id for r in busy_report.criteria].index(register[0].criterion_id)].title
    )
    assert all(g.explanation.endswith(".") for g in register)


def test_next_actions_are_the_most_severe_gaps_one_per_criterion_and_rule(busy_report):
    actions = busy_report.next_actions
    keys = [(g.criterion_id, g.code) for g in actions]

    assert len(actions) == MAX_NEXT_ACTIONS
    assert len(set(keys)) == len(keys)
    assert actions[0] == busy_report.gap_register[0]
    assert [SEVERITIES.index(g.severity) for g in actions] == sorted(SEVERITIES.index(g.severity) for g in actions)


def test_each_criterion_explains_its_score_part_by_part(busy_report, busy_result):
    for section in busy_report.sections:
        for detail in section.criteria:
            points = sum(part.points for part in detail.components)
            assert round(points) == detail.row.score or abs(points - detail.row.score) <= 0.5
            assert detail.score_sentence.startswith(f"{detail.row.id} scores {detail.row.score} out of 100")
            assert [p.label for p in detail.components] == [
                "Expected evidence linked",
                "Evidence approved and in date",
                "Measures against England",
                "What families say",
                "Self-evaluation",
            ]


def test_a_score_part_that_does_not_apply_says_so(no_data_report):
    lead1 = next(d for s in no_data_report.sections for d in s.criteria if d.row.id == "LEAD1")
    measures = next(p for p in lead1.components if p.name == "measures")

    assert measures.earned_pct is None
    assert measures.earned_text == "Does not apply"
    assert measures.points_text == "0"


def test_measures_show_their_figures_with_units_against_england(busy_report):
    rows = {(m.criterion_id, m.id): m for m in busy_report.measures}
    percent = next(m for m in rows.values() if m.unit == "percent" and m.value is not None and m.england is not None)
    missing = next(m for m in rows.values() if m.value is None)

    assert percent.value_text.endswith("%")
    assert percent.england_text.endswith("%")
    assert percent.rag_label in {"Green", "Amber", "Red"}
    assert missing.value_text == "No figure"
    assert missing.rag_label == "Not rated"


def test_criterion_row_names_the_state_of_the_self_evaluation(no_data_report, busy_report):
    assert {row.self_evaluation for row in no_data_report.criteria} == {"Not written"}
    assert {row.grade_label for row in no_data_report.criteria} == {"Not graded"}
    assert {row.self_evaluation for row in busy_report.criteria} <= {
        "Not written",
        "Signed off",
        "Draft, not signed off",
    }


def test_generated_at_is_taken_as_utc_and_shown_in_uk_time(busy_result):
    summer = report_for(busy_result, generated_at=datetime(2026, 6, 1, 9, 5))
    winter = report_for(busy_result, generated_at=datetime(2026, 12, 1, 14, 30, tzinfo=UTC))

    assert summer.generated_at == datetime(2026, 6, 1, 9, 5, tzinfo=UTC)
    assert summer.generated_text == "1 June 2026 at 10:05am (UK time)"
    assert winter.generated_text == "1 December 2026 at 2:30pm (UK time)"


def test_without_the_framework_sections_are_named_by_id_and_the_outcome_keeps_its_label(busy_result):
    report = build_readiness_report(
        busy_result,
        partnership_name="Northshire",
        la_code="805",
        framework_label="Area SEND",
        generated_at=GENERATED_AT,
    )

    assert [s.title for s in report.sections] == ["Section EXP", "Section LEAD", "Section AP"]
    assert report.overall.indicative_outcome_label == "Widespread and/or systemic failings"
    assert all(m.unit is None for m in report.measures)


def test_a_framework_with_no_criteria_still_gets_a_report():
    report = report_from(readiness_input(()))

    assert report.criteria == report.sections == report.gap_register == report.next_actions == ()
    assert report.scores_chart_title == "No criteria to score"
    assert report.gaps_chart_title == "No gaps found"
    assert report.overall.summary == (
        "Overall readiness is 0 out of 100 (Red). Of 0 criteria, 0 are red, 0 amber and 0 green; no gaps were found."
    )


def test_every_format_has_a_renderer_a_media_type_and_an_extension():
    assert set(RENDERERS) == set(MEDIA_TYPES) == set(EXTENSIONS) == set(FORMATS)
    assert FORMATS == ("json", "html", "pdf", "docx", "xlsx", "csv")
    assert EXTENSIONS["docx"] == ".docx"


def test_report_file_names_carry_the_partnership_and_date(busy_report):
    assert filename(busy_report, "xlsx") == "readiness-northshire-2026-11-27.xlsx"


def test_an_unknown_format_is_refused_naming_the_choices(busy_report):
    with pytest.raises(ValidationFailed, match="Choose a report format from json, html, pdf, docx, xlsx, csv"):
        render(busy_report, "odt")


def test_render_dispatches_to_the_formats_renderer(busy_report):
    assert render(busy_report, "csv") == RENDERERS["csv"](busy_report)


def test_chart_bars_follow_the_sections_even_when_the_result_lists_criteria_out_of_section_order():
    readiness = busy_input()
    shuffled = dataclasses.replace(readiness, criteria=(readiness.criteria[-1], *readiness.criteria[:-1]))

    report = report_from(shuffled)

    assert [bar.section for bar in report.score_bars] == ["EXP"] * 5 + ["LEAD"] * 6 + ["AP"] * 4
    assert [bar.label for bar in report.score_bars][-4:] == ["AP4", "AP1", "AP2", "AP3"]
    assert [row.id for row in report.criteria][0] == "AP4"  # the criteria table keeps the result's order
