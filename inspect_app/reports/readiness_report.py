"""The readiness report: one view-ready model built from a ReadinessResult, and a renderer per format.

`build_readiness_report` does every calculation and every wording once (display dates, RAG words, the two
questions and their parts, every comparison with its own year, the gap register, next actions and where each
is done), so the web page, PDF, Word, Excel, CSV and JSON never disagree. Renderers only lay the model out:
`RENDERERS[format](report) -> bytes`, with `MEDIA_TYPES` and `EXTENSIONS` beside them so a view, a command or
a scheduled export can offer any format in one line.

The report is the partnership's own preparation tool. Its position is in the tool's own words and always comes
with the caveat and the reason; nothing in it uses an inspection outcome's label.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from inspect_app.config import Config
from inspect_app.domain.readiness import (
    CAVEAT,
    RULES_BY_CODE,
    SEVERITIES,
    Comparison,
    CriterionResult,
    Gap,
    MeasureResult,
    PartScore,
    ReadinessResult,
    ScorePart,
    readiness_to_json,
    worse_by,
)
from inspect_app.domain.readiness.text import difference, figure, number, one_decimal
from inspect_app.domain.readiness_config import ReadinessConfig
from inspect_app.filters import format_date
from inspect_app.reports.charts import SEVERITY_STYLES, CountBar, ScoreBar
from inspect_app.reports.readiness_about import PROVISIONAL, about

if TYPE_CHECKING:
    from inspect_app.domain.frameworks import Framework

REPORT_TITLE = "Readiness report"
UK = ZoneInfo("Europe/London")
RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red", "none": "Not enough data"}
MEASURE_RAG_LABELS = {**RAG_LABELS, "none": "Not rated"}
SEVERITY_LABELS = {"high": "High", "medium": "Medium", "low": "Low"}
MAX_NEXT_ACTIONS = 10
PERCENT = "percent"
# What each rule finds, in words for pages (codes stay in the exports).
GAP_LABELS = {
    "NO_EVIDENCE": "No evidence linked",
    "MISSING_EXPECTED_EVIDENCE": "Expected evidence missing",
    "STALE_EVIDENCE": "Evidence out of date",
    "UNAPPROVED_EVIDENCE": "Evidence not approved",
    "MEASURE_NO_DATA": "Measure without a figure",
    "DUTY_BELOW_LAW": "Statutory duty below the law",
    "MEASURE_WORSE_THAN_COMPARATORS": "Worse than comparators",
    "MEASURE_DECLINING": "Measure getting worse",
    "NO_FAMILY_VOICE": "Too few answers from families",
    "FEEDBACK_NEGATIVE": "Families disagree",
    "NO_SELF_EVALUATION": "Self-evaluation not written",
    "SEF_NOT_SIGNED_OFF": "Self-evaluation not signed off",
    "SEF_DATA_CONFLICT": "Self-evaluation over-claims",
    "DATA_QUALITY": "Case dates to correct",
    "EXCEPTIONS_IMPLAUSIBLE": "Exceptions to check",
    "FOLLOW_UP_OFF_TRACK": "Inspection action off track",
    "FOLLOW_UP_NO_EVIDENCE": "Inspection action without evidence",
}

LinkFor = Callable[[Gap], str | None]


# --- The model ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeverityCount:
    severity: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class OverallPosition:
    """Where the partnership stands, in the tool's own words, with the caveat, the reason and both questions."""

    position: str
    label: str
    reason: str
    caveat: str
    score: int | None
    score_text: str
    impact_score: int | None
    impact_rag: str
    impact_rag_label: str
    impact_text: str
    preparation_score: int
    preparation_rag: str
    preparation_rag_label: str
    preparation_text: str
    summary: str  # one sentence: criteria by RAG, gaps by severity
    criteria: int
    criteria_green: int
    criteria_amber: int
    criteria_red: int
    criteria_no_data: int
    gaps: tuple[SeverityCount, ...]
    gaps_total: int


