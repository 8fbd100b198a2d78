"""Published figures and comparisons: a partnership beside England, its region and its statistical neighbours.

The current figure of a measure for an area and period is the one from the newest release that has it
(releases ordered by the numbers in their labels, then by when they were imported): a later release revises a
figure without duplicating it. Only total rows are compared (the "All …" breakdown, or the wide files' rows).

`compare()` is the one comparison used by the benchmark pages, the dashboard, the self-evaluation and the gap
rules. It takes the local figure as an argument (computed from case data by another feature) and falls back to
the local authority's own published figure when there is none. Differences are exact, from numerators and
denominators; the neighbours' average shown is the mean of their figures (as DfE's benchmarking tool averages
them), with the rate pooled from their counts kept beside it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app.domain.areas import (
    ENGLAND_CODE,
    ENGLAND_NAME,
    LOCAL_AUTHORITY,
    NATIONAL,
    NINE_CHAR_CODE,
    OLD_LA_CODE,
    REGION_CODE,
    REGIONAL,
    REGIONS,
    find_local_authority,
    find_old_la_code,
)
from inspect_app.domain.benchmarks import (
    PUBLISHED_MEASURES,
    Figure,
    MeasureValue,
    NeighbourAverage,
    PublishedMeasure,
    Rank,
    difference,
    json_number,
    neighbour_average,
    period_matches,
    published_measure,
    rank_among,
    release_order,
)
from inspect_app.domain.errors import NotFound
from inspect_app.domain.frameworks import Framework, MeasureDefinition
from inspect_app.domain.symbols import describe_symbol
from inspect_app.models import AreaCode, BenchmarkArea, BenchmarkRelease, Partnership, PublishedFigure
from inspect_app.models import StatisticalNeighbour as NeighbourRow
from inspect_app.services.frameworks import framework_of, latest_version

CASE_DATA = "case data"
PUBLISHED = "published"


@dataclass(frozen=True)
class AreaInfo:
    code: str  # 3-digit LA code, E12… or E92000001
    name: str
    level: str
    region_code: str | None = None


def resolve_area(session: Session, code: str) -> AreaInfo:
    """Return the area a 3-digit LA code, a 9-character LA code, a region code or E92000001 names.

    A 9-character code is resolved through the crosswalk of codes seen in DfE's files and the reference table
    (E06000065 and E10000023 are both North Yorkshire, 815). Raises NotFound for a code that names no area.
    """
    text = code.strip().upper()
    if text == ENGLAND_CODE:
        return AreaInfo(ENGLAND_CODE, ENGLAND_NAME, NATIONAL)
    if REGION_CODE.fullmatch(text) and text in REGIONS:
        stored = session.get(BenchmarkArea, text)
        return AreaInfo(text, stored.name if stored else REGIONS[text], REGIONAL, text)
    la_code = None
    if OLD_LA_CODE.fullmatch(text):
        la_code = text
    elif NINE_CHAR_CODE.fullmatch(text):
        la_code = session.scalar(select(AreaCode.area_code).where(AreaCode.code == text)) or find_old_la_code(text)
    stored = session.get(BenchmarkArea, la_code) if la_code else None
    if stored is not None:
        return AreaInfo(stored.code, stored.name, stored.level, stored.region_code)
    authority = find_local_authority(la_code) if la_code else None
    if authority is None:
        raise NotFound(
            f"No area has the code {code.strip()!r}. Give a local authority's 3-digit DfE code (like 805) or its "
            f"9-character code, a region code (E12000001 to E12000009) or {ENGLAND_CODE} for England"
        )
    return AreaInfo(authority.code, authority.name, LOCAL_AUTHORITY, authority.region_code)


def get_measure(measure_id: str) -> PublishedMeasure:
    """Return the published measure an id names (framework ids like refusal_rate too), or raise NotFound."""
    measure = published_measure(measure_id)
    if measure is None:
        raise NotFound(
            f"DfE publishes no measure called {measure_id.strip()!r}. Use one of: {', '.join(PUBLISHED_MEASURES)}"
        )
    return measure


@dataclass(frozen=True)
class PublishedValue:
    """The current published figure of one measure for one area and period, with the release it is from."""

    measure: str
    area_code: str
    period: str
    time_identifier: str
    figure: Figure
    release: str
    new_la_code: str | None = None

    @property
    def symbol_meaning(self) -> str | None:
        return describe_symbol(self.figure.symbol) if self.figure.symbol else None


_FigureKey = tuple[str, str, str]  # measure, area code, period


def current_figures(
    session: Session, measures: Collection[str], area_codes: Collection[str]
) -> dict[_FigureKey, PublishedValue]:
    """Return the current total figure of each measure, area and period: the one from the newest release."""
    if not measures or not area_codes:
        return {}
    query = (
        select(
            PublishedFigure.measure,
            PublishedFigure.area_code,
            PublishedFigure.period,
            PublishedFigure.time_identifier,
            PublishedFigure.numerator,
            PublishedFigure.denominator,
            PublishedFigure.value_text,
            PublishedFigure.symbol,
            PublishedFigure.new_la_code,
            BenchmarkRelease.label,
            BenchmarkRelease.imported_at,
            BenchmarkRelease.id,
        )
        .join(BenchmarkRelease, BenchmarkRelease.id == PublishedFigure.release_id)
        .where(
            PublishedFigure.is_total.is_(True),
            PublishedFigure.measure.in_(list(measures)),
            PublishedFigure.area_code.in_(list(area_codes)),
        )
    )
    best: dict[_FigureKey, tuple[tuple[tuple[int, ...], datetime, int], PublishedValue]] = {}
    for row in session.execute(query):
        key = (row.measure, row.area_code, row.period)
        order = (release_order(row.label), row.imported_at, row.id)
        if key in best and best[key][0] >= order:
            continue
        value = None if row.value_text is None else Decimal(row.value_text)
        figure = Figure(row.numerator, row.denominator, value, row.symbol)
        best[key] = (
            order,
            PublishedValue(
                row.measure, row.area_code, row.period, row.time_identifier, figure, row.label, row.new_la_code
            ),
        )
    return {key: value for key, (_, value) in best.items()}


def published_series(
    session: Session, measure_id: str, area: AreaInfo, year: str | None = None
) -> list[PublishedValue]:
    """Return the current figures of one measure for one area, oldest period first (one period with `year`)."""
    measure = get_measure(measure_id)
    found = current_figures(session, [measure.id], [area.code])
    values = sorted(found.values(), key=lambda v: v.period)
    return [v for v in values if year is None or period_matches(v.period, year)]


def series_json(values: Iterable[PublishedValue], area: AreaInfo) -> list[dict]:
    """The `inspect-app benchmarks --json` shape (DESIGN.md): value null and symbol set when there is no number."""
    return [
        {
            "measure": v.measure,
            "area_code": area.code,
            "area_name": area.name,
            "geographic_level": area.level,
            "period": v.period,
            "value": json_number(v.figure.value),
            "numerator": v.figure.numerator,
            "denominator": v.figure.denominator,
            "symbol": v.figure.symbol,
            "release": v.release,
        }
        for v in values
    ]


@dataclass(frozen=True)
class Neighbour:
    rank: int
    code: str
    name: str
    proximity: str | None


def neighbours_of(session: Session, la_code: str) -> list[Neighbour]:
    """Return a local authority's statistical neighbours, closest first (empty when none are imported)."""
    rows = session.scalars(select(NeighbourRow).where(NeighbourRow.la_code == la_code).order_by(NeighbourRow.rank))
    return [Neighbour(row.rank, row.neighbour_code, row.neighbour_name, row.proximity) for row in rows]


