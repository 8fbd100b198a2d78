from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal

import pytest

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.measure_choices import ExceptionsCheck, exceptions_implausible
from inspect_app.domain.measures import MeasureValue
from inspect_app.domain.readiness import (
    GAP_CODES,
    RULES,
    RULES_BY_CODE,
    SEVERITIES,
    TARGET_KINDS,
    SefFact,
    Target,
    assess_criterion,
)
from inspect_app.domain.readiness_config import ReadinessConfig
from tests.readiness_builders import (
    AS_OF,
    DEFAULTS,
    action,
    criterion,
    duty,
    england,
    evidence,
    feedback,
    gaps_for,
    gaps_with_code,
    measure,
    neighbours,
    region,
    sef,
)

DESIGN_GAP_CODES = {
    "NO_EVIDENCE",
    "MISSING_EXPECTED_EVIDENCE",
    "STALE_EVIDENCE",
    "UNAPPROVED_EVIDENCE",
    "MEASURE_NO_DATA",
    "DUTY_BELOW_LAW",
    "MEASURE_WORSE_THAN_COMPARATORS",
    "MEASURE_DECLINING",
    "NO_FAMILY_VOICE",
    "FEEDBACK_NEGATIVE",
    "NO_SELF_EVALUATION",
    "SEF_NOT_SIGNED_OFF",
    "SEF_DATA_CONFLICT",
    "DATA_QUALITY",
    "EXCEPTIONS_IMPLAUSIBLE",
    "FOLLOW_UP_OFF_TRACK",
    "FOLLOW_UP_NO_EVIDENCE",
}


def test_builders_make_a_criterion_with_no_gaps_so_each_rule_test_changes_one_thing():
    assert gaps_for(criterion()) == ()


# --- The rules table ---------------------------------------------------------------------------------------


def test_rules_table_has_exactly_one_rule_per_gap_code_in_the_design():
    assert len(RULES) == len(DESIGN_GAP_CODES)
    assert set(GAP_CODES) == DESIGN_GAP_CODES


def test_the_old_below_england_rule_is_gone():
    assert "MEASURE_BELOW_ENGLAND" not in GAP_CODES


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_each_rule_has_a_severity_and_a_one_sentence_explanation(rule):
    sentence = rule.explain(DEFAULTS)

    assert rule.severity in SEVERITIES
    assert sentence.endswith(".")
    assert sentence.count(". ") == 0
    assert "{" not in sentence


def test_rule_explanations_quote_the_configured_thresholds():
    config = ReadinessConfig(stale_after_months=6, worse_than_comparators_margin_pp=2.5, duty_green_min=95)

    assert "more than 6 months ago" in RULES_BY_CODE["STALE_EVIDENCE"].explain(config)
    assert "more than 2.5 percentage points" in RULES_BY_CODE["MEASURE_WORSE_THAN_COMPARATORS"].explain(config)
    assert "fewer than 95% of cases" in RULES_BY_CODE["DUTY_BELOW_LAW"].explain(config)


def test_every_gap_carries_its_rules_explanation_for_the_config_used():
    config = ReadinessConfig(min_feedback_responses=30)
    [gap] = gaps_for(criterion(feedback=feedback(responses=29)), config)

    assert gap.code == "NO_FAMILY_VOICE"
    assert gap.explanation == RULES_BY_CODE["NO_FAMILY_VOICE"].explain(config)
    assert "at least 30 answers from parents and carers" in gap.explanation


def busy_criterion():
    """Something wrong of every kind the rules look at."""
    return criterion(
        expected_evidence_types=("ehcna_audit", "jsna"),
        evidence=(evidence(status="draft", review_by=date(2025, 1, 1)), evidence(id=2, status="returned")),
        measures=(
            duty(value=40.0, numerator=36, denominator=90, history=(("2022", 60.0), ("2023", 50.0))),
            duty(id="ehcp_20wk_incl", title="EHC plans issued within 20 weeks", value=45.0, numerator=45),
            measure(value=30.0),
            measure(id="nd_wait_13wk", title="Autism referrals open 13 weeks or more", value=None),
        ),
        feedback=feedback(agree_pct=30.0),
        self_evaluation=sef(grade="strong", signed_off=False),
        data_quality_issues=2,
        follow_up=(action(status="off_track"), action(action_id=8, title="Publish the local offer", evidence_linked=0)),
    )


