"""Every threshold and weight the readiness rules use, with defaults.

The rules in `domain/readiness/` hold no numbers of their own: a deployment changes how strict the tool is by
passing overrides (the app's config holds them as a dict) to `ReadinessConfig.from_mapping`. Percentages are
on the 0-100 scale; shares are fractions (0.4 = 40%).

Where the defaults come from (DESIGN.md "Readiness: what it measures"): a criterion's score is 70% impact and 30%
preparation; a statutory duty is green when at least 90% of cases met the time limit in law and amber from 60%;
the alternative provision section counts once in the overall score while its criteria's wording is unverified.
The rest follow the service's earlier conventions (evidence reviewed every 12 months, feedback breakdowns
suppressed below 5 responses). Implausible exceptions are judged by the data-quality page's own check
(`domain/measure_choices.ExceptionsCheck`, the app's EXCEPTIONS_IMPLAUSIBLE setting), so the page and the gap
never disagree; its threshold is this tool's proposal, not DfE's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.measure_choices import ExceptionsCheck

IMPACT_PARTS = ("duties", "measures", "family_voice")
PREPARATION_PARTS = ("evidence_coverage", "evidence_quality", "self_evaluation", "follow_up")


@dataclass(frozen=True)
class ImpactWeights:
    """Relative weight of each part of a criterion's impact; parts with no data share theirs among the others."""

    duties: float = 50.0
    measures: float = 25.0
    family_voice: float = 25.0

    def __post_init__(self) -> None:
        _check_weights(self, IMPACT_PARTS, "Impact")


@dataclass(frozen=True)
class PreparationWeights:
    """Relative weight of each part of a criterion's preparation; follow-up applies only when there are actions."""

    evidence_coverage: float = 35.0
    evidence_quality: float = 25.0
    self_evaluation: float = 30.0
    follow_up: float = 10.0

    def __post_init__(self) -> None:
        _check_weights(self, PREPARATION_PARTS, "Preparation")


def _check_weights(weights: object, names: tuple[str, ...], kind: str) -> None:
    errors = [
        f"{kind} weight {name} must be a number of 0 or more"
        for name in names
        if not _is_number(getattr(weights, name), 0)
    ]
    if not errors and sum(getattr(weights, name) for name in names) <= 0:
        errors.append(f"At least one {kind.lower()} weight must be more than 0")
    if errors:
        raise ValidationFailed(errors)


@dataclass(frozen=True)
class ReadinessConfig:
    """Thresholds for the gap rules, the RAG of duties and measures, the scores and the overall position."""

    # Criterion score: this share comes from impact, the rest from preparation
    impact_share: float = 0.7
    impact_weights: ImpactWeights = field(default_factory=ImpactWeights)
    preparation_weights: PreparationWeights = field(default_factory=PreparationWeights)

    # Statutory duties, against the law: % of cases within the time limit
    duty_green_min: float = 90.0
    duty_amber_min: float = 60.0

    # Other measures, against England for the same period (percentage points; "worse" follows the direction)
    measure_green_margin_pp: float = 0.0  # green when no more than this worse than England
    measure_amber_margin_pp: float = 10.0  # amber when no more than this worse; red beyond
    worse_than_comparators_margin_pp: float = 5.0  # MEASURE_WORSE_THAN_COMPARATORS beyond this
    declining_periods: int = 2  # MEASURE_DECLINING when worse than the period before in each of the last N

    # Exceptions to the 20-week limit: (measure including exception cases, measure leaving them out)
    exceptions_pairs: tuple[tuple[str, str], ...] = (("ehcp_20wk_incl", "ehcp_20wk_excl"),)
    # EXCEPTIONS_IMPLAUSIBLE: the data-quality page's check, with its thresholds (the app's EXCEPTIONS_IMPLAUSIBLE)
    exceptions: ExceptionsCheck = ExceptionsCheck()

    # Evidence
    stale_after_months: int = 12  # evidence whose period ended longer ago than this is stale
    review_soon_days: int = 30  # a review-by date this close is flagged (low severity) before it passes

    # Family voice (parents and carers, children and young people; never practitioners)
    min_feedback_responses: int = 10  # fewer: NO_FAMILY_VOICE, and family voice has no data
    negative_feedback_agree_pct: float = 50.0  # agreement below this (with enough responses): FEEDBACK_NEGATIVE
    feedback_suppress_below: int = 5  # agreement figures from fewer responses are never shown

    # Self-evaluation
    sef_top_grades: int = 2  # how many top grades of the scale count as a confident claim (strong, secure)

    # Follow-up of the last inspection's areas for priority action and improvement
    follow_up_grace_days: int = 0  # days past the due date before an action without progress is off track

    # Data quality
    data_quality_max_issues: int = 0  # DATA_QUALITY when more cases than this have impossible or missing dates

    # Points each state earns within a part (green earns 1, red 0)
    amber_fraction: float = 0.5
    feedback_no_agree_fraction: float = 0.5  # enough responses but no agreement figure
    sef_draft_fraction: float = 0.5  # written but not signed off
    sef_conflict_fraction: float = 0.0  # graded strong/secure against red data (caps the part)
    follow_up_unevidenced_fraction: float = 0.5  # an action on track (or done) with no approved evidence

    # RAG of a score (impact, preparation, criterion)
    rag_green_min: float = 75.0
    rag_amber_min: float = 50.0

    # Overall score: sections counted once (their criteria averaged first) while any criterion's wording in
    # them is unverified; the handbook's alternative provision criteria are placeholders (framework.md §1.6)
    count_once_sections: tuple[str, ...] = ("AP",)

    # Overall position (shares of the criteria, a section counted once counting as one)
    position_min_data_share: float = 0.5  # fewer with impact data than this: not_enough_data
    position_not_ready_red_share: float = 0.4  # this share red or more (or impact red): not_ready
    position_not_ready_high_gap_share: float = 0.6  # or this share with a high-severity gap or more
    position_ready_green_share: float = 0.6  # ready: at least this share green, none red, both parts green

    def __post_init__(self) -> None:
        errors = _check_ranges(self)
        if errors:
            raise ValidationFailed(errors)

    @classmethod
    def from_mapping(cls, overrides: Mapping[str, Any] | None = None) -> ReadinessConfig:
        """Return the defaults with `overrides` applied; the two sets of weights merge part by part.

        Unknown names and out-of-range values raise ValidationFailed listing every problem, so a typo in the
        app's config fails at start-up.
        """
        if not overrides:
            return cls()
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValidationFailed([f"Unknown readiness setting: {name}" for name in unknown])
        values = dict(overrides)
        if "impact_weights" in values:
            values["impact_weights"] = _merge(values["impact_weights"], ImpactWeights, IMPACT_PARTS, "impact_weights")
        if "preparation_weights" in values:
            values["preparation_weights"] = _merge(
                values["preparation_weights"], PreparationWeights, PREPARATION_PARTS, "preparation_weights"
            )
        if isinstance(values.get("exceptions"), Mapping):
            values["exceptions"] = ExceptionsCheck.from_settings(values["exceptions"])
        for name in ("count_once_sections", "exceptions_pairs"):
            if isinstance(values.get(name), list):
                values[name] = tuple(tuple(v) if isinstance(v, list) else v for v in values[name])
        return cls(**values)


