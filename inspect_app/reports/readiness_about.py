"""How the readiness report is made up, in plain English, from the configuration in use.

The same paragraphs close every format of the report and make up the in-app "How it is made up" page, so the
explanation never drifts from the rules: every number in them comes from `ReadinessConfig`.
"""

from __future__ import annotations

from collections.abc import Mapping

from inspect_app.domain.readiness import CAVEAT, POSITION_LABELS
from inspect_app.domain.readiness.text import number, share_text
from inspect_app.domain.readiness_config import ReadinessConfig

PROVISIONAL = "Provisional wording"


def _sections(config: ReadinessConfig, section_titles: Mapping[str, str]) -> str:
    names = [f'"{section_titles.get(sid, sid)}"' for sid in config.count_once_sections]
    if not names:
        return ""
    verb = "counts" if len(names) == 1 else "count"
    return (
        f" The {' and '.join(names)} section {verb} as one criterion, its criteria averaged first, while the "
        f"wording of its criteria is provisional, so placeholder criteria do not weigh as several."
    )


def about(config: ReadinessConfig | None = None, section_titles: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Return the paragraphs that explain the readiness model with this configuration's numbers."""
    c = config or ReadinessConfig()
    impact = number(c.impact_share * 100)
    preparation = number((1 - c.impact_share) * 100)
    labels = POSITION_LABELS
    return (
        "The report answers two questions about each criterion, separately. Impact: what the data and families "
        "say about children's experiences and outcomes. Preparation: whether the partnership can show it. "
        "Inspection evaluates impact, so impact carries most of the weight.",
        f"Impact. Each statutory duty, a time limit set in law such as issuing an EHC plan within 20 weeks, is "
        f"rated against the law, not against other areas: green when at least {number(c.duty_green_min)}% of "
        f"cases met the time limit, amber from {number(c.duty_amber_min)}%, red below. Other measures are rated "
        f"against England for the same year. Family voice is what parents and carers and children and young people "
        f"say, once at least {c.min_feedback_responses} have answered; practitioners' answers are shown apart, as "
        f'"Practitioners say", and never count as family voice.',
        "Comparisons are like with like. England, the region and the statistical neighbours are shown beside every "
        "measure, each for the same year as the partnership's figure. Where a comparator has not published that "
        "year yet, the latest year both have is compared and named, and the report says the newer figure has no "
        f"published comparator yet. A figure worse than a comparator by more than "
        f"{number(c.worse_than_comparators_margin_pp)} percentage points in the same year is listed as a gap; "
        "comparators never change the colour of a duty. Figures are rounded as DfE rounds them: half up to one "
        "decimal place.",
        "Preparation. Evidence linked for each type the framework expects, evidence approved and in date, the "
        "self-evaluation written and signed off by the partners, and progress on the areas for improvement or "
        "priority action from the last inspection.",
        f"Each part earns a share of its weight, and a part with no data drops out while the others share its "
        f"weight. A criterion scores {impact}% of its impact and {preparation}% of its preparation. It is never "
        f"rated better than its impact, and it is green only when its preparation is green too: excellent paperwork "
        f'cannot make up for weak impact. A criterion with no data on impact reads "Not enough data" and is never '
        f"green.",
        f"The overall scores average the criteria.{_sections(c, section_titles or {})} The overall position is in "
        f'this tool\'s own words: "{labels["ready"]}", "{labels["partly_ready"]}", "{labels["not_ready"]}", or '
        f'"{labels["not_enough_data"]}" while fewer than {share_text(c.position_min_data_share)} of the criteria '
        f"have any data on impact. The report always gives the reason for it.",
        f'Criteria whose wording the framework has not confirmed yet are marked "{PROVISIONAL.lower()}".',
        f"{CAVEAT}. Its words are never an inspection outcome.",
    )
