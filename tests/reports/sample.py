"""Readiness inputs for report tests and the benchmark, built on the shipped framework's 15 criteria.

`busy_input()` is a partnership part-way through its preparation: some of everything, and many gaps, from a
fixed seed so every run builds the same report. `no_data_input()` is a partnership that has done nothing yet.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from inspect_app.domain.readiness import (
    ComparatorSeries,
    CriterionInput,
    EvidenceFact,
    FeedbackFact,
    FollowUpFact,
    MeasureFact,
    ReadinessInput,
    SefFact,
)
from tests.factories import shipped_framework

AS_OF = date(2026, 11, 27)
GENERATED_AT = datetime(2026, 11, 27, 10, 0, 0)  # naive UTC, as the app clock gives it
PARTNERSHIP = {"slug": "northshire", "name": "Northshire local area partnership", "la_code": "805"}
OWNERS = ("Asha Patel", "Tom Okafor", "Rhiannon Evans", "Marek Nowak", None)
GRADES = ("strong", "secure", "developing", "weak")
# Rough England figures for the measures the tool compares (percentages unless the framework says otherwise).
ENGLAND = {
    "ehcp_20wk_excl": 46.4,
    "ehcp_20wk_incl": 43.2,
    "ehcp_over_52wk_excl": 12.5,
    "avg_weeks_to_issue": 27.9,
    "decision_6wk": 81.0,
    "decision_16wk_no_plan": 62.0,
    "reassessment_14wk": 55.0,
    "annual_review_on_time": 58.3,
    "review_decision_4wk": 54.7,
    "advice_6wk": 64.0,
    "amended_plan_8wk": 39.0,
    "review_completed_in_year": 56.8,
    "phase_transfer_on_time": 80.5,
    "neet_ehcp": 13.5,
    "ap_reintegration": 38.0,
    "nd_wait_13wk": 89.0,
    "cyp_community_wait_18wk": 24.0,
    "appeal_rate": 2.5,
    "absence_sen": 9.1,
    "suspension_rate_sen": 25.1,
    "ks2_rwm_sen": 24.0,
    "ks4_p8_sen": -0.55,
    "destinations_1618_sen": 80.0,
    "ap_absence": 36.0,
    "ap_good_outstanding": 82.0,
    "survey_listened_to": 51.0,
}


def readiness_input(criteria: tuple[CriterionInput, ...]) -> ReadinessInput:
    framework = shipped_framework()
    return ReadinessInput(
        partnership_slug=PARTNERSHIP["slug"],
        partnership_name=PARTNERSHIP["name"],
        la_code=PARTNERSHIP["la_code"],
        framework_id=framework.id,
        framework_version=framework.version,
        as_of=AS_OF,
        criteria=criteria,
        section_titles={section.id: section.title for section in framework.sections},
    )


def _wording(criterion) -> str:  # type: ignore[no-untyped-def]
    return "verified" if criterion.status == "C" else "provisional"


def _england(mid: str, value: float | None, rng: random.Random) -> tuple[ComparatorSeries, ...]:
    """England for 2023 and 2024 (DfE publishes a year late), the region for 2024 and 2025."""
    base = ENGLAND.get(mid)
    if base is None:
        return ()
    england = ComparatorSeries("E92000001", "England", "england", (("2023", base + 1.1), ("2024", base)))
    region = ComparatorSeries(
        "E12000002",
        "North West",
        "region",
        (("2024", round(base * 1.05, 1)), ("2025", round(base * rng.uniform(0.9, 1.1), 1))),
    )
    return (england, region) if rng.random() < 0.5 else (england,)


def no_data_input() -> ReadinessInput:
    """Every criterion of the shipped framework with its expected evidence and measures, and no facts at all."""
    framework = shipped_framework()
    criteria = []
    for criterion in framework.criteria:
        measures = tuple(
            MeasureFact(
                m.id,
                m.title,
                None,
                None,
                higher_is_better=m.higher_is_better,
                unit=m.unit,
                duty=m.duty,
                basis=m.basis,
                applicable_from_case_data=m.source == "case_data",
            )
            for m in (framework.measure(mid) for mid in criterion.measures)
        )
        criteria.append(
            CriterionInput(
                id=criterion.id,
                title=criterion.title,
                section_id=criterion.section_id,
                wording=_wording(criterion),
                expected_evidence_types=criterion.evidence_types,
                measures=measures,
            )
        )
    return readiness_input(tuple(criteria))


def busy_input(seed: int = 8) -> ReadinessInput:
    """A realistic partnership: evidence in every state, duties and measures either side of the law and England,
    comparators a year behind, partial feedback, practitioners apart, and actions from an inspection."""
    rng = random.Random(seed)
    framework = shipped_framework()
    criteria = []
    for index, criterion in enumerate(framework.criteria):
        titles = {t.id: t.title for t in framework.evidence_types}
        linked = [t for t in criterion.evidence_types if rng.random() < 0.6]
        evidence = tuple(
            EvidenceFact(
                id=f"{criterion.id}-{n}",
                title=f"{titles[t]} ({2025 + n % 2})",
                evidence_type=t,
                status=rng.choice(("approved", "approved", "approved", "draft", "ready_for_review", "returned")),
                review_by=AS_OF + timedelta(days=rng.randint(-120, 300)),
                owner=rng.choice(OWNERS),
                period_end=date(2025, 3, 31) if rng.random() < 0.2 else None,
            )
            for n, t in enumerate(linked, start=1)
        )
        measures = []
        for mid in criterion.measures:
            m = framework.measure(mid)
            england = ENGLAND.get(mid)
            value = None
            if rng.random() < 0.8:
                base = england if england is not None else rng.uniform(20, 600)
                value = round(base * rng.uniform(0.6, 1.3), 1) if base > 0 else round(base * rng.uniform(0.5, 1.5), 2)
            denominator = rng.randint(120, 480) if m.unit == "percent" and m.source == "case_data" else None
            numerator = round((value or 0) * denominator / 100) if denominator and value is not None else None
            history = tuple((str(2022 + k), round((value or 40) * rng.uniform(0.9, 1.2), 1)) for k in range(2))
            measures.append(
                MeasureFact(
                    m.id,
                    m.title,
                    "2025" if value is not None else None,
                    value,
                    numerator if value is not None else None,
                    denominator if value is not None else None,
                    m.higher_is_better,
                    unit=m.unit,
                    duty=m.duty,
                    basis=m.basis,
                    history=history,
                    comparators=_england(m.id, value, rng),
                    applicable_from_case_data=m.source == "case_data",
                )
            )
        responses = rng.choice((0, 3, 12, 48, 130))
        feedback = (
            FeedbackFact(responses, round(rng.uniform(30, 85), 1), None, None, ("parents_carers",))
            if responses
            else None
        )
        staff = rng.choice((0, 25))
        practitioners = (
            FeedbackFact(staff, round(rng.uniform(40, 90), 1), audiences=("practitioners",)) if staff else None
        )
        follow_up = ()
        if index in (0, 2):
            follow_up = (
                FollowUpFact(
                    100 + index, f"Improve {criterion.id}", "improvement", rng.choice(("on_track", "off_track")),
                    AS_OF - timedelta(days=30), None, rng.choice((0, 2)), f"/p/{PARTNERSHIP['slug']}/inspections/1",
                ),
            )  # fmt: skip
        sef = None
        if index % 5 != 4:
            sef = SefFact(
                grade=rng.choice(GRADES), signed_off=rng.random() < 0.4, updated_at=GENERATED_AT, has_text=True
            )
        criteria.append(
            CriterionInput(
                id=criterion.id,
                title=criterion.title,
                section_id=criterion.section_id,
                wording=_wording(criterion),
                expected_evidence_types=criterion.evidence_types,
                evidence_type_titles=titles,
                evidence=evidence,
                measures=tuple(measures),
                feedback=feedback,
                practitioners=practitioners,
                self_evaluation=sef,
                data_quality_issues=_data_quality(rng, measures),
                follow_up=follow_up,
            )
        )
    return readiness_input(tuple(criteria))


def _data_quality(rng: random.Random, measures: list[MeasureFact]) -> int:
    return rng.choice((0, 0, 0, 4)) if any(m.applicable_from_case_data for m in measures) else 0


def framework_label() -> str:
    framework = shipped_framework()
    return f"{framework.title}, version {framework.version}"
