"""The readiness report: one view-ready model built from a ReadinessResult, and a renderer per format.

`build_readiness_report` does every calculation and every wording once (display dates, RAG words, headlines,
the gap register, next actions), so the web page, PDF, Word, Excel, CSV and JSON never disagree. Renderers only
lay the model out: `RENDERERS[format](report) -> bytes`, with `MEDIA_TYPES` and `EXTENSIONS` beside them so a
view, a command or a scheduled export can offer any format in one line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from inspect_app.config import Config
from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.numbers import round_half_up
from inspect_app.domain.readiness import (
    ESTIMATE_LABEL,
    RULES_BY_CODE,
    SEVERITIES,
    CriterionResult,
    Gap,
    MeasureResult,
    ReadinessResult,
    ScoreComponent,
    readiness_to_json,
)
from inspect_app.filters import format_date
from inspect_app.reports.charts import SEVERITY_STYLES, CountBar, ScoreBar

if TYPE_CHECKING:
    from inspect_app.domain.frameworks import Framework

REPORT_TITLE = "Readiness report"
UK = ZoneInfo("Europe/London")
RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red", "none": "Not rated"}
SEVERITY_LABELS = {"high": "High", "medium": "Medium", "low": "Low"}
# The framework's own outcome labels (outcomes.yml), used when no framework is given to the builder.
OUTCOME_LABELS = {
    "positive": "Typically positive experiences and outcomes",
    "inconsistent": "Inconsistent experiences and outcomes",
    "widespread_failings": "Widespread and/or systemic failings",
}
MAX_NEXT_ACTIONS = 10
PERCENT = "percent"


# --- The model ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeverityCount:
    severity: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class OverallPosition:
    """The partnership's overall score, RAG, counts and indicative outcome, with the sentences that say it."""

    score: int
    rag: str
    rag_label: str
    summary: str  # one sentence: score, criteria by RAG, gaps by severity
    indicative_outcome: str
    indicative_outcome_label: str
    estimate_label: str
    outcome_reason: str
    criteria: int
    criteria_green: int
    criteria_amber: int
    criteria_red: int
    gaps: tuple[SeverityCount, ...]
    gaps_total: int


@dataclass(frozen=True, slots=True)
class CriterionRow:
    """One line of the criteria table."""

    id: str
    title: str
    section_id: str
    section_title: str
    score: int
    rag: str
    rag_label: str
    grade: str | None
    grade_label: str  # "Strong", or "Not graded"
    self_evaluation: str  # "Signed off", "Draft, not signed off" or "Not written"
    signed_off: bool
    evidence_linked: int
    evidence_approved: int
    evidence_stale: int
    feedback_responses: int
    feedback_agree_pct: float | None
    feedback_text: str
    gaps_high: int
    gaps_medium: int
    gaps_low: int

    @property
    def gaps_total(self) -> int:
        return self.gaps_high + self.gaps_medium + self.gaps_low


@dataclass(frozen=True, slots=True)
class ComponentRow:
    """One part of a criterion's score: its weight, the share earned and the points it added."""

    name: str
    label: str
    weight: float
    weight_text: str
    earned_pct: float | None  # None: does not apply to this criterion
    earned_text: str
    points: float
    points_text: str
    detail: str


@dataclass(frozen=True, slots=True)
class MeasureRow:
    """A measure's latest figure against England, with its RAG."""

    criterion_id: str
    id: str
    title: str
    unit: str | None
    period: str | None
    period_text: str
    value: float | None
    value_text: str
    numerator: int | None
    denominator: int | None
    counts_text: str  # "84 of 278", or empty
    england: float | None
    england_text: str
    rag: str
    rag_label: str