def _merge(overrides: Any, kind: type, parts: tuple[str, ...], setting: str) -> Any:
    if isinstance(overrides, kind):
        return overrides
    if not isinstance(overrides, Mapping):
        raise ValidationFailed(f"Readiness setting {setting} must be a mapping of part to weight")
    unknown = sorted(set(overrides) - set(parts))
    if unknown:
        raise ValidationFailed([f"Unknown part in {setting}: {name}" for name in unknown])
    return dataclasses.replace(kind(), **overrides)


def _is_number(value: Any, minimum: float | None = None, maximum: float | None = None) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return (minimum is None or value >= minimum) and (maximum is None or value <= maximum)


def _is_count(value: Any, minimum: int = 0) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


# Each setting's kind decides its valid range; messages name the setting so config errors explain themselves.
_COUNTS = {
    "declining_periods": 1,
    "stale_after_months": 1,
    "review_soon_days": 0,
    "min_feedback_responses": 0,
    "feedback_suppress_below": 0,
    "sef_top_grades": 0,
    "follow_up_grace_days": 0,
    "data_quality_max_issues": 0,
}
_PERCENTAGES = (
    "duty_green_min",
    "duty_amber_min",
    "measure_green_margin_pp",
    "measure_amber_margin_pp",
    "worse_than_comparators_margin_pp",
    "negative_feedback_agree_pct",
    "rag_green_min",
    "rag_amber_min",
)
_FRACTIONS = (
    "impact_share",
    "amber_fraction",
    "feedback_no_agree_fraction",
    "sef_draft_fraction",
    "sef_conflict_fraction",
    "follow_up_unevidenced_fraction",
    "position_min_data_share",
    "position_not_ready_red_share",
    "position_not_ready_high_gap_share",
    "position_ready_green_share",
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
    errors += _check_shapes(config)
    if errors:
        return errors
    pairs = (
        ("duty_amber_min", "duty_green_min"),
        ("rag_amber_min", "rag_green_min"),
        ("measure_green_margin_pp", "measure_amber_margin_pp"),
    )
    errors += [
        f"Readiness setting {low} must not be more than {high}"
        for low, high in pairs
        if getattr(config, low) > getattr(config, high)
    ]
    if config.min_feedback_responses < config.feedback_suppress_below:
        # Otherwise FEEDBACK_NEGATIVE could quote an agreement figure that reports must suppress.
        errors.append("Readiness setting min_feedback_responses must not be less than feedback_suppress_below")
    return errors


def _check_shapes(config: ReadinessConfig) -> list[str]:
    errors = []
    if not isinstance(config.impact_weights, ImpactWeights):
        errors.append("Readiness setting impact_weights must be impact weights")
    if not isinstance(config.preparation_weights, PreparationWeights):
        errors.append("Readiness setting preparation_weights must be preparation weights")
    sections = config.count_once_sections
    if not isinstance(sections, tuple) or not all(isinstance(s, str) and s for s in sections):
        errors.append("Readiness setting count_once_sections must be a list of section ids")
    pairs = config.exceptions_pairs
    if not isinstance(pairs, tuple) or not all(
        isinstance(p, tuple) and len(p) == 2 and all(isinstance(m, str) and m for m in p) for p in pairs
    ):
        errors.append("Readiness setting exceptions_pairs must be a list of [measure with, measure without] pairs")
    return errors
