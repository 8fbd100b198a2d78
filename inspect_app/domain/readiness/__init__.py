"""Readiness and gap analysis: explainable rules over a partnership's data, families' views, evidence and
self-evaluation.

The report answers two questions separately, per criterion and overall (DESIGN.md "Readiness: what it
measures"): **impact** (what the data and families say: statutory duties against the law, other measures
against comparators for the same year, family voice) and **preparation** (can the partnership show it:
evidence, self-evaluation, follow-up of the last inspection). Services fill the inputs (`model`);
`assess_readiness` applies the gap rules (`rules`), the scores (`score`) and the overall position (`assess`);
`readiness_to_json` writes the `inspect-app/readiness/2` document (`document`). Every threshold comes from
`ReadinessConfig`. The overall position is the tool's own estimate, in its own words, and always carries
`CAVEAT`.

Modules: `model` (inputs and results), `compare` (like-with-like comparisons, RAG of a measure), `facts`
(what the rules and scores share), `rules`, `score`, `assess`, `document`, `text` (wording of figures).
"""

from inspect_app.domain.readiness.assess import assess_criterion, assess_readiness, overall, position, units
from inspect_app.domain.readiness.compare import comparisons, duty_rag, pair, worse_by
from inspect_app.domain.readiness.document import readiness_to_json
from inspect_app.domain.readiness.facts import Facts, derive_facts
from inspect_app.domain.readiness.model import (
    CAVEAT,
    COMPARATOR_KINDS,
    DEFAULT_GRADE_SCALE,
    EVIDENCE_STATUSES,
    FAMILY_AUDIENCES,
    FOLLOW_UP_KINDS,
    FOLLOW_UP_STATUSES,
    PART_RAGS,
    POSITION_LABELS,
    POSITIONS,
    RAGS,
    SCHEMA,
    SEVERITIES,
    TARGET_KINDS,
    WORDINGS,
    ComparatorSeries,
    Comparison,
    CriterionInput,
    CriterionResult,
    EvidenceFact,
    FeedbackFact,
    FollowUpFact,
    FollowUpResult,
    Gap,
    MeasureFact,
    MeasureResult,
    OverallResult,
    PartScore,
    ReadinessInput,
    ReadinessResult,
    ScorePart,
    SefFact,
    Target,
    Unit,
    VoiceResult,
)
from inspect_app.domain.readiness.rules import GAP_CODES, RULES, RULES_BY_CODE, Rule, find_gaps
from inspect_app.domain.readiness.score import PART_LABELS, combined_rag, score_rag

__all__ = [
    "CAVEAT",
    "COMPARATOR_KINDS",
    "DEFAULT_GRADE_SCALE",
    "EVIDENCE_STATUSES",
    "FAMILY_AUDIENCES",
    "FOLLOW_UP_KINDS",
    "FOLLOW_UP_STATUSES",
    "GAP_CODES",
    "PART_LABELS",
    "PART_RAGS",
    "POSITIONS",
    "POSITION_LABELS",
    "RAGS",
    "RULES",
    "RULES_BY_CODE",
    "SCHEMA",
    "SEVERITIES",
    "TARGET_KINDS",
    "WORDINGS",
    "Comparison",
    "ComparatorSeries",
    "CriterionInput",
    "CriterionResult",
    "EvidenceFact",
    "Facts",
    "FeedbackFact",
    "FollowUpFact",
    "FollowUpResult",
    "Gap",
    "MeasureFact",
    "MeasureResult",
    "OverallResult",
    "PartScore",
    "ReadinessInput",
    "ReadinessResult",
    "Rule",
    "ScorePart",
    "SefFact",
    "Target",
    "Unit",
    "VoiceResult",
    "assess_criterion",
    "assess_readiness",
    "combined_rag",
    "comparisons",
    "derive_facts",
    "duty_rag",
    "find_gaps",
    "overall",
    "pair",
    "position",
    "readiness_to_json",
    "score_rag",
    "units",
    "worse_by",
]
