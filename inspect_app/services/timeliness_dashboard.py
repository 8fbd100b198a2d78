"""The timeliness dashboard as view-ready tables and charts, built from a partnership's snapshot.

Numbers come from the snapshot (services/timeliness.py); the charts from reports/timeliness_charts.py. A built
dashboard is kept on the snapshot per year, so a page view after the first costs no computing or drawing.
Percentages are shown rounded half up to one decimal, as DfE publishes them, with their numerator and
denominator beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from inspect_app.domain.cases import CEASE_REASONS, Case
from inspect_app.domain.clocks import (
    AMEND_FINAL_8W,
    ANNUAL_REVIEW_12M,
    DECIDE_NOT_TO_ISSUE_16W,
    DECIDE_TO_ASSESS_6W,
    EXCEPTION,
    FINAL_PLAN_20W,
    MET,
    MISSED,
    OPEN_DUE,
    OPEN_OVERDUE,
    PHASE_TRANSFER_15FEB,
    PHASE_TRANSFER_31MAR,
    REASSESSMENT_14W,
    REVIEW_DECISION_4W,
    Clock,
)
from inspect_app.domain.errors import NotFound
from inspect_app.domain.frameworks import Framework
from inspect_app.domain.measures import (
    DECISION_6WK,
    EHCP_20WK_EXCL,
    EHCP_20WK_INCL,
    MEASURE_IDS,
    MeasureValue,
)
from inspect_app.domain.numbers import display_percentage
from inspect_app.models import Partnership
from inspect_app.reports import timeliness_charts as charts
from inspect_app.services import benchmarks
from inspect_app.services.timeliness import UPCOMING_DAYS, Snapshot, is_count

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FULL_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
YEARS_SHOWN = 6  # the measures table shows at most this many recent years (a wrapper scrolls it on phones)
UPCOMING_SHOWN = 100  # clocks listed per group; the rest are counted
CLOCK_LABELS = {
    DECIDE_TO_ASSESS_6W: "Decision whether to assess (6 weeks)",
    DECIDE_NOT_TO_ISSUE_16W: "Decision not to issue a plan (16 weeks)",
    FINAL_PLAN_20W: "Final EHC plan issued (20 weeks)",
    REASSESSMENT_14W: "Re-assessment finished (14 weeks)",
    ANNUAL_REVIEW_12M: "Annual review meeting (12 months)",
    REVIEW_DECISION_4W: "Decision after an annual review (4 weeks)",
    AMEND_FINAL_8W: "Final amended plan (8 weeks)",
    PHASE_TRANSFER_15FEB: "Phase transfer plan final (before 15 February)",
    PHASE_TRANSFER_31MAR: "Post-16 transfer plan final (before 31 March)",
}
STATUS_TAGS = {  # status -> (words, GOV.UK tag colour)
    MET: ("Met", "green"),
    MISSED: ("Missed", "red"),
    OPEN_OVERDUE: ("Overdue", "red"),
    OPEN_DUE: ("Open", "blue"),
    EXCEPTION: ("Exception", "grey"),
}
TREND_MEASURES = (EHCP_20WK_EXCL, EHCP_20WK_INCL, DECISION_6WK)
SHORT_TITLES = {
    EHCP_20WK_EXCL: "Plans within 20 weeks, excluding exceptions",
    EHCP_20WK_INCL: "Plans within 20 weeks, including exceptions",
    DECISION_6WK: "Decisions within 6 weeks",
}


@dataclass(frozen=True)
class Cell:
    """A figure as shown: the value, and the numerator and denominator behind a percentage."""

    text: str
    detail: str | None = None


@dataclass(frozen=True)
class Table:
    caption: str
    head: list[str]
    rows: list[list[Cell]]  # the first cell of each row is its header


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str
    table: Table


@dataclass(frozen=True)
class UpcomingClock:
    clock: Clock
    label: str
    case_id: int | None


@dataclass
class Dashboard:
    as_of: date
    year: int
    years: list[int]
    partial_year: bool
    case_count: int
    review_count: int
    headline: str | None
    by_year: Table
    trend: Chart
    rolling: Chart
    rolling_all: Table
    distribution: Chart
    volumes: Chart
    upcoming: list[list[UpcomingClock]] = field(default_factory=list)  # due within 2 weeks, then 2 to 4 weeks
    upcoming_counts: list[int] = field(default_factory=list)


def measure_titles(framework: Framework | None) -> dict[str, str]:
    """Title of each computed measure, from the partnership's framework where it has one."""
    titles = {measure_id: measure_id.replace("_", " ") for measure_id in MEASURE_IDS}
    if framework is not None:
        for measure in framework.measures:
            if measure.id in titles:
                titles[measure.id] = measure.title
    return titles