def test_every_gap_of_a_busy_criterion_says_where_to_act():
    gaps = gaps_for(busy_criterion())

    assert {g.code for g in gaps} >= DESIGN_GAP_CODES - {"NO_EVIDENCE", "NO_SELF_EVALUATION", "NO_FAMILY_VOICE"}
    for gap in gaps:
        assert isinstance(gap.target, Target), gap.code
        assert gap.target.kind in TARGET_KINDS
        assert gap.target.criterion_id == "EXP1"


def test_gap_messages_and_actions_never_show_a_measure_or_evidence_type_identifier():
    """Plain English on screen: titles, never ids such as ehcp_20wk_excl or ehcna_audit."""
    identifiers = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")

    for gap in gaps_for(busy_criterion()):
        assert not identifiers.search(gap.message), gap.message
        assert not identifiers.search(gap.action), gap.action


# --- NO_EVIDENCE -------------------------------------------------------------------------------------------


def test_no_evidence_fires_at_high_severity_when_nothing_is_linked_and_points_to_adding_evidence():
    [gap] = gaps_with_code("NO_EVIDENCE", criterion(evidence=()))

    assert gap.severity == "high"
    assert gap.message == "No evidence is linked to EXP1."
    assert gap.target == Target("evidence_new", criterion_id="EXP1")


def test_no_evidence_does_not_fire_when_one_draft_item_is_linked():
    assert gaps_with_code("NO_EVIDENCE", criterion(evidence=(evidence(status="draft"),))) == []


# --- MISSING_EXPECTED_EVIDENCE -----------------------------------------------------------------------------


def test_missing_expected_evidence_raises_one_gap_per_missing_type_named_by_its_title():
    item = criterion(expected_evidence_types=("ehcna_audit", "jsna", "sen2_return"))

    gaps = gaps_with_code("MISSING_EXPECTED_EVIDENCE", item)

    assert [gap.severity for gap in gaps] == ["medium", "medium"]
    assert '"Joint strategic needs assessment"' in gaps[0].message
    assert '"sen2 return"' in gaps[1].message  # no title given: the id, read as words
    assert gaps[0].target == Target("evidence_new", criterion_id="EXP1", filters=(("evidence_type", "jsna"),))


def test_missing_expected_evidence_does_not_fire_when_every_type_has_an_item_in_any_status():
    item = criterion(
        expected_evidence_types=("ehcna_audit", "jsna"),
        evidence=(evidence(), evidence(id=2, title="JSNA 2024", evidence_type="jsna", status="draft")),
    )

    assert gaps_with_code("MISSING_EXPECTED_EVIDENCE", item) == []


# --- STALE_EVIDENCE ----------------------------------------------------------------------------------------


def test_stale_evidence_fires_at_medium_severity_the_day_after_the_review_by_date_and_links_the_item():
    item = criterion(evidence=(evidence(review_by=date(2025, 2, 28)),))

    [gap] = gaps_with_code("STALE_EVIDENCE", item)
    result = assess_criterion(item, AS_OF, DEFAULTS)

    assert gap.severity == "medium"
    assert gap.message == (
        '"EHC needs assessment audit 2024" (owner: Asha Patel) was due for review on 28 February 2025.'
    )
    assert gap.action.startswith('Ask Asha Patel to review "EHC needs assessment audit 2024"')
    assert gap.target == Target("evidence_item", criterion_id="EXP1", item_id=1)
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


def test_several_stale_items_of_one_owner_are_one_gap_and_items_due_soon_another_each_with_a_filtered_list():
    overdue = tuple(evidence(id=i, title=f"Plan {i}", review_by=date(2025, 1, i)) for i in range(1, 3))
    soon = tuple(evidence(id=i, title=f"Report {i}", review_by=date(2025, 3, 10 + i)) for i in range(3, 5))

    gaps = gaps_with_code("STALE_EVIDENCE", criterion(evidence=(*overdue, *soon)))

    assert [(g.severity, g.message) for g in gaps] == [
        (
            "medium",
            "2 evidence items (owner: Asha Patel) are past their review-by date or cover a period that ended more "
            'than 12 months before 1 March 2025: "Plan 1", "Plan 2".',
        ),
        (
            "low",
            "2 evidence items (owner: Asha Patel) are due for review within 30 days, the first on 13 March 2025: "
            '"Report 3", "Report 4".',
        ),
    ]
    assert gaps[0].target == Target("evidence_list", criterion_id="EXP1", filters=(("stale", "1"),))
    assert gaps[1].target == Target("evidence_list", criterion_id="EXP1", filters=(("review", "soon"),))


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
    assert gap.target == Target("evidence_item", criterion_id="EXP1", item_id=1)


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
    assert gaps[0].target == Target("evidence_list", criterion_id="EXP1", filters=(("status", "draft"),))


