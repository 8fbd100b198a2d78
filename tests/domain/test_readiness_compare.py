from __future__ import annotations

import random

import pytest

from inspect_app.domain.readiness import ComparatorSeries, assess_criterion, comparisons, duty_rag, pair
from tests.readiness_builders import AS_OF, DEFAULTS, criterion, duty, england, measure, neighbours, region


def test_a_comparator_for_the_same_period_is_paired_with_the_latest_local_figure():
    found = pair(measure(period="2025", value=39.1), england(("2024", 46.4), ("2025", 46.1)))

    assert found is not None
    assert (found.period, found.local_value, found.value, found.latest) == ("2025", 39.1, 46.1, True)


def test_without_the_same_period_the_latest_period_both_have_is_paired():
    local = measure(period="2025", value=39.1, history=(("2022", 41.0), ("2023", 40.2), ("2024", 38.0)))

    found = pair(local, england(("2021", 59.9), ("2022", 49.2), ("2023", 50.3)))

    assert found is not None
    assert (found.period, found.local_value, found.value, found.latest) == ("2023", 40.2, 50.3, False)


def test_a_comparator_with_no_period_in_common_is_not_paired():
    assert pair(measure(period="2025", value=39.1), england(("2021", 59.9))) is None


def test_a_comparator_period_with_a_symbol_instead_of_a_number_is_skipped():
    local = measure(period="2025", value=39.1, history=(("2024", 38.0),))

    found = pair(local, england(("2024", 46.4), ("2025", None)))

    assert found is not None and found.period == "2024"


def test_a_local_period_without_a_figure_is_never_paired():
    local = measure(period="2025", value=None, numerator=None, history=(("2024", None), ("2023", 40.0)))

    found = pair(local, england(("2024", 46.4), ("2023", 50.3)))

    assert found is not None and (found.period, found.local_value) == ("2023", 40.0)


def test_each_comparator_is_paired_on_its_own_period():
    local = measure(period="2025", value=39.1, history=(("2024", 38.0),))
    local = measure(
        period="2025",
        value=39.1,
        history=(("2024", 38.0),),
        comparators=(england(("2025", 46.1)), region(("2024", 44.0)), neighbours(("2023", 40.0))),
    )

    found = comparisons(local)

    assert [(c.name, c.period, c.local_value, c.latest) for c in found] == [
        ("England", "2025", 39.1, True),
        ("North West", "2024", 38.0, False),
    ]


def test_a_measure_compared_in_an_earlier_year_says_so():
    item = criterion(
        measures=(
            measure(period="2025", value=39.1, history=(("2024", 38.0),), comparators=(england(("2024", 46.4)),)),
        )
    )

    [result] = assess_criterion(item, AS_OF, DEFAULTS).measures

    assert result.note == (
        "The 2025 figure has no published comparator yet; it is compared with England in 2024, the latest year "
        "both have."
    )


def test_a_measure_compared_in_its_own_year_has_no_note():
    [result] = assess_criterion(criterion(measures=(measure(),)), AS_OF, DEFAULTS).measures

    assert result.note is None


def test_a_measure_with_comparators_but_no_year_in_common_stands_alone():
    item = criterion(measures=(measure(period="2025", comparators=(england(("2021", 59.9)),)),))

    [result] = assess_criterion(item, AS_OF, DEFAULTS).measures

    assert result.comparisons == ()
    assert "stands alone" in result.note


@pytest.mark.parametrize(
    ("value", "higher_is_better", "rag"),
    [(90.0, True, "green"), (89.9, True, "amber"), (60.0, True, "amber"), (59.9, True, "red"), (10.0, False, "green"),
     (10.1, False, "amber"), (None, True, "none")],
)  # fmt: skip
def test_a_duty_is_rated_on_the_share_within_the_time_limit(value, higher_is_better, rag):
    assert duty_rag(duty(value=value, higher_is_better=higher_is_better), DEFAULTS) == rag


def test_no_comparison_of_any_measure_ever_pairs_two_different_periods():
    """Random local and published series: every pairing is for one period, the latest both have."""
    chooser = random.Random(14)
    years = [str(year) for year in range(2014, 2026)]
    for _ in range(500):
        local_years = sorted(chooser.sample(years, chooser.randint(1, len(years))))
        local = [(year, chooser.choice([None, chooser.uniform(20, 90)])) for year in local_years]
        *history, (period, value) = local
        published = tuple(
            (year, chooser.choice([None, chooser.uniform(20, 90)]))
            for year in chooser.sample(years, chooser.randint(0, 6))
        )
        fact = measure(period=period, value=value, history=tuple(history), comparators=(
            ComparatorSeries("E92000001", "England", "england", published),
        ))  # fmt: skip

        for found in comparisons(fact):
            assert fact.local_at(found.period) == found.local_value
            assert dict(published)[found.period] == found.value
            both = [y for y, v in local if v is not None and dict(published).get(y) is not None]
            assert found.period == max(both)
            assert found.latest == (found.period == period)
