"""What the rules and the scores derive from one criterion's input, worked out once so they always agree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from inspect_app.domain.readiness.compare import comparison_note, comparisons, rate
from inspect_app.domain.readiness.model import (
    DEFAULT_GRADE_SCALE,
    Comparison,
    CriterionInput,
    EvidenceFact,
    FollowUpFact,
    MeasureFact,
)
from inspect_app.domain.readiness.text import add_months, dec, norm
from inspect_app.domain.readiness_config import ReadinessConfig


@dataclass(frozen=True, slots=True)
class RatedMeasure:
    """A measure with its like-with-like comparisons and its RAG."""

    fact: MeasureFact
    comparisons: tuple[Comparison, ...]
    rag: str
    rated_against: str  # "law", "england" or "none"
    note: str | None


@dataclass(frozen=True)
class Facts:
    """What the rules derive from one criterion's input."""

    criterion: CriterionInput
    config: ReadinessConfig
    as_of: date
    top_grades: tuple[str, ...]
    measures: tuple[RatedMeasure, ...]  # aligned with criterion.measures
    overdue: tuple[EvidenceFact, ...]  # review-by date passed
    out_of_date: tuple[EvidenceFact, ...]  # covers a period that ended too long ago
    due_soon: tuple[EvidenceFact, ...]  # review-by date within review_soon_days, not yet passed
    missing_types: tuple[str, ...]
    enough_feedback: bool
    negative_feedback: bool
    off_track: tuple[FollowUpFact, ...]

    @property
    def stale(self) -> tuple[EvidenceFact, ...]:
        flagged = {*self.overdue, *self.out_of_date}  # a set: criteria with hundreds of items stay linear
        return tuple(item for item in self.criterion.evidence if item in flagged)

    @property
    def sef_written(self) -> bool:
        sef = self.criterion.self_evaluation
        return sef is not None and (bool(sef.grade) or sef.has_text)

    @property
    def red_measures(self) -> tuple[RatedMeasure, ...]:
        return tuple(m for m in self.measures if m.rag == "red")

    @property
    def over_claims(self) -> bool:
        sef = self.criterion.self_evaluation
        confident = sef is not None and bool(sef.grade) and norm(sef.grade or "") in self.top_grades
        return confident and (bool(self.red_measures) or self.negative_feedback)

    def type_title(self, evidence_type: str) -> str:
        return self.criterion.evidence_type_titles.get(evidence_type, evidence_type.replace("_", " "))


def rated(measure: MeasureFact, config: ReadinessConfig) -> RatedMeasure:
    """Pair a measure with its comparators and rate it."""
    found = comparisons(measure)
    rag, against = rate(measure, found, config)
    return RatedMeasure(measure, found, rag, against, comparison_note(measure, found))


def is_off_track(action: FollowUpFact, as_of: date, config: ReadinessConfig) -> bool:
    """Off track: marked so, or not done and past its due date with no progress update since that date."""
    if action.status == "off_track":
        return True
    if action.status == "done" or action.due is None:
        return False
    late = as_of > action.due + timedelta(days=config.follow_up_grace_days)
    return late and (action.last_progress is None or action.last_progress <= action.due)


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
        top_grades=tuple(norm(grade) for grade in grade_scale[: config.sef_top_grades]),
        measures=tuple(rated(m, config) for m in criterion.measures),
        overdue=overdue,
        out_of_date=tuple(
            e
            for e in evidence
            if e.period_end is not None and as_of > add_months(e.period_end, config.stale_after_months)
        ),
        due_soon=tuple(e for e in evidence if e not in overdue_set and e.review_by is not None and e.review_by <= soon),
        missing_types=tuple(t for t in dict.fromkeys(criterion.expected_evidence_types) if t not in linked_types),
        enough_feedback=enough,
        negative_feedback=(
            enough
            and feedback is not None
            and feedback.agree_pct is not None
            and dec(feedback.agree_pct) < dec(config.negative_feedback_agree_pct)
        ),
        off_track=tuple(a for a in criterion.follow_up if is_off_track(a, as_of, config)),
    )