@dataclass(frozen=True)
class MeasureView:
    """A published measure as a partnership sees it: titled and directed by its framework where it has it."""

    published: PublishedMeasure
    title: str
    higher_is_better: bool | None
    framework_measure_id: str | None

    @property
    def id(self) -> str:
        return self.published.id

    @property
    def unit(self) -> str:
        return self.published.unit


def _framework(session: Session, partnership: Partnership) -> Framework | None:
    """The partnership's framework, without adopting one (reading a page changes nothing)."""
    row = partnership.framework_version or latest_version(session)
    return framework_of(row) if row is not None else None


def _framework_measure(framework: Framework | None, measure: PublishedMeasure) -> MeasureDefinition | None:
    if framework is None:
        return None
    return next((m for m in framework.measures if published_measure(m.id) == measure), None)


def measure_view(measure: PublishedMeasure, framework: Framework | None) -> MeasureView:
    """Title and direction from the framework's definition of the measure, else from the publication."""
    defined = _framework_measure(framework, measure)
    if defined is None:
        return MeasureView(measure, measure.title, measure.higher_is_better, None)
    return MeasureView(measure, defined.title, defined.higher_is_better, defined.id)


@dataclass(frozen=True)
class LocalArea:
    """A partnership's local authority, its region and its neighbours: every area it is compared with."""

    la: AreaInfo
    region: AreaInfo | None
    neighbours: list[Neighbour]

    @property
    def codes(self) -> list[str]:
        codes = [self.la.code, ENGLAND_CODE, *(n.code for n in self.neighbours)]
        return codes + ([self.region.code] if self.region else [])


