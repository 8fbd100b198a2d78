"""Readiness: gather a partnership's facts from every feature and hand them to the pure rules.

Each feature owns its facts: evidence links (evidence library), measures computed from case records
(timeliness), published comparators (national statistics), family feedback, and the self-evaluation. This
module only collects them into a `domain.readiness.ReadinessInput`, runs `assess_readiness`, and builds the
one report model every format is rendered from. Nothing here decides a gap or a score.

Which figure a measure shows:
- a measure the tool computes from case records shows the last complete calendar year (the year DfE would
  publish), or the latest year with any cases when there is no complete one;
- a measure DfE publishes but the tool does not compute shows the local authority's latest published figure;
- any other measure (local returns, health data) has no figure, which the MEASURE_NO_DATA rule reports.
England's figure is the one for the same period, or else England's latest earlier one (DfE publishes a year
or more late); the rules then say which year England's figure is from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app import clock
from inspect_app.domain.frameworks import Framework, MeasureDefinition
from inspect_app.domain.measures import MEASURE_IDS
from inspect_app.domain.measures import MeasureValue as CaseMeasureValue
from inspect_app.domain.readiness import (
    CriterionInput,
    EvidenceFact,
    MeasureFact,
    ReadinessInput,
    ReadinessResult,
    assess_readiness,
)
from inspect_app.domain.readiness_config import ReadinessConfig
from inspect_app.models import EvidenceItem, EvidenceLink, Partnership, User
from inspect_app.reports.readiness_report import ReadinessReport, build_readiness_report
from inspect_app.services import benchmarks, feedback, timeliness
from inspect_app.services import self_evaluation as sef_service
from inspect_app.services.frameworks import partnership_framework


@dataclass(frozen=True)
class ReadinessSettings:
    """What the app's configuration says about readiness: thresholds, the grade scale and who signs off."""

    config: ReadinessConfig
    grade_scale: tuple[str, ...]
    signoff_partners: tuple[str, ...]

    @classmethod
    def from_app_config(cls, app_config: Mapping[str, object]) -> ReadinessSettings:
        overrides = app_config.get("READINESS") or {}
        return cls(
            config=ReadinessConfig.from_mapping(overrides),  # type: ignore[arg-type]
            grade_scale=tuple(app_config["SEF_GRADES"]),  # type: ignore[arg-type]
            signoff_partners=tuple(app_config["SEF_SIGNOFF_PARTNERS"]),  # type: ignore[arg-type]
        )


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
    family = feedback.criterion_feedback(session, partnership.id, criterion_ids)
    sef = sef_service.sef_facts(session, partnership.id, settings.signoff_partners)
    data_quality = case_figures.cases_with_findings
    criteria = tuple(
        CriterionInput(
            id=c.id,
            title=c.title,
            section_id=c.section_id,
            expected_evidence_types=c.evidence_types,
            evidence=tuple(evidence.get(c.id, ())),
            measures=tuple(measures[m] for m in c.measures if m in measures),
            feedback=family[c.id].as_fact() if c.id in family else None,
            self_evaluation=sef.get(c.id),
            data_quality_issues=data_quality if any(m in MEASURE_IDS for m in c.measures) else 0,
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
    )
    return readiness, framework, f"{framework.title} ({row.version})"


def assess(
    session: Session, partnership: Partnership, settings: ReadinessSettings, as_of: date | None = None
) -> ReadinessResult:
    """Return the partnership's readiness: every criterion's score and gaps, and the overall position."""
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
    return build_readiness_report(
        result,
        partnership_name=partnership.name,
        la_code=partnership.la_code or "",
        framework_label=label,
        generated_at=generated_at,
        framework=framework,
        **extra,
    )


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
    """One fact per measure the framework's criteria name, with England's figure and the earlier periods."""
    wanted = {m for c in framework.criteria for m in c.measures}
    definitions = {m.id: m for m in framework.measures if m.id in wanted}
    computed = _case_values(case_figures.annual)
    table = benchmarks.comparison_table(session, partnership, definitions)
    facts = {}
    for measure_id, definition in definitions.items():
        from_cases = measure_id in MEASURE_IDS and definition.source == "case_data"
        if from_cases:
            facts[measure_id] = _case_fact(definition, computed.get(measure_id, {}), case_figures.default_year, table)
        else:
            facts[measure_id] = _published_fact(definition, table)
    return facts


def _case_values(values: Sequence[CaseMeasureValue]) -> dict[str, dict[str, CaseMeasureValue]]:
    by_measure: dict[str, dict[str, CaseMeasureValue]] = defaultdict(dict)
    for value in values:
        if value.denominator:
            by_measure[value.measure_id][value.period] = value
    return by_measure


def _case_fact(
    definition: MeasureDefinition,
    values: dict[str, CaseMeasureValue],
    default_year: int,
    table: benchmarks.ComparisonTable,
) -> MeasureFact:
    periods = sorted(values)
    period = str(default_year) if str(default_year) in values else (periods[-1] if periods else str(default_year))
    current = values.get(period)
    england, england_period = _england(definition.id, period, table)
    return MeasureFact(
        id=definition.id,
        title=definition.title,
        period=period,
        value=None if current is None else current.value,
        numerator=None if current is None else current.numerator,
        denominator=None if current is None else current.denominator,
        england=england,
        england_period=england_period,
        higher_is_better=definition.higher_is_better,
        history=tuple((p, values[p].value) for p in periods if p < period),
        applicable_from_case_data=True,
    )


def _published_fact(definition: MeasureDefinition, table: benchmarks.ComparisonTable) -> MeasureFact:
    """The local authority's latest published figure of a measure the tool does not compute, if DfE has one."""
    local_periods = [
        p for p in table.periods(definition.id) if (c := table.at(definition.id, p)) and _has_value(c.local)
    ]
    if not local_periods:
        return MeasureFact(
            id=definition.id,
            title=definition.title,
            period=None,
            value=None,
            higher_is_better=definition.higher_is_better,
        )
    period = local_periods[-1]
    comparison = table.at(definition.id, period)
    assert comparison is not None and comparison.local is not None
    unit = comparison.measure.unit
    england, england_period = _england(definition.id, period, table)
    history = []
    for earlier in local_periods[:-1]:
        past = table.at(definition.id, earlier)
        history.append((earlier, _float(past.local.exact(unit)) if past and past.local else None))
    return MeasureFact(
        id=definition.id,
        title=definition.title,
        period=period,
        value=_float(comparison.local.exact(unit)),
        numerator=comparison.local.numerator,
        denominator=comparison.local.denominator,
        england=england,
        england_period=england_period,
        higher_is_better=definition.higher_is_better,
        history=tuple(history),
    )


def _england(measure_id: str, period: str, table: benchmarks.ComparisonTable) -> tuple[float | None, str | None]:
    """England's figure for the period, or its latest earlier one; with the period it is for."""
    candidates = [p for p in table.england_periods(measure_id) if p <= period]
    if not candidates:
        return None, None
    chosen = candidates[-1]
    comparison = table.at(measure_id, chosen)
    if comparison is None or comparison.england is None:
        return None, None
    return _float(comparison.england.figure.exact(comparison.measure.unit)), chosen


def _has_value(figure: benchmarks.Figure | None) -> bool:
    return figure is not None and figure.has_value


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