@dataclass(frozen=True, slots=True)
class CriterionRow:
    """One line of the criteria table: both questions, the combined score and the facts behind them."""

    id: str
    title: str
    provisional: bool
    section_id: str
    section_title: str
    score: int | None
    score_text: str
    rag: str
    rag_label: str
    impact_score: int | None
    impact_text: str
    impact_rag: str
    impact_rag_label: str
    preparation_score: int | None
    preparation_text: str
    preparation_rag: str
    preparation_rag_label: str
    grade: str | None
    grade_label: str  # "Strong", or "Not graded"
    self_evaluation: str  # "Signed off", "Draft, not signed off" or "Not written"
    signed_off: bool
    evidence_linked: int
    evidence_approved: int
    evidence_stale: int
    family_responses: int
    family_agree_pct: float | None
    family_text: str
    practitioners_responses: int
    practitioners_agree_pct: float | None
    practitioners_text: str
    follow_up_actions: int
    follow_up_off_track: int
    follow_up_text: str
    gaps_high: int
    gaps_medium: int
    gaps_low: int

    @property
    def gaps_total(self) -> int:
        return self.gaps_high + self.gaps_medium + self.gaps_low

    @property
    def wording_label(self) -> str:
        return PROVISIONAL if self.provisional else ""


@dataclass(frozen=True, slots=True)
class PartRow:
    """One part of impact or preparation: its weight, the share earned and the points it added."""

    name: str
    label: str
    weight: float
    weight_text: str
    earned_pct: float | None  # None: no data, or does not apply to this criterion
    earned_text: str
    points: float
    points_text: str
    detail: str


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """The local figure beside one comparator's, both for the same period."""

    name: str
    area_code: str
    kind: str
    period: str
    local_period: str  # always the same as `period`: a test walks every row to make sure
    value: float  # rounded half up to one decimal, as DfE publishes
    value_text: str
    local_value: float
    local_text: str
    difference_text: str  # "6.4 percentage points worse", "better by 2 percentage points", "the same"
    latest: bool


@dataclass(frozen=True, slots=True)
class MeasureRow:
    """A measure: its latest figure, what it is rated against and its RAG, and each comparison with its year."""

    criterion_id: str
    id: str
    title: str
    unit: str
    duty: bool
    basis: str | None
    kind_text: str  # "Statutory duty (SEND Regulations 2014 reg 13(2))" or "Measure"
    period: str | None
    period_text: str
    value: float | None  # rounded half up to one decimal (counts stay whole)
    value_text: str
    numerator: int | None
    denominator: int | None
    counts_text: str  # "84 of 278", or empty
    rag: str
    rag_label: str
    rated_against_text: str
    comparisons: tuple[ComparisonRow, ...]
    note: str | None

    @property
    def england(self) -> ComparisonRow | None:
        return next((c for c in self.comparisons if c.kind == "england"), None)

    @property
    def england_text(self) -> str:
        """England's figure for the same year as the local one, or for the latest year both have, named."""
        england = self.england
        if england is None:
            return "No figure"
        if england.latest:
            return england.value_text
        return f"{england.value_text} in {england.period} (partnership {england.local_text} that year)"


@dataclass(frozen=True, slots=True)
class GapRow:
    """One gap in the register: where, how serious, what is wrong, what to do, where to do it, and the rule."""

    criterion_id: str
    criterion_title: str
    code: str
    severity: str
    severity_label: str
    message: str
    action: str
    explanation: str
    owner: str | None = None
    link: str | None = None

    @property
    def kind_label(self) -> str:
        return GAP_LABELS.get(self.code, self.code)


@dataclass(frozen=True, slots=True)
class CriterionDetail:
    """Everything the report says about one criterion."""

    row: CriterionRow
    score_sentence: str
    impact_parts: tuple[PartRow, ...]
    preparation_parts: tuple[PartRow, ...]
    measures: tuple[MeasureRow, ...]
    gaps: tuple[GapRow, ...]

    @property
    def anchor(self) -> str:
        return f"criterion-{self.row.id}"

    @property
    def comparisons(self) -> tuple[tuple[MeasureRow, ComparisonRow], ...]:
        return tuple((m, c) for m in self.measures for c in m.comparisons)


