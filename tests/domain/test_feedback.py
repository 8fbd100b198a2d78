from decimal import Decimal
from math import sqrt

import pytest

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.feedback import (
    DEFAULT_ANSWERS,
    ColumnRole,
    Comment,
    FeedbackResponse,
    LikertAnswer,
    SurveyMapping,
    agree_stats,
    by_group,
    compare_waves,
    diverging_bars,
    mapping_from_yaml,
    mapping_to_yaml,
    normalise_answer,
    summarise_criteria,
    summarise_items,
    wilson_interval,
)

Z = 1.959964


def textbook_wilson(x: int, n: int) -> tuple[float, float]:
    """Wilson's interval as usually written: (p + z²/2n ± z√(p(1−p)/n + z²/4n²)) / (1 + z²/n)."""
    p = x / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


def response(key, *answers, groups=None, comments=()):
    """A response whose answers are (survey_item, criterion, point) triples."""
    return FeedbackResponse(
        respondent_key=key,
        submitted_at=None,
        groups=groups or {},
        answers=tuple(LikertAnswer(f"Q {item}", item, criterion, point) for item, criterion, point in answers),
        comments=tuple(comments),
    )


# --- Scale and mapping ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "point"),
    [
        ("Strongly agree", "strongly_agree"),
        ("  AGREE ", "agree"),
        ("Neither agree nor disagree", "neither"),
        ("Neutral", "neither"),
        ("Disagree", "disagree"),
        ("strongly   disagree", "strongly_disagree"),
        ("Don't know", "dont_know"),
        ("Don\u2019t know", "dont_know"),
        ("N/A", "not_applicable"),
        ("Not applicable", "not_applicable"),
    ],
)
def test_mapping_point_for_accepts_common_wordings_whatever_case_spacing_or_apostrophe(answer, point):
    assert SurveyMapping(columns={}).point_for(answer) == point


@pytest.mark.parametrize("answer", ["Somewhat agree", "Mostly", "Yes", "5", ""])
def test_mapping_point_for_returns_none_when_the_wording_is_not_known(answer):
    assert SurveyMapping(columns={}).point_for(answer) is None


def test_mapping_answers_extend_and_override_the_defaults_when_given():
    mapping = SurveyMapping(columns={}, answers={"Somewhat AGREE": "agree", "N/A": "dont_know"})

    assert mapping.point_for("somewhat agree") == "agree"
    assert mapping.point_for("n/a") == "dont_know"
    assert mapping.point_for("Strongly agree") == "strongly_agree"


def test_normalise_answer_folds_case_spaces_and_apostrophes():
    assert normalise_answer("  Don\u2019t   KNOW ") == "don't know"
    assert set(DEFAULT_ANSWERS) == {normalise_answer(key) for key in DEFAULT_ANSWERS}


def test_mapping_refuses_every_problem_at_once_when_roles_are_incomplete():
    with pytest.raises(ValidationFailed) as caught:
        SurveyMapping(
            columns={
                "Q1": ColumnRole.likert(),
                "Q2": ColumnRole.group("postcode_area"),
                "Q3": ColumnRole("scale"),
                "Q4": ColumnRole("free_text", survey_item="fam_x"),
                "Q5": ColumnRole("ignore", criterion="EXP1"),
            },
            answers={"Somewhat agree": "slightly"},
        )

    assert caught.value.messages == [
        "Column 'Q1' is a likert column: give it a survey_item, a criterion or both",
        "Column 'Q2' is a group column: its group must be one of role, age_band, need, setting",
        "Column 'Q3': the role must be one of likert, free_text, group, ignore (found 'scale')",
        "Column 'Q4': only likert columns have a survey_item",
        "Column 'Q5': only likert and free_text columns have a criterion",
        "Answer 'somewhat agree' maps to 'slightly', which is not one of strongly_agree, agree, neither, "
        "disagree, strongly_disagree, dont_know, not_applicable",
    ]


