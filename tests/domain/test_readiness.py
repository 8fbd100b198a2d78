from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.readiness import (
    ESTIMATE_LABEL,
    GAP_CODES,
    RULES,
    RULES_BY_CODE,
    SEVERITIES,
    CriterionInput,
    CriterionResult,
    EvidenceFact,
    FeedbackFact,
    Gap,
    MeasureFact,
    ReadinessInput,
    SefFact,
    assess_criterion,
    assess_readiness,
    indicative_outcome,
    measure_rag,
    score_rag,
)
from inspect_app.domain.readiness_config import ReadinessConfig, ScoreWeights

AS_OF = date(2025, 3, 1)
DEFAULTS = ReadinessConfig()
DESIGN_GAP_CODES = {
    "NO_EVIDENCE",
    "MISSING_EXPECTED_EVIDENCE",
    "STALE_EVIDENCE",
    "UNAPPROVED_EVIDENCE",
    "MEASURE_NO_DATA",
    "MEASURE_BELOW_ENGLAND",
    "MEASURE_DECLINING",
    "NO_FAMILY_VOICE",
    "FEEDBACK_NEGATIVE",
    "NO_SELF_EVALUATION",
    "SEF_NOT_SIGNED_OFF",
    "SEF_DATA_CONFLICT",
    "DATA_QUALITY",
}


# --- Builders: a criterion with nothing wrong, so each test changes one thing ------------------------------


def evidence(**overrides) -> EvidenceFact:
    values = {
        "id": 1,
        "title": "EHC needs assessment audit 2024",
        "evidence_type": "ehcna_audit",
        "status": "approved",
        "review_by": date(2025, 9, 1),
        "owner": "Asha Patel",
        "period_end": None,
    }
    return EvidenceFact(**(values | overrides))


def measure(**overrides) -> MeasureFact:
    values = {
        "id": "decision_6wk",
        "title": "Requests decided within 6 weeks",
        "period": "2024",
        "value": 50.0,
        "numerator": 50,
        "denominator": 100,
        "england": 46.4,
        "higher_is_better": True,
        "history": (),
        "applicable_from_case_data": True,
    }
    return MeasureFact(**(values | overrides))


def feedback(**overrides) -> FeedbackFact:
    values = {"responses": 20, "agree_pct": 70.0, "agree_ci_low": 48.1, "agree_ci_high": 85.5}
    return FeedbackFact(**(values | overrides))


def sef(**overrides) -> SefFact:
    values = {"grade": "developing", "signed_off": True, "updated_at": None, "has_text": True}
    return SefFact(**(values | overrides))


def criterion(**overrides) -> CriterionInput:
    values = {
        "id": "EXP1",
        "title": "Children and young people's needs are identified accurately and assessed in a timely way.",
        "section_id": "EXP",
        "expected_evidence_types": ("ehcna_audit",),
        "evidence": (evidence(),),
        "measures": (measure(),),
        "feedback": feedback(),
        "self_evaluation": sef(),
        "data_quality_issues": 0,
    }
    return CriterionInput(**(values | overrides))


def readiness_input(*criteria: CriterionInput, **overrides) -> ReadinessInput:
    values = {
        "partnership_slug": "northshire",
        "partnership_name": "Northshire local area partnership",
        "la_code": "805",
        "framework_id": "area-send",
        "framework_version": "2025-06-06",
        "as_of": AS_OF,
        "criteria": criteria,
    }
    return ReadinessInput(**(values | overrides))


def gaps_for(item: CriterionInput, config: ReadinessConfig = DEFAULTS, **kwargs) -> tuple[Gap, ...]:
    return assess_criterion(item, AS_OF, config, **kwargs).gaps


def gaps_with_code(code: str, item: CriterionInput, config: ReadinessConfig = DEFAULTS, **kwargs) -> list[Gap]:
    return [gap for gap in gaps_for(item, config, **kwargs) if gap.code == code]


def result_with(rag: str, *, high_gap: bool = False, cid: str = "EXP1") -> CriterionResult:
    gaps = (Gap(cid, "NO_EVIDENCE", "high", "No evidence is linked.", "Link some.", "Rule."),) if high_gap else ()
    return CriterionResult(
        id=cid,
        title="A criterion",
        section_id="EXP",
        score={"green": 80, "amber": 60, "red": 20}[rag],
        rag=rag,
        components=(),
        grade=None,
        signed_off=False,
        evidence_linked=0,
        evidence_approved=0,
        evidence_stale=0,
        measures=(),
        feedback_responses=0,
        feedback_agree_pct=None,
        gaps=gaps,
    )


def test_builders_make_a_criterion_with_no_gaps_so_each_rule_test_changes_one_thing():
    assert gaps_for(criterion()) == ()


# --- The rules table ---------------------------------------------------------------------------------------


def test_rules_table_has_exactly_one_rule_per_gap_code_in_the_design():
    assert len(RULES) == len(DESIGN_GAP_CODES)
    assert set(GAP_CODES) == DESIGN_GAP_CODES


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_each_rule_has_a_severity_and_a_one_sentence_explanation(rule):
    sentence = rule.explain(DEFAULTS)

    assert rule.severity in SEVERITIES
    assert sentence.endswith(".")
    assert sentence.count(". ") == 0
    assert "{" not in sentence


def test_rule_explanations_quote_the_configured_thresholds():
    config = ReadinessConfig(stale_after_months=6, below_england_margin_pp=2.5)

    assert "more than 6 months ago" in RULES_BY_CODE["STALE_EVIDENCE"].explain(config)
    assert "more than 2.5 percentage points" in RULES_BY_CODE["MEASURE_BELOW_ENGLAND"].explain(config)


