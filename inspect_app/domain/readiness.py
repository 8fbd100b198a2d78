"""Readiness and gap analysis: explainable rules over a partnership's evidence, data, feedback and self-evaluation.

Services fill the input dataclasses from the database; `assess_readiness` applies the rules in `RULES` (one
entry per gap code), scores each criterion from weighted components and estimates an inspection outcome;
`readiness_to_json` turns the result into the `inspect-app/readiness/1` document (DESIGN.md). Every threshold
comes from `ReadinessConfig`, every gap carries the sentence that explains its rule, and every score keeps
the contribution of each component, so the UI can answer "why am I seeing this" for any number.

Scoring, in one paragraph: each criterion scores 0-100 as the weighted sum of five components, each earning a
fraction of its weight. Evidence coverage: the share of expected evidence types with a linked item (with no
types listed: any linked item earns it all). Evidence quality: the share of linked items that are approved and
not stale. Measures: green earns 1, amber `measure_amber_fraction`, red 0; a measure the tool computes from
case data but has no figure for counts 0; measures it cannot compute, and measures with no comparator, are left
out; a criterion with no scorable measure shares this weight among the other components. Family voice: the
agreement share once enough families answered, else 0. Self-evaluation: 0 without one, `sef_draft_fraction`
when written but not signed off, 1 when signed off, capped at `sef_conflict_fraction` when it over-claims.
The criterion RAG comes from the score; the overall score is the plain mean of the criterion scores, because
the inspection weighs the criteria together in one holistic judgement and gives none of them more weight.

The indicative outcome is an estimate from this tool, never an inspection judgement: always show it with
`ESTIMATE_LABEL`.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.numbers import round_half_up
from inspect_app.domain.readiness_config import COMPONENTS, ReadinessConfig

SCHEMA = "inspect-app/readiness/1"
ESTIMATE_LABEL = "Estimate from this tool, not an inspection judgement"

SEVERITIES = ("high", "medium", "low")
RAGS = ("green", "amber", "red")
MEASURE_RAGS = (*RAGS, "none")
OUTCOMES = ("positive", "inconsistent", "widespread_failings")
EVIDENCE_STATUSES = ("draft", "ready_for_review", "approved", "returned")
DEFAULT_GRADE_SCALE = ("strong", "secure", "developing", "weak")

COMPONENT_LABELS = {
    "evidence_coverage": "Expected evidence linked",
    "evidence_quality": "Evidence approved and in date",
    "measures": "Measures against England",
    "family_voice": "What families say",
    "self_evaluation": "Self-evaluation",
}


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
class MeasureFact:
    """The latest figure of one measure linked to a criterion, with England's and earlier periods'."""

    id: str
    title: str
    period: str | None
    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    england: float | None = None
    higher_is_better: bool | None = None  # None: no better direction (counts), so no RAG or comparison
    england_period: str | None = None  # when England's latest figure is for an earlier period than `period`
    history: tuple[tuple[str, float | None], ...] = ()  # earlier periods, oldest first
    applicable_from_case_data: bool = False  # the tool computes it from imported case records


@dataclass(frozen=True, slots=True)
class FeedbackFact:
    """Family survey responses mapped to a criterion."""

    responses: int
    agree_pct: float | None
    agree_ci_low: float | None = None
    agree_ci_high: float | None = None


@dataclass(frozen=True, slots=True)
class SefFact:
    """The state of a criterion's self-evaluation."""

    grade: str | None
    signed_off: bool
    updated_at: datetime | None = None
    has_text: bool = False


@dataclass(frozen=True, slots=True)
class CriterionInput:
    """Everything the rules look at for one criterion."""

    id: str
    title: str
    section_id: str
    expected_evidence_types: tuple[str, ...] = ()
    evidence: tuple[EvidenceFact, ...] = ()
    measures: tuple[MeasureFact, ...] = ()
    feedback: FeedbackFact | None = None
    self_evaluation: SefFact | None = None
    data_quality_issues: int = 0  # cases behind this criterion's case-data measures with impossible/missing dates


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

    def __post_init__(self) -> None:
        ids = [criterion.id for criterion in self.criteria]
        duplicates = sorted({cid for cid in ids if ids.count(cid) > 1})
        if duplicates:
            raise ValidationFailed(f"Criteria listed more than once: {', '.join(duplicates)}")


# --- Results -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Gap:
    """One thing to fix, with the rule that found it."""

    criterion_id: str
    code: str
    severity: str
    message: str
    action: str
    explanation: str  # the rule in one sentence, with this configuration's thresholds
    owner: str | None = None  # the evidence owner who can act on it; None when it falls to the partnership


@dataclass(frozen=True, slots=True)
class ScoreComponent:
    """One part of a criterion's score and what it contributed."""

    name: str  # one of readiness_config.COMPONENTS
    label: str
    weight: float
    fraction: float | None  # share of the weight earned; None when it does not apply to this criterion
    points: float  # contribution to the 0-100 score (weights of components that apply are scaled to 100)
    detail: str