@dataclass(frozen=True, slots=True)
class GapRow:
    """One gap in the register: where, how serious, what is wrong, what to do, and the rule that found it."""

    criterion_id: str
    criterion_title: str
    code: str
    severity: str
    severity_label: str
    message: str
    action: str
    explanation: str
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class CriterionDetail:
    """Everything the report says about one criterion."""

    row: CriterionRow
    score_sentence: str
    components: tuple[ComponentRow, ...]
    measures: tuple[MeasureRow, ...]
    gaps: tuple[GapRow, ...]

    @property
    def anchor(self) -> str:
        return f"criterion-{self.row.id}"


@dataclass(frozen=True, slots=True)
class SectionDetail:
    """A framework section and its criteria, in framework order."""

    id: str
    title: str
    criteria: tuple[CriterionDetail, ...]

    @property
    def anchor(self) -> str:
        return f"section-{self.id}"


@dataclass(frozen=True, slots=True)
class RuleNote:
    """A rule that found at least one gap, explained in one sentence."""

    code: str
    severity_label: str
    explanation: str
    count: int


@dataclass(frozen=True, slots=True)
class ReadinessReport:
    """The readiness report, ready to lay out in any format."""

    title: str
    service_name: str
    partnership_name: str
    partnership_slug: str
    la_code: str
    framework_label: str
    as_of: date
    as_of_text: str
    generated_at: datetime  # aware, UTC
    generated_text: str  # UK time, as people read it
    estimate_label: str
    overall: OverallPosition
    criteria: tuple[CriterionRow, ...]
    scores_chart_title: str
    score_bars: tuple[ScoreBar, ...]  # the criteria table's scores, for the chart beside it
    sections: tuple[SectionDetail, ...]
    gap_register: tuple[GapRow, ...]
    gaps_chart_title: str
    severity_bars: tuple[CountBar, ...]  # the gap counts, for the chart beside their table
    next_actions: tuple[GapRow, ...]
    rules: tuple[RuleNote, ...]
    result: ReadinessResult  # the source, for the JSON document

    def detail(self, criterion_id: str) -> CriterionDetail | None:
        """Everything the report says about one criterion, or None if the framework has no such criterion."""
        return next((d for section in self.sections for d in section.criteria if d.row.id == criterion_id), None)

    @property
    def measures(self) -> tuple[MeasureRow, ...]:
        return tuple(m for section in self.sections for c in section.criteria for m in c.measures)

    @property
    def filename_stem(self) -> str:
        return f"readiness-{self.partnership_slug}-{self.as_of.isoformat()}"

    def to_json(self) -> dict[str, Any]:
        """Return the `inspect-app/readiness/1` document for this report (names and codes as in the result)."""
        return readiness_to_json(self.result, self.generated_at)


# --- Building ----------------------------------------------------------------------------------------------


def build_readiness_report(
    result: ReadinessResult,
    *,
    partnership_name: str,
    la_code: str,
    framework_label: str,
    generated_at: datetime,
    framework: Framework | None = None,
    service_name: str = Config.SERVICE_NAME,
) -> ReadinessReport:
    """Build the report model from a readiness result and the partnership and framework it is about.

    A naive `generated_at` is taken as UTC (the app clock's convention). With `framework`, sections get their
    titles, measures their units and the outcome its label from the framework; without it, section ids stand in.
    `partnership_name` is what people read; the JSON document is the data contract and keeps the result's own
    slug and name.
    """
    generated = generated_at.replace(tzinfo=UTC) if generated_at.tzinfo is None else generated_at.astimezone(UTC)
    sections = _section_titles(result, framework)
    units = {m.id: m.unit for m in framework.measures} if framework is not None else {}
    rows = tuple(_criterion_row(c, sections[c.section_id]) for c in result.criteria)
    titles = {c.id: c.title for c in result.criteria}
    register = tuple(_gap_row(g, titles) for g in result.gaps)
    details = [_criterion_detail(c, row, units) for c, row in zip(result.criteria, rows, strict=True)]
    grouped = tuple(
        SectionDetail(sid, title, tuple(d for d in details if d.row.section_id == sid))
        for sid, title in sections.items()
    )
    overall = _overall(result, framework)
    return ReadinessReport(
        title=REPORT_TITLE,
        service_name=service_name,
        partnership_name=partnership_name,
        partnership_slug=result.partnership_slug,
        la_code=la_code,
        framework_label=framework_label,
        as_of=result.as_of,
        as_of_text=format_date(result.as_of),
        generated_at=generated,
        generated_text=_uk_time(generated),
        estimate_label=ESTIMATE_LABEL,
        overall=overall,
        criteria=rows,
        scores_chart_title=_scores_headline(rows),
        score_bars=tuple(
            ScoreBar(d.row.id, d.row.section_id, d.row.score, d.row.rag, d.row.rag_label)
            for section in grouped
            for d in section.criteria
        ),
        sections=grouped,
        gap_register=register,
        gaps_chart_title=_gaps_headline(overall),
        severity_bars=tuple(CountBar(c.label, c.count, SEVERITY_STYLES[c.severity]) for c in overall.gaps),
        next_actions=_next_actions(register),
        rules=_rules(result.gaps),
        result=result,
    )


