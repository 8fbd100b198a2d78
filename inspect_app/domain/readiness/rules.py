"""The gap rules: one entry in `RULES` per gap code, each explainable in one sentence.

A rule reads a criterion's `Facts` and yields findings: what is wrong, what to do, and where to do it (a
`Target` the service turns into a link). Messages name measures and evidence types by their titles, never by
their identifiers, because they are read on screen; the gap codes stay in the exports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from inspect_app.domain.measure_choices import exceptions_implausible
from inspect_app.domain.measures import EHCP_20WK_EXCL, EHCP_20WK_INCL, MeasureValue
from inspect_app.domain.readiness.compare import earlier_note, worse_by
from inspect_app.domain.readiness.facts import Facts, RatedMeasure
from inspect_app.domain.readiness.model import SEVERITIES, EvidenceFact, FollowUpFact, Gap, MeasureFact, Target
from inspect_app.domain.readiness.text import (
    dec,
    difference,
    figure,
    in_period,
    long_date,
    number,
    pct,
    plural,
    quoted_list,
)
from inspect_app.domain.readiness_config import ReadinessConfig


@dataclass(frozen=True, slots=True)
class Finding:
    """One instance a rule found; severity None means the rule's own severity."""

    message: str
    action: str
    target: Target | None = None
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


def _sef_edit(f: Facts) -> Target:
    return Target("sef_edit", criterion_id=f.criterion.id)


# --- Evidence ----------------------------------------------------------------------------------------------


def _no_evidence(f: Facts) -> Iterator[Finding]:
    cid = f.criterion.id
    if not f.criterion.evidence:
        yield Finding(
            f"No evidence is linked to {cid}.",
            f"Add the documents, links or data snapshots that show practice against {cid} to the evidence "
            f"library and link them to it.",
            Target("evidence_new", criterion_id=cid),
        )


def _missing_expected_evidence(f: Facts) -> Iterator[Finding]:
    cid = f.criterion.id
    for evidence_type in f.missing_types:
        title = f.type_title(evidence_type)
        yield Finding(
            f'No evidence of the type "{title}" is linked to {cid}, and the framework expects it.',
            f'Link an item of the type "{title}" to {cid}, or say in the self-evaluation why the partnership '
            f"does not hold one.",
            Target("evidence_new", criterion_id=cid, filters=(("evidence_type", evidence_type),)),
        )


def _owned_by(item: EvidenceFact) -> str:
    return f" (owner: {item.owner})" if item.owner else ""


def _by_owner(items: Sequence[EvidenceFact]) -> list[tuple[str | None, list[EvidenceFact]]]:
    """Group items by owner in the order each owner first appears (no owner is a group of its own)."""
    groups: dict[str | None, list[EvidenceFact]] = {}
    for item in items:
        groups.setdefault(item.owner, []).append(item)
    return list(groups.items())


def _titles(items: Sequence[EvidenceFact]) -> str:
    return quoted_list([item.title for item in items])


def _items_target(f: Facts, items: Sequence[EvidenceFact], **filters: str) -> Target:
    """One item's page, or the library filtered to the criterion (and status) for several."""
    if len(items) == 1:
        return Target("evidence_item", criterion_id=f.criterion.id, item_id=items[0].id)
    return Target("evidence_list", criterion_id=f.criterion.id, filters=tuple(filters.items()))


def _stale_reasons(f: Facts, item: EvidenceFact) -> str:
    reasons = []
    if item in set(f.overdue):
        reasons.append(f"was due for review on {long_date(item.review_by)}")
    if item in set(f.out_of_date):
        reasons.append(
            f"covers a period that ended on {long_date(item.period_end)}, more than "
            f"{f.config.stale_after_months} months before {long_date(f.as_of)}"
        )
    return " and ".join(reasons)


