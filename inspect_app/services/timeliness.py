"""Timeliness from the partnership's stored cases: measures, charts' numbers, clocks, data quality, case lists.

Everything is computed by the pure rules in domain/ (clocks, measures, data_quality) from the cases and reviews
loaded as domain records. Loading 200,000 cases and tallying every measure takes about a second
(bench/RESULTS.md), too long for every page view, so each process keeps a `Snapshot` per partnership, keyed by
the token of the partnership's latest successful import and the as-at date: a new import or a new day gives a
new key, and nothing else changes cases. Parts only some pages need (distributions, clocks per case,
data-quality findings) are worked out the first time a page asks and kept on the snapshot.

Most pages (the readiness report, the self-evaluation's panels, the summary cards) need only every year's
measures and the count of cases with findings: a `Summary`. Those are stored in the database
(`TimelinessSummary`) when an import finishes and by `inspect-app timeliness summarise` (once a day, from cron),
so after a restart, in another worker, or on another host they are read back instead of worked out again.
Only the timeliness dashboard and the case lists load the cases themselves.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from itertools import repeat
from typing import Any, TypeVar

from sqlalchemy import delete
from sqlalchemy.orm import Session

from inspect_app.domain.cases import Case, Review, state_descriptions
from inspect_app.domain.clocks import MISSED, OPEN_OVERDUE, Clock, clocks_for_case, sort_reviews
from inspect_app.domain.data_quality import (
    Finding,
    case_findings,
    data_quality_findings,
    history_findings,
    review_findings,
)
from inspect_app.domain.frameworks import Framework
from inspect_app.domain.measure_choices import ChoiceOutcome, choice_outcomes
from inspect_app.domain.measures import (
    COUNT_MEASURES,
    MEASURE_IDS,
    MeasureTally,
    MeasureValue,
    MonthlyVolume,
    PlanWeeksDistribution,
    monthly_volumes,
    plan_weeks_distribution,
    tally_measures,
    upcoming_breaches,
)
from inspect_app.importers.records import build_records
from inspect_app.models import CaseRecord, Partnership, ReviewRecord, TimelinessSummary
from inspect_app.services import case_imports
from inspect_app.services.case_store import CASE_FIELDS, REVIEW_FIELDS, fetch_columns
from inspect_app.services.tenancy import get_scoped, scoped

HEADLINE_MEASURE = "ehcp_20wk_excl"
ROLLING_MONTHS = 24
UPCOMING_DAYS = (14, 28)  # the dashboard lists clocks falling due within 2 and 4 weeks
T = TypeVar("T")


# Loading -------------------------------------------------------------------------------------------------------


# The fields the measures, clocks, data-quality rules and case lists use: the snapshot leaves out the free text
# and the age, which only the case page shows (and which it reads with the rest of the case).
SNAPSHOT_FIELDS = tuple(
    name for name in CASE_FIELDS if name not in ("exception_reason", "age_at_request", "setting", "person_ref")
)


def load_cases(
    session: Session, partnership_id: int, names: Sequence[str] = CASE_FIELDS
) -> tuple[list[int], list[Case]]:
    """Return the partnership's cases as domain records (oldest request first) and their row ids.

    Fields not in `names` get their default (None).
    """
    table = CaseRecord.__table__
    query = (
        scoped(CaseRecord, partnership_id)
        .with_only_columns(table.c.id, *(table.c[name] for name in names))
        .order_by(table.c.request_date.asc().nulls_first(), table.c.id)  # historical cases (no date) first
    )
    columns = fetch_columns(session, query)
    given = dict(zip(names, columns[1:], strict=True))
    values = {field.name: given.get(field.name, repeat(field.default)) for field in fields(Case)}
    return list(columns[0]), build_records(Case, values, len(columns[0]))


def load_reviews(session: Session, partnership_id: int, case_ref: str | None = None) -> list[Review]:
    """Return the partnership's review meetings (of one case with `case_ref`) in meeting-date order."""
    table = ReviewRecord.__table__
    query = scoped(ReviewRecord, partnership_id).with_only_columns(*(table.c[name] for name in REVIEW_FIELDS))
    if case_ref is not None:
        query = query.where(table.c.case_ref == case_ref)
    columns = fetch_columns(session, query.order_by(table.c.meeting_date, table.c.id))
    return build_records(Review, dict(zip(REVIEW_FIELDS, columns, strict=True)), len(columns[0]))


# The snapshot --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseStatus:
    """How a case's clocks stand: how many were met late and how many are open past their due date."""

    late: int
    overdue: int


