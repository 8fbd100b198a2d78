from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.readiness import (
    CAVEAT,
    POSITION_LABELS,
    CriterionInput,
    assess_criterion,
    assess_readiness,
    combined_rag,
    score_rag,
)
from inspect_app.domain.readiness_config import ImpactWeights, PreparationWeights, ReadinessConfig
from tests.readiness_builders import (
    AS_OF,
    DEFAULTS,
    action,
    criterion,
    duty,
    evidence,
    feedback,
    measure,
    readiness_input,
    sef,
)

OFSTED_LABELS = (
    "Typically positive experiences and outcomes",
    "Inconsistent experiences and outcomes",
    "Widespread and/or systemic failings",
)


def parts(result, which):
    return {p.name: p for p in getattr(result, which).parts}


# --- The two questions -------------------------------------------------------------------------------------


def test_the_healthy_criterion_is_green_on_impact_preparation_and_overall():
    result = assess_criterion(criterion(), AS_OF, DEFAULTS)

    assert (result.impact.rag, result.preparation.rag, result.rag) == ("green", "green", "green")
    # Impact: duty green (1) of 50, families 80% of 25, no other measure: (50 + 20) / 75 = 93.3.
    assert result.impact.score == 93
    assert result.preparation.score == 100
    assert result.score == 95  # 0.7 * 93.33 + 0.3 * 100 = 95.33


def test_excellent_paperwork_and_40_percent_timeliness_is_not_green():
    paperwork = criterion(
        expected_evidence_types=("ehcna_audit", "jsna"),
        evidence=(evidence(), evidence(id=2, title="JSNA 2024", evidence_type="jsna")),
        self_evaluation=sef(grade="weak", signed_off=True),
        measures=(duty(value=40.0, numerator=40),),
        feedback=None,
    )

    result = assess_criterion(paperwork, AS_OF, DEFAULTS)

    assert result.preparation.score == 100 and result.preparation.rag == "green"
    assert result.impact.score == 0 and result.impact.rag == "red"
    assert result.score == 30
    assert result.rag == "red"


def test_strong_preparation_never_lifts_a_criterion_above_its_impact():
    amber_impact = criterion(measures=(duty(value=75.0),), feedback=None)

    result = assess_criterion(amber_impact, AS_OF, DEFAULTS)

    assert (result.impact.score, result.impact.rag) == (50, "amber")
    assert result.score == 65
    assert result.rag == "amber"


def test_a_criterion_is_green_only_when_preparation_is_green_too():
    weak_preparation = criterion(evidence=(evidence(status="draft"),), self_evaluation=sef(signed_off=False))

    result = assess_criterion(weak_preparation, AS_OF, DEFAULTS)

    assert result.impact.rag == "green"
    assert result.preparation.rag != "green"
    assert result.rag == "amber"


@pytest.mark.parametrize(
    ("score", "impact", "preparation", "expected"),
    [
        ("green", "green", "green", "green"),
        ("green", "green", "amber", "amber"),
        ("green", "amber", "green", "amber"),
        ("amber", "red", "green", "red"),
        ("red", "green", "green", "red"),
    ],
)
def test_combined_rag_is_never_better_than_impact_and_green_only_with_both_parts(score, impact, preparation, expected):
    assert combined_rag(score, impact, preparation) == expected


def test_a_criterion_whose_impact_has_no_data_is_not_enough_data_never_green_whatever_its_paperwork():
    no_data = criterion(measures=(duty(value=None, numerator=None, denominator=None),), feedback=None)

    result = assess_criterion(no_data, AS_OF, DEFAULTS)

    assert result.preparation.rag == "green"
    assert (result.impact.score, result.impact.rag) == (None, "none")
    assert (result.score, result.rag) == (None, "none")


def test_impact_share_comes_from_config():
    config = ReadinessConfig(impact_share=0.5)
    item = criterion(measures=(duty(value=40.0),), feedback=None)

    assert assess_criterion(item, AS_OF, config).score == 50


# --- Impact parts ------------------------------------------------------------------------------------------