def test_mapping_refuses_two_columns_for_the_same_group_kind():
    with pytest.raises(ValidationFailed) as caught:
        SurveyMapping(columns={"Are you a parent?": ColumnRole.group("role"), "Your role": ColumnRole.group("role")})

    assert caught.value.messages == [
        "Columns 'Are you a parent?' and 'Your role' are both mapped to group 'role': map only one"
    ]


def example_mapping() -> SurveyMapping:
    return SurveyMapping(
        columns={
            "ID": ColumnRole.ignore(),
            "My child\u2019s needs were identified early": ColumnRole.likert("fam_needs_identified_early", "EXP1"),
            "Services work well together": ColumnRole.likert(criterion="LEAD6"),
            "Survey item only": ColumnRole.likert("fam_x"),
            "Anything else?": ColumnRole.free_text("EXP3"),
            "Comments without a criterion": ColumnRole.free_text(),
            "Which best describes you?": ColumnRole.group("role"),
            "How old is your child?": ColumnRole.group("age_band"),
        },
        answers={"Somewhat agree": "agree", "Mostly disagree": "disagree"},
    )


def test_mapping_yaml_round_trip_gives_an_equal_mapping():
    mapping = example_mapping()

    assert mapping_from_yaml(mapping_to_yaml(mapping)) == mapping


def test_mapping_to_yaml_writes_columns_in_order_with_only_their_set_fields():
    text = mapping_to_yaml(example_mapping())

    assert text.startswith(
        "version: 1\n"
        "columns:\n"
        "- column: ID\n"
        "  role: ignore\n"
        "- column: My child\u2019s needs were identified early\n"
        "  role: likert\n"
        "  survey_item: fam_needs_identified_early\n"
        "  criterion: EXP1\n"
        "- column: Services work well together\n"
        "  role: likert\n"
        "  criterion: LEAD6\n"
    )
    assert "- column: How old is your child?\n  role: group\n  group: age_band\n" in text
    assert "  somewhat agree: agree\n" in text
    assert "  strongly agree: strongly_agree\n" in text


def test_mapping_from_yaml_reads_a_hand_written_mapping_without_answers():
    mapping = mapping_from_yaml(
        """
        columns:
          - {column: "Q1: I feel listened to", role: likert, criterion: EXP2}
          - {column: Role, role: group, group: role}
        """
    )

    assert mapping.columns == {
        "Q1: I feel listened to": ColumnRole.likert(criterion="EXP2"),
        "Role": ColumnRole.group("role"),
    }
    assert mapping.answers == DEFAULT_ANSWERS


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        ("columns: [unclosed", None),
        ("- just a list", ["The mapping must be a YAML mapping with a 'columns' list"]),
        ("", ["The mapping must be a YAML mapping with a 'columns' list"]),
        ("columns: {Q1: likert}", ["'columns' must be a list of entries, each with a column and a role"]),
        ("columns: [Q1]", ["Column entry 1 must be a mapping with a column and a role"]),
        ("columns: [{role: likert}]", ["Column entry 1 has no column name"]),
        (
            "columns: [{column: Q1, role: ignore}, {column: Q1, role: ignore}]",
            ["Column 'Q1' appears more than once in the mapping"],
        ),
        (
            "columns: [{column: Q1, role: likert, criterion: EXP1, colour: red}]",
            ["Column 'Q1': unknown key 'colour'"],
        ),
        ("version: 2\ncolumns: []", ["The mapping version must be 1 (found 2)"]),
        ("columns: []\nextra: 1", ["Unknown key 'extra' in the mapping"]),
        ("columns: []\nanswers: [agree]", ["'answers' must map answer wordings to scale points"]),
        (
            "columns: []\nanswers: {Somewhat agree: 3}",
            ["Answer 'Somewhat agree': both the wording and the scale point must be text"],
        ),
        (
            "columns: []\nanswers: {Somewhat agree: mostly_agree}",
            [
                "Answer 'somewhat agree' maps to 'mostly_agree', which is not one of strongly_agree, agree, "
                "neither, disagree, strongly_disagree, dont_know, not_applicable"
            ],
        ),
        ("columns: [{column: Q1, role: likert, criterion: 1}]", ["Column 'Q1': criterion must be text"]),
        (
            "columns: [{column: Q1}]",
            ["Column 'Q1': the role must be one of likert, free_text, group, ignore (found None)"],
        ),
    ],
)
def test_mapping_from_yaml_refuses_with_a_clear_message_when_invalid(text, messages):
    with pytest.raises(ValidationFailed) as caught:
        mapping_from_yaml(text)

    if messages is None:
        assert caught.value.messages[0].startswith("The mapping is not valid YAML")
    else:
        assert caught.value.messages == messages


