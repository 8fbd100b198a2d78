"""Readiness: gather a partnership's facts from every feature and hand them to the pure rules.

Each feature owns its facts: evidence links (evidence library), measures computed from case records
(timeliness), published comparators (national statistics), family feedback (families and practitioners kept
apart), the self-evaluation, and the follow-up of the last inspection (its areas for priority action and
improvement, from services/findings.py). This module only collects them into a
`domain.readiness.ReadinessInput`, runs `assess_readiness`, and builds the one report model every format is
rendered from. Nothing here decides a gap or a score.

Which figures a measure carries:
- a measure the tool computes from case records shows the last complete calendar year (the year DfE would
  publish), or the latest year with any cases when there is no complete one, with its earlier years;
- a measure DfE publishes but the tool does not compute shows the local authority's published figures;
- any other measure (local returns, health data) has no figure, which the MEASURE_NO_DATA rule reports.
Every published figure of England, the region and the statistical neighbours' average goes with it, year by year:
the domain pairs the local figure with each comparator for the same year (never another), so nothing here
chooses a comparator's year. Whether a measure is a statutory duty comes from the framework (`duty`).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote, urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app import clock
from inspect_app.domain.areas import ENGLAND_CODE
from inspect_app.domain.benchmarks import Figure
from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.frameworks import CONFIRMED, Framework, MeasureDefinition
from inspect_app.domain.measure_choices import ExceptionsCheck
from inspect_app.domain.measures import MEASURE_IDS
from inspect_app.domain.measures import MeasureValue as CaseMeasureValue
from inspect_app.domain.readiness import (
    ComparatorSeries,
    CriterionInput,
    EvidenceFact,
    Gap,
    MeasureFact,
    ReadinessInput,
    ReadinessResult,
    assess_readiness,
)
from inspect_app.domain.readiness_config import ReadinessConfig
from inspect_app.models import EvidenceItem, EvidenceLink, Partnership, User
from inspect_app.reports.readiness_report import ReadinessReport, build_readiness_report
from inspect_app.services import benchmarks, feedback, findings, timeliness
from inspect_app.services import self_evaluation as sef_service
from inspect_app.services.frameworks import partnership_framework

NEIGHBOURS = "Statistical neighbours (average)"


@dataclass(frozen=True)
class ReadinessSettings:
    """What the app's configuration says about readiness: thresholds, the grade scale and who signs off."""

    config: ReadinessConfig
    grade_scale: tuple[str, ...]
    signoff_partners: tuple[str, ...]

    @classmethod
    def from_app_config(cls, app_config: Mapping[str, object]) -> ReadinessSettings:
        overrides = app_config.get("READINESS") or {}
        config = ReadinessConfig.from_mapping(overrides)  # type: ignore[arg-type]
        exceptions = ExceptionsCheck.from_settings(app_config.get("EXCEPTIONS_IMPLAUSIBLE"))  # type: ignore[arg-type]
        return cls(
            config=dataclasses.replace(config, exceptions=exceptions),
            grade_scale=_names(app_config["SEF_GRADES"], "SEF_GRADES"),
            signoff_partners=_names(app_config["SEF_SIGNOFF_PARTNERS"], "SEF_SIGNOFF_PARTNERS"),
        )


