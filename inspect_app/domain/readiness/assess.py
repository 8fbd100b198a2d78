"""Assessment: apply the rules and scores to every criterion, then say where the partnership stands overall.

The overall scores average the criteria, except that a section listed in `count_once_sections` counts as one
(its criteria averaged first) while any of its criteria's wording is provisional: four placeholder criteria
should not weigh as four. The overall position is in the tool's own words (`POSITION_LABELS`), never an
inspection outcome, and always comes with `CAVEAT` and the reason for it:

- not_enough_data: fewer than `position_min_data_share` of the criteria have any data on impact;
- not_ready: impact overall is red, or at least `position_not_ready_red_share` of the criteria with data are
  red, or at least `position_not_ready_high_gap_share` of all criteria have a high-severity gap;
- ready: impact and preparation overall are both green, no criterion with data is red, and at least
  `position_ready_green_share` of them are green;
- partly_ready: anything between.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction

from inspect_app.domain.readiness.facts import Facts, derive_facts
from inspect_app.domain.readiness.model import (
    CAVEAT,
    DEFAULT_GRADE_SCALE,
    FAMILY_AUDIENCES,
    POSITION_LABELS,
    SEVERITIES,
    CriterionInput,
    CriterionResult,
    FeedbackFact,
    FollowUpResult,
    MeasureResult,
    OverallResult,
    ReadinessInput,
    ReadinessResult,
    Unit,
    VoiceResult,
)
from inspect_app.domain.readiness.rules import find_gaps
from inspect_app.domain.readiness.score import combined, combined_rag, impact_score, preparation_score, score_rag
from inspect_app.domain.readiness.text import frac, plural, round_int, share_text
from inspect_app.domain.readiness_config import ReadinessConfig


def _voice(feedback: FeedbackFact | None, config: ReadinessConfig, default_audiences: tuple[str, ...]) -> VoiceResult:
    if feedback is None:
        return VoiceResult(0, None, default_audiences)
    shown = feedback.agree_pct is not None and feedback.responses >= config.feedback_suppress_below
    return VoiceResult(
        responses=feedback.responses,
        agree_pct=float(feedback.agree_pct) if shown and feedback.agree_pct is not None else None,
        audiences=feedback.audiences or default_audiences,
    )


def _measures(facts: Facts) -> tuple[MeasureResult, ...]:
    return tuple(
        MeasureResult(
            id=r.fact.id,
            title=r.fact.title,
            unit=r.fact.unit,
            period=r.fact.period,
            value=r.fact.value,
            numerator=r.fact.numerator,
            denominator=r.fact.denominator,
            higher_is_better=r.fact.higher_is_better,
            duty=r.fact.duty,
            basis=r.fact.basis,
            rag=r.rag,
            rated_against=r.rated_against,
            comparisons=r.comparisons,
            note=r.note,
        )
        for r in facts.measures
    )


def assess_criterion(
    criterion: CriterionInput,
    as_of: date,
    config: ReadinessConfig,
    grade_scale: Sequence[str] = DEFAULT_GRADE_SCALE,
) -> CriterionResult:
    """Apply the rules to one criterion and score its impact and preparation."""
    facts = derive_facts(criterion, as_of, config, grade_scale)
    impact, preparation = impact_score(facts), preparation_score(facts)
    score, rag = combined(impact, preparation, config)
    sef = criterion.self_evaluation
    return CriterionResult(
        id=criterion.id,
        title=criterion.title,
        section_id=criterion.section_id,
        wording=criterion.wording,
        score=score,
        rag=rag,
        impact=impact,
        preparation=preparation,
        grade=None if sef is None else sef.grade,
        signed_off=sef is not None and sef.signed_off,
        sef_written=facts.sef_written,
        evidence_linked=len(criterion.evidence),
        evidence_approved=sum(1 for e in criterion.evidence if e.status == "approved"),
        evidence_stale=len(facts.stale),
        measures=_measures(facts),
        family_voice=_voice(criterion.feedback, config, FAMILY_AUDIENCES),
        practitioners=_voice(criterion.practitioners, config, ("practitioners",)),
        follow_up=FollowUpResult(
            actions=len(criterion.follow_up),
            off_track=len(facts.off_track),
            without_evidence=sum(1 for a in criterion.follow_up if not a.evidence_linked),
        ),
        gaps=find_gaps(facts),
    )


# --- Overall -----------------------------------------------------------------------------------------------


def _mean(values: Sequence[int | None]) -> int | None:
    known = [Fraction(v) for v in values if v is not None]
    return round_int(sum(known, Fraction(0)) / len(known)) if known else None


def _single(c: CriterionResult) -> Unit:
    return Unit(
        id=c.id,
        title=c.title,
        criteria=(c.id,),
        score=c.score,
        impact=c.impact.score,
        preparation=c.preparation.score or 0,
        rag=c.rag,
        high_gaps=any(g.severity == "high" for g in c.gaps),
    )


def _unit(unit_id: str, title: str, members: Sequence[CriterionResult], config: ReadinessConfig) -> Unit:
    """A section counted once: each of its scores is the mean of its criteria's."""
    score = _mean([c.score for c in members])
    impact = _mean([c.impact.score for c in members])
    preparation = _mean([c.preparation.score for c in members]) or 0
    rag = "none"
    if score is not None and impact is not None:
        rag = combined_rag(score_rag(score, config), score_rag(impact, config), score_rag(preparation, config))
    return Unit(
        id=unit_id,
        title=title,
        criteria=tuple(c.id for c in members),
        score=score,
        impact=impact,
        preparation=preparation,
        rag=rag,
        high_gaps=any(g.severity == "high" for c in members for g in c.gaps),
    )


