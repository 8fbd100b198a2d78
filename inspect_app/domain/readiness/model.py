"""The readiness model: what the rules read (inputs) and what they return (results), as frozen dataclasses.

Services fill the inputs from the database; nothing here knows where they came from. Results keep every number
that went into a score and every sentence that explains a gap, so a page can answer "why" for any figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType

from inspect_app.domain.errors import ValidationFailed

SCHEMA = "inspect-app/readiness/2"
CAVEAT = "An estimate from this tool; only inspectors evaluate an area"

SEVERITIES = ("high", "medium", "low")
RAGS = ("green", "amber", "red")
PART_RAGS = (*RAGS, "none")  # none: not enough data to rate
POSITIONS = ("ready", "partly_ready", "not_ready", "not_enough_data")
# The tool's own words for the overall position (DESIGN.md); never an inspection outcome's label.
POSITION_LABELS = MappingProxyType(
    {
        "ready": "Ready: impact shown and evidenced",
        "partly_ready": "Partly ready: some impact shown, gaps to close",
        "not_ready": "Not ready: weak impact or major gaps",
        "not_enough_data": "Not enough data yet",
    }
)
WORDINGS = ("verified", "provisional")
EVIDENCE_STATUSES = ("draft", "ready_for_review", "approved", "returned")
DEFAULT_GRADE_SCALE = ("strong", "secure", "developing", "weak")
FAMILY_AUDIENCES = ("parents_carers", "children_young_people")
COMPARATOR_KINDS = ("england", "region", "neighbours")
FOLLOW_UP_KINDS = ("priority_action", "improvement")
FOLLOW_UP_STATUSES = ("on_track", "off_track", "done")
PERCENT, COUNT, WEEKS = "percent", "count", "weeks"

# Where a gap is acted on. The service turns a target into a link (domain/ knows no URLs).
TARGET_KINDS = (
    "evidence_new",  # add evidence for a criterion
    "evidence_list",  # the evidence library filtered (criterion, status, owner)
    "evidence_item",  # one evidence item
    "sef_edit",  # the criterion's self-evaluation edit form
    "sef_entry",  # the criterion's self-evaluation page (where partners sign off)
    "comments",  # survey comments filtered to the criterion
    "surveys",  # the surveys, to run or import one
    "case_import",  # import case records
    "data_quality",  # the data-quality page of the case records
    "measure",  # where a measure's figures come from
    "follow_up",  # the inspection action itself (its link comes with the fact)
)


# --- Inputs ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvidenceFact:
    """One evidence item linked to a criterion."""

    id: int | str
    title: str
    evidence_type: str
    status: str  # one of EVIDENCE_STATUSES
    review_by: date | None = None
    owner: str | None = None
    period_end: date | None = None  # last day of the period the item covers, if it covers one

    def __post_init__(self) -> None:
        if self.status not in EVIDENCE_STATUSES:
            expected = ", ".join(EVIDENCE_STATUSES)
            raise ValidationFailed(f"Evidence {self.id} has status {self.status!r}; expected one of {expected}")


@dataclass(frozen=True, slots=True)
class ComparatorSeries:
    """A comparator's published figures for one measure: England, the region, or the statistical neighbours."""

    area_code: str
    name: str
    kind: str  # one of COMPARATOR_KINDS
    figures: tuple[tuple[str, float | None], ...]  # (period, value); None where DfE has a symbol, not a number

    def value_at(self, period: str) -> float | None:
        return next((value for p, value in self.figures if p == period), None)