def test_every_gap_carries_its_rules_explanation_for_the_config_used():
    config = ReadinessConfig(min_feedback_responses=30)
    [gap] = gaps_for(criterion(feedback=feedback(responses=29)), config)

    assert gap.code == "NO_FAMILY_VOICE"
    assert gap.explanation == RULES_BY_CODE["NO_FAMILY_VOICE"].explain(config)
    assert "at least 30 family survey responses" in gap.explanation


# --- NO_EVIDENCE -------------------------------------------------------------------------------------------


def test_no_evidence_fires_at_high_severity_when_nothing_is_linked():
    [gap] = gaps_with_code("NO_EVIDENCE", criterion(evidence=()))

    assert gap.severity == "high"
    assert gap.message == "No evidence is linked to EXP1."
    assert "EXP1" in gap.action


def test_no_evidence_does_not_fire_when_one_draft_item_is_linked():
    assert gaps_with_code("NO_EVIDENCE", criterion(evidence=(evidence(status="draft"),))) == []


# --- MISSING_EXPECTED_EVIDENCE -----------------------------------------------------------------------------


def test_missing_expected_evidence_raises_one_gap_per_missing_type_in_framework_order():
    item = criterion(expected_evidence_types=("ehcna_audit", "jsna", "sen2_return"))

    gaps = gaps_with_code("MISSING_EXPECTED_EVIDENCE", item)

    assert [gap.severity for gap in gaps] == ["medium", "medium"]
    assert '"jsna"' in gaps[0].message
    assert '"sen2_return"' in gaps[1].message
    assert '"sen2_return"' in gaps[1].action


def test_missing_expected_evidence_does_not_fire_when_every_type_has_an_item_in_any_status():
    item = criterion(
        expected_evidence_types=("ehcna_audit", "jsna"),
        evidence=(evidence(), evidence(id=2, title="JSNA 2024", evidence_type="jsna", status="draft")),
    )

    assert gaps_with_code("MISSING_EXPECTED_EVIDENCE", item) == []


# --- STALE_EVIDENCE ----------------------------------------------------------------------------------------


def test_stale_evidence_fires_at_medium_severity_the_day_after_the_review_by_date():
    item = criterion(evidence=(evidence(review_by=date(2025, 2, 28)),))

    [gap] = gaps_with_code("STALE_EVIDENCE", item)
    result = assess_criterion(item, AS_OF, DEFAULTS)

    assert gap.severity == "medium"
    assert gap.message == (
        '"EHC needs assessment audit 2024" (owner: Asha Patel) was due for review on 28 February 2025.'
    )
    assert gap.action.startswith('Ask Asha Patel to review "EHC needs assessment audit 2024"')
    assert result.evidence_stale == 1


def test_stale_evidence_is_only_due_soon_at_low_severity_on_the_review_by_date_itself():
    item = criterion(evidence=(evidence(review_by=AS_OF),))

    [gap] = gaps_with_code("STALE_EVIDENCE", item)

    assert gap.severity == "low"
    assert "is due for review on 1 March 2025, within 30 days" in gap.message
    assert assess_criterion(item, AS_OF, DEFAULTS).evidence_stale == 0


def test_stale_evidence_flags_a_review_due_within_review_soon_days_but_not_one_day_later():
    due_on_day_30 = criterion(evidence=(evidence(review_by=date(2025, 3, 31)),))
    due_on_day_31 = criterion(evidence=(evidence(review_by=date(2025, 4, 1)),))

    assert [gap.severity for gap in gaps_with_code("STALE_EVIDENCE", due_on_day_30)] == ["low"]
    assert gaps_with_code("STALE_EVIDENCE", due_on_day_31) == []


def test_stale_evidence_fires_when_the_period_covered_ended_more_than_stale_after_months_ago():
    # 29 February 2024 + 12 months is 28 February 2025, the day before as_of.
    item = criterion(evidence=(evidence(period_end=date(2024, 2, 29)),))

    [gap] = gaps_with_code("STALE_EVIDENCE", item)

    assert gap.severity == "medium"
    assert "covers a period that ended on 29 February 2024, more than 12 months before 1 March 2025" in gap.message


def test_stale_evidence_does_not_fire_when_the_period_ended_exactly_stale_after_months_ago():
    item = criterion(evidence=(evidence(period_end=date(2024, 3, 1)),))

    assert gaps_with_code("STALE_EVIDENCE", item) == []


def test_stale_evidence_names_both_reasons_in_one_gap_when_an_item_is_overdue_and_out_of_date():
    item = criterion(evidence=(evidence(review_by=date(2025, 1, 1), period_end=date(2023, 12, 31), owner=None),))

    [gap] = gaps_with_code("STALE_EVIDENCE", item)

    assert "was due for review on 1 January 2025 and covers a period that ended on 31 December 2023" in gap.message
    assert gap.action.startswith('Ask its owner to review "EHC needs assessment audit 2024"')


# --- UNAPPROVED_EVIDENCE -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "state", "action_start"),
    [
        ("draft", "is a draft", "Finish"),
        ("ready_for_review", "is waiting for review", "Review"),
        ("returned", "was returned for changes", "Make the changes"),
    ],
)
def test_unapproved_evidence_fires_for_each_item_not_approved_with_a_status_specific_action(
    status, state, action_start
):
    [gap] = gaps_with_code("UNAPPROVED_EVIDENCE", criterion(evidence=(evidence(status=status),)))

    assert gap.severity == "medium"
    assert gap.message == (
        f'"EHC needs assessment audit 2024" (owner: Asha Patel) {state}, so inspectors will not see it.'
    )
    assert gap.action.startswith(action_start)