def test_impact_weighs_duties_measures_and_family_voice_and_shares_the_weight_of_parts_without_data():
    item = criterion(
        measures=(
            duty(value=95.0),  # green: 1
            duty(id="decision_6wk", title="Decisions within 6 weeks", value=70.0),  # amber: 0.5
            measure(value=50.0),  # green against England (46.4): 1
            measure(id="b", value=40.0),  # amber: 0.5
        ),
        feedback=feedback(agree_pct=60.0),
    )

    result = assess_criterion(item, AS_OF, DEFAULTS)
    impact = parts(result, "impact")

    # duties 0.75 of 50 = 37.5; measures 0.75 of 25 = 18.75; families 0.6 of 25 = 15. Total 71.25.
    assert {n: p.fraction for n, p in impact.items()} == {"duties": 0.75, "measures": 0.75, "family_voice": 0.6}
    assert {n: p.points for n, p in impact.items()} == pytest.approx(
        {"duties": 37.5, "measures": 18.75, "family_voice": 15.0}
    )
    assert impact["duties"].detail == "2 duties against the law: 1 green, 1 amber"
    assert impact["measures"].detail == "2 measures against England: 1 green, 1 amber"
    assert result.impact.score == 71
    assert result.impact.rag == "amber"


def test_a_measure_without_a_figure_is_left_out_of_impact_not_counted_as_zero():
    item = criterion(measures=(duty(), duty(id="ehcp_20wk_incl", value=None, numerator=None)), feedback=None)

    impact = parts(assess_criterion(item, AS_OF, DEFAULTS), "impact")

    assert impact["duties"].fraction == 1.0
    assert impact["duties"].detail == "1 duty against the law: 1 green"


def test_family_voice_counts_toward_impact_only_with_enough_family_responses():
    few = assess_criterion(criterion(feedback=feedback(responses=9)), AS_OF, DEFAULTS)
    enough = assess_criterion(criterion(feedback=feedback(responses=10)), AS_OF, DEFAULTS)

    assert parts(few, "impact")["family_voice"].fraction is None
    assert parts(few, "impact")["family_voice"].detail == "9 family responses; 10 needed"
    assert parts(enough, "impact")["family_voice"].fraction == 0.8


def test_family_voice_alone_is_enough_data_for_impact():
    result = assess_criterion(criterion(measures=()), AS_OF, DEFAULTS)

    assert (result.impact.score, result.impact.rag) == (80, "green")


def test_impact_weights_come_from_config_and_merge_part_by_part():
    config = ReadinessConfig.from_mapping({"impact_weights": {"family_voice": 0}})
    item = criterion(measures=(duty(value=40.0),), feedback=feedback(agree_pct=100.0))

    assert config.impact_weights == ImpactWeights(family_voice=0)
    assert assess_criterion(item, AS_OF, DEFAULTS).impact.score == 33
    assert assess_criterion(item, AS_OF, config).impact.score == 0


# --- Preparation parts -------------------------------------------------------------------------------------


def test_preparation_weighs_evidence_self_evaluation_and_follow_up():
    item = criterion(
        expected_evidence_types=("ehcna_audit", "jsna", "sen2_return", "tracking_case_file"),
        evidence=(evidence(), evidence(id=2, title="JSNA", evidence_type="jsna", status="draft")),
        self_evaluation=sef(signed_off=False),
        follow_up=(action(), action(action_id=8, evidence_linked=0), action(action_id=9, status="off_track")),
    )

    prep = parts(assess_criterion(item, AS_OF, DEFAULTS), "preparation")

    assert {n: p.fraction for n, p in prep.items()} == pytest.approx(
        {"evidence_coverage": 0.5, "evidence_quality": 0.5, "self_evaluation": 0.5, "follow_up": 0.5}
    )
    assert prep["follow_up"].detail == "3 actions, 1 off track"


def test_follow_up_does_not_apply_without_actions_and_the_other_parts_share_its_weight():
    prep = parts(assess_criterion(criterion(), AS_OF, DEFAULTS), "preparation")

    assert prep["follow_up"].fraction is None
    assert prep["evidence_coverage"].points == pytest.approx(3500 / 90)