# --- Wilson interval and agree statistics ---------------------------------------------------------------------


def test_wilson_interval_matches_a_hand_computation_for_45_of_60():
    # p = 0.75, z² = 1.959964² = 3.841458881296;
    # centre = (0.75 + z²/120) / (1 + z²/60) = 0.7820121573 / 1.0640243147 = 0.7349570367
    # half = z / 1.0640243147 × √(0.75 × 0.25 / 60 + z²/14400) = 1.8420293342 × 0.0582388872 = 0.1072777385
    low, high = wilson_interval(45, 60)

    assert float(low) == pytest.approx(0.6276792982, abs=1e-10)
    assert float(high) == pytest.approx(0.8422347753, abs=1e-10)
    assert (float(low), float(high)) == pytest.approx(textbook_wilson(45, 60), abs=1e-12)


def test_wilson_interval_is_exactly_zero_at_the_bottom_when_none_agree():
    low, high = wilson_interval(0, 5)

    # z² / (n + z²) = 3.841458881296 / 8.841458881296
    assert low == Decimal(0)
    assert float(high) == pytest.approx(3.841458881296 / 8.841458881296, abs=1e-12)
    assert float(high) == pytest.approx(0.4344824687, abs=1e-10)


def test_wilson_interval_is_exactly_one_at_the_top_when_all_agree():
    low, high = wilson_interval(5, 5)

    assert high == Decimal(1)
    assert float(low) == pytest.approx(5 / 8.841458881296, abs=1e-12)
    assert float(low) == pytest.approx(0.5655175313, abs=1e-10)


def test_wilson_interval_is_none_when_nobody_answered():
    assert wilson_interval(0, 0) is None


def test_wilson_interval_refuses_more_successes_than_answers():
    with pytest.raises(ValueError, match="between 0 and n"):
        wilson_interval(6, 5)


def test_agree_stats_counts_on_scale_answers_and_keeps_dont_know_and_na_apart():
    points = ["strongly_agree"] * 15 + ["agree"] * 30 + ["neither"] * 5 + ["disagree"] * 6
    points += ["strongly_disagree"] * 4 + ["dont_know"] * 7 + ["not_applicable"] * 2

    stats = agree_stats(points)

    assert stats.n == 60
    assert stats.counts == {"strongly_agree": 15, "agree": 30, "neither": 5, "disagree": 6, "strongly_disagree": 4}
    assert (stats.dont_know, stats.not_applicable, stats.answered) == (7, 2, 69)
    assert (stats.agree, stats.disagree) == (45, 10)
    assert stats.agree_pct_exact == Decimal(75)
    assert (stats.agree_pct, stats.ci_low, stats.ci_high) == (75.0, 62.8, 84.2)


def test_agree_stats_rounds_half_up_for_display():
    # 45/144 = 31.25%: half up gives 31.3 where round() would give 31.2.
    stats = agree_stats(["agree"] * 45 + ["disagree"] * 99)

    assert stats.agree_pct_exact == Decimal("31.25")
    assert stats.agree_pct == 31.3


def test_agree_stats_has_no_percentage_when_only_dont_know_was_answered():
    stats = agree_stats(["dont_know", "not_applicable"])

    assert stats.n == 0
    assert (stats.agree_pct, stats.ci_low, stats.ci_high, stats.agree_pct_exact) == (None, None, None, None)


def test_agree_stats_refuses_an_unknown_point():
    with pytest.raises(ValueError, match="'somewhat' is not a scale point"):
        agree_stats(["somewhat"])