@dataclass(frozen=True, slots=True)
class MeasureResult:
    """A measure's figures as reported, with its RAG."""

    id: str
    title: str
    period: str | None
    value: float | None
    numerator: int | None
    denominator: int | None
    england: float | None
    rag: str  # one of MEASURE_RAGS
    england_period: str | None = None  # set when England's figure is from an earlier period than the local one


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion's score, the components behind it, its summary figures and its gaps."""

    id: str
    title: str
    section_id: str
    score: int
    rag: str
    components: tuple[ScoreComponent, ...]
    grade: str | None
    signed_off: bool
    evidence_linked: int
    evidence_approved: int
    evidence_stale: int
    measures: tuple[MeasureResult, ...]
    feedback_responses: int
    feedback_agree_pct: float | None  # None below the suppression threshold
    gaps: tuple[Gap, ...]


@dataclass(frozen=True, slots=True)
class OverallResult:
    """The partnership's overall score, RAG, gap counts and indicative outcome (an estimate)."""

    score: int
    rag: str
    indicative_outcome: str  # one of OUTCOMES
    indicative_outcome_label: str  # always ESTIMATE_LABEL
    outcome_reason: str
    criteria: int
    criteria_green: int
    criteria_red: int
    gaps: dict[str, int]  # severity -> count, every severity present


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


# --- Facts the rules and the score share -------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the rules derive from one criterion's input, computed once so rules and score agree."""

    criterion: CriterionInput
    config: ReadinessConfig
    as_of: date
    top_grades: tuple[str, ...]
    measure_rags: tuple[str, ...]  # aligned with criterion.measures
    overdue: tuple[EvidenceFact, ...]  # review-by date passed
    out_of_date: tuple[EvidenceFact, ...]  # covers a period that ended too long ago
    due_soon: tuple[EvidenceFact, ...]  # review-by date within review_soon_days, not yet passed
    missing_types: tuple[str, ...]
    enough_feedback: bool
    negative_feedback: bool

    @property
    def stale(self) -> tuple[EvidenceFact, ...]:
        flagged = {*self.overdue, *self.out_of_date}  # a set: criteria with hundreds of items stay linear
        return tuple(item for item in self.criterion.evidence if item in flagged)

    @property
    def sef_written(self) -> bool:
        sef = self.criterion.self_evaluation
        return sef is not None and (bool(sef.grade) or sef.has_text)

    @property
    def red_measures(self) -> tuple[MeasureFact, ...]:
        return tuple(m for m, rag in zip(self.criterion.measures, self.measure_rags, strict=True) if rag == "red")

    @property
    def over_claims(self) -> bool:
        sef = self.criterion.self_evaluation
        confident = sef is not None and bool(sef.grade) and _norm(sef.grade or "") in self.top_grades
        return confident and (bool(self.red_measures) or self.negative_feedback)


def derive_facts(
    criterion: CriterionInput, as_of: date, config: ReadinessConfig, grade_scale: Sequence[str] = DEFAULT_GRADE_SCALE
) -> Facts:
    """Derive what the rules need from one criterion's input."""
    evidence = criterion.evidence
    soon = as_of + timedelta(days=config.review_soon_days)
    overdue = tuple(e for e in evidence if e.review_by is not None and e.review_by < as_of)
    overdue_set = set(overdue)
    feedback = criterion.feedback
    enough = feedback is not None and feedback.responses >= config.min_feedback_responses
    linked_types = {e.evidence_type for e in evidence}
    return Facts(
        criterion=criterion,
        config=config,
        as_of=as_of,
        top_grades=tuple(_norm(grade) for grade in grade_scale[: config.sef_top_grades]),
        measure_rags=tuple(measure_rag(m, config) for m in criterion.measures),
        overdue=overdue,
        out_of_date=tuple(
            e
            for e in evidence
            if e.period_end is not None and as_of > _add_months(e.period_end, config.stale_after_months)
        ),
        due_soon=tuple(e for e in evidence if e not in overdue_set and e.review_by is not None and e.review_by <= soon),
        missing_types=tuple(t for t in dict.fromkeys(criterion.expected_evidence_types) if t not in linked_types),
        enough_feedback=enough,
        negative_feedback=(
            enough
            and feedback is not None
            and feedback.agree_pct is not None
            and _dec(feedback.agree_pct) < _dec(config.negative_feedback_agree_pct)
        ),
    )


def measure_rag(measure: MeasureFact, config: ReadinessConfig) -> str:
    """Rate a measure green, amber, red, or none when there is no figure, direction or comparator.

    Green when it meets its absolute target (if configured) or is no more than `measure_green_margin_pp`
    worse than England; amber when no more than `measure_amber_margin_pp` worse; red otherwise.
    """
    if measure.value is None or measure.higher_is_better is None:
        return "none"
    target = config.measure_green_targets.get(measure.id)
    if target is not None and _shortfall(measure.value, target, measure.higher_is_better) <= 0:
        return "green"
    if measure.england is None:
        return "none"
    shortfall = _shortfall(measure.value, measure.england, measure.higher_is_better)
    if shortfall <= _dec(config.measure_green_margin_pp):
        return "green"
    if shortfall <= _dec(config.measure_amber_margin_pp):
        return "amber"
    return "red"