def _section_titles(result: ReadinessResult, framework: Framework | None) -> dict[str, str]:
    """Return section id -> title for every section the result uses, in framework (else first-seen) order."""
    titles = {s.id: s.title for s in framework.sections} if framework is not None else {}
    used = dict.fromkeys(c.section_id for c in result.criteria)
    ordered = [sid for sid in titles if sid in used] + [sid for sid in used if sid not in titles]
    return {sid: titles.get(sid, f"Section {sid}") for sid in ordered}


def _overall(result: ReadinessResult, framework: Framework | None) -> OverallPosition:
    overall = result.overall
    amber = sum(1 for c in result.criteria if c.rag == "amber")
    counts = tuple(SeverityCount(s, SEVERITY_LABELS[s], overall.gaps[s]) for s in SEVERITIES)
    total = sum(c.count for c in counts)
    labels = {o.id: o.label for o in framework.outcomes} if framework is not None else OUTCOME_LABELS
    rag_label = RAG_LABELS[overall.rag]
    gaps_text = (
        "no gaps were found"
        if not total
        else f"there {'is' if total == 1 else 'are'} {_plural(total, 'gap')} to close: "
        + ", ".join(f"{c.count} {c.label.lower()} severity" for c in counts)
    )
    summary = (
        f"Overall readiness is {overall.score} out of 100 ({rag_label}). Of {_plural(overall.criteria, 'criterion')}, "
        f"{overall.criteria_red} {'is' if overall.criteria_red == 1 else 'are'} red, {amber} amber and "
        f"{overall.criteria_green} green; {gaps_text}."
    )
    return OverallPosition(
        score=overall.score,
        rag=overall.rag,
        rag_label=rag_label,
        summary=summary,
        indicative_outcome=overall.indicative_outcome,
        indicative_outcome_label=labels.get(overall.indicative_outcome, OUTCOME_LABELS[overall.indicative_outcome]),
        estimate_label=overall.indicative_outcome_label,
        outcome_reason=overall.outcome_reason,
        criteria=overall.criteria,
        criteria_green=overall.criteria_green,
        criteria_amber=amber,
        criteria_red=overall.criteria_red,
        gaps=counts,
        gaps_total=total,
    )


def _criterion_row(c: CriterionResult, section_title: str) -> CriterionRow:
    codes = {g.code for g in c.gaps}
    if "NO_SELF_EVALUATION" in codes:
        sef = "Not written"
    elif c.signed_off:
        sef = "Signed off"
    else:
        sef = "Draft, not signed off"
    severities = [g.severity for g in c.gaps]
    return CriterionRow(
        id=c.id,
        title=c.title,
        section_id=c.section_id,
        section_title=section_title,
        score=c.score,
        rag=c.rag,
        rag_label=RAG_LABELS[c.rag],
        grade=c.grade,
        grade_label=c.grade.capitalize() if c.grade else "Not graded",
        self_evaluation=sef,
        signed_off=c.signed_off,
        evidence_linked=c.evidence_linked,
        evidence_approved=c.evidence_approved,
        evidence_stale=c.evidence_stale,
        feedback_responses=c.feedback_responses,
        feedback_agree_pct=c.feedback_agree_pct,
        feedback_text=_feedback_text(c),
        gaps_high=severities.count("high"),
        gaps_medium=severities.count("medium"),
        gaps_low=severities.count("low"),
    )