@dataclass(frozen=True, slots=True)
class MeasureFact:
    """A local measure linked to a criterion: its latest figure, earlier ones, and its comparators' figures."""

    id: str
    title: str
    period: str | None
    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    higher_is_better: bool | None = None  # None: no better direction (counts), so no RAG or comparison
    unit: str = PERCENT
    duty: bool = False  # a time limit in law: rated against the law, comparators are context only
    basis: str | None = None  # the law that sets the duty
    history: tuple[tuple[str, float | None], ...] = ()  # earlier periods, oldest first
    comparators: tuple[ComparatorSeries, ...] = ()
    applicable_from_case_data: bool = False  # the tool computes it from imported case records

    def local_at(self, period: str) -> float | None:
        if period == self.period:
            return self.value
        return next((value for p, value in self.history if p == period), None)

    @property
    def local_periods(self) -> tuple[str, ...]:
        """Every period with a local figure, oldest first."""
        periods = [p for p, value in self.history if value is not None and p != self.period]
        if self.period is not None and self.value is not None:
            periods.append(self.period)
        return tuple(sorted(set(periods)))


@dataclass(frozen=True, slots=True)
class FeedbackFact:
    """Survey responses mapped to a criterion, from one group of audiences."""

    responses: int
    agree_pct: float | None
    agree_ci_low: float | None = None
    agree_ci_high: float | None = None
    audiences: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SefFact:
    """The state of a criterion's self-evaluation."""

    grade: str | None
    signed_off: bool
    updated_at: datetime | None = None
    has_text: bool = False


@dataclass(frozen=True, slots=True)
class FollowUpFact:
    """An area for priority action or improvement from the last inspection that bears on a criterion."""

    action_id: int
    title: str
    kind: str  # "priority_action" | "improvement"
    status: str  # "on_track" | "off_track" | "done"
    due: date | None
    last_progress: date | None  # date of the latest progress update, if any
    evidence_linked: int  # approved evidence items linked to the action
    link: str | None = None  # where the lead acts on it


@dataclass(frozen=True, slots=True)
class CriterionInput:
    """Everything the rules look at for one criterion."""

    id: str
    title: str
    section_id: str
    wording: str = "verified"  # "provisional" while the framework marks the title unconfirmed
    expected_evidence_types: tuple[str, ...] = ()
    evidence_type_titles: Mapping[str, str] = field(default_factory=dict)  # for messages: id -> title
    evidence: tuple[EvidenceFact, ...] = ()
    measures: tuple[MeasureFact, ...] = ()
    feedback: FeedbackFact | None = None  # family voice: parents and carers, children and young people
    practitioners: FeedbackFact | None = None  # reported apart; never family voice
    self_evaluation: SefFact | None = None
    data_quality_issues: int = 0  # cases behind this criterion's case-data measures with impossible/missing dates
    follow_up: tuple[FollowUpFact, ...] = ()

    def __post_init__(self) -> None:
        if self.wording not in WORDINGS:
            raise ValidationFailed(f"Criterion {self.id} has wording {self.wording!r}; expected one of {WORDINGS}")


@dataclass(frozen=True, slots=True)
class ReadinessInput:
    """One partnership's position against one framework version on a date."""

    partnership_slug: str
    partnership_name: str
    la_code: str
    framework_id: str
    framework_version: str
    as_of: date
    criteria: tuple[CriterionInput, ...]
    grade_scale: tuple[str, ...] = DEFAULT_GRADE_SCALE  # best first
    section_titles: Mapping[str, str] = field(default_factory=dict)  # for sentences that name a section

    def __post_init__(self) -> None:
        ids = [criterion.id for criterion in self.criteria]
        duplicates = sorted({cid for cid in ids if ids.count(cid) > 1})
        if duplicates:
            raise ValidationFailed(f"Criteria listed more than once: {', '.join(duplicates)}")