# --- Rules -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """One instance a rule found; severity None means the rule's own severity."""

    message: str
    action: str
    severity: str | None = None
    owner: str | None = None  # who can act on it, when it is about one person's evidence item


@dataclass(frozen=True)
class Rule:
    """A gap rule: its code, default severity, one-sentence explanation (a template over the config) and check."""

    code: str
    severity: str
    explanation: str  # str.format template; `c` is the ReadinessConfig
    check: Callable[[Facts], Iterator[Finding]]

    def explain(self, config: ReadinessConfig) -> str:
        """Return the rule's sentence with this configuration's thresholds filled in."""
        return self.explanation.format(c=config)


def _no_evidence(f: Facts) -> Iterator[Finding]:
    cid = f.criterion.id
    if not f.criterion.evidence:
        yield Finding(
            f"No evidence is linked to {cid}.",
            f"Add the documents, links or data snapshots that show practice against {cid} to the evidence "
            f"library and link them to it.",
        )


def _missing_expected_evidence(f: Facts) -> Iterator[Finding]:
    cid = f.criterion.id
    for evidence_type in f.missing_types:
        yield Finding(
            f'No evidence of type "{evidence_type}" is linked to {cid}, and the framework expects it.',
            f'Link an item of type "{evidence_type}" to {cid}, or say in the self-evaluation why the partnership '
            f"does not hold one.",
        )


def _stale_evidence(f: Facts) -> Iterator[Finding]:
    """One gap per owner for the items past review or out of date, and one per owner for those due soon.

    A single item is named with its dates; several items of one owner are one gap naming them, so a library of
    thousands of items gives a register a person can act on, not one line per document.
    """
    as_of = _long_date(f.as_of)
    overdue, out_of_date, due_soon = set(f.overdue), set(f.out_of_date), set(f.due_soon)
    stale = [e for e in f.criterion.evidence if e in overdue or e in out_of_date]
    soon = [e for e in f.criterion.evidence if e in due_soon and e not in overdue and e not in out_of_date]
    for owner, items in _by_owner(stale):
        if len(items) == 1:
            item = items[0]
            reasons = []
            if item in overdue:
                reasons.append(f"was due for review on {_long_date(item.review_by)}")
            if item in out_of_date:
                reasons.append(
                    f"covers a period that ended on {_long_date(item.period_end)}, more than "
                    f"{f.config.stale_after_months} months before {as_of}"
                )
            yield Finding(
                f'"{item.title}"{_owned_by(item)} {" and ".join(reasons)}.',
                f'Ask {owner or "its owner"} to review "{item.title}", replace it with a current version if '
                f"it is out of date, and set a new review-by date.",
                owner=owner,
            )
        else:
            yield Finding(
                f"{len(items)} evidence items{_owned_by(items[0])} are past their review-by date or cover a "
                f"period that ended more than {f.config.stale_after_months} months before {as_of}: "
                f"{_titles(items)}.",
                f"Ask {owner or 'their owners'} to review them, replace any that are out of date, and set new "
                f"review-by dates.",
                owner=owner,
            )
    for owner, items in _by_owner(soon):
        if len(items) == 1:
            item = items[0]
            yield Finding(
                f'"{item.title}"{_owned_by(item)} is due for review on {_long_date(item.review_by)}, within '
                f"{f.config.review_soon_days} days.",
                f'Ask {owner or "its owner"} to review "{item.title}" before {_long_date(item.review_by)}.',
                severity="low",
                owner=owner,
            )
        else:
            first = min(item.review_by for item in items if item.review_by is not None)
            yield Finding(
                f"{len(items)} evidence items{_owned_by(items[0])} are due for review within "
                f"{f.config.review_soon_days} days, the first on {_long_date(first)}: {_titles(items)}.",
                f"Ask {owner or 'their owners'} to review them before their review-by dates.",
                severity="low",
                owner=owner,
            )


_UNAPPROVED = {
    # status: (one item's state, its action, several items' state, their action)
    "draft": (
        "is a draft",
        "Finish {title} and send it for review.",
        "are drafts",
        "Finish them and send them for review.",
    ),
    "ready_for_review": (
        "is waiting for review",
        "Review {title} and approve it or return it with comments.",
        "are waiting for review",
        "Review them and approve each one or return it with comments.",
    ),
    "returned": (
        "was returned for changes",
        "Make the changes asked for to {title} and send it for review again.",
        "were returned for changes",
        "Make the changes asked for and send them for review again.",
    ),
}