def test_preparation_excludes_stale_and_unapproved_items_from_evidence_quality():
    item = criterion(
        evidence=(evidence(), evidence(id=2, review_by=date(2025, 1, 1)), evidence(id=3, status="ready_for_review"))
    )

    prep = parts(assess_criterion(item, AS_OF, DEFAULTS), "preparation")

    assert prep["evidence_quality"].fraction == pytest.approx(1 / 3)
    assert prep["evidence_quality"].detail == "1 of 3 linked items approved and in date"


def test_preparation_caps_the_self_evaluation_when_it_over_claims():
    item = criterion(self_evaluation=sef(grade="strong", signed_off=True), measures=(duty(value=30.0),))

    prep = parts(assess_criterion(item, AS_OF, DEFAULTS), "preparation")

    assert prep["self_evaluation"].fraction == 0.0
    assert prep["self_evaluation"].detail == "Signed off, graded above what the data shows"


def test_preparation_weights_come_from_config():
    config = ReadinessConfig.from_mapping({"preparation_weights": {"self_evaluation": 0}})
    item = criterion(self_evaluation=None)

    assert config.preparation_weights == PreparationWeights(self_evaluation=0)
    # Evidence 35 + 25 of 90 (follow-up does not apply): 66.7; without the self-evaluation's weight, all of 60.
    assert assess_criterion(item, AS_OF, DEFAULTS).preparation.score == 67
    assert assess_criterion(item, AS_OF, config).preparation.score == 100


def test_part_points_add_up_to_the_part_score():
    item = criterion(
        expected_evidence_types=("ehcna_audit", "jsna", "sen2_return"),
        measures=(duty(value=70.0), measure(value=40.0)),
        feedback=feedback(agree_pct=63.3),
    )

    result = assess_criterion(item, AS_OF, DEFAULTS)

    assert abs(sum(p.points for p in result.impact.parts) - result.impact.score) <= 0.5
    assert abs(sum(p.points for p in result.preparation.parts) - result.preparation.score) <= 0.5


@pytest.mark.parametrize(("score", "rag"), [(100, "green"), (75, "green"), (74, "amber"), (50, "amber"), (49, "red")])
def test_score_rag_uses_the_configured_cut_offs(score, rag):
    assert score_rag(score, DEFAULTS) == rag


def test_feedback_agreement_is_suppressed_in_the_result_below_five_responses():
    config = ReadinessConfig(min_feedback_responses=5)

    four = assess_criterion(criterion(feedback=feedback(responses=4)), AS_OF, config)
    five = assess_criterion(criterion(feedback=feedback(responses=5)), AS_OF, config)

    assert (four.family_voice.responses, four.family_voice.agree_pct) == (4, None)
    assert (five.family_voice.responses, five.family_voice.agree_pct) == (5, 80.0)


# --- Overall -----------------------------------------------------------------------------------------------


def ap_criteria(**overrides) -> list[CriterionInput]:
    return [criterion(id=f"AP{n}", section_id="AP", wording="provisional", **overrides) for n in range(1, 5)]


def test_the_ap_section_counts_once_in_the_overall_score_while_its_wording_is_provisional():
    send = [criterion(id=f"EXP{n}") for n in range(1, 4)]  # 95 each
    weak_ap = ap_criteria(measures=(duty(value=40.0),), feedback=None)  # 30 each

    result = assess_readiness(readiness_input(*send, *weak_ap))

    assert [c.score for c in result.criteria] == [95, 95, 95, 30, 30, 30, 30]
    assert [u.id for u in result.overall.units] == ["EXP1", "EXP2", "EXP3", "AP"]
    assert result.overall.units[-1].criteria == ("AP1", "AP2", "AP3", "AP4")
    assert result.overall.score == 79  # (95 * 3 + 30) / 4 = 78.75, not (95 * 3 + 30 * 4) / 7 = 57.9
    assert result.overall.reason.endswith(
        'The "Alternative provision" section counts as one criterion (its criteria averaged first) while the '
        "wording of its criteria is provisional."
    )


def test_once_the_ap_wording_is_verified_each_of_its_criteria_counts():
    send = [criterion(id=f"EXP{n}") for n in range(1, 4)]
    verified_ap = ap_criteria(measures=(duty(value=40.0),), feedback=None)
    verified_ap = [dataclasses.replace(c, wording="verified") for c in verified_ap]

    result = assess_readiness(readiness_input(*send, *verified_ap))

    assert len(result.overall.units) == 7
    assert result.overall.score == 58