class Snapshot:
    """One partnership's cases and reviews as at a date, with what the pages compute from them."""

    def __init__(self, ids: list[int], cases: list[Case], reviews: list[Review], as_of: date) -> None:
        self.ids = ids
        self.cases = cases
        self.reviews = reviews
        self.as_of = as_of
        self.tally: MeasureTally = tally_measures(cases, reviews, as_of)
        self.annual: list[MeasureValue] = self.tally.annual()
        self.rolling: list[MeasureValue] = self.tally.rolling(ROLLING_MONTHS)
        self._lock = threading.RLock()  # one kept result may be built from others
        self._kept: dict[object, Any] = {}

    @property
    def years(self) -> list[int]:
        """Calendar years with any data, oldest first."""
        return sorted({int(value.period) for value in self.annual})

    @property
    def default_year(self) -> int:
        """The year pages show first: the last complete calendar year (DfE publishes whole years), if any."""
        return default_year(self.annual, self.as_of)

    def keep(self, key: object, compute: Callable[[], T]) -> T:
        """Return what `compute` gives, worked out once per snapshot for each key."""
        with self._lock:
            if key not in self._kept:
                self._kept[key] = compute()
            return self._kept[key]  # type: ignore[no-any-return]

    def distribution(self, year: int) -> PlanWeeksDistribution:
        return self.keep(("distribution", year), lambda: plan_weeks_distribution(self.cases, year))

    def volumes(self, year: int) -> list[MonthlyVolume]:
        return self.keep(("volumes", year), lambda: monthly_volumes(self.cases, year))

    def upcoming(self) -> list[Clock]:
        """Open clocks falling due within the longest of UPCOMING_DAYS, soonest first."""
        return self.keep("upcoming", lambda: upcoming_breaches(self.cases, self.reviews, self.as_of, UPCOMING_DAYS[-1]))

    def findings(self) -> list[Finding]:
        return self.keep("findings", lambda: data_quality_findings(self.cases, self.reviews, self.as_of))

    def choices(self, year: int) -> list[ChoiceOutcome]:
        """Each unconfirmed DfE rule worked out both ways for `year` (domain/measure_choices.py)."""
        return self.keep(("choices", year), lambda: choice_outcomes(self.cases, self.reviews, self.as_of, year))

    def cases_with_findings(self) -> int:
        return len({finding.case_ref for finding in self.findings()})

    def case_ids(self) -> dict[str, int]:
        """Row id by case reference (for links)."""
        return self.keep("ids", lambda: dict(zip((case.case_ref for case in self.cases), self.ids, strict=True)))

    def statuses(self) -> list[CaseStatus]:
        """Each case's clock status, in the order of `cases`."""
        return self.keep("statuses", self._statuses)

    def _statuses(self) -> list[CaseStatus]:
        by_case = reviews_by_case(self.reviews)
        statuses = []
        empty: list[Review] = []
        for case in self.cases:
            counts = Counter(
                clock.status for clock in clocks_for_case(case, by_case.get(case.case_ref, empty), self.as_of)
            )
            statuses.append(CaseStatus(counts[MISSED], counts[OPEN_OVERDUE]))
        return statuses


def default_year(annual: Iterable[MeasureValue], as_of: date) -> int:
    """The year pages show first: the last complete calendar year with data (DfE publishes whole years), else
    the latest year with data, else the year of `as_of`."""
    years = sorted({int(value.period) for value in annual})
    complete = [year for year in years if year < as_of.year]
    return complete[-1] if complete else (years[-1] if years else as_of.year)


def reviews_by_case(reviews: Iterable[Review]) -> dict[str, list[Review]]:
    """Group reviews by case reference, each group in meeting-date order."""
    grouped: dict[str, list[Review]] = {}
    for review in reviews:
        grouped.setdefault(review.case_ref, []).append(review)
    return {case_ref: sort_reviews(own) for case_ref, own in grouped.items()}


class _SnapshotCache:
    """A small least-recently-used cache of snapshots, shared by the threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[object, ...], Snapshot] = OrderedDict()
        self.size = 0  # no caching until the app configures it (TIMELINESS_CACHE_SIZE)

    def get(self, key: tuple[object, ...]) -> Snapshot | None:
        with self._lock:
            snapshot = self._items.get(key)
            if snapshot is not None:
                self._items.move_to_end(key)
            return snapshot

    def put(self, key: tuple[object, ...], snapshot: Snapshot, size: int) -> None:
        with self._lock:
            self._items[key] = snapshot
            self._items.move_to_end(key)
            while len(self._items) > max(size, 0):
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_CACHE = _SnapshotCache()


def _import_token(session: Session, partnership_id: int) -> str | None:
    """The token of the partnership's latest successful import: cases change only with a new one."""
    latest = case_imports.latest_import(session, partnership_id)
    return latest.token if latest else None