def _unapproved_evidence(f: Facts) -> Iterator[Finding]:
    """One gap per status and owner for the items inspectors will not see yet."""
    for status in ("draft", "ready_for_review", "returned"):
        waiting = [e for e in f.criterion.evidence if e.status == status]
        one_state, one_action, many_state, many_action = _UNAPPROVED[status]
        for owner, items in _by_owner(waiting):
            if len(items) == 1:
                item = items[0]
                yield Finding(
                    f'"{item.title}"{_owned_by(item)} {one_state}, so inspectors will not see it.',
                    one_action.format(title=f'"{item.title}"'),
                    owner=owner,
                )
            else:
                yield Finding(
                    f"{len(items)} evidence items{_owned_by(items[0])} {many_state}, so inspectors will not see "
                    f"them: {_titles(items)}.",
                    many_action,
                    owner=owner,
                )


def _by_owner(items: Sequence[EvidenceFact]) -> list[tuple[str | None, list[EvidenceFact]]]:
    """Group items by owner in the order each owner first appears (no owner is a group of its own)."""
    groups: dict[str | None, list[EvidenceFact]] = {}
    for item in items:
        groups.setdefault(item.owner, []).append(item)
    return list(groups.items())


MAX_TITLES = 3


def _titles(items: Sequence[EvidenceFact]) -> str:
    named = ", ".join(f'"{item.title}"' for item in items[:MAX_TITLES])
    more = len(items) - MAX_TITLES
    return f"{named} and {more} more" if more > 0 else named


def _measure_no_data(f: Facts) -> Iterator[Finding]:
    for m in f.criterion.measures:
        if m.value is not None:
            continue
        when = f" for {m.period}" if m.period else ""
        if m.applicable_from_case_data:
            yield Finding(
                f"{m.title} ({m.id}) has no figure{when}: no case records count towards it.",
                f"Import the case records{when} (inspect-app import cases) so the tool can compute {m.id}.",
            )
        else:
            yield Finding(
                f"{m.title} ({m.id}) has no figure{when}.",
                f"Add the latest {m.title} figure, with its source, to the evidence library as a data snapshot.",
                severity="low",
            )


def _measure_below_england(f: Facts) -> Iterator[Finding]:
    margin = _dec(f.config.below_england_margin_pp)
    for m, rag in zip(f.criterion.measures, f.measure_rags, strict=True):
        if m.value is None or m.england is None or m.higher_is_better is None:
            continue
        shortfall = _shortfall(m.value, m.england, m.higher_is_better)
        if shortfall > margin:
            direction = "" if m.higher_is_better else " (lower is better)"
            yield Finding(
                f"{m.title} ({m.id}) was {_pct(m.value)}{_in(m.period)} against {_pct(m.england)} for England"
                f"{_england_when(m)}: "
                f"{round_half_up(shortfall)} percentage points worse{direction}.",
                f"Explain the gap in the self-evaluation for {f.criterion.id} and show what is being done to close "
                f"it, by whom and by when.",
                severity="high" if rag == "red" else None,
            )


def _measure_declining(f: Facts) -> Iterator[Finding]:
    periods = f.config.declining_periods
    for m in f.criterion.measures:
        if m.higher_is_better is None or m.value is None:
            continue
        series = _series(m)[-(periods + 1) :]
        if len(series) == periods + 1 and all(
            _shortfall(later, earlier, m.higher_is_better) > 0
            for (_, earlier), (_, later) in zip(series, series[1:], strict=False)
        ):
            figures = ", ".join(f"{period} {_pct(value)}" for period, value in series)
            yield Finding(
                f"{m.title} ({m.id}) got worse in each of the last {periods} periods: {figures}.",
                f"Find out why {m.title} is getting worse and put the recovery action, its owner and a date in the "
                f"improvement plan.",
            )


def _no_family_voice(f: Facts) -> Iterator[Finding]:
    cid, feedback = f.criterion.id, f.criterion.feedback
    if f.enough_feedback:
        return
    if feedback is None or feedback.responses == 0:
        message = f"No family survey responses are mapped to {cid}."
    else:
        message = (
            f"{cid} has only {_count(feedback.responses, 'family survey response')} mapped to it; "
            f"at least {f.config.min_feedback_responses} are needed."
        )
    yield Finding(
        message,
        f"With the parent carer forum, run or import a family survey with questions mapped to {cid}.",
    )


def _feedback_negative(f: Facts) -> Iterator[Finding]:
    feedback = f.criterion.feedback
    if f.negative_feedback and feedback is not None and feedback.agree_pct is not None:
        interval = ""
        if feedback.agree_ci_low is not None and feedback.agree_ci_high is not None:
            interval = f" (95% confidence interval {_pct(feedback.agree_ci_low)} to {_pct(feedback.agree_ci_high)})"
        yield Finding(
            f"{_pct(feedback.agree_pct)} of {feedback.responses} family responses for {f.criterion.id} agree"
            f"{interval}, below {_num(f.config.negative_feedback_agree_pct)}%.",
            f"Read the families' comments for {f.criterion.id}, agree with the parent carer forum what will change, "
            f'and publish a "you said, we did" response.',
        )