def test_evidence_with_an_unknown_status_is_refused():
    with pytest.raises(ValidationFailed, match="status 'published'"):
        evidence(status="published")


# --- DUTY_BELOW_LAW ----------------------------------------------------------------------------------------


def test_a_duty_below_the_amber_band_is_a_high_severity_gap_against_the_law():
    [gap] = gaps_with_code("DUTY_BELOW_LAW", criterion(measures=(duty(value=40.0, numerator=40),)))

    assert gap.severity == "high"
    assert gap.message == (
        "EHC plans issued within 20 weeks, excluding exceptions: 40% in 2024 (40 of 100). The time limit is set in "
        "law (SEND Regulations 2014 reg 13(2)) and applies to every family; this tool rates a duty green from 90% "
        "and amber from 60%."
    )
    assert gap.target == Target("sef_edit", criterion_id="EXP1")


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        (90.0, []),
        (89.9, [("DUTY_BELOW_LAW", "medium")]),
        (60.0, [("DUTY_BELOW_LAW", "medium")]),
        (59.9, [("DUTY_BELOW_LAW", "high")]),
    ],
)
def test_duty_bands_are_green_from_90_and_amber_from_60_percent(value, codes):
    gaps = gaps_with_code("DUTY_BELOW_LAW", criterion(measures=(duty(value=value),)))

    assert [(g.code, g.severity) for g in gaps] == codes


def test_a_duty_at_englands_rate_is_still_below_the_law():
    """46.1% at England means more than half of families waited beyond the limit: never green."""
    item = criterion(measures=(duty(value=46.1, comparators=(england(("2024", 46.1)),)),))

    result = assess_criterion(item, AS_OF, DEFAULTS)

    assert result.measures[0].rag == "red"
    assert result.measures[0].rated_against == "law"
    assert [g.code for g in result.gaps] == ["DUTY_BELOW_LAW"]


def test_a_duty_far_better_than_england_but_below_the_law_is_not_green():
    item = criterion(measures=(duty(value=70.0, comparators=(england(("2024", 46.4)),)),))

    assert assess_criterion(item, AS_OF, DEFAULTS).measures[0].rag == "amber"


def test_duty_bands_come_from_config():
    config = ReadinessConfig(duty_green_min=80, duty_amber_min=50)

    assert gaps_with_code("DUTY_BELOW_LAW", criterion(measures=(duty(value=80.0),)), config) == []
    assert gaps_with_code("DUTY_BELOW_LAW", criterion(measures=(duty(value=49.9),)), config)[0].severity == "high"


def test_whether_a_measure_is_a_duty_comes_from_its_fact_not_its_id():
    not_a_duty = duty(duty=False, basis=None, value=40.0, comparators=(england(("2024", 40.0)),))

    result = assess_criterion(criterion(measures=(not_a_duty,)), AS_OF, DEFAULTS)

    assert result.measures[0].rated_against == "england"
    assert result.measures[0].rag == "green"
    assert gaps_with_code("DUTY_BELOW_LAW", criterion(measures=(not_a_duty,))) == []


# --- MEASURE_WORSE_THAN_COMPARATORS ------------------------------------------------------------------------


def test_worse_than_comparators_names_each_comparator_worse_by_more_than_the_margin_for_the_same_year():
    item = criterion(
        measures=(
            measure(
                value=40.0,
                comparators=(england(("2024", 46.4)), region(("2024", 44.0)), neighbours(("2024", 45.1))),
            ),
        )
    )

    [gap] = gaps_with_code("MEASURE_WORSE_THAN_COMPARATORS", item)

    assert gap.severity == "medium"  # amber against England: 6.4 points worse
    assert gap.message == (
        "Annual reviews completed in the year: 40% against 46.4% for England in 2024, 6.4 percentage points worse; "
        "40% against 45.1% for Statistical neighbours (average) in 2024, 5.1 percentage points worse."
    )


