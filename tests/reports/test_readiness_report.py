from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.numbers import round_half_up
from inspect_app.domain.readiness import CAVEAT, POSITION_LABELS, SEVERITIES
from inspect_app.reports.readiness_render import (
    EXTENSIONS,
    FORMATS,
    MEDIA_TYPES,
    RENDERERS,
    filename,
    render,
)
from inspect_app.reports.readiness_report import (
    MAX_NEXT_ACTIONS,
    build_readiness_report,
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


def test_report_states_the_position_in_its_own_words_with_the_caveat_and_the_reason(busy_report, busy_result):
    overall = busy_report.overall

    assert overall.position == busy_result.overall.position == "not_ready"
    assert overall.label == POSITION_LABELS["not_ready"]
    assert overall.reason == busy_result.overall.reason
    assert overall.caveat == busy_report.caveat == CAVEAT
    assert (overall.impact_score, overall.preparation_score) == (
        busy_result.overall.impact_score,
        busy_result.overall.preparation_score,
    )
    assert overall.criteria_red + overall.criteria_amber + overall.criteria_green + overall.criteria_no_data == 15
    assert overall.summary.startswith("Of 15 criteria, ")
    assert [c.severity for c in overall.gaps] == list(SEVERITIES)
    assert overall.gaps_total == len(busy_result.gaps) > 50


def test_every_comparison_in_the_report_model_pairs_the_same_period(busy_report, busy_result):
    """Walk every comparison: the local figure beside each comparator is the partnership's for that year."""
    facts = {(c.id, m.id): m for c in busy_input().criteria for m in c.measures}
    walked = 0
    for measure, comparison in busy_report.comparisons:
        fact = facts[(measure.criterion_id, measure.id)]
        assert comparison.local_period == comparison.period
        local = fact.local_at(comparison.period)
        assert local is not None
        assert comparison.local_value == float(round_half_up(local, 1))
        series = next(s for s in fact.comparators if s.name == comparison.name)
        assert series.value_at(comparison.period) is not None
        assert comparison.latest == (comparison.period == measure.period)
        walked += 1
    assert walked > 20
    assert any(not c.latest for _, c in busy_report.comparisons)  # England is a year behind in the sample


def test_a_measure_compared_in_an_earlier_year_says_the_newer_figure_has_no_comparator_yet(busy_report):
    compared_earlier = [m for m in busy_report.measures if any(not c.latest for c in m.comparisons)]
    none_latest = [m for m in compared_earlier if m.value is not None and not any(c.latest for c in m.comparisons)]
    some_latest = [m for m in compared_earlier if any(c.latest for c in m.comparisons)]

    assert none_latest and some_latest
    assert all(m.note and "the latest year both have" in m.note for m in compared_earlier)
    assert all(m.note.startswith(f"The {m.period} figure has no published comparator yet") for m in none_latest)
    assert all(m.note.startswith(f"England has not published a figure for {m.period} yet") for m in some_latest)


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


def test_each_criterion_explains_impact_and_preparation_part_by_part(busy_report):
    for section in busy_report.sections:
        for detail in section.criteria:
            row = detail.row
            if row.impact_score is not None:
                assert abs(sum(p.points for p in detail.impact_parts) - row.impact_score) <= 0.5
                assert detail.score_sentence.startswith(f"{row.id} scores {row.score} out of 100")
            else:
                assert detail.score_sentence.startswith(f"{row.id} has not enough data on impact to score")
            assert abs(sum(p.points for p in detail.preparation_parts) - (row.preparation_score or 0)) <= 0.5
            assert [p.label for p in detail.impact_parts] == [
                "Statutory duties against the law",
                "Other measures against England",
                "What families say",
            ]
            assert [p.label for p in detail.preparation_parts] == [
                "Expected evidence linked",
                "Evidence approved and in date",
                "Self-evaluation written and signed off",
                "Actions from the last inspection",
            ]


def test_a_part_with_no_data_says_so(no_data_report):
    lead1 = next(d for s in no_data_report.sections for d in s.criteria if d.row.id == "LEAD1")
    measures = next(p for p in lead1.impact_parts if p.name == "measures")

    assert measures.earned_pct is None
    assert measures.earned_text == "No data"
    assert measures.points_text == "0"
    assert lead1.row.score_text == "Not enough data"
    assert lead1.row.rag_label == "Not enough data"


def test_measures_show_their_figures_rounded_with_units_and_what_they_are_rated_against(busy_report):
    rows = list(busy_report.measures)
    duty = next(m for m in rows if m.duty and m.value is not None)
    other = next(m for m in rows if not m.duty and m.rag != "none")
    missing = next(m for m in rows if m.value is None)

    assert duty.value_text.endswith("%")
    assert duty.rated_against_text == "Against the time limit in law"
    assert duty.kind_text.startswith("Statutory duty (SEND Regulations 2014")
    assert other.rated_against_text.startswith("Against England in ")
    assert missing.value_text == "No figure"
    assert missing.rag_label == "Not rated"
    for m in rows:
        if m.value is not None:
            assert m.value == round(m.value, 1)
        for c in m.comparisons:
            assert c.value == round(c.value, 1) and c.local_value == round(c.local_value, 1)


def test_provisional_wording_is_marked_on_every_criterion_whose_wording_is_unverified(busy_report):
    framework = shipped_framework()
    unverified = {c.id for c in framework.criteria if c.status != "C"}

    assert {row.id for row in busy_report.provisional} == unverified
    assert {"AP1", "AP2", "AP3", "AP4"} <= unverified
    assert all(row.wording_label == "Provisional wording" for row in busy_report.provisional)
    assert [s.counted_once for s in busy_report.sections] == [False, False, True]


def test_practitioners_are_reported_apart_from_families(busy_report):
    row = next(r for r in busy_report.criteria if r.practitioners_responses)

    assert row.practitioners_text.startswith(f"{row.practitioners_responses} responses")
    assert row.family_text != row.practitioners_text


def test_gap_links_come_from_the_link_builder(busy_result):
    report = report_for(busy_result, link_for=lambda gap: f"/p/northshire/{gap.target.kind}")

    assert all(g.link and g.link.startswith("/p/northshire/") for g in report.gap_register)
    assert all(g.link for g in report.next_actions)
    assert {g["link"] for g in report.to_json()["gaps"]} == {g.link for g in report.gap_register}


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


def test_without_the_framework_sections_are_named_by_id(busy_result):
    report = build_readiness_report(
        busy_result,
        partnership_name="Northshire",
        la_code="805",
        framework_label="Area SEND",
        generated_at=GENERATED_AT,
    )

    assert [s.title for s in report.sections] == ["Section EXP", "Section LEAD", "Section AP"]
    assert report.overall.label == POSITION_LABELS[busy_result.overall.position]


def test_a_framework_with_no_criteria_still_gets_a_report():
    report = report_from(readiness_input(()))

    assert report.criteria == report.sections == report.gap_register == report.next_actions == ()
    assert report.scores_chart_title == "No criteria to show"
    assert report.gaps_chart_title == "No gaps found"
    assert report.overall.label == "Not enough data yet"
    assert report.overall.summary == "Of 0 criteria, 0 are red, 0 amber and 0 green; no gaps were found."


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