@dataclass(frozen=True, slots=True)
class SectionDetail:
    """A framework section and its criteria, in framework order."""

    id: str
    title: str
    criteria: tuple[CriterionDetail, ...]
    counted_once: bool = False  # averaged into one criterion in the overall score while its wording is provisional

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
    caveat: str
    overall: OverallPosition
    criteria: tuple[CriterionRow, ...]
    scores_chart_title: str
    score_bars: tuple[ScoreBar, ...]  # the criteria table's impact and preparation, for the chart beside it
    sections: tuple[SectionDetail, ...]
    gap_register: tuple[GapRow, ...]
    gaps_chart_title: str
    severity_bars: tuple[CountBar, ...]  # the gap counts, for the chart beside their table
    next_actions: tuple[GapRow, ...]
    rules: tuple[RuleNote, ...]
    result: ReadinessResult  # the source, for the JSON document
    about: tuple[str, ...] = ()  # how the report is made up, with the configuration's numbers
    links: Mapping[Gap, str | None] = field(default_factory=dict)

    def detail(self, criterion_id: str) -> CriterionDetail | None:
        """Everything the report says about one criterion, or None if the framework has no such criterion."""
        return next((d for section in self.sections for d in section.criteria if d.row.id == criterion_id), None)

    @property
    def measures(self) -> tuple[MeasureRow, ...]:
        return tuple(m for section in self.sections for c in section.criteria for m in c.measures)

    @property
    def comparisons(self) -> tuple[tuple[MeasureRow, ComparisonRow], ...]:
        """Every comparison in the report, with its measure."""
        return tuple(pair for section in self.sections for c in section.criteria for pair in c.comparisons)

    @property
    def provisional(self) -> tuple[CriterionRow, ...]:
        return tuple(row for row in self.criteria if row.provisional)

    @property
    def filename_stem(self) -> str:
        return f"readiness-{self.partnership_slug}-{self.as_of.isoformat()}"

    def to_json(self) -> dict[str, Any]:
        """Return the `inspect-app/readiness/2` document for this report (names and codes as in the result)."""
        return readiness_to_json(self.result, self.generated_at, self.links.get)


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
    link_for: LinkFor | None = None,
    config: ReadinessConfig | None = None,
) -> ReadinessReport:
    """Build the report model from a readiness result and the partnership and framework it is about.

    A naive `generated_at` is taken as UTC (the app clock's convention). With `framework`, sections get their
    titles from it; without it, section ids stand in. `link_for` gives the address where each gap is acted on.
    `partnership_name` is what people read; the JSON document is the data contract and keeps the result's own
    slug and name.
    """
    generated = generated_at.replace(tzinfo=UTC) if generated_at.tzinfo is None else generated_at.astimezone(UTC)
    sections = _section_titles(result, framework)
    links = {gap: (link_for(gap) if link_for else None) for gap in result.gaps}
    rows = tuple(_criterion_row(c, sections[c.section_id]) for c in result.criteria)
    titles = {c.id: c.title for c in result.criteria}
    register = tuple(_gap_row(g, titles, links) for g in result.gaps)
    details = [_criterion_detail(c, row, links) for c, row in zip(result.criteria, rows, strict=True)]
    once = {u.id for u in result.overall.units if len(u.criteria) > 1}
    grouped = tuple(
        SectionDetail(sid, title, tuple(d for d in details if d.row.section_id == sid), sid in once)
        for sid, title in sections.items()
    )
    overall = _overall(result)
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
        caveat=CAVEAT,
        overall=overall,
        criteria=rows,
        scores_chart_title=_scores_headline(rows),
        score_bars=tuple(_score_bar(d.row) for section in grouped for d in section.criteria),
        sections=grouped,
        gap_register=register,
        gaps_chart_title=_gaps_headline(overall),
        severity_bars=tuple(CountBar(c.label, c.count, SEVERITY_STYLES[c.severity]) for c in overall.gaps),
        next_actions=next_actions(register),
        rules=_rules(result.gaps),
        result=result,
        about=about(config, sections),
        links=links,
    )