def test_worse_than_comparators_does_not_fire_at_exactly_the_margin():
    # 64.9 - 59.9 is 5.000000000000007 in floating point; the rule compares the published decimals.
    item = criterion(measures=(measure(value=59.9, comparators=(england(("2024", 64.9)),)),))

    assert gaps_with_code("MEASURE_WORSE_THAN_COMPARATORS", item) == []


def test_worse_than_comparators_is_high_when_it_makes_a_measure_that_is_not_a_duty_red():
    item = criterion(measures=(measure(value=30.0),))

    [gap] = gaps_with_code("MEASURE_WORSE_THAN_COMPARATORS", item)

    assert gap.severity == "high"
    assert "16.4 percentage points worse" in gap.message


def test_a_duty_worse_than_england_is_a_medium_comparator_gap_beside_its_duty_gap():
    item = criterion(measures=(duty(value=39.1, comparators=(england(("2024", 46.1)),)),))

    gaps = [(g.code, g.severity) for g in gaps_for(item)]

    assert gaps == [("DUTY_BELOW_LAW", "high"), ("MEASURE_WORSE_THAN_COMPARATORS", "medium")]


def test_a_comparator_from_another_year_never_raises_a_gap():
    """39.1% in 2025 against 59.9% for England in 2021 is not a comparison."""
    item = criterion(measures=(measure(period="2025", value=39.1, comparators=(england(("2021", 59.9)),)),))

    result = assess_criterion(item, AS_OF, DEFAULTS)

    assert gaps_with_code("MEASURE_WORSE_THAN_COMPARATORS", item) == []
    assert result.measures[0].comparisons == ()
    assert result.measures[0].rag == "none"


def test_without_the_same_year_the_latest_year_both_have_is_compared_and_labelled():
    item = criterion(
        measures=(
            measure(
                period="2025",
                value=39.1,
                history=(("2023", 50.0), ("2024", 38.0)),
                comparators=(england(("2023", 50.3), ("2024", 46.4)),),
            ),
        )
    )

    [gap] = gaps_with_code("MEASURE_WORSE_THAN_COMPARATORS", item)
    [compared] = assess_criterion(item, AS_OF, DEFAULTS).measures[0].comparisons

    assert (compared.period, compared.local_value, compared.value, compared.latest) == ("2024", 38.0, 46.4, False)
    assert "38% against 46.4% for England in 2024, 8.4 percentage points worse" in gap.message
    assert "worse. The 2025 figure has no published comparator yet" in gap.message


def test_worse_than_comparators_respects_lower_is_better():
    over_a_year = {"id": "ehcp_over_52wk_excl", "title": "EHC plans issued after 52 weeks", "higher_is_better": False}
    beyond = criterion(measures=(measure(**over_a_year, value=15.1, comparators=(england(("2024", 10.0)),)),))
    lower = criterion(measures=(measure(**over_a_year, value=2.0, comparators=(england(("2024", 10.0)),)),))

    [gap] = gaps_with_code("MEASURE_WORSE_THAN_COMPARATORS", beyond)

    assert gaps_with_code("MEASURE_WORSE_THAN_COMPARATORS", lower) == []
    assert gap.message.startswith("EHC plans issued after 52 weeks (lower is better): 15.1% against 10%")


def test_worse_than_comparators_writes_weeks_in_weeks():
    weeks = measure(
        id="avg_weeks_to_issue",
        title="Average time to issue a plan",
        unit="weeks",
        higher_is_better=False,
        value=31.25,
        comparators=(england(("2024", 25.0)),),
    )

    [gap] = gaps_with_code("MEASURE_WORSE_THAN_COMPARATORS", criterion(measures=(weeks,)))

    assert "31.3 weeks against 25 weeks for England in 2024, 6.3 weeks worse" in gap.message


def test_worse_than_comparators_ignores_measures_without_a_better_direction():
    counts = measure(
        id="requests_received", title="Requests received", unit="count", higher_is_better=None, value=100.0
    )

    assert gaps_with_code("MEASURE_WORSE_THAN_COMPARATORS", criterion(measures=(counts,))) == []


# --- MEASURE_DECLINING -------------------------------------------------------------------------------------


