"""Case-level records of the EHC needs assessment process, as the clocks and measures see them.

A case is one request for an EHC needs assessment, identified by the council's case reference. Only dates,
codes and derived facts are held: never names, dates of birth, addresses or pupil numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DECISIONS = ("assess", "not_assess", "withdrawn")
ASSESSMENT_OUTCOMES = ("plan", "no_plan")
REVIEW_OUTCOMES = ("maintain", "amend", "cease")
# SEN2 primary type of need codes (reference/data-formats.md §7).
PRIMARY_NEEDS = ("SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "DS", "OTH")


@dataclass(frozen=True, slots=True)
class Case:
    """One request for an EHC needs assessment and what followed it."""

    case_ref: str
    request_date: date
    decision_date: date | None = None
    decision: str | None = None  # one of DECISIONS
    assessment_outcome: str | None = None  # one of ASSESSMENT_OUTCOMES
    assessment_outcome_date: date | None = None
    final_plan_date: date | None = None
    exception: bool = False  # a 20-week exception applies (SEN2 `week20`)
    exception_reason: str | None = None
    primary_need: str | None = None  # one of PRIMARY_NEEDS
    age_at_request: int | None = None
    setting: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """One annual review meeting of an EHC plan and the council's decision after it."""

    case_ref: str
    meeting_date: date
    decision_date: date | None = None
    outcome: str | None = None  # one of REVIEW_OUTCOMES