def _section_titles(result: ReadinessResult, framework: Framework | None) -> dict[str, str]:
    """Return section id -> title for every section the result uses, in framework (else first-seen) order."""
    titles = {s.id: s.title for s in framework.sections} if framework is not None else {}
    used = dict.fromkeys(c.section_id for c in result.criteria)
    ordered = [sid for sid in titles if sid in used] + [sid for sid in used if sid not in titles]
    return {sid: titles.get(sid, f"Section {sid}") for sid in ordered}


def _score_text(score: int | None) -> str:
    return "Not enough data" if score is None else f"{score} out of 100"


def _overall(result: ReadinessResult) -> OverallPosition:
    overall = result.overall
    counts = tuple(SeverityCount(s, SEVERITY_LABELS[s], overall.gaps[s]) for s in SEVERITIES)
    total = sum(c.count for c in counts)
    gaps_text = (
        "no gaps were found"
        if not total
        else f"there {'is' if total == 1 else 'are'} {_plural(total, 'gap')} to close: "
        + ", ".join(f"{c.count} {c.label.lower()} severity" for c in counts)
    )
    no_data = f", {overall.criteria_no_data} without enough data" if overall.criteria_no_data else ""
    summary = (
        f"Of {_plural(overall.criteria, 'criterion')}, {overall.criteria_red} "
        f"{'is' if overall.criteria_red == 1 else 'are'} red, {overall.criteria_amber} amber and "
        f"{overall.criteria_green} green{no_data}; {gaps_text}."
    )
    return OverallPosition(
        position=overall.position,
        label=overall.label,
        reason=overall.reason,
        caveat=overall.caveat,
        score=overall.score,
        score_text=_score_text(overall.score),
        impact_score=overall.impact_score,
        impact_rag=overall.impact_rag,
        impact_rag_label=RAG_LABELS[overall.impact_rag],
        impact_text=_score_text(overall.impact_score),
        preparation_score=overall.preparation_score,
        preparation_rag=overall.preparation_rag,
        preparation_rag_label=RAG_LABELS[overall.preparation_rag],
        preparation_text=_score_text(overall.preparation_score),
        summary=summary,
        criteria=overall.criteria,
        criteria_green=overall.criteria_green,
        criteria_amber=overall.criteria_amber,
        criteria_red=overall.criteria_red,
        criteria_no_data=overall.criteria_no_data,
        gaps=counts,
        gaps_total=total,
    )


def _self_evaluation_state(c: CriterionResult) -> str:
    if not c.sef_written:
        return "Not written"
    return "Signed off" if c.signed_off else "Draft, not signed off"


def _voice_text(responses: int, agree_pct: float | None, who: str) -> str:
    if responses == 0:
        return f"No responses from {who}"
    text = _plural(responses, "response")
    if agree_pct is None:  # too few responses to show one, or no agreement question
        return f"{text}; no agreement figure to show"
    return f"{text}; {number(agree_pct)}% agree"


def _follow_up_text(c: CriterionResult) -> str:
    if not c.follow_up.actions:
        return "No actions from the last inspection"
    return f"{_plural(c.follow_up.actions, 'action')}, {c.follow_up.off_track} off track"