def _no_self_evaluation(f: Facts) -> Iterator[Finding]:
    cid = f.criterion.id
    if not f.sef_written:
        yield Finding(
            f"{cid} has no self-evaluation: no grade and no text.",
            f"Write the self-evaluation for {cid}: a grade, strengths, areas for development and next steps, "
            f"linked to evidence and data.",
        )


def _sef_not_signed_off(f: Facts) -> Iterator[Finding]:
    sef, cid = f.criterion.self_evaluation, f.criterion.id
    if f.sef_written and sef is not None and not sef.signed_off:
        graded = f'graded "{sef.grade}"' if sef.grade else "not yet graded"
        yield Finding(
            f"The self-evaluation for {cid} ({graded}) has not been signed off by the partners.",
            f"Take the self-evaluation for {cid} to the partnership board for joint sign-off.",
        )


def _sef_data_conflict(f: Facts) -> Iterator[Finding]:
    sef, cid = f.criterion.self_evaluation, f.criterion.id
    if not f.over_claims or sef is None:
        return
    reasons = [
        f"{m.title} ({m.id}) is red at {_pct(m.value)} against {_pct(m.england)} for England{_england_when(m)}"
        if m.england is not None
        else f"{m.title} ({m.id}) is red at {_pct(m.value)}"
        for m in f.red_measures
    ]
    feedback = f.criterion.feedback
    if f.negative_feedback and feedback is not None and feedback.agree_pct is not None:
        reasons.append(f"only {_pct(feedback.agree_pct)} of {feedback.responses} family responses agree")
    yield Finding(
        f'{cid} is graded "{sef.grade}" but {"; ".join(reasons)}.',
        f"Test the grade for {cid} against the data: lower it, or set out in the self-evaluation the evidence "
        f"that the data does not tell the whole story.",
    )


def _data_quality(f: Facts) -> Iterator[Finding]:
    issues = f.criterion.data_quality_issues
    if issues > f.config.data_quality_max_issues:
        yield Finding(
            f"{_count(issues, 'case record')} behind the measures for {f.criterion.id} "
            f"{'has' if issues == 1 else 'have'} impossible or missing dates, so those measures may be wrong.",
            "Correct the dates in the case system and import the case file again; the import report lists each case.",
        )


# The rules, in the order their gaps are listed within a severity. Adding a rule is one entry here (plus its
# code in the schema's enum, which a test checks).
RULES: tuple[Rule, ...] = (
    Rule(
        "NO_EVIDENCE",
        "high",
        "A criterion with no linked evidence gives inspectors nothing to read about it.",
        _no_evidence,
    ),
    Rule(
        "NO_SELF_EVALUATION",
        "high",
        "Leaders present their self-evaluation to inspectors on the first day on site, so every criterion needs "
        "a grade or written evaluation.",
        _no_self_evaluation,
    ),
    Rule(
        "SEF_DATA_CONFLICT",
        "high",
        "Over-claiming is what inspectors notice first: a criterion graded in the top {c.sef_top_grades} grades "
        "of the scale (strong or secure by default) while a linked measure is red or family feedback is negative "
        "is flagged.",
        _sef_data_conflict,
    ),
    Rule(
        "FEEDBACK_NEGATIVE",
        "high",
        "When at least {c.min_feedback_responses} families have answered and fewer than "
        "{c.negative_feedback_agree_pct:g}% agree, inspectors will hear the same from families.",
        _feedback_negative,
    ),
    Rule(
        "MEASURE_BELOW_ENGLAND",
        "medium",
        "A measure worse than England by more than {c.below_england_margin_pp:g} percentage points is flagged, "
        "at high severity when that also makes the measure red.",
        _measure_below_england,
    ),
    Rule(
        "MEASURE_DECLINING",
        "medium",
        "A measure that got worse than the period before in each of the last {c.declining_periods} periods is "
        "flagged, even if it still compares well with England.",
        _measure_declining,
    ),
    Rule(
        "DATA_QUALITY",
        "medium",
        "Case records with impossible or missing dates distort the timeliness measures, so a criterion whose "
        "measures rest on more than {c.data_quality_max_issues} such records is flagged.",
        _data_quality,
    ),
    Rule(
        "MEASURE_NO_DATA",
        "medium",
        "A linked measure without a figure is flagged: at medium severity when the tool could compute it from "
        "imported case records (it then scores 0), at low severity otherwise.",
        _measure_no_data,
    ),
    Rule(
        "MISSING_EXPECTED_EVIDENCE",
        "medium",
        "Each type of evidence the framework expects for a criterion needs at least one linked item; each missing "
        "type is its own gap, so it can be assigned and closed on its own.",
        _missing_expected_evidence,
    ),
    Rule(
        "UNAPPROVED_EVIDENCE",
        "medium",
        "Only approved evidence goes to inspectors, so an item in draft, waiting for review or returned for "
        "changes is flagged.",
        _unapproved_evidence,
    ),
    Rule(
        "STALE_EVIDENCE",
        "medium",
        "Evidence past its review-by date, or covering a period that ended more than {c.stale_after_months} "
        "months ago, may no longer describe the partnership; a review due within {c.review_soon_days} days is "
        "flagged at low severity.",
        _stale_evidence,
    ),
    Rule(
        "NO_FAMILY_VOICE",
        "medium",
        "Inspectors ask what families say, so each criterion needs at least {c.min_feedback_responses} family "
        "survey responses mapped to it.",
        _no_family_voice,
    ),
    Rule(
        "SEF_NOT_SIGNED_OFF",
        "medium",
        "The self-evaluation inspectors see should be the partners' joint view, so each one needs their sign-off.",
        _sef_not_signed_off,
    ),
)
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
GAP_CODES: tuple[str, ...] = tuple(RULES_BY_CODE)


