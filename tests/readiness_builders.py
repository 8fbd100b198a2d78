"""Builders for readiness inputs: a criterion with nothing wrong, so each test changes one thing.

The healthy criterion has one approved, in-date evidence item of its one expected type; a statutory duty met
for 95% of cases (green against the law) with England's figure for the same year; 20 family responses, 80%
agreeing; and a signed-off self-evaluation graded "developing". Its impact and preparation are both green.
"""

from __future__ import annotations

from datetime import date

from inspect_app.domain.readiness import (
    ComparatorSeries,
    CriterionInput,
    EvidenceFact,
    FeedbackFact,
    FollowUpFact,
    Gap,
    MeasureFact,
    ReadinessInput,
    SefFact,
    assess_criterion,
)
from inspect_app.domain.readiness_config import ReadinessConfig

AS_OF = date(2025, 3, 1)
DEFAULTS = ReadinessConfig()


def england(*figures: tuple[str, float | None]) -> ComparatorSeries:
    return ComparatorSeries("E92000001", "England", "england", tuple(figures))


def region(*figures: tuple[str, float | None]) -> ComparatorSeries:
    return ComparatorSeries("E12000002", "North West", "region", tuple(figures))


def neighbours(*figures: tuple[str, float | None]) -> ComparatorSeries:
    return ComparatorSeries("neighbours", "Statistical neighbours (average)", "neighbours", tuple(figures))


def evidence(**overrides) -> EvidenceFact:
    values = {
        "id": 1,
        "title": "EHC needs assessment audit 2024",
        "evidence_type": "ehcna_audit",
        "status": "approved",
        "review_by": date(2025, 9, 1),
        "owner": "Asha Patel",
        "period_end": None,
    }
    return EvidenceFact(**(values | overrides))


def duty(**overrides) -> MeasureFact:
    """A statutory duty: EHC plans within 20 weeks, 95% in 2024, England 46.4% the same year."""
    values = {
        "id": "ehcp_20wk_excl",
        "title": "EHC plans issued within 20 weeks, excluding exceptions",
        "period": "2024",
        "value": 95.0,
        "numerator": 95,
        "denominator": 100,
        "higher_is_better": True,
        "duty": True,
        "basis": "SEND Regulations 2014 reg 13(2)",
        "history": (),
        "comparators": (england(("2024", 46.4)),),
        "applicable_from_case_data": True,
    }
    return MeasureFact(**(values | overrides))


def measure(**overrides) -> MeasureFact:
    """A measure that is not a duty, compared with England: 50% in 2024 against 46.4%."""
    values = {
        "id": "review_completed_in_year",
        "title": "Annual reviews completed in the year",
        "period": "2024",
        "value": 50.0,
        "numerator": 50,
        "denominator": 100,
        "higher_is_better": True,
        "duty": False,
        "comparators": (england(("2024", 46.4)),),
        "history": (),
        "applicable_from_case_data": True,
    }
    return MeasureFact(**(values | overrides))


def feedback(**overrides) -> FeedbackFact:
    values = {
        "responses": 20,
        "agree_pct": 80.0,
        "agree_ci_low": 58.4,
        "agree_ci_high": 91.9,
        "audiences": ("parents_carers",),
    }
    return FeedbackFact(**(values | overrides))


def sef(**overrides) -> SefFact:
    values = {"grade": "developing", "signed_off": True, "updated_at": None, "has_text": True}
    return SefFact(**(values | overrides))


def action(**overrides) -> FollowUpFact:
    values = {
        "action_id": 7,
        "title": "Cut waits for EHC needs assessments",
        "kind": "priority_action",
        "status": "on_track",
        "due": date(2025, 6, 30),
        "last_progress": date(2025, 2, 1),
        "evidence_linked": 1,
        "link": "/p/northshire/inspections/3#action-7",
    }
    return FollowUpFact(**(values | overrides))


def criterion(**overrides) -> CriterionInput:
    values = {
        "id": "EXP1",
        "title": "Children and young people's needs are identified accurately and assessed in a timely way.",
        "section_id": "EXP",
        "expected_evidence_types": ("ehcna_audit",),
        "evidence_type_titles": {
            "ehcna_audit": "EHC needs assessment audit",
            "jsna": "Joint strategic needs assessment",
        },
        "evidence": (evidence(),),
        "measures": (duty(),),
        "feedback": feedback(),
        "self_evaluation": sef(),
        "data_quality_issues": 0,
    }
    return CriterionInput(**(values | overrides))


def readiness_input(*criteria: CriterionInput, **overrides) -> ReadinessInput:
    values = {
        "partnership_slug": "northshire",
        "partnership_name": "Northshire local area partnership",
        "la_code": "805",
        "framework_id": "area-send",
        "framework_version": "2025-07-07",
        "as_of": AS_OF,
        "criteria": criteria,
        "section_titles": {"EXP": "Impact", "LEAD": "Leadership", "AP": "Alternative provision"},
    }
    return ReadinessInput(**(values | overrides))


def gaps_for(item: CriterionInput, config: ReadinessConfig = DEFAULTS, **kwargs) -> tuple[Gap, ...]:
    return assess_criterion(item, AS_OF, config, **kwargs).gaps


def gaps_with_code(code: str, item: CriterionInput, config: ReadinessConfig = DEFAULTS, **kwargs) -> list[Gap]:
    return [gap for gap in gaps_for(item, config, **kwargs) if gap.code == code]