def test_which_sections_count_once_comes_from_config():
    config = ReadinessConfig(count_once_sections=())

    result = assess_readiness(readiness_input(criterion(), *ap_criteria()), config)

    assert len(result.overall.units) == 5


def test_provisional_wording_reaches_the_result():
    result = assess_readiness(readiness_input(criterion(), *ap_criteria()))

    assert [c.provisional for c in result.criteria] == [False, True, True, True, True]


def test_an_unknown_wording_is_refused():
    with pytest.raises(ValidationFailed, match="wording 'draft'"):
        criterion(wording="draft")


def test_overall_impact_and_preparation_are_answered_separately():
    good_impact_poor_paperwork = criterion(id="EXP1", evidence=(), self_evaluation=None)
    poor_impact_good_paperwork = criterion(id="EXP2", measures=(duty(value=30.0),), feedback=feedback(agree_pct=20.0))

    overall = assess_readiness(readiness_input(good_impact_poor_paperwork, poor_impact_good_paperwork)).overall

    assert (overall.impact_score, overall.preparation_score) == (50, 50)
    assert overall.criteria_no_data == 0


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


# --- Overall position --------------------------------------------------------------------------------------


def empty(cid: str, section: str = "EXP") -> CriterionInput:
    return CriterionInput(id=cid, title="A criterion", section_id=section, expected_evidence_types=("jsna",))


def test_a_partnership_with_no_data_reads_not_enough_data_yet():
    result = assess_readiness(readiness_input(*(empty(f"EXP{n}") for n in range(1, 6)), empty("LEAD1", "LEAD")))

    overall = result.overall
    assert overall.position == "not_enough_data"
    assert overall.label == "Not enough data yet"
    assert overall.reason.startswith("Only 0 of 6 criteria have any data on impact")
    assert overall.score is None and overall.impact_score is None
    assert overall.caveat == CAVEAT == "An estimate from this tool; only inspectors evaluate an area"
    assert [c.rag for c in result.criteria] == ["none"] * 6


def test_position_needs_impact_data_for_half_of_the_criteria_by_default():
    half = [criterion(id="EXP1"), criterion(id="EXP2"), empty("EXP3"), empty("EXP4")]
    under_half = [*half, empty("EXP5")]

    assert assess_readiness(readiness_input(*half)).overall.position != "not_enough_data"
    assert assess_readiness(readiness_input(*under_half)).overall.position == "not_enough_data"
    lenient = ReadinessConfig(position_min_data_share=0.2)
    assert assess_readiness(readiness_input(*under_half), lenient).overall.position != "not_enough_data"


def test_a_partnership_with_green_impact_and_preparation_everywhere_is_ready():
    overall = assess_readiness(readiness_input(*(criterion(id=f"EXP{n}") for n in range(1, 6)))).overall

    assert overall.position == "ready"
    assert overall.label == "Ready: impact shown and evidenced"
    assert overall.reason.startswith("Impact scores 93 out of 100 (green) and preparation 100 (green)")


def test_excellent_paperwork_with_40_percent_timeliness_everywhere_is_not_ready():
    paperwork = [
        criterion(id=f"EXP{n}", measures=(duty(value=40.0),), feedback=feedback(agree_pct=60.0)) for n in range(1, 6)
    ]

    overall = assess_readiness(readiness_input(*paperwork)).overall

    assert overall.preparation_rag == "green"
    assert overall.impact_rag == "red"
    assert overall.position == "not_ready"
    assert overall.reason.endswith("Impact overall is red.")


def test_two_in_five_red_criteria_make_the_partnership_not_ready():
    red = criterion(measures=(duty(value=30.0),), feedback=None)
    mix = [
        dataclasses.replace(red, id="EXP1"),
        dataclasses.replace(red, id="EXP2"),
        *(criterion(id=f"EXP{n}") for n in range(3, 6)),
    ]

    overall = assess_readiness(readiness_input(*mix)).overall

    assert overall.impact_rag != "red"
    assert overall.position == "not_ready"
    assert overall.reason.endswith("40% or more are red.")