def test_unapproved_evidence_does_not_fire_for_approved_items():
    assert gaps_with_code("UNAPPROVED_EVIDENCE", criterion()) == []


def test_evidence_with_an_unknown_status_is_refused():
    with pytest.raises(ValidationFailed, match="status 'published'"):
        evidence(status="published")


# --- MEASURE_NO_DATA ---------------------------------------------------------------------------------------


def test_measure_no_data_is_medium_and_asks_for_a_case_import_when_the_tool_computes_the_measure():
    item = criterion(measures=(measure(value=None, numerator=None, denominator=None),))

    [gap] = gaps_with_code("MEASURE_NO_DATA", item)

    assert gap.severity == "medium"
    assert (
        gap.message
        == "Requests decided within 6 weeks (decision_6wk) has no figure for 2024: no case records count towards it."
    )
    assert "inspect-app import cases" in gap.action


def test_measure_no_data_is_low_and_asks_for_a_data_snapshot_when_the_measure_comes_from_elsewhere():
    other = measure(
        id="nd_wait_13wk",
        title="Autism referrals open 13 weeks or more",
        value=None,
        england=None,
        applicable_from_case_data=False,
    )

    [gap] = gaps_with_code("MEASURE_NO_DATA", criterion(measures=(measure(), other)))

    assert gap.severity == "low"
    assert "nd_wait_13wk" in gap.message
    assert "data snapshot" in gap.action


def test_measure_no_data_does_not_fire_for_a_measure_with_a_figure_of_zero():
    assert gaps_with_code("MEASURE_NO_DATA", criterion(measures=(measure(value=0.0, numerator=0),))) == []


# --- Measure RAG -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "england", "higher_is_better", "expected"),
    [
        (46.4, 46.4, True, "green"),  # at England
        (36.4, 46.4, True, "amber"),  # exactly the amber margin below
        (36.3, 46.4, True, "red"),
        (54.9, 64.9, True, "amber"),  # 64.9 - 54.9 is 10.000000000000007 in floating point
        (56.4, 46.4, False, "amber"),  # lower is better: 10 points higher is still amber
        (56.5, 46.4, False, "red"),
        (40.0, 46.4, False, "green"),
        (None, 46.4, True, "none"),
        (50.0, 46.4, None, "none"),
        (50.0, None, True, "none"),
    ],
)
def test_measure_rag_compares_with_england_respecting_the_better_direction(value, england, higher_is_better, expected):
    item = measure(value=value, england=england, higher_is_better=higher_is_better)

    assert measure_rag(item, DEFAULTS) == expected


def test_measure_rag_is_green_when_an_absolute_target_is_met_even_below_england():
    item = measure(id="ehcp_20wk_excl", value=60.0, england=75.0)

    assert measure_rag(item, DEFAULTS) == "green"
    assert measure_rag(dataclasses.replace(item, value=59.9), DEFAULTS) == "red"


def test_measure_rag_margins_come_from_config():
    config = ReadinessConfig(measure_green_margin_pp=1.0, measure_amber_margin_pp=2.0)

    assert measure_rag(measure(value=45.4, england=46.4), config) == "green"
    assert measure_rag(measure(value=44.4, england=46.4), config) == "amber"
    assert measure_rag(measure(value=44.3, england=46.4), config) == "red"


# --- MEASURE_BELOW_ENGLAND ---------------------------------------------------------------------------------


def test_measure_below_england_does_not_fire_at_exactly_the_margin():
    # 64.9 - 59.9 is 5.000000000000007 in floating point; the rule compares the published decimals.
    assert gaps_with_code("MEASURE_BELOW_ENGLAND", criterion(measures=(measure(value=59.9, england=64.9),))) == []


def test_measure_below_england_fires_at_medium_severity_just_beyond_the_margin_while_amber():
    [gap] = gaps_with_code("MEASURE_BELOW_ENGLAND", criterion(measures=(measure(value=41.3, england=46.4),)))

    assert gap.severity == "medium"
    assert gap.message == (
        "Requests decided within 6 weeks (decision_6wk) was 41.3% in 2024 against 46.4% for England: "
        "5.1 percentage points worse."
    )


def test_measure_below_england_is_high_severity_when_the_measure_is_red():
    [gap] = gaps_with_code("MEASURE_BELOW_ENGLAND", criterion(measures=(measure(value=30.0, england=46.4),)))

    assert gap.severity == "high"
    assert "16.4 percentage points worse" in gap.message


def test_measure_below_england_respects_lower_is_better():
    over_a_year = {"id": "ehcp_over_52wk_excl", "title": "EHC plans issued after 52 weeks", "higher_is_better": False}
    at_margin = criterion(measures=(measure(**over_a_year, value=15.0, england=10.0),))
    beyond = criterion(measures=(measure(**over_a_year, value=15.1, england=10.0),))
    lower = criterion(measures=(measure(**over_a_year, value=2.0, england=10.0),))

    [gap] = gaps_with_code("MEASURE_BELOW_ENGLAND", beyond)

    assert gaps_with_code("MEASURE_BELOW_ENGLAND", at_margin) == []
    assert gaps_with_code("MEASURE_BELOW_ENGLAND", lower) == []
    assert "5.1 percentage points worse (lower is better)" in gap.message


def test_measure_below_england_ignores_measures_without_a_better_direction():
    counts = measure(
        id="requests_received", title="Requests received", value=100.0, england=900.0, higher_is_better=None
    )

    assert gaps_with_code("MEASURE_BELOW_ENGLAND", criterion(measures=(counts,))) == []


