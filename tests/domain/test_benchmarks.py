"""Comparing figures: exact differences from counts, the neighbours' average, ranks, and display rounding."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from inspect_app.domain.benchmarks import (
    COUNT,
    PERCENT,
    PUBLISHED_MEASURES,
    WEEKS,
    Figure,
    Rank,
    default_release_label,
    difference,
    format_amount,
    format_difference,
    format_figure,
    format_parts,
    json_number,
    neighbour_average,
    normalised,
    period_matches,
    published_measure,
    rank_among,
    release_order,
)
from inspect_app.importers.appeal_rates import MEASURE as APPEAL_MEASURE
from inspect_app.importers.benchmarks import LAYOUTS


def pct(numerator: int, denominator: int, published: str | None = None) -> Figure:
    return Figure(numerator, denominator, Decimal(published) if published else None)


def test_every_measure_the_importer_reads_is_a_published_measure_with_a_unit():
    read = {m.measure for layout in LAYOUTS for m in layout.measures} | {APPEAL_MEASURE}
    assert read == set(PUBLISHED_MEASURES)


def test_published_measure_accepts_the_frameworks_ids_for_the_same_comparator():
    assert published_measure("refusal_rate").id == "requests_refused"
    assert published_measure("avg_weeks_to_issue").id == "avg_weeks_to_plan_excl"
    assert published_measure(" ehcp_20wk_excl ").id == "ehcp_20wk_excl"
    assert published_measure("annual_review_on_time") is None


def test_exact_figure_comes_from_the_counts_not_the_rounded_percentage():
    england_2021 = pct(34249, 57196, "59.900000000000")
    assert england_2021.exact(PERCENT) == Decimal(34249) * 100 / Decimal(57196)
    assert england_2021.display_value(PERCENT) == Decimal("59.9")


def test_difference_is_exact_in_percentage_points_and_none_when_either_side_has_no_number():
    local, england = pct(1, 3), pct(34249, 57196)
    expected = Decimal(100) / 3 - Decimal(34249) * 100 / Decimal(57196)
    assert difference(local, england, PERCENT) == expected
    assert difference(local, Figure(None, None, None, "x"), PERCENT) is None
    assert difference(None, england, PERCENT) is None


def test_difference_of_two_figures_that_round_alike_is_not_zero():
    # 45/144 = 31.25 and 313/1000 = 31.3 both show as 31.3, but differ by 0.05 points.
    assert difference(pct(313, 1000), pct(45, 144), PERCENT) == Decimal("0.05")


def test_a_figure_with_a_symbol_has_no_value_and_is_shown_as_the_symbol():
    suppressed = Figure(None, None, None, "x")
    assert not suppressed.has_value
    assert suppressed.exact(PERCENT) is None
    assert format_figure(suppressed, PERCENT) == "x"


def test_a_zero_count_is_a_real_number_not_a_symbol():
    assert Figure(None, None, Decimal(0)).has_value
    assert format_figure(Figure(None, None, Decimal(0)), COUNT) == "0"


def test_neighbour_average_is_the_mean_of_their_rates_with_the_pooled_rate_beside_it():
    figures = [pct(1, 2), pct(30, 100), None, Figure(None, None, None, "x")]
    average = neighbour_average(figures, PERCENT)
    assert average.mean == (Decimal(50) + Decimal(30)) / 2
    assert average.pooled == Decimal(31) * 100 / Decimal(102)
    assert (average.with_data, average.neighbours) == (2, 4)


def test_neighbour_average_of_neighbours_without_data_is_none_and_says_none_had_data():
    average = neighbour_average([None, Figure(None, None, None, "x")], PERCENT)
    assert (average.mean, average.pooled, average.with_data, average.neighbours) == (None, None, 0, 2)


def test_neighbour_average_of_counts_has_no_pooled_rate():
    average = neighbour_average([Figure(None, None, Decimal(10)), Figure(None, None, Decimal(21))], COUNT)
    assert (average.mean, average.pooled) == (Decimal("15.5"), None)


@pytest.mark.parametrize(
    ("local", "others", "higher_is_better", "expected"),
    [
        (Decimal(50), [Decimal(60), Decimal(40), Decimal(30)], True, Rank(2, 4)),
        (Decimal(50), [Decimal(60), Decimal(40), Decimal(30)], False, Rank(3, 4)),
        (Decimal(50), [Decimal(50), Decimal(40)], True, Rank(1, 3)),  # a tie shares the better place
        (Decimal(50), [None, Decimal(70)], True, Rank(2, 2)),  # no figure, no place
    ],
)
def test_rank_among_neighbours_respects_the_measures_direction(local, others, higher_is_better, expected):
    assert rank_among(local, others, higher_is_better) == expected


def test_rank_is_not_given_when_neither_direction_is_better_or_there_is_no_local_figure():
    assert rank_among(Decimal(5), [Decimal(1)], None) is None
    assert rank_among(None, [Decimal(1)], True) is None
    assert str(Rank(3, 11)) == "3 of 11"


@pytest.mark.parametrize(
    ("published", "expected"),
    [("59.900000000000", 59.9), ("100", 100), ("0", 0), ("46.4", 46.4), ("5.90621", 5.90621), ("82329", 82329)],
)
def test_json_number_keeps_the_published_precision_without_trailing_zeros(published, expected):
    value = json_number(Decimal(published))
    assert value == expected
    assert type(value) is type(expected)
    assert json_number(None) is None


def test_normalised_never_switches_to_exponent_notation():
    assert str(normalised(Decimal("100.00"))) == "100"
    assert str(normalised(Decimal("59.900000000000"))) == "59.9"


def test_display_rounds_half_up_as_dfe_does():
    assert format_amount(Decimal(45) * 100 / Decimal(144), PERCENT) == "31.3%"  # 31.25: half even would give 31.2
    assert format_amount(Decimal("12.25"), WEEKS) == "12.3 weeks"
    assert format_amount(Decimal(154489), COUNT) == "154,489"
    assert format_amount(None, PERCENT) == "–"


def test_parts_show_the_counts_behind_a_figure():
    assert format_parts(pct(34249, 57196)) == "34,249 of 57,196"
    assert format_parts(Figure(None, 60, Decimal("21.5"))) == "over 60 plans"
    assert format_parts(Figure(None, None, Decimal(5))) == ""
    assert format_parts(None) == ""


def test_differences_are_signed_with_a_true_minus_and_their_unit():
    assert format_difference(Decimal("-13.25"), PERCENT) == "−13.3 points"
    assert format_difference(Decimal("2.04"), PERCENT) == "+2.0 points"
    assert format_difference(Decimal("0.01"), PERCENT) == "0.0 points"
    assert format_difference(Decimal(120), COUNT) == "+120"
    assert format_difference(None, PERCENT) == "–"


def test_local_measure_from_case_data_becomes_a_figure():
    @dataclass
    class Local:
        numerator: int
        denominator: int
        value: float

    figure = Figure.of(Local(21, 60, 35.0))
    assert (figure.numerator, figure.denominator, figure.value) == (21, 60, Decimal("35.0"))
    assert figure.exact(PERCENT) == Decimal(35)


def test_release_order_follows_the_years_in_the_labels():
    labels = ["2025", "EHCP 2026", "2022", "2025 revised"]
    assert sorted(labels, key=release_order) == ["2022", "2025", "2025 revised", "EHCP 2026"]


def test_default_release_is_the_year_after_the_latest_period():
    assert default_release_label(["2014", "2021"]) == "2022"
    assert default_release_label(["2023/24", "2024/25"]) == "2025"
    assert default_release_label([]) is None


def test_a_year_matches_its_calendar_year_and_the_academic_year_starting_in_it():
    assert period_matches("2024", "2024")
    assert period_matches("2024/25", "2024")
    assert period_matches("2024/25", "2024/25")
    assert not period_matches("2023/24", "2024")