# --- Summaries -------------------------------------------------------------------------------------------------


def sample_responses():
    return [
        response(
            "r1",
            ("fam_a", "EXP1", "agree"),
            ("fam_b", "EXP1", "disagree"),
            ("fam_c", "EXP2", "strongly_agree"),
            comments=[Comment("Anything else?", "EXP3", "Long waits")],
        ),
        response("r2", ("fam_a", "EXP1", "strongly_agree"), ("fam_b", "EXP1", "dont_know")),
        response("r3", ("fam_a", "EXP1", "neither"), ("fam_c", "EXP2", "not_applicable")),
    ]


def test_summarise_items_counts_each_item_ordered_by_criterion_then_key():
    summaries = summarise_items(sample_responses())

    assert [(s.key, s.criterion, s.stats.n, s.stats.agree, s.stats.agree_pct) for s in summaries] == [
        ("fam_a", "EXP1", 3, 2, 66.7),
        ("fam_b", "EXP1", 1, 0, 0.0),
        ("fam_c", "EXP2", 1, 1, 100.0),
    ]
    assert summaries[1].stats.dont_know == 1
    assert summaries[2].stats.not_applicable == 1
    assert summaries[0].columns == ("Q fam_a",)


def test_summarise_items_uses_the_column_name_when_the_mapping_gives_no_item_id():
    answers = (LikertAnswer("Services work well together", None, "LEAD6", "agree"),)
    responses = [FeedbackResponse("r1", None, {}, answers)]

    [summary] = summarise_items(responses)

    assert (summary.key, summary.survey_item, summary.criterion) == ("Services work well together", None, "LEAD6")


def test_summarise_criteria_pools_items_and_counts_people_and_comments():
    summaries = summarise_criteria(sample_responses())

    assert [(s.criterion, s.items, s.respondents, s.comments, s.stats.n, s.stats.agree) for s in summaries] == [
        ("EXP1", ("fam_a", "fam_b"), 3, 0, 4, 2),
        ("EXP2", ("fam_c",), 1, 0, 1, 1),
        ("EXP3", (), 0, 1, 0, 0),
    ]
    assert summaries[0].stats.agree_pct == 50.0
    assert summaries[0].stats.dont_know == 1
    assert summaries[2].stats.agree_pct is None
    assert summaries[0].key == "EXP1"


def test_summarise_items_ignores_responses_without_answers():
    assert summarise_items([response("r1")]) == []
    assert summarise_criteria([]) == []


# --- Groups and suppression ------------------------------------------------------------------------------------


def group_responses(sizes: dict[str, int]):
    responses = []
    for group, size in sizes.items():
        for index in range(size):
            point = "agree" if index % 2 == 0 else "disagree"
            responses.append(response(f"{group}-{index}", ("fam_a", "EXP1", point), groups={"role": group}))
    return responses


def test_by_group_suppresses_a_group_of_four_and_shows_a_group_of_five():
    groups = by_group(group_responses({"Foster carer": 4, "Parent or carer": 5}), "role")

    foster, parent = groups
    assert (foster.group, foster.suppressed, foster.respondents) == ("Foster carer", True, None)
    assert [(f.key, f.suppressed, f.stats) for f in foster.items] == [("fam_a", True, None)]
    assert [(f.key, f.suppressed, f.stats) for f in foster.criteria] == [("EXP1", True, None)]
    assert (parent.group, parent.suppressed, parent.respondents) == ("Parent or carer", False, 5)
    assert parent.items[0].suppressed is False
    assert (parent.items[0].stats.n, parent.items[0].stats.agree, parent.items[0].stats.agree_pct) == (5, 3, 60.0)
    assert parent.criteria[0].stats.agree_pct == 60.0


def test_by_group_never_shows_the_count_of_a_suppressed_group():
    [foster] = by_group(group_responses({"Foster carer": 4}), "role")

    assert "4" not in repr(foster)