def _criterion_row(c: CriterionResult, section_title: str) -> CriterionRow:
    severities = [g.severity for g in c.gaps]
    return CriterionRow(
        id=c.id,
        title=c.title,
        provisional=c.provisional,
        section_id=c.section_id,
        section_title=section_title,
        score=c.score,
        score_text=_score_text(c.score),
        rag=c.rag,
        rag_label=RAG_LABELS[c.rag],
        impact_score=c.impact.score,
        impact_text=_score_text(c.impact.score),
        impact_rag=c.impact.rag,
        impact_rag_label=RAG_LABELS[c.impact.rag],
        preparation_score=c.preparation.score,
        preparation_text=_score_text(c.preparation.score),
        preparation_rag=c.preparation.rag,
        preparation_rag_label=RAG_LABELS[c.preparation.rag],
        grade=c.grade,
        grade_label=c.grade.capitalize() if c.grade else "Not graded",
        self_evaluation=_self_evaluation_state(c),
        signed_off=c.signed_off,
        evidence_linked=c.evidence_linked,
        evidence_approved=c.evidence_approved,
        evidence_stale=c.evidence_stale,
        family_responses=c.family_voice.responses,
        family_agree_pct=c.family_voice.agree_pct,
        family_text=_voice_text(c.family_voice.responses, c.family_voice.agree_pct, "families"),
        practitioners_responses=c.practitioners.responses,
        practitioners_agree_pct=c.practitioners.agree_pct,
        practitioners_text=_voice_text(c.practitioners.responses, c.practitioners.agree_pct, "practitioners"),
        follow_up_actions=c.follow_up.actions,
        follow_up_off_track=c.follow_up.off_track,
        follow_up_text=_follow_up_text(c),
        gaps_high=severities.count("high"),
        gaps_medium=severities.count("medium"),
        gaps_low=severities.count("low"),
    )


def _score_sentence(c: CriterionResult, row: CriterionRow) -> str:
    if c.score is None:
        return (
            f"{c.id} has not enough data on impact to score: no statutory duty or other measure with a figure, and "
            f"not enough answers from families. Its preparation scores {row.preparation_text} "
            f"({row.preparation_rag_label})."
        )
    return (
        f"{c.id} scores {c.score} out of 100 ({row.rag_label}), from its impact ({row.impact_text}, "
        f"{row.impact_rag_label.lower()}) and its preparation ({row.preparation_text}, "
        f"{row.preparation_rag_label.lower()}). A criterion is never rated better than its impact, and is green "
        f"only when its preparation is green too."
    )


def _criterion_detail(c: CriterionResult, row: CriterionRow, links: Mapping[Gap, str | None]) -> CriterionDetail:
    return CriterionDetail(
        row=row,
        score_sentence=_score_sentence(c, row),
        impact_parts=_part_rows(c.impact),
        preparation_parts=_part_rows(c.preparation),
        measures=tuple(_measure_row(c.id, m) for m in c.measures),
        gaps=tuple(_gap_row(g, {c.id: c.title}, links) for g in c.gaps),
    )


def _part_rows(part: PartScore) -> tuple[PartRow, ...]:
    return tuple(_part_row(p) for p in part.parts)


def _part_row(part: ScorePart) -> PartRow:
    earned = None if part.fraction is None else one_decimal(part.fraction * 100)
    return PartRow(
        name=part.name,
        label=part.label,
        weight=part.weight,
        weight_text=number(part.weight),
        earned_pct=earned,
        earned_text="No data" if earned is None else f"{number(earned)}%",
        points=part.points,
        points_text=number(part.points),
        detail=part.detail,
    )


def _display(value: float | None, unit: str) -> float | None:
    """A figure as DfE prints it: half up to one decimal place; counts whole."""
    if value is None:
        return None
    if unit == "count":
        return float(int(Decimal(str(value)).to_integral_value()))
    return one_decimal(value)


def _difference_text(c: Comparison, m: MeasureResult) -> str:
    if m.higher_is_better is None:
        return ""
    gap = worse_by(c, m.higher_is_better)
    if gap == 0:
        return "the same"
    return f"{difference(abs(gap), m.unit)} {'worse' if gap > 0 else 'better'}"