def local_area(session: Session, partnership: Partnership) -> LocalArea:
    """Return the partnership's LA (from its DfE code), its region and its statistical neighbours."""
    try:
        la = resolve_area(session, partnership.la_code)
    except NotFound:
        la = AreaInfo(partnership.la_code, partnership.name, LOCAL_AUTHORITY)
    region = resolve_area(session, la.region_code) if la.region_code in REGIONS else None
    return LocalArea(la, region, neighbours_of(session, la.code))


@dataclass(frozen=True)
class NeighbourFigure:
    neighbour: Neighbour
    value: PublishedValue | None

    @property
    def figure(self) -> Figure | None:
        return self.value.figure if self.value else None


@dataclass(frozen=True)
class Comparison:
    """A partnership's figure for one measure and period beside England, its region and its neighbours."""

    measure: MeasureView
    period: str
    area: LocalArea
    local: Figure | None  # from case data when given, else the LA's published figure
    local_source: str | None  # CASE_DATA, PUBLISHED or None
    published_local: PublishedValue | None
    england: PublishedValue | None
    region: PublishedValue | None
    neighbours: list[NeighbourFigure] = field(default_factory=list)
    average: NeighbourAverage = NeighbourAverage(None, None, 0, 0)
    rank: Rank | None = None

    def _difference(self, other: Figure | None) -> Decimal | None:
        return difference(self.local, other, self.measure.unit)

    @property
    def difference_from_england(self) -> Decimal | None:
        return self._difference(self.england.figure if self.england else None)

    @property
    def difference_from_region(self) -> Decimal | None:
        return self._difference(self.region.figure if self.region else None)

    @property
    def difference_from_neighbours(self) -> Decimal | None:
        return self._difference(self.average.figure)

    @property
    def worse_than_england(self) -> bool | None:
        """True when the local figure is worse than England's (None when either is missing or no side is better)."""
        gap = self.difference_from_england
        if gap is None or self.measure.higher_is_better is None:
            return None
        return gap < 0 if self.measure.higher_is_better else gap > 0

    @property
    def has_comparators(self) -> bool:
        return any((self.england, self.region, self.average.with_data))


def _comparison(
    measure: MeasureView,
    period: str,
    area: LocalArea,
    values: dict[_FigureKey, PublishedValue],
    local: MeasureValue | None,
) -> Comparison:
    def get(code: str | None) -> PublishedValue | None:
        return values.get((measure.id, code, period)) if code else None

    published_local = get(area.la.code)
    if local is not None:
        local_figure, source = Figure.of(local), CASE_DATA
    elif published_local is not None:
        local_figure, source = published_local.figure, PUBLISHED
    else:
        local_figure, source = None, None
    neighbours = [NeighbourFigure(n, get(n.code)) for n in area.neighbours]
    figures = [n.figure for n in neighbours]
    unit = measure.unit
    rank = None
    if local_figure is not None and area.neighbours:
        rank = rank_among(local_figure.exact(unit), [f.exact(unit) for f in figures if f], measure.higher_is_better)
    return Comparison(
        measure=measure,
        period=period,
        area=area,
        local=local_figure,
        local_source=source,
        published_local=published_local,
        england=get(ENGLAND_CODE),
        region=get(area.region.code if area.region else None),
        neighbours=neighbours,
        average=neighbour_average(figures, unit),
        rank=rank,
    )


def compare(
    session: Session, partnership: Partnership, measure_id: str, period: str, local: MeasureValue | None = None
) -> Comparison:
    """Compare a partnership's figure for a measure and period with England, its region and its neighbours.

    `local` is the partnership's own figure (numerator, denominator, value) computed from case data; without it
    the local authority's published figure is used. Raises NotFound when DfE publishes no such measure.
    """
    measure = measure_view(get_measure(measure_id), _framework(session, partnership))
    area = local_area(session, partnership)
    values = current_figures(session, [measure.id], area.codes)
    return _comparison(measure, period, area, values, local)


def compare_many(
    session: Session, partnership: Partnership, wanted: dict[str, tuple[str, MeasureValue | None]]
) -> dict[str, Comparison]:
    """Compare several measures at once ({measure id: (period, local figure)}), with one query for the figures.

    Measures DfE does not publish are left out of the answer.
    """
    framework = _framework(session, partnership)
    area = local_area(session, partnership)
    measures = {mid: published_measure(mid) for mid in wanted}
    known = {mid: m for mid, m in measures.items() if m is not None}
    values = current_figures(session, {m.id for m in known.values()}, area.codes)
    return {
        mid: _comparison(measure_view(m, framework), wanted[mid][0], area, values, wanted[mid][1])
        for mid, m in known.items()
    }