def test_measure_declining_fires_when_worse_in_each_of_the_last_two_periods():
    item = criterion(measures=(measure(value=50.0, history=(("2022", 60.0), ("2023", 55.0))),))

    [gap] = gaps_with_code("MEASURE_DECLINING", item)

    assert gap.severity == "medium"
    assert gap.message == (
        "Annual reviews completed in the year got worse in each of the last 2 periods: 2022 60%, 2023 55%, 2024 50%."
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
        measures=(measure(higher_is_better=False, value=8.0, comparators=(), history=(("2022", 4.0), ("2023", 6.0))),)
    )

    assert [gap.code for gap in gaps_for(item)] == ["MEASURE_DECLINING"]


def test_measure_declining_does_not_count_across_a_period_with_no_figure():
    item = criterion(measures=(measure(value=50.0, history=(("2021", 70.0), ("2022", None), ("2023", 55.0))),))

    assert gaps_with_code("MEASURE_DECLINING", item) == []


# --- MEASURE_NO_DATA ---------------------------------------------------------------------------------------


def test_measure_no_data_is_medium_and_points_to_the_case_import_when_the_tool_computes_the_measure():
    item = criterion(measures=(duty(), measure(value=None, numerator=None, denominator=None)))

    [gap] = gaps_with_code("MEASURE_NO_DATA", item)

    assert gap.severity == "medium"
    assert (
        gap.message == "Annual reviews completed in the year has no figure for 2024: no case records count towards it."
    )
    assert gap.target == Target("case_import", criterion_id="EXP1")


def test_measure_no_data_is_low_and_asks_for_a_data_snapshot_when_the_measure_comes_from_elsewhere():
    other = measure(
        id="nd_wait_13wk", title="Autism referrals open 13 weeks or more", value=None, applicable_from_case_data=False
    )

    [gap] = gaps_with_code("MEASURE_NO_DATA", criterion(measures=(duty(), other)))

    assert gap.severity == "low"
    assert "Autism referrals open 13 weeks or more" in gap.message
    assert "data snapshot" in gap.action


def test_measure_no_data_does_not_fire_for_a_measure_with_a_figure_of_zero():
    assert gaps_with_code("MEASURE_NO_DATA", criterion(measures=(duty(value=0.0, numerator=0),))) == []


# --- EXCEPTIONS_IMPLAUSIBLE --------------------------------------------------------------------------------


def twenty_weeks(incl: tuple[int, int], excl: tuple[int, int]):
    return (
        duty(id="ehcp_20wk_incl", title="Plans within 20 weeks", numerator=incl[0], denominator=incl[1],
             value=incl[0] * 100 / incl[1]),
        duty(id="ehcp_20wk_excl", title="Plans within 20 weeks, excluding exceptions", numerator=excl[0],
             denominator=excl[1], value=excl[0] * 100 / excl[1]),
    )  # fmt: skip


def test_exceptions_claimed_for_more_than_half_of_plans_are_implausible():
    item = criterion(measures=twenty_weeks((60, 100), (35, 40)))

    [gap] = gaps_with_code("EXCEPTIONS_IMPLAUSIBLE", item)

    assert gap.severity == "medium"
    assert gap.message.startswith("An exception is recorded for 60 of the 100 plans issued in 2024 (60%), more than")
    assert gap.target == Target("data_quality", criterion_id="EXP1")


def test_the_gap_and_the_data_quality_page_judge_exceptions_by_the_same_check():
    """One check, one threshold: the readiness gap says exactly what the data-quality page says."""
    incl, excl = twenty_weeks((60, 100), (35, 40))
    [gap] = gaps_with_code("EXCEPTIONS_IMPLAUSIBLE", criterion(measures=(incl, excl)))
    figures = {
        "ehcp_20wk_incl": MeasureValue("ehcp_20wk_incl", "2024", 60, 100, 60.0),
        "ehcp_20wk_excl": MeasureValue("ehcp_20wk_excl", "2024", 35, 40, 87.5),
    }

    assert gap.message == exceptions_implausible(figures, ExceptionsCheck())


def test_exceptions_for_exactly_the_threshold_share_are_not_flagged():
    assert gaps_with_code("EXCEPTIONS_IMPLAUSIBLE", criterion(measures=twenty_weeks((80, 100), (45, 50)))) == []