def configure_cache(size: int) -> None:
    """Keep up to `size` snapshots in this process (0 turns the cache off); the app sets it when it starts."""
    _CACHE.size = max(size, 0)
    if not _CACHE.size:
        _CACHE.clear()


def snapshot(session: Session, partnership_id: int, as_of: date) -> Snapshot:
    """Return the partnership's snapshot as at `as_of`, from this process's cache when its data is unchanged."""
    return _snapshot(session, partnership_id, as_of, _import_token(session, partnership_id))


def _snapshot(session: Session, partnership_id: int, as_of: date, token: str | None) -> Snapshot:
    size = _CACHE.size
    key = (partnership_id, token, as_of)
    if token is not None and size:
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
    ids, cases = load_cases(session, partnership_id, SNAPSHOT_FIELDS)
    built = Snapshot(ids, cases, load_reviews(session, partnership_id), as_of)
    if token is not None and size:
        _CACHE.put(key, built, size)
    return built


def clear_cache() -> None:
    """Forget every cached snapshot (tests)."""
    _CACHE.clear()


# Summaries -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """Every calendar year's measures and the count of cases with data-quality findings, as at a date."""

    as_of: date
    annual: tuple[MeasureValue, ...]
    cases_with_findings: int

    @property
    def default_year(self) -> int:
        return default_year(self.annual, self.as_of)

    @classmethod
    def of(cls, snap: Snapshot) -> Summary:
        return cls(snap.as_of, tuple(snap.annual), snap.cases_with_findings())

    @classmethod
    def of_row(cls, row: TimelinessSummary) -> Summary:
        annual = tuple(MeasureValue(m, p, n, d, v) for m, p, n, d, v in row.measures)
        return cls(row.as_of, annual, row.cases_with_findings)


def summary(session: Session, partnership_id: int, as_of: date) -> Summary:
    """Return the partnership's summary as at `as_of`.

    From the row stored for the latest import and this day (one indexed read: cheaper than even a cached
    snapshot, whose data-quality findings may not be worked out yet); else worked out from the cases, through
    this process's snapshot, and not stored: reading a page writes nothing; imports and `inspect-app timeliness
    summarise` store rows.
    """
    token = _import_token(session, partnership_id)
    if token is None:  # no import, no cases: nothing to load
        return Summary(as_of, (), 0)
    row = _stored(session, partnership_id, token, as_of)
    if row is not None:
        return Summary.of_row(row)
    return Summary.of(_snapshot(session, partnership_id, as_of, token))


def _stored(session: Session, partnership_id: int, token: str, as_of: date) -> TimelinessSummary | None:
    query = scoped(TimelinessSummary, partnership_id).where(
        TimelinessSummary.import_token == token, TimelinessSummary.as_of == as_of
    )
    return session.scalars(query).first()


def store_summary(session: Session, partnership_id: int, as_of: date, *, when: datetime) -> bool:
    """Store the summary for the latest import as at `as_of`, replacing the partnership's older ones (flushes).

    Return False when there is nothing to store (no import yet, or this import and day are already stored).
    """
    token = _import_token(session, partnership_id)
    if token is None or _stored(session, partnership_id, token, as_of) is not None:
        return False
    worked_out = Summary.of(_snapshot(session, partnership_id, as_of, token))
    session.execute(delete(TimelinessSummary).where(TimelinessSummary.partnership_id == partnership_id))
    session.add(
        TimelinessSummary(
            partnership_id=partnership_id,
            import_token=token,
            as_of=as_of,
            measures=[[v.measure_id, v.period, v.numerator, v.denominator, v.value] for v in worked_out.annual],
            cases_with_findings=worked_out.cases_with_findings,
            computed_at=when,
        )
    )
    session.flush()
    return True


# Measures ------------------------------------------------------------------------------------------------------


def annual_measures(session: Session, partnership_id: int, as_of: date, year: int | None = None) -> list[MeasureValue]:
    """Return every measure for every calendar year with data (or for `year` only, even one without data)."""
    values = list(summary(session, partnership_id, as_of).annual)
    if year is None:
        return values
    found = [value for value in values if value.period == str(year)]
    return found or [MeasureValue(measure_id, str(year), 0, 0, None) for measure_id in MEASURE_IDS]