# --- MEASURE_DECLINING -------------------------------------------------------------------------------------


def test_measure_declining_fires_when_worse_in_each_of_the_last_two_periods():
    item = criterion(measures=(measure(value=50.0, history=(("2022", 60.0), ("2023", 55.0))),))

    [gap] = gaps_with_code("MEASURE_DECLINING", item)

    assert gap.severity == "medium"
    assert gap.message == (
        "Requests decided within 6 weeks (decision_6wk) got worse in each of the last 2 periods: "
        "2022 60.0%, 2023 55.0%, 2024 50.0%."
    )


def test_measure_declining_does_not_fire_when_one_period_held_steady():
    item = criterion(measures=(measure(value=50.0, history=(("2022", 60.0), ("2023", 50.0))),))

    assert gaps_with_code("MEASURE_DECLINING", item) == []


def test_measure_declining_does_not_fire_with_fewer_periods_of_history_than_configured():
    item = criterion(measures=(measure(value=50.0, history=(("2023", 55.0),)),))

    assert gaps_with_code("MEASURE_DECLINING", item) == []
    assert len(gaps_with_code("MEASURE_DECLINING", item, ReadinessConfig(declining_periods=1))) == 1


def test_measure_declining_treats_rising_as_worse_when_lower_is_better():
    item = criterion(
        measures=(measure(higher_is_better=False, value=8.0, england=10.0, history=(("2022", 4.0), ("2023", 6.0))),)
    )

    assert [gap.code for gap in gaps_for(item)] == ["MEASURE_DECLINING"]


def test_measure_declining_does_not_count_across_a_period_with_no_figure():
    item = criterion(measures=(measure(value=50.0, history=(("2021", 70.0), ("2022", None), ("2023", 55.0))),))

    assert gaps_with_code("MEASURE_DECLINING", item) == []


def test_measure_declining_does_not_count_the_current_period_twice_when_history_includes_it():
    item = criterion(measures=(measure(value=50.0, history=(("2023", 55.0), ("2024", 50.0))),))

    assert gaps_with_code("MEASURE_DECLINING", item) == []


# --- NO_FAMILY_VOICE and FEEDBACK_NEGATIVE -----------------------------------------------------------------


def test_no_family_voice_fires_when_fewer_than_the_minimum_responses():
    [gap] = gaps_with_code("NO_FAMILY_VOICE", criterion(feedback=feedback(responses=9)))

    assert gap.severity == "medium"
    assert gap.message == "EXP1 has only 9 family survey responses mapped to it; at least 10 are needed."


def test_no_family_voice_does_not_fire_at_exactly_the_minimum_responses():
    assert gaps_with_code("NO_FAMILY_VOICE", criterion(feedback=feedback(responses=10))) == []


def test_no_family_voice_fires_when_no_feedback_is_mapped():
    [gap] = gaps_with_code("NO_FAMILY_VOICE", criterion(feedback=None))

    assert gap.message == "No family survey responses are mapped to EXP1."


def test_feedback_negative_fires_at_high_severity_just_below_the_agreement_threshold():
    item = criterion(feedback=feedback(responses=10, agree_pct=49.9, agree_ci_low=23.7, agree_ci_high=76.3))

    [gap] = gaps_with_code("FEEDBACK_NEGATIVE", item)

    assert gap.severity == "high"
    assert gap.message == (
        "49.9% of 10 family responses for EXP1 agree (95% confidence interval 23.7% to 76.3%), below 50%."
    )


def test_feedback_negative_does_not_fire_at_exactly_the_agreement_threshold():
    assert gaps_with_code("FEEDBACK_NEGATIVE", criterion(feedback=feedback(agree_pct=50.0))) == []


def test_feedback_negative_does_not_fire_when_too_few_families_answered():
    item = criterion(feedback=feedback(responses=9, agree_pct=10.0))

    assert [gap.code for gap in gaps_for(item)] == ["NO_FAMILY_VOICE"]


# --- NO_SELF_EVALUATION and SEF_NOT_SIGNED_OFF -------------------------------------------------------------


@pytest.mark.parametrize("missing", [None, SefFact(grade=None, signed_off=False, updated_at=None, has_text=False)])
def test_no_self_evaluation_fires_at_high_severity_without_a_grade_or_text(missing):
    [gap] = gaps_with_code("NO_SELF_EVALUATION", criterion(self_evaluation=missing))

    assert gap.severity == "high"
    assert gap.message == "EXP1 has no self-evaluation: no grade and no text."
    assert gaps_with_code("SEF_NOT_SIGNED_OFF", criterion(self_evaluation=missing)) == []


def test_no_self_evaluation_does_not_fire_when_text_is_written_before_a_grade():
    item = criterion(self_evaluation=sef(grade=None, has_text=True, signed_off=False))

    assert gaps_with_code("NO_SELF_EVALUATION", item) == []
    [gap] = gaps_with_code("SEF_NOT_SIGNED_OFF", item)
    assert "(not yet graded)" in gap.message


def test_sef_not_signed_off_fires_at_medium_severity_for_a_graded_draft():
    [gap] = gaps_with_code("SEF_NOT_SIGNED_OFF", criterion(self_evaluation=sef(signed_off=False)))

    assert gap.severity == "medium"
    assert gap.message == 'The self-evaluation for EXP1 (graded "developing") has not been signed off by the partners.'


def test_sef_not_signed_off_does_not_fire_once_signed_off():
    assert gaps_with_code("SEF_NOT_SIGNED_OFF", criterion(self_evaluation=sef(signed_off=True))) == []


# --- SEF_DATA_CONFLICT -------------------------------------------------------------------------------------