def test_a_rate_without_exceptions_below_the_rate_with_them_is_implausible():
    item = criterion(measures=twenty_weeks((95, 100), (85, 90)))

    [gap] = gaps_with_code("EXCEPTIONS_IMPLAUSIBLE", item)

    assert "the rate leaving out exceptions (94.4%) is below the rate with them (95%)" in gap.message


def test_exceptions_threshold_and_pairs_come_from_config():
    item = criterion(measures=twenty_weeks((60, 100), (35, 40)))
    lenient = ReadinessConfig(exceptions=ExceptionsCheck(max_share=Decimal("0.7")))

    assert gaps_with_code("EXCEPTIONS_IMPLAUSIBLE", item, lenient) == []
    assert gaps_with_code("EXCEPTIONS_IMPLAUSIBLE", item, ReadinessConfig(exceptions_pairs=())) == []
    assert ReadinessConfig.from_mapping({"exceptions": {"max_share": 0.7}}).exceptions == lenient.exceptions


def test_exceptions_are_not_compared_across_different_periods():
    incl, excl = twenty_weeks((60, 100), (35, 40))
    item = criterion(measures=(incl, excl))
    other_year = criterion(measures=(incl, dataclasses.replace(excl, period="2023")))

    assert len(gaps_with_code("EXCEPTIONS_IMPLAUSIBLE", item)) == 1
    assert gaps_with_code("EXCEPTIONS_IMPLAUSIBLE", other_year) == []


# --- DATA_QUALITY ------------------------------------------------------------------------------------------


def test_data_quality_fires_at_medium_severity_for_one_case_with_bad_dates():
    [gap] = gaps_with_code("DATA_QUALITY", criterion(data_quality_issues=1))

    assert gap.severity == "medium"
    assert gap.message.startswith("1 case record behind the measures for EXP1 has impossible or missing dates")
    assert gap.target == Target("data_quality", criterion_id="EXP1")


def test_data_quality_tolerates_the_configured_number_of_cases():
    config = ReadinessConfig(data_quality_max_issues=3)

    assert gaps_with_code("DATA_QUALITY", criterion(data_quality_issues=3), config) == []
    assert len(gaps_with_code("DATA_QUALITY", criterion(data_quality_issues=4), config)) == 1


# --- NO_FAMILY_VOICE and FEEDBACK_NEGATIVE -----------------------------------------------------------------


def test_no_family_voice_fires_when_fewer_than_the_minimum_responses():
    [gap] = gaps_with_code("NO_FAMILY_VOICE", criterion(feedback=feedback(responses=9)))

    assert gap.severity == "medium"
    assert gap.message == "EXP1 has only 9 family survey responses mapped to it; at least 10 are needed."
    assert gap.target == Target("surveys", criterion_id="EXP1")


def test_no_family_voice_does_not_fire_at_exactly_the_minimum_responses():
    assert gaps_with_code("NO_FAMILY_VOICE", criterion(feedback=feedback(responses=10))) == []


def test_practitioners_answers_never_count_as_family_voice():
    item = criterion(feedback=None, practitioners=feedback(responses=300, audiences=("practitioners",)))

    [gap] = gaps_with_code("NO_FAMILY_VOICE", item)
    result = assess_criterion(item, AS_OF, DEFAULTS)

    assert gap.message == (
        "No answers from parents and carers or children and young people are mapped to EXP1. Practitioners' answers "
        "are reported apart and do not count as family voice."
    )
    assert result.family_voice.responses == 0
    assert result.practitioners.responses == 300
    assert {p.name: p.fraction for p in result.impact.parts}["family_voice"] is None


def test_feedback_negative_fires_at_high_severity_just_below_the_agreement_threshold_and_links_the_comments():
    item = criterion(feedback=feedback(responses=10, agree_pct=49.9, agree_ci_low=23.7, agree_ci_high=76.3))

    [gap] = gaps_with_code("FEEDBACK_NEGATIVE", item)

    assert gap.severity == "high"
    assert gap.message == (
        "49.9% of 10 family responses for EXP1 agree (95% confidence interval 23.7% to 76.3%), below 50%."
    )
    assert gap.target == Target("comments", criterion_id="EXP1")


def test_feedback_negative_does_not_fire_at_exactly_the_agreement_threshold():
    assert gaps_with_code("FEEDBACK_NEGATIVE", criterion(feedback=feedback(agree_pct=50.0))) == []