def units(
    criteria: Sequence[CriterionResult], config: ReadinessConfig, section_titles: Mapping[str, str] | None = None
) -> tuple[Unit, ...]:
    """What the overall figures count: each criterion, but a provisional count-once section as one."""
    titles = section_titles or {}
    once = {sid for sid in config.count_once_sections if any(c.provisional for c in criteria if c.section_id == sid)}
    result: list[Unit] = []
    seen: set[str] = set()
    for c in criteria:
        if c.section_id in once:
            if c.section_id not in seen:
                seen.add(c.section_id)
                members = [m for m in criteria if m.section_id == c.section_id]
                title = titles.get(c.section_id, f"section {c.section_id}")
                result.append(_unit(c.section_id, title, members, config))
        else:
            result.append(_single(c))
    return tuple(result)


def _count_once_note(all_units: Sequence[Unit]) -> str:
    once = [u for u in all_units if len(u.criteria) > 1]
    if not once:
        return ""
    sections = " and ".join(f'"{u.title}"' for u in once)
    verb = "counts" if len(once) == 1 else "count"
    return (
        f" The {sections} section {verb} as one criterion (its criteria averaged first) while the wording of its "
        f"criteria is provisional."
    )


def position(all_units: Sequence[Unit], config: ReadinessConfig) -> tuple[str, str]:
    """Say where the partnership stands, in the tool's own words, and why."""
    where, reason = _decide(all_units, config)
    return where, reason + _count_once_note(all_units)