def test_sef_data_conflict_fires_when_graded_strong_while_a_linked_measure_is_red():
    item = criterion(self_evaluation=sef(grade="strong"), measures=(measure(value=30.0, england=46.4),))

    [gap] = gaps_with_code("SEF_DATA_CONFLICT", item)

    assert gap.severity == "high"
    assert gap.message == (
        'EXP1 is graded "strong" but Requests decided within 6 weeks (decision_6wk) is red at 30.0% '
        "against 46.4% for England."
    )


def test_sef_data_conflict_fires_when_graded_secure_while_family_feedback_is_negative():
    item = criterion(self_evaluation=sef(grade="Secure"), feedback=feedback(responses=20, agree_pct=40.0))

    [gap] = gaps_with_code("SEF_DATA_CONFLICT", item)

    assert gap.message == 'EXP1 is graded "Secure" but only 40.0% of 20 family responses agree.'


def test_sef_data_conflict_does_not_fire_for_a_grade_below_the_top_grades():
    item = criterion(self_evaluation=sef(grade="developing"), measures=(measure(value=30.0, england=46.4),))

    assert gaps_with_code("SEF_DATA_CONFLICT", item) == []


def test_sef_data_conflict_does_not_fire_when_the_data_is_only_amber():
    item = criterion(self_evaluation=sef(grade="strong"), measures=(measure(value=40.0, england=46.4),))

    assert gaps_with_code("SEF_DATA_CONFLICT", item) == []


def test_sef_data_conflict_uses_the_partnerships_grade_scale_and_the_configured_number_of_top_grades():
    scale = ("outstanding", "good", "requires improvement", "inadequate")
    red = (measure(value=30.0, england=46.4),)
    config = ReadinessConfig(sef_top_grades=1)

    good = criterion(self_evaluation=sef(grade="good"), measures=red)
    outstanding = criterion(self_evaluation=sef(grade="outstanding"), measures=red)

    assert gaps_with_code("SEF_DATA_CONFLICT", good, config, grade_scale=scale) == []
    assert len(gaps_with_code("SEF_DATA_CONFLICT", outstanding, config, grade_scale=scale)) == 1
    assert len(gaps_with_code("SEF_DATA_CONFLICT", good, DEFAULTS, grade_scale=scale)) == 1


# --- DATA_QUALITY ------------------------------------------------------------------------------------------


def test_data_quality_fires_at_medium_severity_for_one_case_with_bad_dates():
    [gap] = gaps_with_code("DATA_QUALITY", criterion(data_quality_issues=1))

    assert gap.severity == "medium"
    assert gap.message.startswith("1 case record behind the measures for EXP1 has impossible or missing dates")


def test_data_quality_tolerates_the_configured_number_of_cases():
    config = ReadinessConfig(data_quality_max_issues=3)

    assert gaps_with_code("DATA_QUALITY", criterion(data_quality_issues=3), config) == []
    assert len(gaps_with_code("DATA_QUALITY", criterion(data_quality_issues=4), config)) == 1


# --- Gap order ---------------------------------------------------------------------------------------------


def test_a_criterions_gaps_are_listed_high_to_low_severity():
    item = criterion(
        evidence=(evidence(status="draft", review_by=date(2025, 3, 10)),),
        self_evaluation=None,
        measures=(measure(value=None, applicable_from_case_data=False),),
    )

    assert [(gap.code, gap.severity) for gap in gaps_for(item)] == [
        ("NO_SELF_EVALUATION", "high"),
        ("UNAPPROVED_EVIDENCE", "medium"),
        ("MEASURE_NO_DATA", "low"),
        ("STALE_EVIDENCE", "low"),
    ]


# --- Score -------------------------------------------------------------------------------------------------


def test_criterion_score_is_the_weighted_sum_of_its_components_rounded_half_up():
    item = criterion(
        expected_evidence_types=("ehcna_audit", "jsna", "sen2_return", "tracking_case_file"),
        evidence=(evidence(), evidence(id=2, title="JSNA", evidence_type="jsna", status="draft")),
        measures=(
            measure(id="a", value=50.0, england=46.4),  # green: 1
            measure(id="b", value=40.0, england=46.4),  # amber: 0.5
            measure(id="c", value=30.0, england=46.4),  # red: 0
            measure(id="d", value=None, applicable_from_case_data=False),  # left out of the score
        ),
        feedback=feedback(responses=20, agree_pct=70.0),
        self_evaluation=sef(signed_off=True),
    )

    result = assess_criterion(item, AS_OF, DEFAULTS)
    points = {c.name: c.points for c in result.components}
    fractions = {c.name: c.fraction for c in result.components}

    # coverage 2/4 of 25 = 12.5; approved and in date 1/2 of 15 = 7.5; measures (1 + 0.5 + 0)/3 of 30 = 15;
    # families 70% of 15 = 10.5; signed off 15. Total 60.5, which rounds half up to 61 (not to even, 60).
    assert fractions == {
        "evidence_coverage": 0.5,
        "evidence_quality": 0.5,
        "measures": 0.5,
        "family_voice": 0.7,
        "self_evaluation": 1.0,
    }
    assert points == pytest.approx(
        {
            "evidence_coverage": 12.5,
            "evidence_quality": 7.5,
            "measures": 15.0,
            "family_voice": 10.5,
            "self_evaluation": 15.0,
        }
    )
    assert result.score == 61
    assert result.rag == "amber"
    assert {c.name: c.detail for c in result.components}["measures"] == "Measures scored: 1 green, 1 amber, 1 red"