# --- Results -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """Where a gap is acted on: a kind of page and what it is filtered to (`href` when the fact gave a link)."""

    kind: str  # one of TARGET_KINDS
    criterion_id: str | None = None
    item_id: int | str | None = None
    filters: tuple[tuple[str, str], ...] = ()
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Gap:
    """One thing to fix, with the rule that found it and where to fix it."""

    criterion_id: str
    code: str
    severity: str
    message: str
    action: str
    explanation: str  # the rule in one sentence, with this configuration's thresholds
    owner: str | None = None  # the evidence owner who can act on it; None when it falls to the partnership
    target: Target | None = None


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One part of impact or preparation and what it contributed."""

    name: str  # one of readiness_config.IMPACT_PARTS or PREPARATION_PARTS
    label: str
    weight: float
    fraction: float | None  # share of the weight earned; None when it has no data or does not apply
    points: float  # contribution to the 0-100 score (weights of parts that apply are scaled to 100)
    detail: str


@dataclass(frozen=True, slots=True)
class PartScore:
    """Impact or preparation of a criterion: a 0-100 score (None without data), its RAG and its parts."""

    score: int | None
    rag: str  # one of PART_RAGS
    parts: tuple[ScorePart, ...]
    exact: Decimal | None = None  # before rounding, so the criterion score is not rounded twice


@dataclass(frozen=True, slots=True)
class Comparison:
    """A local figure beside one comparator's, both for the same period."""

    area_code: str
    name: str
    kind: str
    period: str
    value: float  # the comparator's
    local_value: float  # the partnership's, for the same period
    latest: bool  # True when this is the local figure's latest period; False: the latest period both have


@dataclass(frozen=True, slots=True)
class MeasureResult:
    """A measure as reported: its figure, how it is rated (against the law or comparators) and its comparisons."""

    id: str
    title: str
    unit: str
    period: str | None
    value: float | None
    numerator: int | None
    denominator: int | None
    higher_is_better: bool | None
    duty: bool
    basis: str | None
    rag: str  # one of PART_RAGS
    rated_against: str  # "law", "england" or "none"
    comparisons: tuple[Comparison, ...]
    note: str | None = None  # e.g. the newer local figure has no published comparator yet


@dataclass(frozen=True, slots=True)
class VoiceResult:
    """Survey responses as reported: the agreement figure is None below the suppression threshold."""

    responses: int
    agree_pct: float | None
    audiences: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FollowUpResult:
    actions: int
    off_track: int
    without_evidence: int


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion's impact, preparation, combined score, the figures behind them and its gaps."""

    id: str
    title: str
    section_id: str
    wording: str
    score: int | None  # None when impact has no data ("not enough data")
    rag: str  # one of PART_RAGS
    impact: PartScore
    preparation: PartScore
    grade: str | None
    signed_off: bool
    sef_written: bool
    evidence_linked: int
    evidence_approved: int
    evidence_stale: int
    measures: tuple[MeasureResult, ...]
    family_voice: VoiceResult
    practitioners: VoiceResult
    follow_up: FollowUpResult
    gaps: tuple[Gap, ...]

    @property
    def provisional(self) -> bool:
        return self.wording == "provisional"

    @property
    def comparisons(self) -> tuple[tuple[MeasureResult, Comparison], ...]:
        return tuple((m, c) for m in self.measures for c in m.comparisons)


@dataclass(frozen=True, slots=True)
class Unit:
    """What the overall score counts as one: a criterion, or a section counted once (its criteria averaged)."""

    id: str
    title: str
    criteria: tuple[str, ...]
    score: int | None
    impact: int | None
    preparation: int
    rag: str
    high_gaps: bool


@dataclass(frozen=True, slots=True)
class OverallResult:
    """The partnership's overall position in the tool's own words, why, and the scores behind it."""

    position: str  # one of POSITIONS
    label: str
    reason: str
    caveat: str
    score: int | None
    impact_score: int | None
    impact_rag: str
    preparation_score: int
    preparation_rag: str
    criteria: int
    criteria_green: int
    criteria_amber: int
    criteria_red: int
    criteria_no_data: int
    units: tuple[Unit, ...]
    gaps: Mapping[str, int]  # severity -> count, every severity present


@dataclass(frozen=True, slots=True)
class ReadinessResult:
    """Everything `readiness_to_json` and the readiness pages show."""

    partnership_slug: str
    partnership_name: str
    la_code: str
    framework_id: str
    framework_version: str
    as_of: date
    overall: OverallResult
    criteria: tuple[CriterionResult, ...]
    gaps: tuple[Gap, ...]  # every criterion's gaps, high to low severity, then criterion order