def _stale_evidence(f: Facts) -> Iterator[Finding]:
    """One gap per owner for the items past review or out of date, and one per owner for those due soon.

    A single item is named with its dates; several items of one owner are one gap naming them, so a library of
    thousands of items gives a register a person can act on, not one line per document.
    """
    flagged = {*f.overdue, *f.out_of_date}
    stale = [e for e in f.criterion.evidence if e in flagged]
    due_soon = set(f.due_soon)
    soon = [e for e in f.criterion.evidence if e in due_soon and e not in flagged]
    for owner, items in _by_owner(stale):
        if len(items) == 1:
            item = items[0]
            yield Finding(
                f'"{item.title}"{_owned_by(item)} {_stale_reasons(f, item)}.',
                f'Ask {owner or "its owner"} to review "{item.title}", replace it with a current version if '
                f"it is out of date, and set a new review-by date.",
                _items_target(f, items),
                owner=owner,
            )
        else:
            yield Finding(
                f"{len(items)} evidence items{_owned_by(items[0])} are past their review-by date or cover a "
                f"period that ended more than {f.config.stale_after_months} months before {long_date(f.as_of)}: "
                f"{_titles(items)}.",
                f"Ask {owner or 'their owners'} to review them, replace any that are out of date, and set new "
                f"review-by dates.",
                _items_target(f, items, stale="1"),
                owner=owner,
            )
    for owner, items in _by_owner(soon):
        first = min(item.review_by for item in items if item.review_by is not None)
        if len(items) == 1:
            message = (
                f'"{items[0].title}"{_owned_by(items[0])} is due for review on {long_date(first)}, within '
                f"{f.config.review_soon_days} days."
            )
            action = f'Ask {owner or "its owner"} to review "{items[0].title}" before {long_date(first)}.'
        else:
            message = (
                f"{len(items)} evidence items{_owned_by(items[0])} are due for review within "
                f"{f.config.review_soon_days} days, the first on {long_date(first)}: {_titles(items)}."
            )
            action = f"Ask {owner or 'their owners'} to review them before their review-by dates."
        yield Finding(message, action, _items_target(f, items, review="soon"), severity="low", owner=owner)


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
    for status, (one_state, one_action, many_state, many_action) in _UNAPPROVED.items():
        waiting = [e for e in f.criterion.evidence if e.status == status]
        for owner, items in _by_owner(waiting):
            target = _items_target(f, items, status=status)
            if len(items) == 1:
                item = items[0]
                yield Finding(
                    f'"{item.title}"{_owned_by(item)} {one_state}, so inspectors will not see it.',
                    one_action.format(title=f'"{item.title}"'),
                    target,
                    owner=owner,
                )
            else:
                yield Finding(
                    f"{len(items)} evidence items{_owned_by(items[0])} {many_state}, so inspectors will not see "
                    f"them: {_titles(items)}.",
                    many_action,
                    target,
                    owner=owner,
                )


# --- Measures ----------------------------------------------------------------------------------------------


def _counts(m: MeasureFact) -> str:
    if m.numerator is None or not m.denominator:
        return ""
    return f" ({m.numerator:,} of {m.denominator:,})"


def _duty_below_law(f: Facts) -> Iterator[Finding]:
    c = f.config
    for rated in f.measures:
        m = rated.fact
        if rated.rated_against != "law" or rated.rag not in ("amber", "red"):
            continue
        law = f" ({m.basis})" if m.basis else ""
        yield Finding(
            f"{m.title}: {figure(m.value, m.unit)}{in_period(m.period)}{_counts(m)}. The time limit is set in "
            f"law{law} and applies to every family; this tool rates a duty green from {number(c.duty_green_min)}% "
            f"and amber from {number(c.duty_amber_min)}%.",
            f"Find out why families wait beyond the time limit, and set out in the self-evaluation for "
            f"{f.criterion.id} what is being done about it, by whom and by when.",
            _sef_edit(f),
            severity="high" if rated.rag == "red" else "medium",
        )


def _worse_than_comparators(f: Facts) -> Iterator[Finding]:
    margin = dec(f.config.worse_than_comparators_margin_pp)
    for rated in f.measures:
        m = rated.fact
        if m.higher_is_better is None:
            continue
        worse = [c for c in rated.comparisons if worse_by(c, m.higher_is_better) > margin]
        if not worse:
            continue
        lines = "; ".join(
            f"{figure(c.local_value, m.unit)} against {figure(c.value, m.unit)} for {c.name} in {c.period}, "
            f"{difference(worse_by(c, m.higher_is_better), m.unit)} worse"
            for c in worse
        )
        earlier = [c for c in worse if not c.latest]
        newer = f" {earlier_note(m, rated.comparisons, earlier)}" if earlier else ""
        direction = "" if m.higher_is_better else " (lower is better)"
        yield Finding(
            f"{m.title}{direction}: {lines}.{newer}",
            f"Explain the difference in the self-evaluation for {f.criterion.id} and show what is being done to "
            f"close it, by whom and by when.",
            _sef_edit(f),
            severity="high" if rated.rated_against == "england" and rated.rag == "red" else None,
        )