def test_criterion_score_shares_the_measures_weight_among_the_others_when_no_measure_applies():
    item = criterion(measures=(), evidence=(evidence(status="draft"),), feedback=None)

    result = assess_criterion(item, AS_OF, DEFAULTS)
    components = {c.name: c for c in result.components}

    # Applicable weights 25 + 15 + 15 + 15 = 70: coverage 25/70 and the signed-off self-evaluation 15/70 earn.
    assert components["measures"].fraction is None
    assert components["measures"].points == 0
    assert components["evidence_coverage"].points == pytest.approx(2500 / 70)
    assert components["self_evaluation"].points == pytest.approx(1500 / 70)
    assert result.score == 57


def test_criterion_score_counts_a_case_data_measure_without_a_figure_as_zero():
    item = criterion(measures=(measure(value=50.0), measure(id="ehcp_20wk_incl", value=None)))

    components = {c.name: c for c in assess_criterion(item, AS_OF, DEFAULTS).components}

    assert components["measures"].fraction == 0.5
    assert components["measures"].detail == "Measures scored: 1 green, 1 no data"


def test_criterion_score_excludes_stale_and_unapproved_items_from_evidence_quality():
    item = criterion(
        evidence=(
            evidence(),
            evidence(id=2, review_by=date(2025, 1, 1)),
            evidence(id=3, status="ready_for_review"),
        )
    )

    components = {c.name: c for c in assess_criterion(item, AS_OF, DEFAULTS).components}

    assert components["evidence_quality"].fraction == pytest.approx(1 / 3)
    assert components["evidence_quality"].detail == "1 of 3 linked items approved and in date"


def test_criterion_score_caps_the_self_evaluation_component_when_it_over_claims():
    item = criterion(self_evaluation=sef(grade="strong", signed_off=True), measures=(measure(value=30.0),))

    components = {c.name: c for c in assess_criterion(item, AS_OF, DEFAULTS).components}

    assert components["self_evaluation"].fraction == 0.0
    assert components["self_evaluation"].detail == "Signed off, graded above what the data shows"


def test_criterion_score_gives_half_the_family_voice_weight_for_a_draft_sef_and_no_agreement_figure():
    item = criterion(self_evaluation=sef(signed_off=False), feedback=feedback(agree_pct=None))

    components = {c.name: c for c in assess_criterion(item, AS_OF, DEFAULTS).components}

    assert components["self_evaluation"].fraction == 0.5
    assert components["family_voice"].fraction == 0.5


def test_component_points_add_up_to_the_criterion_score():
    item = criterion(
        expected_evidence_types=("ehcna_audit", "jsna", "sen2_return"),
        measures=(measure(value=40.0), measure(id="x", value=55.0)),
        feedback=feedback(agree_pct=63.3),
    )

    result = assess_criterion(item, AS_OF, DEFAULTS)

    assert abs(sum(c.points for c in result.components) - result.score) <= 0.5


@pytest.mark.parametrize(("score", "rag"), [(100, "green"), (75, "green"), (74, "amber"), (50, "amber"), (49, "red")])
def test_score_rag_uses_the_configured_cut_offs(score, rag):
    assert score_rag(score, DEFAULTS) == rag


def test_feedback_agreement_is_suppressed_in_the_result_below_five_responses():
    config = ReadinessConfig(min_feedback_responses=5)

    four = assess_criterion(criterion(feedback=feedback(responses=4)), AS_OF, config)
    five = assess_criterion(criterion(feedback=feedback(responses=5)), AS_OF, config)

    assert (four.feedback_responses, four.feedback_agree_pct) == (4, None)
    assert (five.feedback_responses, five.feedback_agree_pct) == (5, 70.0)


# --- Overall and indicative outcome ------------------------------------------------------------------------


def test_overall_score_is_the_mean_of_criterion_scores_rounded_half_up():
    # 25 + 15 + 30 + 70% of 15 + 15 = 95.5, rounded half up to 96.
    strong = criterion(id="EXP1")
    empty = CriterionInput(id="EXP2", title="Participation", section_id="EXP", expected_evidence_types=("jsna",))
    # As strong, but half of the self-evaluation's 15 lost to a draft: 88.
    middling = criterion(id="EXP3", self_evaluation=sef(signed_off=False))

    result = assess_readiness(readiness_input(strong, empty, middling))

    assert [c.score for c in result.criteria] == [96, 0, 88]
    assert result.overall.score == 61  # (96 + 0 + 88) / 3 = 61.33
    assert result.overall.rag == "amber"
    assert result.overall.criteria == 3
    assert result.overall.criteria_green == 2
    assert result.overall.criteria_red == 1


def test_overall_counts_gaps_by_severity_and_lists_them_high_to_low_then_in_criterion_order():
    first = criterion(id="EXP1", self_evaluation=sef(signed_off=False))
    second = criterion(id="EXP2", evidence=())

    result = assess_readiness(readiness_input(first, second))

    assert [(g.criterion_id, g.code, g.severity) for g in result.gaps] == [
        ("EXP2", "NO_EVIDENCE", "high"),
        ("EXP1", "SEF_NOT_SIGNED_OFF", "medium"),
        ("EXP2", "MISSING_EXPECTED_EVIDENCE", "medium"),
    ]
    assert result.overall.gaps == {"high": 1, "medium": 2, "low": 0}


def test_indicative_outcome_is_always_labelled_as_the_tools_estimate():
    result = assess_readiness(readiness_input(criterion()))

    assert result.overall.indicative_outcome_label == ESTIMATE_LABEL
    assert ESTIMATE_LABEL == "Estimate from this tool, not an inspection judgement"