def find_gaps(facts: Facts) -> tuple[Gap, ...]:
    """Apply every rule to one criterion; gaps come high to low severity, then in rule order."""
    gaps = [
        Gap(
            criterion_id=facts.criterion.id,
            code=rule.code,
            severity=finding.severity or rule.severity,
            message=finding.message,
            action=finding.action,
            explanation=rule.explain(facts.config),
            owner=finding.owner,
        )
        for rule in RULES
        for finding in rule.check(facts)
    ]
    return tuple(sorted(gaps, key=lambda gap: SEVERITIES.index(gap.severity)))


# --- Score -------------------------------------------------------------------------------------------------


def score_criterion(facts: Facts) -> tuple[int, tuple[ScoreComponent, ...]]:
    """Score a criterion 0-100 and return each component's contribution.

    Only the components that apply share the 100 points, in proportion to their weights; the score is the
    exact sum of the contributions, rounded half up to a whole number.
    """
    parts = {
        "evidence_coverage": _evidence_coverage(facts),
        "evidence_quality": _evidence_quality(facts),
        "measures": _measures_fraction(facts),
        "family_voice": _family_voice(facts),
        "self_evaluation": _self_evaluation(facts),
    }
    weights = {name: _frac(getattr(facts.config.weights, name)) for name in COMPONENTS}
    applicable = sum((weights[name] for name, (fraction, _) in parts.items() if fraction is not None), Fraction(0))
    total = Fraction(0)
    components = []
    for name in COMPONENTS:
        fraction, detail = parts[name]
        points = weights[name] * fraction * 100 / applicable if fraction is not None and applicable else Fraction(0)
        total += points
        components.append(
            ScoreComponent(
                name=name,
                label=COMPONENT_LABELS[name],
                weight=float(weights[name]),
                fraction=None if fraction is None else float(fraction),
                points=float(points),
                detail=detail,
            )
        )
    return _round(total), tuple(components)


def score_rag(score: float, config: ReadinessConfig) -> str:
    """Rate a 0-100 score against the configured cut-offs."""
    if score >= config.rag_green_min:
        return "green"
    if score >= config.rag_amber_min:
        return "amber"
    return "red"


def _evidence_coverage(f: Facts) -> tuple[Fraction | None, str]:
    expected = tuple(dict.fromkeys(f.criterion.expected_evidence_types))
    linked = len(f.criterion.evidence)
    if not expected:
        return Fraction(1 if linked else 0), f"No evidence types are expected; {linked} items linked"
    covered = len(expected) - len(f.missing_types)
    return Fraction(covered, len(expected)), f"{covered} of {len(expected)} expected evidence types linked"


def _evidence_quality(f: Facts) -> tuple[Fraction | None, str]:
    evidence = f.criterion.evidence
    stale = set(f.stale)
    good = sum(1 for e in evidence if e.status == "approved" and e not in stale)
    if not evidence:
        return Fraction(0), "No evidence linked"
    return Fraction(good, len(evidence)), f"{good} of {len(evidence)} linked items approved and in date"


def _measures_fraction(f: Facts) -> tuple[Fraction | None, str]:
    points = {"green": Fraction(1), "amber": _frac(f.config.measure_amber_fraction), "red": Fraction(0)}
    scored: list[Fraction] = []
    counts = dict.fromkeys((*RAGS, "no data"), 0)
    for m, rag in zip(f.criterion.measures, f.measure_rags, strict=True):
        if rag in points:
            scored.append(points[rag])
            counts[rag] += 1
        elif m.value is None and m.applicable_from_case_data:
            scored.append(Fraction(0))
            counts["no data"] += 1
    if not scored:
        return None, "No measure to score: none linked, or none with a figure and a comparator"
    detail = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
    return sum(scored, Fraction(0)) / len(scored), f"Measures scored: {detail}"


def _family_voice(f: Facts) -> tuple[Fraction | None, str]:
    feedback = f.criterion.feedback
    responses = 0 if feedback is None else feedback.responses
    if not f.enough_feedback or feedback is None:
        return Fraction(0), f"{responses} responses; {f.config.min_feedback_responses} needed"
    if feedback.agree_pct is None:
        return _frac(f.config.feedback_no_agree_fraction), f"{responses} responses, no agreement figure"
    return _frac(feedback.agree_pct) / 100, f"{responses} responses, {_pct(feedback.agree_pct)} agree"