def _names(value: object, setting: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationFailed(f"Setting {setting} must be a list of names")
    return tuple(str(name) for name in value)


def readiness_input(
    session: Session, partnership: Partnership, settings: ReadinessSettings, as_of: date | None = None
) -> tuple[ReadinessInput, Framework, str]:
    """Collect every criterion's facts; returns the input, the framework and its "id version" label."""
    as_of = as_of or clock.today()
    row, framework = partnership_framework(session, partnership)
    criterion_ids = [c.id for c in framework.criteria]
    case_figures = timeliness.summary(session, partnership.id, as_of)
    evidence = _evidence_facts(session, partnership.id, set(criterion_ids))
    measures = _measure_facts(session, partnership, framework, case_figures)
    voices = feedback.criterion_feedback(session, partnership.id, criterion_ids)
    sef = sef_service.sef_facts(session, partnership.id, settings.signoff_partners)
    follow_up = findings.follow_up_facts(
        session, partnership.id, link_prefix=f"/p/{quote(partnership.slug)}/inspections"
    )
    type_titles = {t.id: t.title for t in framework.evidence_types}
    data_quality = case_figures.cases_with_findings
    criteria = tuple(
        CriterionInput(
            id=c.id,
            title=c.title,
            section_id=c.section_id,
            wording="verified" if c.status == CONFIRMED else "provisional",
            expected_evidence_types=c.evidence_types,
            evidence_type_titles={t: type_titles[t] for t in c.evidence_types if t in type_titles},
            evidence=tuple(evidence.get(c.id, ())),
            measures=tuple(measures[m] for m in c.measures if m in measures),
            feedback=voices[c.id].as_fact() if c.id in voices else None,
            practitioners=voices[c.id].practitioners_fact() if c.id in voices else None,
            self_evaluation=sef.get(c.id),
            data_quality_issues=data_quality if any(m in MEASURE_IDS for m in c.measures) else 0,
            follow_up=follow_up.get(c.id, ()),
        )
        for c in framework.criteria
    )
    readiness = ReadinessInput(
        partnership_slug=partnership.slug,
        partnership_name=partnership.name,
        la_code=partnership.la_code or "",
        framework_id=framework.id,
        framework_version=framework.version,
        as_of=as_of,
        criteria=criteria,
        grade_scale=settings.grade_scale,
        section_titles={s.id: s.title for s in framework.sections},
    )
    return readiness, framework, f"{framework.title} ({row.version})"


def assess(
    session: Session, partnership: Partnership, settings: ReadinessSettings, as_of: date | None = None
) -> ReadinessResult:
    """Return the partnership's readiness: every criterion's impact, preparation and gaps, and its position."""
    readiness, _, _ = readiness_input(session, partnership, settings, as_of)
    return assess_readiness(readiness, settings.config)


def build_report(
    session: Session,
    partnership: Partnership,
    settings: ReadinessSettings,
    *,
    generated_at: datetime | None = None,
    service_name: str | None = None,
) -> ReadinessReport:
    """Assess the partnership and return the report model that every format renders."""
    generated_at = generated_at or clock.now()
    readiness, framework, label = readiness_input(session, partnership, settings, generated_at.date())
    result = assess_readiness(readiness, settings.config)
    extra = {"service_name": service_name} if service_name else {}
    slug = partnership.slug
    return build_readiness_report(
        result,
        partnership_name=partnership.name,
        la_code=partnership.la_code or "",
        framework_label=label,
        generated_at=generated_at,
        framework=framework,
        link_for=lambda gap: gap_path(slug, gap),
        config=settings.config,
        **extra,
    )


# --- Where a gap is acted on -------------------------------------------------------------------------------

# A gap's target, as a path in the app. A test matches each against the app's URL map, so a moved page fails
# the tests rather than leaving a dead link in a report.
_PATHS = {
    "evidence_new": "evidence/new",
    "evidence_list": "evidence/",
    "evidence_item": "evidence/items/{item}",
    "sef_edit": "self-evaluation/{criterion}/edit",
    "sef_entry": "self-evaluation/{criterion}",
    "comments": "feedback/comments",
    "surveys": "feedback/",
    "case_import": "timeliness/imports/new",
    "data_quality": "timeliness/data-quality",
    "measure": "timeliness/",
    "follow_up": "inspections/actions/{item}",
}
# The filters a rule names, as the query parameters of the page it points to.
_QUERY = {
    "evidence_new": lambda cid, f: {"criterion": cid, "type": f.get("evidence_type")},
    "evidence_list": lambda cid, f: {
        "criterion": cid,
        "status": f.get("status"),
        "due": "stale" if f.get("stale") else ("soon" if f.get("review") == "soon" else None),
    },
    "comments": lambda cid, f: {"theme": cid},
}


def gap_path(slug: str, gap: Gap) -> str | None:
    """Return where in the app a gap is acted on: the form or filtered list (None when it has no target)."""
    target = gap.target
    if target is None:
        return None
    if target.href:
        return target.href
    template = _PATHS.get(target.kind)
    if template is None:
        return None
    path = template.format(criterion=quote(target.criterion_id or "", safe=""), item=quote(str(target.item_id)))
    build = _QUERY.get(target.kind)
    query = {k: v for k, v in build(target.criterion_id, dict(target.filters)).items() if v} if build else {}
    return f"/p/{quote(slug, safe='')}/{path}" + (f"?{urlencode(query)}" if query else "")


# --- Evidence ----------------------------------------------------------------------------------------------


def _evidence_facts(session: Session, partnership_id: int, criteria: set[str]) -> dict[str, list[EvidenceFact]]:
    """Every evidence item linked to each criterion (drafts included: the rules flag what is not approved)."""
    query = (
        select(
            EvidenceLink.criterion_id,
            EvidenceItem.id,
            EvidenceItem.title,
            EvidenceItem.evidence_type,
            EvidenceItem.status,
            EvidenceItem.review_by,
            EvidenceItem.period_to,
            User.name,
        )
        .join(EvidenceItem, EvidenceItem.id == EvidenceLink.item_id)
        .outerjoin(User, User.id == EvidenceItem.owner_id)
        .where(
            EvidenceLink.partnership_id == partnership_id,
            EvidenceItem.partnership_id == partnership_id,
            EvidenceLink.orphaned.is_(False),
        )
        .order_by(EvidenceLink.criterion_id, EvidenceItem.id)
    )
    facts: dict[str, list[EvidenceFact]] = defaultdict(list)
    for criterion_id, item_id, title, evidence_type, status, review_by, period_to, owner in session.execute(query):
        if criterion_id in criteria:
            facts[criterion_id].append(EvidenceFact(item_id, title, evidence_type, status, review_by, owner, period_to))
    return facts


# --- Measures ----------------------------------------------------------------------------------------------


def _measure_facts(
    session: Session, partnership: Partnership, framework: Framework, case_figures: timeliness.Summary
) -> dict[str, MeasureFact]:
    """One fact per measure the framework's criteria name, with its comparators' published figures."""
    wanted = {m for c in framework.criteria for m in c.measures}
    definitions = {m.id: m for m in framework.measures if m.id in wanted}
    computed = _case_values(case_figures.annual)
    table = benchmarks.comparison_table(session, partnership, definitions)
    facts = {}
    for measure_id, definition in definitions.items():
        comparators = _comparators(measure_id, table)
        if measure_id in MEASURE_IDS and definition.source == "case_data":
            values = computed.get(measure_id, {})
            facts[measure_id] = _case_fact(definition, values, case_figures.default_year, comparators)
        else:
            facts[measure_id] = _published_fact(definition, table, comparators)
    return facts


def _case_values(values: Sequence[CaseMeasureValue]) -> dict[str, dict[str, CaseMeasureValue]]:
    by_measure: dict[str, dict[str, CaseMeasureValue]] = defaultdict(dict)
    for value in values:
        if value.denominator:
            by_measure[value.measure_id][value.period] = value
    return by_measure


def _fact(definition: MeasureDefinition, **values: object) -> MeasureFact:
    return MeasureFact(
        id=definition.id,
        title=definition.title,
        higher_is_better=definition.higher_is_better,
        unit=definition.unit,
        duty=definition.duty,
        basis=definition.basis,
        **values,  # type: ignore[arg-type]
    )


def _case_fact(
    definition: MeasureDefinition,
    values: dict[str, CaseMeasureValue],
    default_year: int,
    comparators: tuple[ComparatorSeries, ...],
) -> MeasureFact:
    periods = sorted(values)
    period = str(default_year) if str(default_year) in values else (periods[-1] if periods else str(default_year))
    current = values.get(period)
    return _fact(
        definition,
        period=period,
        value=None if current is None else current.value,
        numerator=None if current is None else current.numerator,
        denominator=None if current is None else current.denominator,
        history=tuple((p, values[p].value) for p in periods if p < period),
        comparators=comparators,
        applicable_from_case_data=True,
    )


def _published_fact(
    definition: MeasureDefinition, table: benchmarks.ComparisonTable, comparators: tuple[ComparatorSeries, ...]
) -> MeasureFact:
    """The local authority's published figures of a measure the tool does not compute, if DfE has any."""
    local = _series(table, definition.id, table.area.la.code)
    known = [(p, v) for p, v in local if v is not None]
    if not known:
        return _fact(definition, period=None, value=None, comparators=comparators)
    period = known[-1][0]
    comparison = table.at(definition.id, period)
    figure = comparison.local if comparison is not None else None
    return _fact(
        definition,
        period=period,
        value=known[-1][1],
        numerator=None if figure is None else figure.numerator,
        denominator=None if figure is None else figure.denominator,
        history=tuple((p, v) for p, v in local if p < period),
        comparators=comparators,
    )


def _series(table: benchmarks.ComparisonTable, measure_id: str, area_code: str) -> list[tuple[str, float | None]]:
    """One area's published figures of a measure, oldest first; None where DfE printed a symbol."""
    view = table.measures.get(measure_id)
    if view is None:
        return []
    found = sorted((p, v) for (m, code, p), v in table.values.items() if m == view.id and code == area_code)
    return [(period, _exact(value.figure, view.unit)) for period, value in found]


def _comparators(measure_id: str, table: benchmarks.ComparisonTable) -> tuple[ComparatorSeries, ...]:
    """England, the region and the neighbours' average, each with every year DfE published for it."""
    view = table.measures.get(measure_id)
    if view is None:
        return ()
    series = [ComparatorSeries(ENGLAND_CODE, "England", "england", tuple(_series(table, measure_id, ENGLAND_CODE)))]
    region = table.area.region
    if region is not None:
        series.append(
            ComparatorSeries(region.code, region.name, "region", tuple(_series(table, measure_id, region.code)))
        )
    if table.area.neighbours:
        periods = sorted({p for (m, code, p) in table.values if m == view.id})
        averages = []
        for period in periods:
            comparison = table.at(measure_id, period)
            average = comparison.average.figure if comparison is not None else None
            averages.append((period, _exact(average, view.unit) if average is not None else None))
        series.append(ComparatorSeries("neighbours", NEIGHBOURS, "neighbours", tuple(averages)))
    return tuple(s for s in series if any(v is not None for _, v in s.figures))


def _exact(figure: Figure | None, unit: str) -> float | None:
    if figure is None or not figure.has_value:
        return None
    value = figure.exact(unit)
    return None if value is None else float(value)
