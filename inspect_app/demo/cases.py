"""Demo step: the partnership's case data, arriving as the SEN2 returns a council sends DfE each January.

`inspect-app demo --cases N --seed S` gets N requests for assessment over the last five calendar years up to the
demo's date (`domain/synthetic_cases.py`), given every state of the EHC journey and some plans older than the
data (`domain/synthetic_sen2.add_journey_states`), with the plans' annual reviews and a few records spoiled the way
case systems spoil them. They are written as one SEN2 XML return per collection year, the last a draft of this
year's, in that year's layout (`domain/synthetic_sen2.returns_for`), and imported oldest first through the same
service as an upload (services/case_imports.py, kind "sen2": an import record, checks, all-or-nothing, audit).
Each later return updates the cases of the earlier ones through their pseudonymous references.

The step draws from its own generator seeded by the demo's seed, never from the shared `DemoContext.rng`: the
steps after it draw the same numbers whether or not case data is made, and however many cases. Every date is read
against the demo's own clock (`DemoContext.now`), so a demo built for another day does not have its latest cases
refused as dated in the future.
"""

from __future__ import annotations

from inspect_app.demo.context import DemoContext
from inspect_app.domain.errors import InspectAppError
from inspect_app.domain.sen2_returns import write_xml
from inspect_app.domain.synthetic_cases import add_data_quality_problems, generate_cases, generate_reviews
from inspect_app.domain.synthetic_sen2 import add_journey_states, collection_years, returns_for
from inspect_app.models import DataImport
from inspect_app.services import audit, case_imports, timeliness

YEARS = 5  # calendar years of requests, the last one up to the demo's date
IMPORTER = "contributor@demo.example"  # the demo's SEND data analyst imports the returns


class DemoImportFailed(InspectAppError):
    """The demo's own synthetic return did not import (a bug in the generator, never the user's doing)."""


def add_case_data(ctx: DemoContext) -> None:
    """Generate the demo's case history and import it as SEN2 returns, as a contributor would (not for --cases 0)."""
    if ctx.cases <= 0:
        ctx.summary.append("Case data: none (--cases 0)")
        return
    today = ctx.now.date()
    first_year = today.year - YEARS + 1
    cases = generate_cases(ctx.cases, ctx.seed, first_year, today.year, as_of=today)
    reviews = generate_reviews(cases, ctx.seed + 1, today)
    states = add_journey_states(cases, reviews, ctx.seed + 3, today, first_year)
    spoiled = add_data_quality_problems(cases, reviews, ctx.seed + 2, today)
    actor = audit.Actor.of(ctx.people.get(IMPORTER))
    la_code = ctx.partnership.la_code or "805"
    imported = []
    for header, people in returns_for(cases, reviews, la_code, collection_years(first_year, today), today):
        filename = f"sen2-{header.year}-{la_code}.xml"
        imported.append(_import(ctx, actor, filename, write_xml(header, people)))
    timeliness.store_summary(ctx.session, ctx.partnership.id, today, when=ctx.now)  # as an import's job does
    ctx.summary.append(
        f"Case data: {ctx.cases:,} requests for assessment ({first_year} to {today.year}) with their plans and "
        f"annual reviews, imported from {len(imported)} SEN2 returns (collection years "
        f"{first_year + 1} to {today.year + 1}); {states['moved_out']} moves out of the area, "
        f"{states['overturned']} refusals overturned, {states['reassessments']} re-assessments, "
        f"{states['ceased']} plans ceased, {states['older_plans']} plans older than the data; "
        f"{sum(spoiled.values())} records with data-quality problems to find"
    )


def _import(ctx: DemoContext, actor: audit.Actor, filename: str, data: bytes) -> DataImport:
    record = case_imports.create_import(
        ctx.session, actor, ctx.partnership, kind="sen2", filename=filename, data=data, when=ctx.now
    )
    case_imports.mark_running(record, when=ctx.now)
    summary = case_imports.run_import(ctx.session, record, data, today=ctx.now.date(), when=ctx.now)
    if not summary.ok:
        problems = (
            [summary.message]
            if summary.message
            else [case_imports.describe_row_error("sen2", error) for error in summary.errors[:5]]
        )
        raise DemoImportFailed(f"The demo return {filename} did not import: {'; '.join(problems)}")
    return record