def _series(m: MeasureFact) -> list[tuple[str, float]]:
    """Return the measure's figures oldest first, ending with the current one; a gap in the data breaks it."""
    points = [(period, value) for period, value in m.history if period != m.period]
    points.append((m.period or "latest", m.value))
    last_gap = max((i for i, (_, value) in enumerate(points) if value is None), default=-1)
    return [(period, value) for period, value in points[last_gap + 1 :] if value is not None]


def _measure_declining(f: Facts) -> Iterator[Finding]:
    periods = f.config.declining_periods
    for rated in f.measures:
        m = rated.fact
        if m.higher_is_better is None or m.value is None:
            continue
        series = _series(m)[-(periods + 1) :]
        if len(series) == periods + 1 and all(
            (dec(earlier) - dec(later) if m.higher_is_better else dec(later) - dec(earlier)) > 0
            for (_, earlier), (_, later) in zip(series, series[1:], strict=False)
        ):
            figures = ", ".join(f"{period} {figure(value, m.unit)}" for period, value in series)
            yield Finding(
                f"{m.title} got worse in each of the last {periods} periods: {figures}.",
                f"Find out why it is getting worse, and put the recovery action, its owner and a date in the "
                f"next steps of the self-evaluation for {f.criterion.id}.",
                _sef_edit(f),
            )


def _measure_no_data(f: Facts) -> Iterator[Finding]:
    for rated in f.measures:
        m = rated.fact
        if m.value is not None:
            continue
        when = f" for {m.period}" if m.period else ""
        if m.applicable_from_case_data:
            yield Finding(
                f"{m.title} has no figure{when}: no case records count towards it.",
                f"Import the case records{when} so the tool can work it out.",
                Target("case_import", criterion_id=f.criterion.id),
            )
        else:
            yield Finding(
                f"{m.title} has no figure{when}.",
                f"Add the latest {m.title} figure, with its source, to the evidence library as a data snapshot.",
                Target("evidence_new", criterion_id=f.criterion.id),
                severity="low",
            )


def _pairs(f: Facts) -> Iterator[tuple[MeasureFact, MeasureFact]]:
    """The (with exceptions, without exceptions) measure pairs the criterion has, for the same period."""
    by_id = {rated.fact.id: rated.fact for rated in f.measures}
    for with_id, without_id in f.config.exceptions_pairs:
        with_, without = by_id.get(with_id), by_id.get(without_id)
        if with_ is not None and without is not None and with_.period == without.period:
            yield with_, without


def _exceptions_implausible(f: Facts) -> Iterator[Finding]:
    """Exceptions claimed for an implausible share of plans, or the rate without them below the rate with them.

    The same check as the data-quality page's (`measure_choices.exceptions_implausible`), on the two 20-week
    figures of the criterion's period, with the same thresholds.
    """
    action = (
        "Check the exception reasons in the case records: the time limit stops applying only for the reasons the "
        "regulations give (a school or college closure, exceptional personal circumstances, or absence from the "
        "area), and the family is told."
    )
    for with_, without in _pairs(f):
        if None in (with_.numerator, with_.denominator, without.numerator, without.denominator):
            continue
        figures = {
            EHCP_20WK_INCL: _value(with_),
            EHCP_20WK_EXCL: _value(without),
        }
        reason = exceptions_implausible(figures, f.config.exceptions)
        if reason:
            yield Finding(reason, action, Target("data_quality", criterion_id=f.criterion.id))


def _value(fact: MeasureFact) -> MeasureValue:
    assert fact.numerator is not None and fact.denominator is not None and fact.period is not None
    return MeasureValue(fact.id, fact.period, fact.numerator, fact.denominator, fact.value)