def _self_evaluation(f: Facts) -> tuple[Fraction | None, str]:
    sef = f.criterion.self_evaluation
    if not f.sef_written or sef is None:
        return Fraction(0), "No self-evaluation"
    fraction, detail = (Fraction(1), "Signed off") if sef.signed_off else (_frac(f.config.sef_draft_fraction), "Draft")
    if f.over_claims:
        fraction = min(fraction, _frac(f.config.sef_conflict_fraction))
        detail += ", graded above what the data shows"
    return fraction, detail


# --- Assessment --------------------------------------------------------------------------------------------


def assess_criterion(
    criterion: CriterionInput,
    as_of: date,
    config: ReadinessConfig,
    grade_scale: Sequence[str] = DEFAULT_GRADE_SCALE,
) -> CriterionResult:
    """Apply the rules to one criterion and score it."""
    facts = derive_facts(criterion, as_of, config, grade_scale)
    score, components = score_criterion(facts)
    feedback, sef = criterion.feedback, criterion.self_evaluation
    responses = 0 if feedback is None else feedback.responses
    show_agree = feedback is not None and feedback.agree_pct is not None and responses >= config.feedback_suppress_below
    return CriterionResult(
        id=criterion.id,
        title=criterion.title,
        section_id=criterion.section_id,
        score=score,
        rag=score_rag(score, config),
        components=components,
        grade=None if sef is None else sef.grade,
        signed_off=sef is not None and sef.signed_off,
        evidence_linked=len(criterion.evidence),
        evidence_approved=sum(1 for e in criterion.evidence if e.status == "approved"),
        evidence_stale=len(facts.stale),
        measures=tuple(
            MeasureResult(
                m.id, m.title, m.period, m.value, m.numerator, m.denominator, m.england, rag, m.england_period
            )
            for m, rag in zip(criterion.measures, facts.measure_rags, strict=True)
        ),
        feedback_responses=responses,
        feedback_agree_pct=float(feedback.agree_pct) if show_agree and feedback is not None else None,
        gaps=find_gaps(facts),
    )


def indicative_outcome(criteria: Sequence[CriterionResult], config: ReadinessConfig) -> tuple[str, str]:
    """Estimate the inspection outcome from the criteria's RAG and high-severity gaps; return it and why.

    widespread_failings: at least `outcome_widespread_red_share` of criteria red, or at least
    `outcome_widespread_high_gap_share` with a high-severity gap. positive: at least
    `outcome_positive_min_green_share` green, no more than `outcome_positive_max_red_share` red and no more
    than `outcome_positive_max_high_gap_share` with a high-severity gap. inconsistent: anything between.
    """
    total = len(criteria)
    red = sum(1 for c in criteria if c.rag == "red")
    green = sum(1 for c in criteria if c.rag == "green")
    high = sum(1 for c in criteria if any(g.severity == "high" for g in c.gaps))

    def share(count: int) -> Fraction:
        return Fraction(count, total) if total else Fraction(0)

    counts = f"{red} of {total} criteria are red, {green} green, and {high} have a high-severity gap"
    if share(red) >= _frac(config.outcome_widespread_red_share):
        return "widespread_failings", f"{counts}: {_share_text(config.outcome_widespread_red_share)} or more red."
    if share(high) >= _frac(config.outcome_widespread_high_gap_share):
        return "widespread_failings", (
            f"{counts}: {_share_text(config.outcome_widespread_high_gap_share)} or more with a high-severity gap."
        )
    if (
        share(green) >= _frac(config.outcome_positive_min_green_share)
        and share(red) <= _frac(config.outcome_positive_max_red_share)
        and share(high) <= _frac(config.outcome_positive_max_high_gap_share)
    ):
        return "positive", (
            f"{counts}: at least {_share_text(config.outcome_positive_min_green_share)} green, no more than "
            f"{_share_text(config.outcome_positive_max_red_share)} red and no more than "
            f"{_share_text(config.outcome_positive_max_high_gap_share)} with a high-severity gap."
        )
    return "inconsistent", f"{counts}: neither the positive nor the widespread failings thresholds are met."