def _comparison_row(c: Comparison, m: MeasureResult) -> ComparisonRow:
    return ComparisonRow(
        name=c.name,
        area_code=c.area_code,
        kind=c.kind,
        period=c.period,
        local_period=c.period,
        value=_display(c.value, m.unit) or 0.0,
        value_text=figure(c.value, m.unit),
        local_value=_display(c.local_value, m.unit) or 0.0,
        local_text=figure(c.local_value, m.unit),
        difference_text=_difference_text(c, m),
        latest=c.latest,
    )


def _rated_against(m: MeasureResult) -> str:
    if m.rated_against == "law":
        return "Against the time limit in law"
    if m.rated_against == "england":
        england = next(c for c in m.comparisons if c.kind == "england")
        return f"Against England in {england.period}"
    if m.value is None:
        return "No figure"
    if m.higher_is_better is None:
        return "A count: not rated"
    return "No figure for England in a year the partnership has one"


def _measure_row(criterion_id: str, m: MeasureResult) -> MeasureRow:
    has_counts = m.numerator is not None and m.denominator is not None
    return MeasureRow(
        criterion_id=criterion_id,
        id=m.id,
        title=m.title,
        unit=m.unit,
        duty=m.duty,
        basis=m.basis,
        kind_text=f"Statutory duty ({m.basis})" if m.duty and m.basis else ("Statutory duty" if m.duty else "Measure"),
        period=m.period,
        period_text=m.period or "Latest",
        value=_display(m.value, m.unit),
        value_text=figure(m.value, m.unit).capitalize() if m.value is None else figure(m.value, m.unit),
        numerator=m.numerator,
        denominator=m.denominator,
        counts_text=f"{m.numerator:,} of {m.denominator:,}" if has_counts else "",
        rag=m.rag,
        rag_label=MEASURE_RAG_LABELS[m.rag],
        rated_against_text=_rated_against(m),
        comparisons=tuple(_comparison_row(c, m) for c in m.comparisons),
        note=m.note,
    )


def _gap_row(g: Gap, titles: Mapping[str, str], links: Mapping[Gap, str | None]) -> GapRow:
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
        link=links.get(g),
    )


def next_actions(register: tuple[GapRow, ...], limit: int = MAX_NEXT_ACTIONS) -> tuple[GapRow, ...]:
    """Return the first gaps to act on: most severe first, one per criterion and rule, at most `limit`.

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
        if len(actions) == limit:
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


def _score_bar(row: CriterionRow) -> ScoreBar:
    return ScoreBar(
        label=row.id,
        section=row.section_id,
        impact=row.impact_score,
        impact_rag=row.impact_rag,
        impact_rag_label=row.impact_rag_label,
        preparation=row.preparation_score or 0,
        preparation_rag=row.preparation_rag,
        preparation_rag_label=row.preparation_rag_label,
    )


def _scores_headline(rows: tuple[CriterionRow, ...]) -> str:
    if not rows:
        return "No criteria to show"
    rated = [r for r in rows if r.impact_score is not None]
    if not rated:
        return f"None of the {len(rows)} criteria has enough data on impact yet"
    weaker = sum(1 for r in rated if (r.impact_score or 0) < (r.preparation_score or 0))
    return f"Impact is below preparation for {weaker} of the {len(rated)} criteria with data"


def _gaps_headline(overall: OverallPosition) -> str:
    if not overall.gaps_total:
        return "No gaps found"
    high = overall.gaps[0].count
    if high:
        return f"{high} of {overall.gaps_total} gaps are high severity: close these first"
    return f"None of the {overall.gaps_total} gaps is high severity"


# --- Formatting --------------------------------------------------------------------------------------------


def _plural(count: int, noun: str) -> str:
    plural = "criteria" if noun == "criterion" else f"{noun}s"
    return f"{count} {noun if count == 1 else plural}"


def _uk_time(moment: datetime) -> str:
    local = moment.astimezone(UK)
    hour = local.hour % 12 or 12
    return f"{format_date(local)} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'} (UK time)"