def _data_quality(f: Facts) -> Iterator[Finding]:
    issues = f.criterion.data_quality_issues
    if issues > f.config.data_quality_max_issues:
        yield Finding(
            f"{plural(issues, 'case record')} behind the measures for {f.criterion.id} "
            f"{'has' if issues == 1 else 'have'} impossible or missing dates, so those measures may be wrong.",
            "Correct the dates in the case system and import the case file again; the data-quality page lists each "
            "case.",
            Target("data_quality", criterion_id=f.criterion.id),
        )


# --- Families ----------------------------------------------------------------------------------------------


def _no_family_voice(f: Facts) -> Iterator[Finding]:
    cid, feedback = f.criterion.id, f.criterion.feedback
    if f.enough_feedback:
        return
    if feedback is None or feedback.responses == 0:
        message = f"No answers from parents and carers or children and young people are mapped to {cid}."
    else:
        message = (
            f"{cid} has only {plural(feedback.responses, 'family survey response')} mapped to it; "
            f"at least {f.config.min_feedback_responses} are needed."
        )
    practitioners = f.criterion.practitioners
    if practitioners is not None and practitioners.responses:
        message += " Practitioners' answers are reported apart and do not count as family voice."
    yield Finding(
        message,
        f"With the parent carer forum, run or import a survey of families with questions mapped to {cid}.",
        Target("surveys", criterion_id=cid),
    )


def _feedback_negative(f: Facts) -> Iterator[Finding]:
    feedback = f.criterion.feedback
    if f.negative_feedback and feedback is not None and feedback.agree_pct is not None:
        interval = ""
        if feedback.agree_ci_low is not None and feedback.agree_ci_high is not None:
            interval = f" (95% confidence interval {pct(feedback.agree_ci_low)} to {pct(feedback.agree_ci_high)})"
        yield Finding(
            f"{pct(feedback.agree_pct)} of {feedback.responses} family responses for {f.criterion.id} agree"
            f"{interval}, below {number(f.config.negative_feedback_agree_pct)}%.",
            f"Read the families' comments for {f.criterion.id}, agree with the parent carer forum what will change, "
            f'and publish a "you said, we did" response.',
            Target("comments", criterion_id=f.criterion.id),
        )


# --- Self-evaluation ---------------------------------------------------------------------------------------


def _no_self_evaluation(f: Facts) -> Iterator[Finding]:
    cid = f.criterion.id
    if not f.sef_written:
        yield Finding(
            f"{cid} has no self-evaluation: no grade and no text.",
            f"Write the self-evaluation for {cid}: a grade, strengths, areas for development and next steps, "
            f"linked to evidence and data.",
            _sef_edit(f),
        )


def _sef_not_signed_off(f: Facts) -> Iterator[Finding]:
    sef, cid = f.criterion.self_evaluation, f.criterion.id
    if f.sef_written and sef is not None and not sef.signed_off:
        graded = f'graded "{sef.grade}"' if sef.grade else "not yet graded"
        yield Finding(
            f"The self-evaluation for {cid} ({graded}) has not been signed off by the partners.",
            f"Take the self-evaluation for {cid} to the partnership board for joint sign-off.",
            Target("sef_entry", criterion_id=cid),
        )


def _red_reason(rated: RatedMeasure) -> str:
    m = rated.fact
    if rated.rated_against == "law":
        return f"{m.title} is red at {figure(m.value, m.unit)} against the time limit in law"
    england = next(c for c in rated.comparisons if c.kind == "england")
    return (
        f"{m.title} is red at {figure(england.local_value, m.unit)} against {figure(england.value, m.unit)} for "
        f"England in {england.period}"
    )


def _sef_data_conflict(f: Facts) -> Iterator[Finding]:
    sef, cid = f.criterion.self_evaluation, f.criterion.id
    if not f.over_claims or sef is None:
        return
    reasons = [_red_reason(rated) for rated in f.red_measures]
    feedback = f.criterion.feedback
    if f.negative_feedback and feedback is not None and feedback.agree_pct is not None:
        reasons.append(f"only {pct(feedback.agree_pct)} of {feedback.responses} family responses agree")
    yield Finding(
        f'{cid} is graded "{sef.grade}" but {"; ".join(reasons)}.',
        f"Test the grade for {cid} against the data: lower it, or set out in the self-evaluation the evidence "
        f"that the data does not tell the whole story.",
        _sef_edit(f),
    )