def assess_readiness(readiness: ReadinessInput, config: ReadinessConfig | None = None) -> ReadinessResult:
    """Apply every rule to every criterion, score them and estimate the outcome."""
    config = config or ReadinessConfig()
    criteria = tuple(
        assess_criterion(criterion, readiness.as_of, config, readiness.grade_scale) for criterion in readiness.criteria
    )
    # Criteria are listed in framework order and each one's gaps are already sorted, so a stable sort by
    # severity gives "high to low, then criterion order".
    gaps = tuple(sorted((g for c in criteria for g in c.gaps), key=lambda gap: SEVERITIES.index(gap.severity)))
    score = _round(sum((Fraction(c.score) for c in criteria), Fraction(0)) / len(criteria)) if criteria else 0
    outcome, reason = indicative_outcome(criteria, config)
    overall = OverallResult(
        score=score,
        rag=score_rag(score, config),
        indicative_outcome=outcome,
        indicative_outcome_label=ESTIMATE_LABEL,
        outcome_reason=reason,
        criteria=len(criteria),
        criteria_green=sum(1 for c in criteria if c.rag == "green"),
        criteria_red=sum(1 for c in criteria if c.rag == "red"),
        gaps={severity: sum(1 for g in gaps if g.severity == severity) for severity in SEVERITIES},
    )
    return ReadinessResult(
        partnership_slug=readiness.partnership_slug,
        partnership_name=readiness.partnership_name,
        la_code=readiness.la_code,
        framework_id=readiness.framework_id,
        framework_version=readiness.framework_version,
        as_of=readiness.as_of,
        overall=overall,
        criteria=criteria,
        gaps=gaps,
    )


# --- JSON --------------------------------------------------------------------------------------------------


def readiness_to_json(result: ReadinessResult, generated_at: datetime) -> dict[str, Any]:
    """Return the `inspect-app/readiness/1` document (DESIGN.md); a naive generated_at is taken as UTC."""
    if generated_at.tzinfo is None:
        generated_at = generated_at.replace(tzinfo=UTC)
    overall = result.overall
    return {
        "schema": SCHEMA,
        "partnership": {"slug": result.partnership_slug, "name": result.partnership_name, "la_code": result.la_code},
        "framework": {"id": result.framework_id, "version": result.framework_version},
        "generated_at": generated_at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "as_of": result.as_of.isoformat(),
        "overall": {
            "score": overall.score,
            "rag": overall.rag,
            "indicative_outcome": overall.indicative_outcome,
            "criteria": overall.criteria,
            "criteria_green": overall.criteria_green,
            "gaps": {severity: overall.gaps[severity] for severity in SEVERITIES},
        },
        "criteria": [_criterion_json(c) for c in result.criteria],
        "gaps": [{"criterion": g.criterion_id, **_gap_json(g)} for g in result.gaps],
    }


def _criterion_json(c: CriterionResult) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "score": c.score,
        "rag": c.rag,
        "self_evaluation": {"grade": c.grade, "signed_off": c.signed_off},
        "evidence": {"linked": c.evidence_linked, "approved": c.evidence_approved, "stale": c.evidence_stale},
        "measures": [
            {
                "id": m.id,
                "period": m.period,
                "value": _json_number(m.value),
                "numerator": m.numerator,
                "denominator": m.denominator,
                "england": _json_number(m.england),
                "rag": m.rag,
            }
            for m in c.measures
        ],
        "feedback": {"responses": c.feedback_responses, "agree_pct": c.feedback_agree_pct},
        "gaps": [_gap_json(g) for g in c.gaps],
    }


def _gap_json(g: Gap) -> dict[str, str]:
    return {"code": g.code, "severity": g.severity, "message": g.message, "action": g.action}


# --- Helpers -----------------------------------------------------------------------------------------------


def _dec(value: float | int | Decimal) -> Decimal:
    # Through str(), so 46.4 - 41.4 is exactly 5.0 and boundaries behave as a reader expects.
    return Decimal(str(value))


def _frac(value: float | int | Decimal) -> Fraction:
    return Fraction(str(value))


def _round(value: Fraction) -> int:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return int(round_half_up(exact, 0) or 0)


def _shortfall(value: float, comparator: float, higher_is_better: bool) -> Decimal:
    """Return how far `value` is worse than `comparator` (negative when better)."""
    difference = _dec(value) - _dec(comparator)
    return -difference if higher_is_better else difference


def _series(m: MeasureFact) -> list[tuple[str, float]]:
    """Return the measure's figures oldest first, ending with the current one; a gap in the data breaks it."""
    points = [(period, value) for period, value in m.history if period != m.period]
    points.append((m.period or "latest", m.value))
    last_gap = max((i for i, (_, value) in enumerate(points) if value is None), default=-1)
    return [(period, value) for period, value in points[last_gap + 1 :] if value is not None]


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _norm(grade: str) -> str:
    return grade.strip().casefold()


def _pct(value: float | Decimal | None) -> str:
    return f"{round_half_up(value)}%" if value is not None else "no figure"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _num(value: float) -> str:
    return f"{value:g}"


def _share_text(share: float) -> str:
    return f"{_num(float(round_half_up(share * 100)))}%"


def _england_when(m: MeasureFact) -> str:
    """Say which period England's figure is from when it is not the local figure's (DfE publishes a year late)."""
    return f" in {m.england_period}" if m.england_period and m.england_period != m.period else ""


def _in(period: str | None) -> str:
    return f" in {period}" if period else ""


def _long_date(day: date | None) -> str:
    return "" if day is None else f"{day.day} {day:%B %Y}"


def _owned_by(item: EvidenceFact) -> str:
    return f" (owner: {item.owner})" if item.owner else ""


def _json_number(value: float | Decimal | None) -> float | None:
    return None if value is None else float(value)