def build_dashboard(snap: Snapshot, year: int | None, titles: dict[str, str]) -> Dashboard:
    """Return the dashboard for a calendar year (the last complete one by default), built once per snapshot."""
    years = snap.years
    if year is None:
        year = snap.default_year
    elif year not in years:
        raise NotFound(f"No case data for {year}")
    key = ("dashboard", year, tuple(sorted(titles.items())))
    return snap.keep(key, lambda: _build(snap, year, years, titles))


def _build(snap: Snapshot, year: int, years: list[int], titles: dict[str, str]) -> Dashboard:
    annual = {(value.measure_id, value.period): value for value in snap.annual}
    partial = year == snap.as_of.year
    headline_value = annual.get((EHCP_20WK_EXCL, str(year)))
    headline = None
    if headline_value is not None and headline_value.denominator:
        so_far = f" so far (to {_day(snap.as_of)})" if partial else ""
        headline = (
            f"In {year}{so_far}, {_percent(headline_value.value)} of new EHC plans were issued within 20 weeks, "
            f"leaving out exceptions: {headline_value.numerator:,} of {headline_value.denominator:,}."
        )
    upcoming = _upcoming(snap)
    return Dashboard(
        as_of=snap.as_of,
        year=year,
        years=years,
        partial_year=partial,
        case_count=len(snap.cases),
        review_count=len(snap.reviews),
        headline=headline,
        by_year=_by_year(annual, years, titles),
        trend=_trend(annual, years, year),
        rolling=_rolling(snap.rolling),
        rolling_all=_rolling_all(snap.rolling, titles),
        distribution=_distribution(snap, year),
        volumes=_volumes(snap, year, partial),
        upcoming=[group[:UPCOMING_SHOWN] for group in upcoming],
        upcoming_counts=[len(group) for group in upcoming],
    )


# Comparators ---------------------------------------------------------------------------------------------------

COMPARED = "compared"
NO_LA_CODE = "no_la_code"  # the partnership has no DfE local authority code to compare
UNKNOWN_LA = "unknown_la"  # its code names no local authority DfE publishes for
NO_STATISTICS = "no_statistics"  # no national statistics have been imported


@dataclass(frozen=True)
class DashboardComparisons:
    """Each local measure of a year beside England, the region and the statistical neighbours, or why not."""

    state: str
    year: int
    la_code: str
    comparisons: list[benchmarks.Comparison] = field(default_factory=list)
    not_published: list[str] = field(default_factory=list)  # titles of local measures DfE has no figure for
    other_years: list[int] = field(default_factory=list)  # dashboard years that do have published figures

    @property
    def has_published_figures(self) -> bool:
        """True when DfE has a figure for the year for the LA or any comparator of any measure."""
        for comparison in self.comparisons:
            values = [comparison.published_local, comparison.england, comparison.region]
            if any(values) or comparison.average.with_data:
                return True
        return False


def dashboard_comparisons(
    session: Session, partnership: Partnership, snap: Snapshot, year: int, titles: dict[str, str]
) -> DashboardComparisons:
    """Compare each local measure of a year with DfE's figures for the same year, with one set of queries.

    The local figure is the one computed from case data; a measure with no cases in the year falls back to the
    local authority's published figure (the comparison says which). Not kept on the snapshot: published figures
    change when an administrator imports a release, not when the partnership's cases do.
    """
    la_code = (partnership.la_code or "").strip()
    if not la_code:
        return DashboardComparisons(NO_LA_CODE, year, la_code)
    if not benchmarks.has_published_figures(session):
        return DashboardComparisons(NO_STATISTICS, year, la_code)
    try:
        benchmarks.resolve_area(session, la_code)
    except NotFound:
        return DashboardComparisons(UNKNOWN_LA, year, la_code)
    annual = {(value.measure_id, value.period): value for value in snap.annual}
    period = str(year)
    wanted: dict[str, tuple[str, MeasureValue | None]] = {}
    for measure_id in MEASURE_IDS:
        local = annual.get((measure_id, period))
        wanted[measure_id] = (period, local if local is not None and local.denominator else None)
    found = benchmarks.compare_many(session, partnership, wanted)
    result = DashboardComparisons(
        COMPARED,
        year,
        la_code,
        comparisons=[found[m] for m in MEASURE_IDS if m in found],
        not_published=[titles[m] for m in MEASURE_IDS if m not in found],
    )
    if result.comparisons and not result.has_published_figures:
        area = result.comparisons[0].area
        periods = benchmarks.published_periods(session, {c.measure.id for c in result.comparisons}, area.codes)
        other = sorted((y for y in snap.years if str(y) in periods), reverse=True)
        result = DashboardComparisons(
            COMPARED, year, la_code, result.comparisons, result.not_published, other_years=other
        )
    return result


# Formatting ----------------------------------------------------------------------------------------------------