def _feedback_text(c: CriterionResult) -> str:
    if c.feedback_responses == 0:
        return "No responses"
    responses = _plural(c.feedback_responses, "response")
    if c.feedback_agree_pct is None:  # too few responses to show one, or no agreement question
        return f"{responses}; no agreement figure to show"
    return f"{responses}; {_number(c.feedback_agree_pct)}% agree"


def _criterion_detail(c: CriterionResult, row: CriterionRow, units: Mapping[str, str]) -> CriterionDetail:
    components = tuple(_component_row(part) for part in c.components)
    applying = [part for part in components if part.earned_pct is not None]
    sentence = (
        f"{c.id} scores {c.score} out of 100 ({row.rag_label}): the sum of the points each part of the score "
        f"earned, from {_plural(len(applying), 'part')} that {'applies' if len(applying) == 1 else 'apply'}."
    )
    return CriterionDetail(
        row=row,
        score_sentence=sentence,
        components=components,
        measures=tuple(_measure_row(c.id, m, units.get(m.id)) for m in c.measures),
        gaps=tuple(_gap_row(g, {c.id: c.title}) for g in c.gaps),
    )


def _component_row(part: ScoreComponent) -> ComponentRow:
    earned = None if part.fraction is None else float(round_half_up(part.fraction * 100, 1) or 0)
    return ComponentRow(
        name=part.name,
        label=part.label,
        weight=part.weight,
        weight_text=_number(part.weight),
        earned_pct=earned,
        earned_text="Does not apply" if earned is None else f"{_number(earned)}%",
        points=part.points,
        points_text=_number(part.points),
        detail=part.detail,
    )


def _measure_row(criterion_id: str, m: MeasureResult, unit: str | None) -> MeasureRow:
    has_counts = m.numerator is not None and m.denominator is not None
    return MeasureRow(
        criterion_id=criterion_id,
        id=m.id,
        title=m.title,
        unit=unit,
        period=m.period,
        period_text=m.period or "Latest",
        value=m.value,
        value_text=_figure(m.value, unit),
        numerator=m.numerator,
        denominator=m.denominator,
        counts_text=f"{m.numerator:,} of {m.denominator:,}" if has_counts else "",
        england=m.england,
        england_text=_figure(m.england, unit) + _england_when(m),
        rag=m.rag,
        rag_label=RAG_LABELS[m.rag],
    )


def _england_when(m: MeasureResult) -> str:
    """Name England's period when it is not the local one: DfE publishes a year or more after the local data."""
    return (
        f" ({m.england_period})" if m.england is not None and m.england_period and m.england_period != m.period else ""
    )


def _gap_row(g: Gap, titles: Mapping[str, str]) -> GapRow:
    return GapRow(
        criterion_id=g.criterion_id,
        criterion_title=titles.get(g.criterion_id, ""),
        code=g.code,
        severity=g.severity,
        severity_label=SEVERITY_LABELS[g.severity],
        message=g.message,
        action=g.action,
        explanation=g.explanation,
        owner=g.owner,
    )


def _next_actions(register: tuple[GapRow, ...]) -> tuple[GapRow, ...]:
    """Return the first gaps to act on: most severe first, one per criterion and rule, at most MAX_NEXT_ACTIONS.

    One per criterion and rule, so that five missing evidence types for one criterion do not push every other
    criterion off the list; the full list is the gap register.
    """
    seen: set[tuple[str, str]] = set()
    actions: list[GapRow] = []
    for gap in register:
        key = (gap.criterion_id, gap.code)
        if key not in seen:
            seen.add(key)
            actions.append(gap)
        if len(actions) == MAX_NEXT_ACTIONS:
            break
    return tuple(actions)


