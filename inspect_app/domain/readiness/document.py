"""The readiness result as the `inspect-app/readiness/2` JSON document (DESIGN.md; JSON Schema in reports/schemas).

Impact and preparation are answered separately, per criterion and overall. The overall position is in the
tool's own words and always carries the caveat and its reason. Every comparator keeps its own period and the
local figure for that same period; percentages and averages are rounded half up to one decimal place, as DfE
publishes them (numerators and denominators keep the exact figure).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from inspect_app.domain.readiness.model import (
    CAVEAT,
    COUNT,
    SCHEMA,
    SEVERITIES,
    CriterionResult,
    Gap,
    MeasureResult,
    PartScore,
    ReadinessResult,
    VoiceResult,
)
from inspect_app.domain.readiness.text import one_decimal

LinkFor = Callable[[Gap], str | None]


def readiness_to_json(
    result: ReadinessResult, generated_at: datetime, link_for: LinkFor | None = None
) -> dict[str, Any]:
    """Return the `inspect-app/readiness/2` document; a naive generated_at is taken as UTC.

    `link_for` turns a gap's target into the address where it is acted on (none without it).
    """
    if generated_at.tzinfo is None:
        generated_at = generated_at.replace(tzinfo=UTC)
    overall = result.overall
    links = link_for or (lambda gap: None)
    return {
        "schema": SCHEMA,
        "partnership": {"slug": result.partnership_slug, "name": result.partnership_name, "la_code": result.la_code},
        "framework": {"id": result.framework_id, "version": result.framework_version},
        "generated_at": generated_at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "as_of": result.as_of.isoformat(),
        "caveat": CAVEAT,
        "overall": {
            "position": overall.position,
            "label": overall.label,
            "reason": overall.reason,
            "score": overall.score,
            "impact": {"score": overall.impact_score, "rag": overall.impact_rag},
            "preparation": {"score": overall.preparation_score, "rag": overall.preparation_rag},
            "criteria": overall.criteria,
            "criteria_green": overall.criteria_green,
            "gaps": {severity: overall.gaps[severity] for severity in SEVERITIES},
        },
        "criteria": [_criterion(c, links) for c in result.criteria],
        "gaps": [{"criterion": g.criterion_id, **_gap(g, links)} for g in result.gaps],
    }


def _part(part: PartScore) -> dict[str, Any]:
    return {"score": part.score, "rag": part.rag}


def _voice(voice: VoiceResult, audiences: bool) -> dict[str, Any]:
    document: dict[str, Any] = {"responses": voice.responses, "agree_pct": one_decimal(voice.agree_pct)}
    if audiences:
        document["audiences"] = list(voice.audiences)
    return document


def _criterion(c: CriterionResult, links: LinkFor) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "wording": c.wording,
        "score": c.score,
        "rag": c.rag,
        "impact": {
            **_part(c.impact),
            "measures": [_measure(m) for m in c.measures],
            "family_voice": _voice(c.family_voice, audiences=True),
        },
        "practitioners": _voice(c.practitioners, audiences=False),
        "preparation": {
            **_part(c.preparation),
            "evidence": {"linked": c.evidence_linked, "approved": c.evidence_approved, "stale": c.evidence_stale},
            "self_evaluation": {"grade": c.grade, "signed_off": c.signed_off},
            "follow_up": {"actions": c.follow_up.actions, "off_track": c.follow_up.off_track},
        },
        "gaps": [_gap(g, links) for g in c.gaps],
    }


def _value(value: float | None, unit: str) -> float | int | None:
    if value is None:
        return None
    return int(value) if unit == COUNT and float(value).is_integer() else one_decimal(value)


def _measure(m: MeasureResult) -> dict[str, Any]:
    return {
        "id": m.id,
        "period": m.period,
        "value": _value(m.value, m.unit),
        "numerator": m.numerator,
        "denominator": m.denominator,
        "duty": m.duty,
        "rag": m.rag,
        "comparators": [
            {
                "area_code": c.area_code,
                "name": c.name,
                "period": c.period,
                "value": _value(c.value, m.unit),
                "local_value": _value(c.local_value, m.unit),
            }
            for c in m.comparisons
        ],
    }


def _gap(g: Gap, links: LinkFor) -> dict[str, Any]:
    return {
        "code": g.code,
        "severity": g.severity,
        "message": g.message,
        "action": g.action,
        "link": links(g),
    }