def _decide(all_units: Sequence[Unit], config: ReadinessConfig) -> tuple[str, str]:
    total = len(all_units)
    with_data = [u for u in all_units if u.impact is not None]
    if not with_data or Fraction(len(with_data), total) < frac(config.position_min_data_share):
        return "not_enough_data", (
            f"Only {len(with_data)} of {plural(total, 'criterion', 'criteria')} have any data on impact: statutory "
            f"duties or other measures with a figure, or at least {config.min_feedback_responses} answers from "
            f"families. This tool says more once at least {share_text(config.position_min_data_share)} have some."
        )
    impact = _mean([u.impact for u in with_data]) or 0
    preparation = _mean([u.preparation for u in all_units]) or 0
    impact_rag, preparation_rag = score_rag(impact, config), score_rag(preparation, config)
    red = sum(1 for u in with_data if u.rag == "red")
    green = sum(1 for u in with_data if u.rag == "green")
    high = sum(1 for u in all_units if u.high_gaps)
    scores = (
        f"Impact scores {impact} out of 100 ({impact_rag}) and preparation {preparation} ({preparation_rag}); "
        f"of the {plural(len(with_data), 'criterion', 'criteria')} with data, {green} "
        f"{'is' if green == 1 else 'are'} green and {red} red"
    )
    if impact_rag == "red":
        return "not_ready", f"{scores}. Impact overall is red."
    if Fraction(red, len(with_data)) >= frac(config.position_not_ready_red_share):
        return "not_ready", f"{scores}: {share_text(config.position_not_ready_red_share)} or more are red."
    if Fraction(high, total) >= frac(config.position_not_ready_high_gap_share):
        return "not_ready", (
            f"{scores}; {high} of {total} have a high-severity gap, "
            f"{share_text(config.position_not_ready_high_gap_share)} or more."
        )
    ready = impact_rag == preparation_rag == "green" and not red
    if ready and Fraction(green, len(with_data)) >= frac(config.position_ready_green_share):
        return "ready", (
            f"{scores}: both parts are green, none is red and at least "
            f"{share_text(config.position_ready_green_share)} are green."
        )
    return "partly_ready", f"{scores}: some impact is shown, and there are gaps to close before every part is green."


def overall(
    criteria: Sequence[CriterionResult], config: ReadinessConfig, section_titles: Mapping[str, str] | None = None
) -> OverallResult:
    """The overall scores, position and counts of a partnership's assessed criteria."""
    all_units = units(criteria, config, section_titles)
    where, reason = position(all_units, config)
    impact = _mean([u.impact for u in all_units])
    preparation = _mean([u.preparation for u in all_units]) or 0
    gaps = [g for c in criteria for g in c.gaps]
    return OverallResult(
        position=where,
        label=POSITION_LABELS[where],
        reason=reason,
        caveat=CAVEAT,
        score=_mean([u.score for u in all_units]),
        impact_score=impact,
        impact_rag="none" if impact is None else score_rag(impact, config),
        preparation_score=preparation,
        preparation_rag=score_rag(preparation, config),
        criteria=len(criteria),
        criteria_green=sum(1 for c in criteria if c.rag == "green"),
        criteria_amber=sum(1 for c in criteria if c.rag == "amber"),
        criteria_red=sum(1 for c in criteria if c.rag == "red"),
        criteria_no_data=sum(1 for c in criteria if c.rag == "none"),
        units=all_units,
        gaps={severity: sum(1 for g in gaps if g.severity == severity) for severity in SEVERITIES},
    )


def assess_readiness(readiness: ReadinessInput, config: ReadinessConfig | None = None) -> ReadinessResult:
    """Apply every rule to every criterion, score them and say where the partnership stands."""
    config = config or ReadinessConfig()
    criteria = tuple(
        assess_criterion(criterion, readiness.as_of, config, readiness.grade_scale) for criterion in readiness.criteria
    )
    # Criteria are listed in framework order and each one's gaps are already sorted, so a stable sort by
    # severity gives "high to low, then criterion order".
    gaps = tuple(sorted((g for c in criteria for g in c.gaps), key=lambda gap: SEVERITIES.index(gap.severity)))
    return ReadinessResult(
        partnership_slug=readiness.partnership_slug,
        partnership_name=readiness.partnership_name,
        la_code=readiness.la_code,
        framework_id=readiness.framework_id,
        framework_version=readiness.framework_version,
        as_of=readiness.as_of,
        overall=overall(criteria, config, readiness.section_titles),
        criteria=criteria,
        gaps=gaps,
    )