# --- Follow-up of the last inspection ----------------------------------------------------------------------

_KIND_LABELS = {"priority_action": "area for priority action", "improvement": "area for improvement"}


def _follow_up_target(f: Facts, action: FollowUpFact) -> Target:
    return Target("follow_up", criterion_id=f.criterion.id, item_id=action.action_id, href=action.link)


def _follow_up_off_track(f: Facts) -> Iterator[Finding]:
    for action in f.off_track:
        kind = _KIND_LABELS.get(action.kind, "action")
        if action.status == "off_track":
            state = "is marked off track"
        else:
            state = f"was due on {long_date(action.due)} and has had no progress update since"
        yield Finding(
            f'The {kind} "{action.title}" from the last inspection {state}.',
            f'Update "{action.title}": record the progress made, or agree a new date and what will be done to meet it.',
            _follow_up_target(f, action),
            severity="high" if action.kind == "priority_action" else "medium",
        )


def _follow_up_no_evidence(f: Facts) -> Iterator[Finding]:
    off_track = set(f.off_track)
    for action in f.criterion.follow_up:
        if action in off_track or action.evidence_linked:
            continue
        kind = _KIND_LABELS.get(action.kind, "action")
        yield Finding(
            f'The {kind} "{action.title}" from the last inspection has no approved evidence linked, so the '
            f"partnership cannot show its progress.",
            f'Link approved evidence of what has changed to "{action.title}".',
            _follow_up_target(f, action),
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
        "DUTY_BELOW_LAW",
        "high",
        "A time limit set in law applies to every family, so a statutory duty met for fewer than "
        "{c.duty_green_min:g}% of cases is flagged: at high severity below {c.duty_amber_min:g}%.",
        _duty_below_law,
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
        "FOLLOW_UP_OFF_TRACK",
        "high",
        "An area for priority action or improvement from the last inspection that is off track, or past its date "
        "by more than {c.follow_up_grace_days} days with no progress update since, is flagged: at high severity "
        "for a priority action.",
        _follow_up_off_track,
    ),
    Rule(
        "MEASURE_WORSE_THAN_COMPARATORS",
        "medium",
        "A measure worse than England, the region or the statistical neighbours by more than "
        "{c.worse_than_comparators_margin_pp:g} percentage points in the same year is flagged (at high severity "
        "when that makes a measure that is not a duty red); a comparator from another year never is.",
        _worse_than_comparators,
    ),
    Rule(
        "MEASURE_DECLINING",
        "medium",
        "A measure that got worse than the period before in each of the last {c.declining_periods} periods is "
        "flagged, even if it still compares well.",
        _measure_declining,
    ),
    Rule(
        "EXCEPTIONS_IMPLAUSIBLE",
        "medium",
        "Exceptions to the 20-week limit claimed for more than {c.exceptions.max_share:.0%} of plans, or a "
        "figure leaving them out that is lower than the figure with them, suggest the exceptions are not recorded "
        "as the regulations allow.",
        _exceptions_implausible,
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
        "A linked measure without a figure is flagged: at medium severity when the tool could work it out from "
        "imported case records, at low severity otherwise.",
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
        "Inspectors ask what families say, so each criterion needs at least {c.min_feedback_responses} answers "
        "from parents and carers or children and young people mapped to it; practitioners' answers do not count.",
        _no_family_voice,
    ),
    Rule(
        "SEF_NOT_SIGNED_OFF",
        "medium",
        "The self-evaluation inspectors see should be the partners' joint view, so each one needs their sign-off.",
        _sef_not_signed_off,
    ),
    Rule(
        "FOLLOW_UP_NO_EVIDENCE",
        "medium",
        "An area for priority action or improvement that is not off track but has no approved evidence linked "
        "cannot show its progress, so it is flagged.",
        _follow_up_no_evidence,
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
            target=finding.target,
        )
        for rule in RULES
        for finding in rule.check(facts)
    ]
    return tuple(sorted(gaps, key=lambda gap: SEVERITIES.index(gap.severity)))