def test_indicative_outcome_is_widespread_failings_when_two_in_five_criteria_are_red():
    criteria = [
        result_with("red"),
        result_with("red"),
        result_with("green"),
        result_with("green"),
        result_with("amber"),
    ]

    outcome, reason = indicative_outcome(criteria, DEFAULTS)

    assert outcome == "widespread_failings"
    assert reason == "2 of 5 criteria are red, 2 green, and 0 have a high-severity gap: 40% or more red."


def test_indicative_outcome_is_inconsistent_when_one_in_five_criteria_is_red():
    criteria = [
        result_with("red"),
        result_with("green"),
        result_with("green"),
        result_with("green"),
        result_with("amber"),
    ]

    assert indicative_outcome(criteria, DEFAULTS)[0] == "inconsistent"


def test_indicative_outcome_is_widespread_failings_when_three_in_five_criteria_have_a_high_severity_gap():
    criteria = [result_with("green", high_gap=True)] * 3 + [result_with("green")] * 2

    outcome, reason = indicative_outcome(criteria, DEFAULTS)

    assert outcome == "widespread_failings"
    assert reason.endswith("60% or more with a high-severity gap.")
    assert indicative_outcome(criteria[1:] + [result_with("green")], DEFAULTS)[0] == "inconsistent"


def test_indicative_outcome_is_positive_at_the_boundary_of_every_positive_threshold():
    # 3 of 5 green (60%), none red, 1 of 5 (20%) with a high-severity gap.
    criteria = [result_with("green", high_gap=True), result_with("green"), result_with("green")]
    criteria += [result_with("amber"), result_with("amber")]

    assert indicative_outcome(criteria, DEFAULTS)[0] == "positive"


@pytest.mark.parametrize(
    "criteria",
    [
        [result_with("green")] * 2 + [result_with("amber")] * 3,  # only 40% green
        [result_with("green")] * 4 + [result_with("red")],  # one red
        [result_with("green", high_gap=True)] * 2 + [result_with("green")] * 3,  # 40% with a high gap
    ],
    ids=["too-few-green", "one-red", "too-many-high-gaps"],
)
def test_indicative_outcome_is_inconsistent_just_past_a_positive_threshold(criteria):
    assert indicative_outcome(criteria, DEFAULTS)[0] == "inconsistent"


def test_assess_readiness_reports_the_indicative_outcome_of_its_criteria():
    healthy = [criterion(id=f"EXP{n}") for n in range(1, 6)]

    result = assess_readiness(readiness_input(*healthy))

    assert result.overall.indicative_outcome == "positive"
    assert result.overall.outcome_reason.startswith("0 of 5 criteria are red, 5 green, and 0 have a high-severity gap")


# --- A partnership with no data ----------------------------------------------------------------------------


def test_a_partnership_with_no_data_gets_every_criterion_with_its_gaps_instead_of_an_error():
    criteria = (
        CriterionInput(
            id="EXP1",
            title="Needs identified",
            section_id="EXP",
            expected_evidence_types=("ehcna_audit", "jsna"),
            measures=(
                MeasureFact(
                    "ehcp_20wk_excl",
                    "EHC plans within 20 weeks",
                    "2024",
                    None,
                    None,
                    None,
                    46.4,
                    True,
                    applicable_from_case_data=True,
                ),
                MeasureFact("nd_wait_13wk", "Autism referrals open 13 weeks or more", None, None),
            ),
        ),
        CriterionInput(id="LEAD1", title="Leaders are ambitious", section_id="LEAD"),
    )

    result = assess_readiness(readiness_input(*criteria))
    codes = {c.id: [g.code for g in c.gaps] for c in result.criteria}

    assert codes["EXP1"] == [
        "NO_EVIDENCE",
        "NO_SELF_EVALUATION",
        "MEASURE_NO_DATA",
        "MISSING_EXPECTED_EVIDENCE",
        "MISSING_EXPECTED_EVIDENCE",
        "NO_FAMILY_VOICE",
        "MEASURE_NO_DATA",
    ]
    assert codes["LEAD1"] == ["NO_EVIDENCE", "NO_SELF_EVALUATION", "NO_FAMILY_VOICE"]
    assert [(c.score, c.rag) for c in result.criteria] == [(0, "red"), (0, "red")]
    assert [m.rag for m in result.criteria[0].measures] == ["none", "none"]
    assert result.overall.score == 0
    assert result.overall.indicative_outcome == "widespread_failings"
    assert result.overall.gaps == {"high": 4, "medium": 5, "low": 1}


def test_a_partnership_with_the_same_criterion_twice_is_refused():
    with pytest.raises(ValidationFailed, match="EXP1"):
        readiness_input(criterion(), criterion())


# --- Configuration -----------------------------------------------------------------------------------------


def test_config_overrides_from_a_dict_change_which_gaps_fire():
    item = criterion(measures=(measure(value=41.3, england=46.4),))
    lenient = ReadinessConfig.from_mapping({"below_england_margin_pp": 6})

    assert len(gaps_with_code("MEASURE_BELOW_ENGLAND", item)) == 1
    assert gaps_with_code("MEASURE_BELOW_ENGLAND", item, lenient) == []


def test_config_overrides_from_a_dict_change_the_indicative_outcome():
    two_red = [criterion(id="EXP1"), criterion(id="EXP2"), criterion(id="EXP3")]
    two_red += [
        CriterionInput(id="EXP4", title="t", section_id="EXP"),
        CriterionInput(id="EXP5", title="t", section_id="EXP"),
    ]
    tolerant = ReadinessConfig.from_mapping(
        {"outcome_widespread_red_share": 0.5, "outcome_widespread_high_gap_share": 0.5}
    )

    assert assess_readiness(readiness_input(*two_red)).overall.indicative_outcome == "widespread_failings"
    assert assess_readiness(readiness_input(*two_red), tolerant).overall.indicative_outcome == "inconsistent"


