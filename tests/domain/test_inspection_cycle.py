"""The inspection cycle on a timeline, estimated from an outcome's follow-up data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from inspect_app.domain.frameworks import load_framework
from inspect_app.domain.inspection_cycle import (
    AREA_SEND_2023,
    LOCAL_AREA_SEND_2016,
    REGIMES,
    add_months,
    cycle_timeline,
    is_overdue,
    plan_label,
    regime_for,
)

FRAMEWORK = load_framework(Path(__file__).resolve().parents[2] / "frameworks" / "area-send" / "2025-07-07")
NEW = REGIMES[AREA_SEND_2023]
OLD = REGIMES[LOCAL_AREA_SEND_2016]


def entries_by_key(entries):
    return {entry.key: entry for entry in entries}


def test_regime_follows_the_inspection_date():
    assert regime_for(date(2019, 3, 4)) is OLD
    assert regime_for(date(2023, 1, 30)) is NEW


def test_the_plan_is_named_by_regime_and_outcome():
    assert plan_label(NEW, FRAMEWORK.outcome("widespread_failings")) == "Priority action plan"
    assert plan_label(NEW, FRAMEWORK.outcome("inconsistent")) == "Action plan for the areas for improvement"
    assert plan_label(OLD, OLD.outcomes[1]) == "Written statement of action"


def test_widespread_failings_bring_a_monitoring_window_about_18_months_after_the_report():
    entries = entries_by_key(
        cycle_timeline(
            regime=NEW,
            outcome=FRAMEWORK.outcome("widespread_failings"),
            inspection_start=date(2025, 1, 20),
            report_published=date(2025, 4, 1),
            report_estimated=None,
            as_of=date(2025, 6, 1),
        )
    )
    monitoring = entries["monitoring"]
    assert (monitoring.start, monitoring.end, monitoring.estimate) == (date(2026, 7, 1), date(2027, 1, 1), True)
    assert "18 months" in monitoring.basis
    # Annual engagement meetings until the next full inspection, within about three years of the last.
    assert [entries[f"engagement_{n}"].start for n in (1, 2)] == [date(2026, 4, 1), date(2027, 4, 1)]
    assert "engagement_3" not in entries  # 1 April 2028 is after the latest next full inspection
    assert (entries["next_full"].start, entries["next_full"].end) == (date(2027, 1, 20), date(2028, 1, 20))
    assert all(entry.estimate for entry in entries.values())


def test_a_positive_outcome_has_no_monitoring_and_a_five_year_window():
    entries = entries_by_key(
        cycle_timeline(
            regime=NEW,
            outcome=FRAMEWORK.outcome("positive"),
            inspection_start=date(2024, 3, 4),
            report_published=date(2024, 5, 20),
            report_estimated=None,
            as_of=date(2025, 1, 1),
        )
    )
    assert "monitoring" not in entries
    assert entries["next_full"].end == date(2029, 3, 4)
    assert len([key for key in entries if key.startswith("engagement_")]) == 4


def test_working_day_estimates_skip_bank_holidays_from_a_december_report():
    entries = entries_by_key(
        cycle_timeline(
            regime=NEW,
            outcome=FRAMEWORK.outcome("inconsistent"),
            inspection_start=date(2026, 10, 5),
            report_published=date(2026, 12, 14),
            report_estimated=None,
            as_of=date(2026, 12, 15),
        )
    )
    plan = entries["strategic_plan"]
    # 30 working days from Monday 14 December 2026: 25 and 28 December and 1 January are skipped.
    assert plan.holidays_skipped == (date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1))
    assert plan.start == date(2027, 1, 28)


def test_recorded_visits_replace_estimates():
    entries = entries_by_key(
        cycle_timeline(
            regime=NEW,
            outcome=FRAMEWORK.outcome("widespread_failings"),
            inspection_start=date(2025, 1, 20),
            report_published=date(2025, 4, 1),
            report_estimated=None,
            as_of=date(2026, 9, 1),
            recorded=(("monitoring", date(2026, 8, 10)), ("engagement", date(2026, 3, 16))),
        )
    )
    assert "monitoring" not in entries
    assert entries["recorded_monitoring"].estimate is False
    assert "engagement_1" not in entries  # held in March 2026
    assert "engagement_2" in entries


def test_an_unpublished_report_is_estimated_and_labelled():
    entries = entries_by_key(
        cycle_timeline(
            regime=NEW,
            outcome=FRAMEWORK.outcome("inconsistent"),
            inspection_start=date(2026, 10, 5),
            report_published=None,
            report_estimated=date(2026, 12, 29),
            as_of=date(2026, 11, 1),
        )
    )
    assert entries["report"].estimate and "75 days" in entries["report"].basis
    assert "estimated date" in entries["engagement_1"].basis


def test_old_framework_inspections_lead_to_a_full_inspection_by_the_end_of_2027():
    entries = entries_by_key(
        cycle_timeline(
            regime=OLD,
            outcome=OLD.outcomes[1],
            inspection_start=date(2019, 3, 4),
            report_published=date(2019, 5, 10),
            report_estimated=None,
            as_of=date(2026, 1, 1),
        )
    )
    assert entries["next_full"].end == date(2027, 12, 31)
    assert "strategic_plan" not in entries and "monitoring" not in entries


def test_no_outcome_no_timeline():
    assert (
        cycle_timeline(
            regime=NEW,
            outcome=None,
            inspection_start=date(2026, 1, 5),
            report_published=None,
            report_estimated=date(2026, 3, 1),
            as_of=date(2026, 2, 1),
        )
        == ()
    )


def test_months_end_on_the_same_day_or_the_last_of_a_short_month():
    assert add_months(date(2025, 8, 31), 18) == date(2027, 2, 28)
    assert add_months(date(2025, 4, 1), -3) == date(2025, 1, 1)


def test_an_action_is_overdue_past_its_date_unless_done():
    assert is_overdue("on_track", date(2026, 1, 1), date(2026, 1, 2))
    assert not is_overdue("done", date(2026, 1, 1), date(2026, 1, 2))
    assert not is_overdue("off_track", None, date(2026, 1, 2))