def _rules(gaps: tuple[Gap, ...]) -> tuple[RuleNote, ...]:
    counts: dict[str, int] = {}
    explanations: dict[str, str] = {}
    for gap in gaps:
        counts[gap.code] = counts.get(gap.code, 0) + 1
        explanations.setdefault(gap.code, gap.explanation)
    return tuple(
        RuleNote(code, SEVERITY_LABELS[rule.severity], explanations[code], counts[code])
        for code, rule in RULES_BY_CODE.items()
        if code in counts
    )


def _scores_headline(rows: tuple[CriterionRow, ...]) -> str:
    if not rows:
        return "No criteria to score"
    red = sum(1 for r in rows if r.rag == "red")
    green = sum(1 for r in rows if r.rag == "green")
    lowest = min(rows, key=lambda r: r.score)
    if red:
        return f"{red} of {len(rows)} criteria are red; {lowest.id} is lowest at {lowest.score}"
    return f"No criterion is red; {green} of {len(rows)} are green and {lowest.id} is lowest at {lowest.score}"


def _gaps_headline(overall: OverallPosition) -> str:
    if not overall.gaps_total:
        return "No gaps found"
    high = overall.gaps[0].count
    if high:
        return f"{high} of {overall.gaps_total} gaps are high severity: close these first"
    return f"None of the {overall.gaps_total} gaps is high severity"


# --- Formatting --------------------------------------------------------------------------------------------


def _number(value: float) -> str:
    """Format a number to at most one decimal place, rounded half up, without a trailing .0."""
    rounded = round_half_up(value, 1)
    text = f"{rounded:,}"
    return text.removesuffix(".0")


def _figure(value: float | None, unit: str | None) -> str:
    if value is None:
        return "No figure"
    text = _number(value)
    if unit == PERCENT:
        return f"{text}%"
    if unit == "weeks":
        return f"{text} weeks"
    return text


def _plural(count: int, noun: str) -> str:
    plural = "criteria" if noun == "criterion" else f"{noun}s"
    return f"{count} {noun if count == 1 else plural}"


def _uk_time(moment: datetime) -> str:
    local = moment.astimezone(UK)
    hour = local.hour % 12 or 12
    return f"{format_date(local)} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'} (UK time)"


# --- Rendering ---------------------------------------------------------------------------------------------


def render_json(report: ReadinessReport) -> bytes:
    """Render the `inspect-app/readiness/1` JSON document (UTF-8, indented, keys in the design's order)."""
    return (json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


from inspect_app.reports.readiness_docx import render_docx  # noqa: E402  (renderers need the model above)
from inspect_app.reports.readiness_html import render_html, render_pdf  # noqa: E402
from inspect_app.reports.readiness_tables import render_csv, render_xlsx  # noqa: E402

RENDERERS: dict[str, Callable[[ReadinessReport], bytes]] = {
    "json": render_json,
    "html": render_html,
    "pdf": render_pdf,
    "docx": render_docx,
    "xlsx": render_xlsx,
    "csv": render_csv,
}
MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
EXTENSIONS: dict[str, str] = {name: f".{name}" for name in RENDERERS}
FORMATS: tuple[str, ...] = tuple(RENDERERS)


def render(report: ReadinessReport, report_format: str) -> bytes:
    """Render the report in one of FORMATS; an unknown format raises ValidationFailed naming the choices."""
    renderer = RENDERERS.get(report_format)
    if renderer is None:
        raise ValidationFailed(f"Choose a report format from {', '.join(FORMATS)}, not {report_format!r}")
    return renderer(report)


def filename(report: ReadinessReport, report_format: str) -> str:
    """Return the download file name for the report in a format: readiness-<slug>-<as of>.<ext>."""
    return f"{report.filename_stem}{EXTENSIONS[report_format]}"