def _percent(value: float | int | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def cell(value: MeasureValue | None) -> Cell:
    """A measure's value as a table cell: counts as numbers, percentages with 'n of d'."""
    if value is None or not value.denominator:
        return Cell("–")
    if is_count(value.measure_id):
        return Cell(f"{value.numerator:,}")
    return Cell(_percent(value.value), f"{value.numerator:,} of {value.denominator:,}")


def _day(day: date) -> str:
    return f"{day.day} {FULL_MONTHS[day.month - 1]} {day.year}"


def _month_label(period: str) -> str:
    year, month = period.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


# Sections ------------------------------------------------------------------------------------------------------


def _by_year(annual: dict[tuple[str, str], MeasureValue], years: list[int], titles: dict[str, str]) -> Table:
    shown = years[-YEARS_SHOWN:]
    rows = [
        [Cell(titles[measure_id]), *(cell(annual.get((measure_id, str(year)))) for year in shown)]
        for measure_id in MEASURE_IDS
    ]
    return Table("Measures by calendar year", ["Measure", *(str(year) for year in shown)], rows)


def _trend(annual: dict[tuple[str, str], MeasureValue], years: list[int], year: int) -> Chart:
    shown = [y for y in years if y <= year][-YEARS_SHOWN:]
    series = [charts.Series(SHORT_TITLES[m], [_value(annual.get((m, str(y)))) for y in shown]) for m in TREND_MEASURES]
    now, before = annual.get((EHCP_20WK_EXCL, str(year))), annual.get((EHCP_20WK_EXCL, str(year - 1)))
    title = f"Timeliness by year, {shown[0]} to {shown[-1]}" if shown else "Timeliness by year"
    if now is not None and now.denominator:
        title = f"{_percent(now.value)} of new plans were issued within 20 weeks in {year}"
        if before is not None and before.denominator and before.value is not None and now.value is not None:
            direction = "up from" if now.value > before.value else "down from" if now.value < before.value else "as"
            title += f", {direction} {_percent(before.value)} in {year - 1}"
    rows = [[Cell(str(y)), *(cell(annual.get((m, str(y)))) for m in TREND_MEASURES)] for y in shown]
    table = Table(title, ["Year", *(SHORT_TITLES[m] for m in TREND_MEASURES)], rows)
    svg = charts.trend_chart(title, [str(y) for y in shown], series, percent=True, chart_id="trend")
    return Chart(title, svg, table)


def _rolling(rolling: list[MeasureValue]) -> Chart:
    by_key = {(value.measure_id, value.period): value for value in rolling}
    periods = sorted({value.period for value in rolling})
    measures = (EHCP_20WK_EXCL, DECISION_6WK)
    series = [charts.Series(SHORT_TITLES[m], [_value(by_key.get((m, p))) for p in periods]) for m in measures]
    latest = by_key.get((EHCP_20WK_EXCL, periods[-1])) if periods else None
    title = "Rolling 12 months, month by month"
    if latest is not None and latest.denominator:
        title = (
            f"In the 12 months to the end of {_month_label(periods[-1])}, {_percent(latest.value)} of new plans "
            "were issued within 20 weeks"
        )
    rows = [[Cell(_month_label(p)), *(cell(by_key.get((m, p))) for m in measures)] for p in reversed(periods)]
    table = Table(title, ["12 months to the end of", *(SHORT_TITLES[m] for m in measures)], rows)
    svg = charts.trend_chart(title, [_month_label(p) for p in periods], series, percent=True, chart_id="rolling")
    return Chart(title, svg, table)


def _rolling_all(rolling: list[MeasureValue], titles: dict[str, str]) -> Table:
    by_key = {(value.measure_id, value.period): value for value in rolling}
    periods = sorted({value.period for value in rolling})[-12:]
    rows = [
        [Cell(titles[measure_id]), *(cell(by_key.get((measure_id, p))) for p in periods)] for measure_id in MEASURE_IDS
    ]
    return Table(
        "Every measure over the 12 months to the end of each month",
        ["Measure", *(_month_label(p) for p in periods)],
        rows,
    )


def _distribution(snap: Snapshot, year: int) -> Chart:
    spread = snap.distribution(year)
    labels = [band.label for band in spread.bands]
    counts = [band.count for band in spread.bands]
    if spread.total:
        title = (
            f"{spread.within_20_weeks:,} of {spread.total:,} new plans in {year} were issued within 20 weeks; "
            f"{spread.over_52_weeks:,} took more than a year"
        )
    else:
        title = f"No new plans were issued in {year}"
    rows = [
        [Cell(band.label), Cell(f"{band.count:,}"), Cell(_percent(_share(band.count, spread.total)))]
        for band in spread.bands
    ]
    rows.append([Cell("All new plans"), Cell(f"{spread.total:,}"), Cell(_percent(100.0 if spread.total else None))])
    table = Table(title, ["Weeks from request to final plan", "Plans", "Share of plans"], rows)
    svg = charts.bar_chart(title, labels, counts, chart_id="distribution")
    return Chart(title, svg, table)


def _volumes(snap: Snapshot, year: int, partial: bool) -> Chart:
    months = snap.volumes(year)
    if partial:
        months = [month for month in months if int(month.month[-2:]) <= snap.as_of.month]
    requests, decisions, plans = (sum(getattr(m, name) for m in months) for name in ("requests", "decisions", "plans"))
    title = f"{requests:,} requests, {decisions:,} decisions whether to assess and {plans:,} new plans in {year}"
    labels = [MONTHS[int(month.month[-2:]) - 1] for month in months]
    series = [
        charts.Series("Requests received", [m.requests for m in months]),
        charts.Series("Decisions whether to assess", [m.decisions for m in months]),
        charts.Series("New plans issued", [m.plans for m in months]),
    ]
    rows = [
        [Cell(f"{label} {year}"), Cell(f"{m.requests:,}"), Cell(f"{m.decisions:,}"), Cell(f"{m.plans:,}")]
        for label, m in zip(labels, months, strict=True)
    ]
    rows.append([Cell("Total"), Cell(f"{requests:,}"), Cell(f"{decisions:,}"), Cell(f"{plans:,}")])
    table = Table(title, ["Month", "Requests received", "Decisions whether to assess", "New plans issued"], rows)
    svg = charts.trend_chart(title, labels, series, percent=False, chart_id="volumes")
    return Chart(title, svg, table)


def _upcoming(snap: Snapshot) -> list[list[UpcomingClock]]:
    ids = snap.case_ids()
    soon = snap.as_of + timedelta(days=UPCOMING_DAYS[0])
    groups: list[list[UpcomingClock]] = [[], []]
    for clock in snap.upcoming():
        groups[0 if clock.due <= soon else 1].append(
            UpcomingClock(clock, CLOCK_LABELS[clock.rule_id], ids.get(clock.case_ref))
        )
    return groups


def _value(value: MeasureValue | None) -> float | None:
    return None if value is None or not value.denominator or value.value is None else float(value.value)


def _share(count: int, total: int) -> float | None:
    return display_percentage(count, total)


DECISION_WORDS = {
    "assess": "To assess",
    "not_assess": "Not to assess",
    "withdrawn": "Withdrawn",
    "historical": "Made before the period of the data",
}
OUTCOME_WORDS = {
    "plan": "To issue a plan",
    "no_plan": "Not to issue a plan",
    "withdrawn": "Withdrawn before a decision",
    "historical": "A plan agreed before the period of the data (or transferred in)",
}


def case_summary(case: Case, updated_at: datetime, import_id: int | None) -> list[tuple[str, str]]:
    """The facts of one case as (label, words) rows for its page."""

    def dated(words: str | None, day: date | None, missing: str) -> str:
        if words is None and day is None:
            return missing
        return " on ".join(part for part in (words or "Recorded", _day(day) if day else None) if part)

    exception = "Does not apply"
    if case.exception:
        exception = f"Applies: {case.exception_reason}" if case.exception_reason else "Applies"
    ceased = "Not ceased"
    if case.cease_date or case.cease_reason:
        reason = CEASE_REASONS.get(case.cease_reason or "", "no reason recorded")
        ceased = f"{_day(case.cease_date) if case.cease_date else 'Date not recorded'}: {reason}"
    transfer = "None recorded"
    if case.phase_transfer_due_date:
        final = _day(case.phase_transfer_final_date) if case.phase_transfer_final_date else "not yet final"
        transfer = f"Due {_day(case.phase_transfer_due_date)}; final plan {final}"
    return [
        (
            "Request received",
            _day(case.request_date) if case.request_date else "Before the period of the data (not recorded)",
        ),
        ("Kind of request", "Re-assessment of an existing plan" if case.request_type == "reassessment" else "Initial"),
        (
            "Decision whether to assess",
            dated(_words(DECISION_WORDS, case.decision), case.decision_date, "Not yet made"),
        ),
        (
            "Assessment outcome",
            dated(_words(OUTCOME_WORDS, case.assessment_outcome), case.assessment_outcome_date, "None recorded"),
        ),
        ("Plan start date", _day(case.final_plan_date) if case.final_plan_date else "Not issued"),
        ("20-week exception", exception),
        ("Plan ceased", ceased),
        ("Phase transfer", transfer),
        ("Primary need", case.primary_need or "Not recorded"),
        ("Age at request", "Not recorded" if case.age_at_request is None else str(case.age_at_request)),
        ("Setting", case.setting or "Not recorded"),
        ("Last changed", _day(updated_at.date()) + (f", by import {import_id}" if import_id else "")),
    ]


def _words(words: dict[str, str], code: str | None) -> str | None:
    return None if code is None else words.get(code, code)
