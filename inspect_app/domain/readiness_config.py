"""Every threshold and weight the readiness rules use, with defaults.

The rules in `readiness.py` hold no numbers of their own: a deployment changes how strict the tool is by
passing overrides (the app's config holds them as a dict) to `ReadinessConfig.from_mapping`. Percentages are
on the 0-100 scale; shares of criteria are fractions (0.4 = 40%). Defaults follow the framework reference's
proposals ("measures" rag: green at or above England or >= 60% for 20-week timeliness, amber within 10
percentage points of England) and the service's existing conventions (evidence reviewed every 12 months,
feedback breakdowns suppressed below 5 responses).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from inspect_app.domain.errors import ValidationFailed

COMPONENTS = ("evidence_coverage", "evidence_quality", "measures", "family_voice", "self_evaluation")


@dataclass(frozen=True)
class ScoreWeights:
    """Relative weight of each part of a criterion's score; they need not add up to 100."""

    evidence_coverage: float = 25.0
    evidence_quality: float = 15.0
    measures: float = 30.0
    family_voice: float = 15.0
    self_evaluation: float = 15.0

    def __post_init__(self) -> None:
        errors = [
            f"Score weight {name} must be a number of 0 or more"
            for name in COMPONENTS
            if not _is_number(getattr(self, name), 0)
        ]
        if not errors and sum(getattr(self, name) for name in COMPONENTS) <= 0:
            errors.append("At least one score weight must be more than 0")
        if errors:
            raise ValidationFailed(errors)


def _default_green_targets() -> Mapping[str, float]:
    # framework.md "measures" rag proposal for m_ehcp_20wk_excl: green at ">= 60 or >= england".
    return MappingProxyType({"ehcp_20wk_excl": 60.0})


@dataclass(frozen=True)
class ReadinessConfig:
    """Thresholds for the gap rules, the measure RAG, the score and the indicative outcome."""

    # Evidence
    stale_after_months: int = 12  # evidence whose period ended longer ago than this is stale
    review_soon_days: int = 30  # a review-by date this close is flagged (low severity) before it passes

    # Measures (percentage points; "worse" respects each measure's higher_is_better)
    measure_green_margin_pp: float = 0.0  # green when no more than this worse than England
    measure_amber_margin_pp: float = 10.0  # amber when no more than this worse than England; red beyond
    measure_green_targets: Mapping[str, float] = field(default_factory=_default_green_targets)  # green if met
    below_england_margin_pp: float = 5.0  # MEASURE_BELOW_ENGLAND when worse than England by more than this
    declining_periods: int = 2  # MEASURE_DECLINING when worse than the period before in each of the last N

    # Family feedback
    min_feedback_responses: int = 10  # fewer responses than this: NO_FAMILY_VOICE
    negative_feedback_agree_pct: float = 50.0  # agreement below this (with enough responses): FEEDBACK_NEGATIVE
    feedback_suppress_below: int = 5  # agreement figures from fewer responses are never shown

    # Self-evaluation
    sef_top_grades: int = 2  # how many top grades of the scale count as a confident claim (strong, secure)

    # Data quality
    data_quality_max_issues: int = 0  # DATA_QUALITY when more cases than this have impossible or missing dates

    # Score: component weights and the fraction of a component each state earns
    weights: ScoreWeights = field(default_factory=ScoreWeights)
    measure_amber_fraction: float = 0.5  # green 1, amber this, red 0
    feedback_no_agree_fraction: float = 0.5  # enough responses but no agreement figure
    sef_draft_fraction: float = 0.5  # written but not signed off
    sef_conflict_fraction: float = 0.0  # graded strong/secure against red data (caps the component)

    # RAG of a score (criterion and overall)
    rag_green_min: float = 75.0
    rag_amber_min: float = 50.0

    # Indicative outcome (shares of criteria)
    outcome_widespread_red_share: float = 0.4  # this share of criteria red or more: widespread_failings
    outcome_widespread_high_gap_share: float = 0.6  # or this share with a high-severity gap or more
    outcome_positive_min_green_share: float = 0.6  # positive needs at least this share green
    outcome_positive_max_red_share: float = 0.0  # and no more than this share red
    outcome_positive_max_high_gap_share: float = 0.2  # and no more than this share with a high-severity gap

    def __post_init__(self) -> None:
        errors = _check_ranges(self)
        if errors:
            raise ValidationFailed(errors)

    @classmethod
    def from_mapping(cls, overrides: Mapping[str, Any] | None = None) -> ReadinessConfig:
        """Return the defaults with `overrides` applied; `weights` and `measure_green_targets` merge key by key.

        A target set to None removes that measure's default target. Unknown names and out-of-range values
        raise ValidationFailed listing every problem, so a typo in the app's config fails at start-up.
        """
        if not overrides:
            return cls()
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValidationFailed([f"Unknown readiness setting: {name}" for name in unknown])
        values = dict(overrides)
        if "weights" in values:
            values["weights"] = _merge_weights(values["weights"])
        if "measure_green_targets" in values:
            values["measure_green_targets"] = _merge_targets(values["measure_green_targets"])
        return cls(**values)