def measures_json(partnership: Partnership, values: Iterable[MeasureValue]) -> dict[str, object]:
    """The `inspect-app measures --json` document (DESIGN.md): a value is null when its denominator is 0."""
    return {
        "partnership": partnership.slug,
        "measures": [
            {
                "id": value.measure_id,
                "period": value.period,
                "value": None if value.denominator == 0 else value.value,
                "numerator": value.numerator,
                "denominator": value.denominator,
            }
            for value in values
        ],
    }


def measure_facts(session: Session, partnership: Partnership, framework: Framework) -> dict[str, list[MeasureValue]]:
    """Return each case-data measure of the framework that the cases give, with its value for every year."""
    from inspect_app import clock

    wanted = [m.id for m in framework.measures if m.source == "case_data" and m.id in MEASURE_IDS]
    values = summary(session, partnership.id, clock.today()).annual
    return {measure_id: [value for value in values if value.measure_id == measure_id] for measure_id in wanted}


def latest_value(values: Sequence[MeasureValue], measure_id: str, year: int | None = None) -> MeasureValue | None:
    """Return the measure's value for `year` if it has a denominator, else for the latest year that has one."""
    found = [value for value in values if value.measure_id == measure_id and value.denominator]
    chosen = [value for value in found if value.period == str(year)]
    return chosen[0] if chosen else (found[-1] if found else None)


def is_count(measure_id: str) -> bool:
    return measure_id in COUNT_MEASURES


# Case lists and case pages -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFilter:
    status: str | None = None  # late | overdue
    exception: bool | None = None
    need: str | None = None
    year: int | None = None

    @property
    def active(self) -> bool:
        return any(value is not None for value in (self.status, self.exception, self.need, self.year))


@dataclass(frozen=True)
class CaseRow:
    id: int
    case: Case
    status: CaseStatus


def filter_cases(snap: Snapshot, wanted: CaseFilter) -> list[int]:
    """Return the positions (in `snap.cases`) of the cases that match, newest request first."""
    statuses = snap.statuses() if wanted.status else None
    positions = []
    for position in range(len(snap.cases) - 1, -1, -1):
        case = snap.cases[position]
        if wanted.year is not None and (case.request_date is None or case.request_date.year != wanted.year):
            continue
        if wanted.need is not None and case.primary_need != wanted.need:
            continue
        if wanted.exception is not None and case.exception != wanted.exception:
            continue
        if statuses is not None:
            status = statuses[position]
            if (wanted.status == "late" and not status.late) or (wanted.status == "overdue" and not status.overdue):
                continue
        positions.append(position)
    return positions


def case_rows(snap: Snapshot, positions: Sequence[int]) -> list[CaseRow]:
    """Return the cases at these positions with their clock statuses (worked out for these cases only)."""
    by_case: dict[str, list[Review]] = {}
    wanted = {snap.cases[p].case_ref for p in positions}
    for review in snap.reviews:
        if review.case_ref in wanted:
            by_case.setdefault(review.case_ref, []).append(review)
    rows = []
    for position in positions:
        case = snap.cases[position]
        clocks = clocks_for_case(case, sort_reviews(by_case.get(case.case_ref, [])), snap.as_of)
        counts = Counter(clock.status for clock in clocks)
        rows.append(CaseRow(snap.ids[position], case, CaseStatus(counts[MISSED], counts[OPEN_OVERDUE])))
    return rows


@dataclass(frozen=True)
class CaseDetail:
    id: int
    case: Case
    reviews: list[Review]
    clocks: list[Clock]
    findings: list[Finding]
    record: CaseRecord
    states: list[str] = field(default_factory=list)  # the case's states in words (domain.cases.state_descriptions)


def case_detail(session: Session, partnership_id: int, case_id: int, as_of: date) -> CaseDetail:
    """Return one case with its reviews, its clocks as at `as_of` and its data-quality findings."""
    record = get_scoped(session, CaseRecord, partnership_id, case_id)
    case = Case(**{name: getattr(record, name) for name in CASE_FIELDS})
    reviews = load_reviews(session, partnership_id, record.case_ref)
    clocks = clocks_for_case(case, reviews, as_of)
    findings = (
        case_findings(case, as_of)
        + review_findings(reviews, {case.case_ref: case}, as_of)
        + history_findings([case], {review.case_ref for review in reviews}, as_of)
    )
    return CaseDetail(record.id, case, reviews, clocks, findings, record, state_descriptions(case))


def count_rows(session: Session, partnership_id: int) -> tuple[int, int]:
    """Return how many cases and reviews the partnership has stored."""
    from sqlalchemy import func

    cases = session.scalar(scoped(CaseRecord, partnership_id).with_only_columns(func.count())) or 0
    reviews = session.scalar(scoped(ReviewRecord, partnership_id).with_only_columns(func.count())) or 0
    return cases, reviews