def test_feedback_negative_does_not_fire_when_too_few_families_answered():
    item = criterion(feedback=feedback(responses=9, agree_pct=10.0))

    assert [gap.code for gap in gaps_for(item)] == ["NO_FAMILY_VOICE"]


def test_practitioners_disagreeing_never_raise_feedback_negative():
    item = criterion(practitioners=feedback(responses=200, agree_pct=10.0, audiences=("practitioners",)))

    assert gaps_for(item) == ()


# --- NO_SELF_EVALUATION, SEF_NOT_SIGNED_OFF, SEF_DATA_CONFLICT ---------------------------------------------


@pytest.mark.parametrize("missing", [None, SefFact(grade=None, signed_off=False, updated_at=None, has_text=False)])
def test_no_self_evaluation_fires_at_high_severity_without_a_grade_or_text_and_links_the_edit_form(missing):
    [gap] = gaps_with_code("NO_SELF_EVALUATION", criterion(self_evaluation=missing))

    assert gap.severity == "high"
    assert gap.message == "EXP1 has no self-evaluation: no grade and no text."
    assert gap.target == Target("sef_edit", criterion_id="EXP1")
    assert gaps_with_code("SEF_NOT_SIGNED_OFF", criterion(self_evaluation=missing)) == []


def test_sef_not_signed_off_fires_at_medium_severity_for_a_graded_draft_and_links_the_sign_off_page():
    [gap] = gaps_with_code("SEF_NOT_SIGNED_OFF", criterion(self_evaluation=sef(signed_off=False)))

    assert gap.severity == "medium"
    assert gap.message == 'The self-evaluation for EXP1 (graded "developing") has not been signed off by the partners.'
    assert gap.target == Target("sef_entry", criterion_id="EXP1")


def test_no_self_evaluation_does_not_fire_when_text_is_written_before_a_grade():
    item = criterion(self_evaluation=sef(grade=None, has_text=True, signed_off=False))

    assert gaps_with_code("NO_SELF_EVALUATION", item) == []
    [gap] = gaps_with_code("SEF_NOT_SIGNED_OFF", item)
    assert "(not yet graded)" in gap.message


def test_sef_data_conflict_fires_when_graded_strong_while_a_duty_is_red_against_the_law():
    item = criterion(self_evaluation=sef(grade="strong"), measures=(duty(value=39.1),))

    [gap] = gaps_with_code("SEF_DATA_CONFLICT", item)

    assert gap.severity == "high"
    assert gap.message == (
        'EXP1 is graded "strong" but EHC plans issued within 20 weeks, excluding exceptions is red at 39.1% '
        "against the time limit in law."
    )


def test_sef_data_conflict_names_englands_year_for_a_measure_red_against_england():
    item = criterion(self_evaluation=sef(grade="strong"), measures=(duty(), measure(value=30.0)))

    [gap] = gaps_with_code("SEF_DATA_CONFLICT", item)

    assert "Annual reviews completed in the year is red at 30% against 46.4% for England in 2024" in gap.message


def test_sef_data_conflict_fires_when_graded_secure_while_family_feedback_is_negative():
    item = criterion(self_evaluation=sef(grade="Secure"), feedback=feedback(responses=20, agree_pct=40.0))

    [gap] = gaps_with_code("SEF_DATA_CONFLICT", item)

    assert gap.message == 'EXP1 is graded "Secure" but only 40% of 20 family responses agree.'


def test_sef_data_conflict_does_not_fire_for_a_grade_below_the_top_grades_or_amber_data():
    developing = criterion(self_evaluation=sef(grade="developing"), measures=(duty(value=30.0),))
    amber = criterion(self_evaluation=sef(grade="strong"), measures=(duty(value=70.0),))

    assert gaps_with_code("SEF_DATA_CONFLICT", developing) == []
    assert gaps_with_code("SEF_DATA_CONFLICT", amber) == []