def test_config_weight_overrides_merge_with_the_default_weights_and_change_the_score():
    config = ReadinessConfig.from_mapping({"weights": {"self_evaluation": 0}})
    item = criterion(self_evaluation=None)

    assert config.weights == ScoreWeights(self_evaluation=0)
    # Without a self-evaluation: 25 + 15 + 30 + 10.5 = 80.5 of 100, or of 85 once its weight is 0.
    assert assess_criterion(item, AS_OF, DEFAULTS).score == 81
    assert assess_criterion(item, AS_OF, config).score == 95


def test_config_green_target_overrides_merge_and_none_removes_a_default_target():
    added = ReadinessConfig.from_mapping({"measure_green_targets": {"decision_6wk": 90}})
    removed = ReadinessConfig.from_mapping({"measure_green_targets": {"ehcp_20wk_excl": None}})
    target_met = measure(id="ehcp_20wk_excl", value=60.0, england=75.0)

    assert dict(added.measure_green_targets) == {"ehcp_20wk_excl": 60.0, "decision_6wk": 90}
    assert measure_rag(target_met, DEFAULTS) == "green"
    assert measure_rag(target_met, removed) == "red"


def test_config_from_no_overrides_is_the_defaults():
    assert ReadinessConfig.from_mapping(None) == DEFAULTS
    assert ReadinessConfig.from_mapping({}) == DEFAULTS


def test_config_refuses_unknown_settings_naming_each_one():
    with pytest.raises(ValidationFailed) as refused:
        ReadinessConfig.from_mapping({"stale_months": 6, "weights": {"measures": 10}, "min_responses": 3})

    assert refused.value.messages == [
        "Unknown readiness setting: min_responses",
        "Unknown readiness setting: stale_months",
    ]


def test_config_refuses_an_unknown_score_component():
    with pytest.raises(ValidationFailed, match="Unknown score component in weights: voice"):
        ReadinessConfig.from_mapping({"weights": {"voice": 10}})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"stale_after_months": 0}, "stale_after_months must be a whole number of 1 or more"),
        ({"declining_periods": True}, "declining_periods must be a whole number of 1 or more"),
        ({"negative_feedback_agree_pct": 101}, "negative_feedback_agree_pct must be a number from 0 to 100"),
        ({"outcome_widespread_red_share": 40}, "outcome_widespread_red_share must be a number from 0 to 1"),
        ({"rag_amber_min": 80}, "rag_amber_min must not be more than rag_green_min"),
        ({"min_feedback_responses": 3}, "min_feedback_responses must not be less than feedback_suppress_below"),
        ({"weights": {"measures": -1}}, "Score weight measures must be a number of 0 or more"),
        (
            {
                "weights": dict.fromkeys(
                    ("evidence_coverage", "evidence_quality", "measures", "family_voice", "self_evaluation"), 0
                )
            },
            "At least one score weight must be more than 0",
        ),
    ],
)
def test_config_refuses_out_of_range_values_with_a_message_naming_the_setting(overrides, message):
    with pytest.raises(ValidationFailed) as refused:
        ReadinessConfig.from_mapping(overrides)

    assert any(message in text for text in refused.value.messages)


# --- Evidence gaps for many items ----------------------------------------------------------------------------


def test_several_unapproved_items_of_one_owner_are_one_gap_naming_them_and_each_owner_has_their_own():
    drafts = tuple(evidence(id=i, title=f"Audit {i}", status="draft") for i in range(1, 6))
    other = evidence(id=9, title="Health needs summary", status="draft", owner="Sam Okoye")
    waiting = evidence(id=10, title="Short breaks statement", status="ready_for_review")

    gaps = gaps_with_code("UNAPPROVED_EVIDENCE", criterion(evidence=(*drafts, other, waiting)))

    assert [(g.owner, g.message) for g in gaps] == [
        (
            "Asha Patel",
            '5 evidence items (owner: Asha Patel) are drafts, so inspectors will not see them: "Audit 1", '
            '"Audit 2", "Audit 3" and 2 more.',
        ),
        ("Sam Okoye", '"Health needs summary" (owner: Sam Okoye) is a draft, so inspectors will not see it.'),
        (
            "Asha Patel",
            '"Short breaks statement" (owner: Asha Patel) is waiting for review, so inspectors will not see it.',
        ),
    ]
    assert gaps[0].action == "Finish them and send them for review."


def test_several_stale_items_of_one_owner_are_one_gap_and_items_due_soon_another():
    overdue = tuple(evidence(id=i, title=f"Plan {i}", review_by=date(2025, 1, i)) for i in range(1, 3))
    soon = tuple(evidence(id=i, title=f"Report {i}", review_by=date(2025, 3, 10 + i)) for i in range(3, 5))

    gaps = gaps_with_code("STALE_EVIDENCE", criterion(evidence=(*overdue, *soon)))

    assert [(g.severity, g.message) for g in gaps] == [
        (
            "medium",
            '2 evidence items (owner: Asha Patel) are past their review-by date or cover a period that ended more '
            'than 12 months before 1 March 2025: "Plan 1", "Plan 2".',
        ),
        (
            "low",
            '2 evidence items (owner: Asha Patel) are due for review within 30 days, the first on 13 March 2025: '
            '"Report 3", "Report 4".',
        ),
    ]
    assert assess_criterion(criterion(evidence=(*overdue, *soon)), AS_OF, DEFAULTS).evidence_stale == 2
