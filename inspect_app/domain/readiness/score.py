"""Scores: a criterion's impact and preparation, each 0-100 from weighted parts, and the two combined.

Impact asks what the data and families say. Its parts: statutory duties against the law (green earns 1, amber
`amber_fraction`, red 0), other measures against England for the same year (the same points), and family
voice (the share of parents, carers, children and young people who agree, once enough have answered). A part
with no data drops out and the others share its weight; with no part left, impact has no data, and the
criterion is "not enough data": it gets no score and is never green.

Preparation asks whether the partnership can show it. Its parts: expected evidence types linked, linked
evidence approved and in date, the self-evaluation (written, then signed off; capped when it over-claims
against red data), and the follow-up of the last inspection's actions (only when there are any).

A criterion scores `impact_share` of its impact plus the rest of its preparation. Its RAG is the worse of its
score's RAG and its impact's RAG, and it is green only when its preparation is green too: strong paperwork
cannot make up for weak impact.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from inspect_app.domain.readiness.facts import Facts
from inspect_app.domain.readiness.model import RAGS, PartScore, ScorePart
from inspect_app.domain.readiness.text import frac, pct, plural, round_int, to_decimal
from inspect_app.domain.readiness_config import IMPACT_PARTS, PREPARATION_PARTS, ReadinessConfig

PART_LABELS = {
    "duties": "Statutory duties against the law",
    "measures": "Other measures against England",
    "family_voice": "What families say",
    "evidence_coverage": "Expected evidence linked",
    "evidence_quality": "Evidence approved and in date",
    "self_evaluation": "Self-evaluation written and signed off",
    "follow_up": "Actions from the last inspection",
}

Earned = tuple[Fraction | None, str]


def score_rag(score: float | Decimal | Fraction, config: ReadinessConfig) -> str:
    """Rate a 0-100 score against the configured cut-offs."""
    if score >= frac(config.rag_green_min):
        return "green"
    if score >= frac(config.rag_amber_min):
        return "amber"
    return "red"


def worst(*rags: str) -> str:
    """The worst of some RAG ratings (red is worst)."""
    return max(rags, key=RAGS.index)


def _weighted(
    names: tuple[str, ...], weights: object, earned: Mapping[str, Earned]
) -> tuple[Fraction | None, tuple[ScorePart, ...]]:
    """Share 100 points among the parts that apply, in proportion to their weights; return the exact total."""
    weight = {name: frac(getattr(weights, name)) for name in names}
    applicable = sum((weight[n] for n in names if earned[n][0] is not None), Fraction(0))
    total: Fraction | None = None
    parts = []
    for name in names:
        fraction, detail = earned[name]
        points = weight[name] * fraction * 100 / applicable if fraction is not None and applicable else Fraction(0)
        if fraction is not None and applicable:
            total = (total or Fraction(0)) + points
        parts.append(
            ScorePart(
                name=name,
                label=PART_LABELS[name],
                weight=float(weight[name]),
                fraction=None if fraction is None else float(fraction),
                points=float(points),
                detail=detail,
            )
        )
    return total, tuple(parts)


def _part_score(total: Fraction | None, parts: tuple[ScorePart, ...], config: ReadinessConfig) -> PartScore:
    if total is None:
        return PartScore(score=None, rag="none", parts=parts, exact=None)
    return PartScore(score=round_int(total), rag=score_rag(total, config), parts=parts, exact=to_decimal(total))


# --- Impact ------------------------------------------------------------------------------------------------


def _rag_points(rags: list[str], config: ReadinessConfig) -> Fraction:
    points = {"green": Fraction(1), "amber": frac(config.amber_fraction), "red": Fraction(0)}
    return sum((points[rag] for rag in rags), Fraction(0)) / len(rags)


def _rag_detail(rags: list[str]) -> str:
    return ", ".join(f"{rags.count(rag)} {rag}" for rag in RAGS if rag in rags)


def _duties(f: Facts) -> Earned:
    rags = [m.rag for m in f.measures if m.rated_against == "law" and m.rag != "none"]
    if not rags:
        return None, "No statutory duty with a figure"
    return _rag_points(rags, f.config), f"{plural(len(rags), 'duty', 'duties')} against the law: {_rag_detail(rags)}"


def _measures(f: Facts) -> Earned:
    rags = [m.rag for m in f.measures if m.rated_against == "england" and m.rag != "none"]
    if not rags:
        return None, "No other measure with a figure and England's for the same year"
    return _rag_points(rags, f.config), f"{plural(len(rags), 'measure')} against England: {_rag_detail(rags)}"


def _family_voice(f: Facts) -> Earned:
    feedback = f.criterion.feedback
    responses = 0 if feedback is None else feedback.responses
    if not f.enough_feedback or feedback is None:
        return None, f"{plural(responses, 'family response')}; {f.config.min_feedback_responses} needed"
    if feedback.agree_pct is None:
        return frac(f.config.feedback_no_agree_fraction), f"{plural(responses, 'family response')}, no agreement figure"
    return frac(feedback.agree_pct) / 100, f"{plural(responses, 'family response')}, {pct(feedback.agree_pct)} agree"


def impact_score(f: Facts) -> PartScore:
    """Score what the data and families say about a criterion; no score when none of it has data."""
    earned = {"duties": _duties(f), "measures": _measures(f), "family_voice": _family_voice(f)}
    total, parts = _weighted(IMPACT_PARTS, f.config.impact_weights, earned)
    return _part_score(total, parts, f.config)


# --- Preparation -------------------------------------------------------------------------------------------


def _evidence_coverage(f: Facts) -> Earned:
    expected = tuple(dict.fromkeys(f.criterion.expected_evidence_types))
    linked = len(f.criterion.evidence)
    if not expected:
        return Fraction(1 if linked else 0), f"No evidence types are expected; {plural(linked, 'item')} linked"
    covered = len(expected) - len(f.missing_types)
    return Fraction(covered, len(expected)), f"{covered} of {len(expected)} expected evidence types linked"


def _evidence_quality(f: Facts) -> Earned:
    evidence = f.criterion.evidence
    stale = set(f.stale)
    good = sum(1 for e in evidence if e.status == "approved" and e not in stale)
    if not evidence:
        return Fraction(0), "No evidence linked"
    return Fraction(good, len(evidence)), f"{good} of {len(evidence)} linked items approved and in date"


def _self_evaluation(f: Facts) -> Earned:
    sef = f.criterion.self_evaluation
    if not f.sef_written or sef is None:
        return Fraction(0), "Not written"
    fraction, detail = (Fraction(1), "Signed off") if sef.signed_off else (frac(f.config.sef_draft_fraction), "Draft")
    if f.over_claims:
        fraction = min(fraction, frac(f.config.sef_conflict_fraction))
        detail += ", graded above what the data shows"
    return fraction, detail


def _follow_up(f: Facts) -> Earned:
    actions = f.criterion.follow_up
    if not actions:
        return None, "No actions from the last inspection"
    off_track = set(f.off_track)
    earned = [
        Fraction(0)
        if action in off_track
        else (Fraction(1) if action.evidence_linked else frac(f.config.follow_up_unevidenced_fraction))
        for action in actions
    ]
    return (
        sum(earned, Fraction(0)) / len(actions),
        f"{plural(len(actions), 'action')}, {len(off_track)} off track",
    )


def preparation_score(f: Facts) -> PartScore:
    """Score whether the partnership can show a criterion: evidence, self-evaluation, follow-up."""
    earned = {
        "evidence_coverage": _evidence_coverage(f),
        "evidence_quality": _evidence_quality(f),
        "self_evaluation": _self_evaluation(f),
        "follow_up": _follow_up(f),
    }
    total, parts = _weighted(PREPARATION_PARTS, f.config.preparation_weights, earned)
    return _part_score(total, parts, f.config)


# --- Combined ----------------------------------------------------------------------------------------------


def combined(impact: PartScore, preparation: PartScore, config: ReadinessConfig) -> tuple[int | None, str]:
    """Combine impact and preparation into a criterion's score and RAG ("none" without impact data)."""
    if impact.exact is None or preparation.exact is None:
        return None, "none"
    share = frac(config.impact_share)
    exact = frac(impact.exact) * share + frac(preparation.exact) * (1 - share)
    return round_int(exact), combined_rag(score_rag(exact, config), impact.rag, preparation.rag)


def combined_rag(score_rag_: str, impact_rag: str, preparation_rag: str) -> str:
    """Never better than the impact; green only when preparation is green too."""
    rag = worst(score_rag_, impact_rag)
    if rag == "green" and preparation_rag != "green":
        return "amber"
    return rag