def test_sef_data_conflict_uses_the_partnerships_grade_scale_and_the_configured_number_of_top_grades():
    scale = ("outstanding", "good", "requires improvement", "inadequate")
    red = (duty(value=30.0),)
    config = ReadinessConfig(sef_top_grades=1)

    good = criterion(self_evaluation=sef(grade="good"), measures=red)
    outstanding = criterion(self_evaluation=sef(grade="outstanding"), measures=red)

    assert gaps_with_code("SEF_DATA_CONFLICT", good, config, grade_scale=scale) == []
    assert len(gaps_with_code("SEF_DATA_CONFLICT", outstanding, config, grade_scale=scale)) == 1
    assert len(gaps_with_code("SEF_DATA_CONFLICT", good, DEFAULTS, grade_scale=scale)) == 1


# --- FOLLOW_UP_OFF_TRACK and FOLLOW_UP_NO_EVIDENCE ---------------------------------------------------------


def test_a_priority_action_marked_off_track_is_a_high_gap_linking_to_the_action():
    [gap] = gaps_with_code("FOLLOW_UP_OFF_TRACK", criterion(follow_up=(action(status="off_track"),)))

    assert gap.severity == "high"
    assert gap.message == (
        'The area for priority action "Cut waits for EHC needs assessments" from the last inspection is marked off '
        "track."
    )
    assert gap.target == Target(
        "follow_up", criterion_id="EXP1", item_id=7, href="/p/northshire/inspections/3#action-7"
    )


def test_an_area_for_improvement_past_its_date_with_no_progress_since_is_a_medium_gap():
    late = action(kind="improvement", due=date(2025, 2, 1), last_progress=date(2025, 1, 15))

    [gap] = gaps_with_code("FOLLOW_UP_OFF_TRACK", criterion(follow_up=(late,)))

    assert gap.severity == "medium"
    assert "was due on 1 February 2025 and has had no progress update since" in gap.message


@pytest.mark.parametrize(
    "fine",
    [
        action(due=date(2025, 2, 1), last_progress=date(2025, 2, 10)),  # progress after the due date
        action(due=date(2025, 3, 1), last_progress=None),  # due today
        action(due=date(2025, 1, 1), status="done", last_progress=None),
        action(due=None, last_progress=None),
    ],
    ids=["progress-since", "due-today", "done", "no-date"],
)
def test_an_action_is_not_off_track_when_it_has_progress_since_its_date_is_not_past_or_it_is_done(fine):
    assert gaps_with_code("FOLLOW_UP_OFF_TRACK", criterion(follow_up=(fine,))) == []


def test_follow_up_grace_days_come_from_config():
    late = action(due=date(2025, 2, 20), last_progress=None)

    assert len(gaps_with_code("FOLLOW_UP_OFF_TRACK", criterion(follow_up=(late,)))) == 1
    assert (
        gaps_with_code("FOLLOW_UP_OFF_TRACK", criterion(follow_up=(late,)), ReadinessConfig(follow_up_grace_days=9))
        == []
    )


def test_an_action_on_track_without_approved_evidence_is_flagged_but_an_off_track_one_only_once():
    unevidenced = action(evidence_linked=0)
    off_track = action(action_id=8, status="off_track", evidence_linked=0)

    gaps = gaps_for(criterion(follow_up=(unevidenced, off_track)))

    assert [(g.code, g.severity, g.target.item_id) for g in gaps] == [
        ("FOLLOW_UP_OFF_TRACK", "high", 8),
        ("FOLLOW_UP_NO_EVIDENCE", "medium", 7),
    ]
    assert gaps[1].message == (
        'The area for priority action "Cut waits for EHC needs assessments" from the last inspection has no approved '
        "evidence linked, so the partnership cannot show its progress."
    )


def test_follow_up_facts_reach_the_result_counts():
    result = assess_criterion(criterion(follow_up=(action(), action(action_id=8, status="off_track"))), AS_OF, DEFAULTS)

    assert (result.follow_up.actions, result.follow_up.off_track) == (2, 1)


# --- Gap order ---------------------------------------------------------------------------------------------


def test_a_criterions_gaps_are_listed_high_to_low_severity():
    item = criterion(
        evidence=(evidence(status="draft", review_by=date(2025, 3, 10)),),
        self_evaluation=None,
        measures=(duty(), measure(value=None, applicable_from_case_data=False)),
    )

    assert [(gap.code, gap.severity) for gap in gaps_for(item)] == [
        ("NO_SELF_EVALUATION", "high"),
        ("UNAPPROVED_EVIDENCE", "medium"),
        ("MEASURE_NO_DATA", "low"),
        ("STALE_EVIDENCE", "low"),
    ]