def _merge_weights(overrides: Any) -> ScoreWeights:
    if isinstance(overrides, ScoreWeights):
        return overrides
    if not isinstance(overrides, Mapping):
        raise ValidationFailed("Readiness setting weights must be a mapping of component to weight")
    unknown = sorted(set(overrides) - set(COMPONENTS))
    if unknown:
        raise ValidationFailed([f"Unknown score component in weights: {name}" for name in unknown])
    return dataclasses.replace(ScoreWeights(), **overrides)


def _merge_targets(overrides: Any) -> Mapping[str, float]:
    if not isinstance(overrides, Mapping):
        raise ValidationFailed("Readiness setting measure_green_targets must be a mapping of measure id to target")
    merged = {**_default_green_targets(), **overrides}
    return MappingProxyType({key: value for key, value in merged.items() if value is not None})


def _is_number(value: Any, minimum: float | None = None, maximum: float | None = None) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return (minimum is None or value >= minimum) and (maximum is None or value <= maximum)


def _is_count(value: Any, minimum: int = 0) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


# Each setting's kind decides its valid range; messages name the setting so config errors explain themselves.
_COUNTS = {
    "stale_after_months": 1,
    "review_soon_days": 0,
    "declining_periods": 1,
    "min_feedback_responses": 0,
    "feedback_suppress_below": 0,
    "sef_top_grades": 0,
    "data_quality_max_issues": 0,
}
_PERCENTAGES = (
    "measure_green_margin_pp",
    "measure_amber_margin_pp",
    "below_england_margin_pp",
    "negative_feedback_agree_pct",
    "rag_green_min",
    "rag_amber_min",
)
_FRACTIONS = (
    "measure_amber_fraction",
    "feedback_no_agree_fraction",
    "sef_draft_fraction",
    "sef_conflict_fraction",
    "outcome_widespread_red_share",
    "outcome_widespread_high_gap_share",
    "outcome_positive_min_green_share",
    "outcome_positive_max_red_share",
    "outcome_positive_max_high_gap_share",
)


def _check_ranges(config: ReadinessConfig) -> list[str]:
    errors = [
        f"Readiness setting {name} must be a whole number of {minimum} or more"
        for name, minimum in _COUNTS.items()
        if not _is_count(getattr(config, name), minimum)
    ]
    errors += [
        f"Readiness setting {name} must be a number from 0 to 100"
        for name in _PERCENTAGES
        if not _is_number(getattr(config, name), 0, 100)
    ]
    errors += [
        f"Readiness setting {name} must be a number from 0 to 1"
        for name in _FRACTIONS
        if not _is_number(getattr(config, name), 0, 1)
    ]
    errors += [
        f"Green target for {measure} must be a number"
        for measure, target in config.measure_green_targets.items()
        if not _is_number(target)
    ]
    if not isinstance(config.weights, ScoreWeights):
        errors.append("Readiness setting weights must be score weights")
    if errors:
        return errors
    if config.rag_amber_min > config.rag_green_min:
        errors.append("Readiness setting rag_amber_min must not be more than rag_green_min")
    if config.measure_green_margin_pp > config.measure_amber_margin_pp:
        errors.append("Readiness setting measure_green_margin_pp must not be more than measure_amber_margin_pp")
    if config.min_feedback_responses < config.feedback_suppress_below:
        # Otherwise FEEDBACK_NEGATIVE could quote an agreement figure that reports must suppress.
        errors.append("Readiness setting min_feedback_responses must not be less than feedback_suppress_below")
    return errors