def test_by_group_suppresses_an_item_with_under_five_answers_when_the_group_is_shown():
    responses = group_responses({"Parent or carer": 5})
    responses[0] = response("p-dk", ("fam_a", "EXP1", "dont_know"), groups={"role": "Parent or carer"})

    [parent] = by_group(responses, "role")

    assert (parent.suppressed, parent.respondents) == (False, 5)
    assert (parent.items[0].suppressed, parent.items[0].stats) == (True, None)


def test_by_group_puts_respondents_without_a_group_last_under_none():
    responses = group_responses({"Parent or carer": 5, "Foster carer": 6})
    responses += [response(f"none-{i}", ("fam_a", "EXP1", "agree")) for i in range(5)]

    groups = by_group(responses, "role")

    assert [(g.group, g.respondents) for g in groups] == [("Foster carer", 6), ("Parent or carer", 5), (None, 5)]
    assert groups[2].items[0].stats.agree_pct == 100.0


def test_by_group_honours_a_different_threshold():
    [parent] = by_group(group_responses({"Parent or carer": 5}), "role", min_n=10)

    assert parent.suppressed is True


def test_by_group_refuses_an_unknown_group_kind():
    with pytest.raises(ValueError, match="kind must be one of"):
        by_group([], "postcode")


# --- Waves and charts ------------------------------------------------------------------------------------------


def test_compare_waves_reports_change_from_exact_percentages_with_both_ns():
    previous = [response(f"p{i}", ("fam_a", "EXP1", "agree" if i < 2 else "disagree")) for i in range(3)]
    current = [response(f"c{i}", ("fam_a", "EXP1", "agree" if i < 5 else "disagree")) for i in range(6)]

    comparison = compare_waves(previous, current)

    [item] = comparison.items
    # 2/3 = 66.67 and 5/6 = 83.33 (both shown to 1 dp); the change is 16.666… -> 16.7, not 83.3 - 66.7 = 16.6.
    assert (item.key, item.previous_n, item.current_n) == ("fam_a", 3, 6)
    assert (item.previous_pct, item.current_pct, item.change) == (66.7, 83.3, 16.7)
    assert item.change_exact == Decimal(500) / 6 - Decimal(200) / 3
    assert [(c.key, c.change) for c in comparison.criteria] == [("EXP1", 16.7)]


def test_compare_waves_keeps_an_item_asked_in_only_one_wave_without_a_change():
    previous = [response("p1", ("fam_a", "EXP1", "agree"))]
    current = [response("c1", ("fam_a", "EXP1", "disagree"), ("fam_new", "EXP2", "agree"))]

    comparison = compare_waves(previous, current)

    assert [(c.key, c.previous_n, c.current_n, c.previous_pct, c.current_pct, c.change) for c in comparison.items] == [
        ("fam_a", 1, 1, 100.0, 0.0, -100.0),
        ("fam_new", 0, 1, None, 100.0, None),
    ]


def test_diverging_bars_puts_disagree_left_and_agree_right_as_percentages_of_n():
    points = ["strongly_agree"] * 2 + ["agree"] * 4 + ["neither"] + ["disagree"] * 2 + ["strongly_disagree"]
    responses = [response(f"r{i}", ("fam_a", "EXP1", point)) for i, point in enumerate([*points, "dont_know"])]
    responses.append(response("x", ("fam_b", "EXP2", "dont_know")))

    bars = diverging_bars(summarise_items(responses))

    assert bars.labels == ["fam_a", "fam_b"]
    assert bars.n == [10, 0]
    assert bars.strongly_disagree == [-10.0, 0.0]
    assert bars.disagree == [-20.0, 0.0]
    assert bars.neither == [10.0, 0.0]
    assert bars.agree == [40.0, 0.0]
    assert bars.strongly_agree == [20.0, 0.0]
    assert str(bars.disagree[1]) == "0.0"  # not -0.0


def test_diverging_bars_accepts_criterion_summaries():
    bars = diverging_bars(summarise_criteria(sample_responses()))

    assert bars.labels == ["EXP1", "EXP2", "EXP3"]
    assert bars.agree == [25.0, 0.0, 0.0]
    assert bars.strongly_agree == [25.0, 100.0, 0.0]