def test_some_impact_with_gaps_to_close_is_partly_ready():
    amber = criterion(measures=(duty(value=80.0),), self_evaluation=sef(signed_off=False))
    mix = [dataclasses.replace(amber, id="EXP1"), dataclasses.replace(amber, id="EXP2"), criterion(id="EXP3")]

    overall = assess_readiness(readiness_input(*mix)).overall

    assert overall.position == "partly_ready"
    assert overall.label == "Partly ready: some impact shown, gaps to close"


def test_position_thresholds_come_from_config():
    red = criterion(measures=(duty(value=30.0),), feedback=None)
    mix = [dataclasses.replace(red, id="EXP1"), *(criterion(id=f"EXP{n}") for n in range(2, 6))]
    strict = ReadinessConfig.from_mapping({"position_not_ready_red_share": 0.2})

    assert assess_readiness(readiness_input(*mix)).overall.position == "partly_ready"
    assert assess_readiness(readiness_input(*mix), strict).overall.position == "not_ready"


def test_the_position_words_are_the_tools_own_and_never_an_inspection_outcome():
    assert set(POSITION_LABELS) == {"ready", "partly_ready", "not_ready", "not_enough_data"}
    for label in POSITION_LABELS.values():
        assert label not in OFSTED_LABELS
        assert "judge" not in label.lower()


# --- Configuration -----------------------------------------------------------------------------------------


def test_config_from_no_overrides_is_the_defaults():
    assert ReadinessConfig.from_mapping(None) == DEFAULTS
    assert ReadinessConfig.from_mapping({}) == DEFAULTS


def test_config_lists_from_a_config_file_become_tuples():
    config = ReadinessConfig.from_mapping(
        {"count_once_sections": ["AP", "LEAD"], "exceptions_pairs": [["ehcp_20wk_incl", "ehcp_20wk_excl"]]}
    )

    assert config.count_once_sections == ("AP", "LEAD")
    assert config.exceptions_pairs == (("ehcp_20wk_incl", "ehcp_20wk_excl"),)


def test_config_refuses_unknown_settings_naming_each_one():
    with pytest.raises(ValidationFailed) as refused:
        ReadinessConfig.from_mapping({"stale_months": 6, "impact_weights": {"duties": 10}, "min_responses": 3})

    assert refused.value.messages == [
        "Unknown readiness setting: min_responses",
        "Unknown readiness setting: stale_months",
    ]


def test_config_refuses_an_unknown_part_in_the_weights():
    with pytest.raises(ValidationFailed, match="Unknown part in impact_weights: voice"):
        ReadinessConfig.from_mapping({"impact_weights": {"voice": 10}})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"stale_after_months": 0}, "stale_after_months must be a whole number of 1 or more"),
        ({"declining_periods": True}, "declining_periods must be a whole number of 1 or more"),
        ({"duty_green_min": 101}, "duty_green_min must be a number from 0 to 100"),
        ({"impact_share": 70}, "impact_share must be a number from 0 to 1"),
        ({"duty_amber_min": 95}, "duty_amber_min must not be more than duty_green_min"),
        ({"rag_amber_min": 80}, "rag_amber_min must not be more than rag_green_min"),
        ({"min_feedback_responses": 3}, "min_feedback_responses must not be less than feedback_suppress_below"),
        ({"count_once_sections": "AP"}, "count_once_sections must be a list of section ids"),
        ({"exceptions_pairs": [["ehcp_20wk_incl"]]}, "exceptions_pairs must be a list of"),
        ({"impact_weights": {"duties": -1}}, "Impact weight duties must be a number of 0 or more"),
        (
            {
                "preparation_weights": dict.fromkeys(
                    ("evidence_coverage", "evidence_quality", "self_evaluation", "follow_up"), 0
                )
            },
            "At least one preparation weight must be more than 0",
        ),
    ],
)
def test_config_refuses_out_of_range_values_with_a_message_naming_the_setting(overrides, message):
    with pytest.raises(ValidationFailed) as refused:
        ReadinessConfig.from_mapping(overrides)

    assert any(message in text for text in refused.value.messages)


def test_a_partnership_with_the_same_criterion_twice_is_refused():
    with pytest.raises(ValidationFailed, match="EXP1"):
        readiness_input(criterion(), criterion())