@dataclass(frozen=True)
class ComparisonTable:
    """Every published figure of some measures for a partnership and its comparators, from one query.

    The readiness rules need each measure's latest comparison and its earlier periods; building them from one
    table keeps a report to one query for all the published figures it uses.
    """

    measures: dict[str, MeasureView]
    area: LocalArea
    values: dict[_FigureKey, PublishedValue]

    def periods(self, measure_id: str) -> list[str]:
        """The periods, oldest first, in which the partnership's LA or England has a figure for the measure."""
        published = self._published_id(measure_id)
        codes = {self.area.la.code, ENGLAND_CODE}
        return sorted({p for (m, code, p) in self.values if m == published and code in codes})

    def england_periods(self, measure_id: str) -> list[str]:
        """The periods, oldest first, in which England has a figure (with a value) for the measure."""
        published = self._published_id(measure_id)
        return sorted(
            p
            for (m, code, p), v in self.values.items()
            if m == published and code == ENGLAND_CODE and v.figure.has_value
        )

    def _published_id(self, measure_id: str) -> str | None:
        measure = self.measures.get(measure_id)
        return measure.id if measure else None

    def at(self, measure_id: str, period: str, local: MeasureValue | None = None) -> Comparison | None:
        """The comparison for one measure and period (None when DfE does not publish the measure)."""
        measure = self.measures.get(measure_id)
        if measure is None:
            return None
        return _comparison(measure, period, self.area, self.values, local)


def comparison_table(session: Session, partnership: Partnership, measure_ids: Iterable[str]) -> ComparisonTable:
    """Load every published figure of the measures DfE publishes among `measure_ids` for the partnership."""
    framework = _framework(session, partnership)
    area = local_area(session, partnership)
    known = {mid: m for mid in dict.fromkeys(measure_ids) if (m := published_measure(mid)) is not None}
    measures = {mid: measure_view(m, framework) for mid, m in known.items()}
    values = current_figures(session, {m.id for m in known.values()}, area.codes)
    return ComparisonTable(measures, area, values)


def latest_comparisons(session: Session, partnership: Partnership) -> list[Comparison]:
    """For every published measure held for the LA or England, the comparison in its latest period."""
    framework = _framework(session, partnership)
    area = local_area(session, partnership)
    values = current_figures(session, list(PUBLISHED_MEASURES), area.codes)
    comparisons = []
    for measure in PUBLISHED_MEASURES.values():
        periods = [p for (m, code, p) in values if m == measure.id and code in (area.la.code, ENGLAND_CODE)]
        if periods:
            comparisons.append(_comparison(measure_view(measure, framework), max(periods), area, values, None))
    return comparisons


@dataclass(frozen=True)
class Trend:
    """One measure for a partnership over every period published: a comparison per period, oldest first."""

    measure: MeasureView
    area: LocalArea
    comparisons: list[Comparison]

    @property
    def latest(self) -> Comparison | None:
        return self.comparisons[-1] if self.comparisons else None

    def at(self, period: str) -> Comparison | None:
        return next((c for c in self.comparisons if c.period == period), None)

    def symbols_used(self) -> dict[str, str]:
        """The DfE symbols shown anywhere in the trend, with what each means (the key under the tables)."""
        found: set[str] = set()
        for comparison in self.comparisons:
            values = [comparison.published_local, comparison.england, comparison.region]
            values += [n.value for n in comparison.neighbours]
            found.update(v.figure.symbol for v in values if v is not None and v.figure.symbol)
        return {symbol: describe_symbol(symbol) for symbol in sorted(found)}


def trend(session: Session, partnership: Partnership, measure_id: str) -> Trend:
    """Return the published figures of one measure for the partnership's LA and its comparators, by period."""
    measure = measure_view(get_measure(measure_id), _framework(session, partnership))
    area = local_area(session, partnership)
    values = current_figures(session, [measure.id], area.codes)
    main = {area.la.code, ENGLAND_CODE, *([area.region.code] if area.region else [])}
    periods = sorted({p for (_, code, p) in values if code in main})
    return Trend(measure, area, [_comparison(measure, p, area, values, None) for p in periods])


def has_published_figures(session: Session) -> bool:
    """Tell whether any published figure has been imported (one indexed row read, not a count)."""
    return session.scalar(select(PublishedFigure.id).limit(1)) is not None


def published_periods(session: Session, measure_ids: Collection[str], area_codes: Collection[str]) -> set[str]:
    """Return the periods with a total figure of any of these measures for any of these areas."""
    if not measure_ids or not area_codes:
        return set()
    query = (
        select(PublishedFigure.period)
        .distinct()
        .where(
            PublishedFigure.is_total.is_(True),
            PublishedFigure.measure.in_(list(measure_ids)),
            PublishedFigure.area_code.in_(list(area_codes)),
        )
    )
    return set(session.scalars(query))
