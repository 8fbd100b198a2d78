"""Demo step: synthetic case data and annual reviews, imported the way a partnership imports its extracts.

`inspect-app demo --cases N --seed S` gets N requests for assessment over the last five calendar years up to the
demo's date, with the plans' annual reviews and a few records spoiled the way case systems spoil them, from
`domain/synthetic_cases.py`. They are written as the CSV files a case system exports and imported through the
same service as an upload (services/case_imports.py: an import record, checks, all-or-nothing, audit).

The step draws from its own generator seeded by the demo's seed, never from the shared `DemoContext.rng`: the
steps after it (evidence, the self-evaluation, family feedback) draw the same numbers whether or not case data
is made, and however many cases. Every date is read against the demo's own clock (`DemoContext.now`), so a demo
built for another day (the tests' fixed date) does not have its latest cases refused as dated in the future.
"""

from __future__ import annotations

from inspect_app.demo.context import DemoContext
from inspect_app.domain.errors import InspectAppError
from inspect_app.domain.synthetic_cases import (
    add_data_quality_problems,
    case_file,
    generate_cases,
    generate_reviews,
    review_file,
)
from inspect_app.models import DataImport
from inspect_app.services import audit, case_imports, timeliness

YEARS = 5  # calendar years of requests, the last one up to the demo's date
IMPORTER = "contributor@demo.example"  # the demo's SEND data analyst imports the extracts


class DemoImportFailed(InspectAppError):
    """The demo's own synthetic file did not import (a bug in the generator, never the user's doing)."""


def add_case_data(ctx: DemoContext) -> None:
    """Generate the demo's cases and reviews and import them as a contributor would (skipped for --cases 0)."""
    if ctx.cases <= 0:
        ctx.summary.append("Case data: none (--cases 0)")
        return
    today = ctx.now.date()
    cases = generate_cases(ctx.cases, ctx.seed, today.year - YEARS + 1, today.year, as_of=today)
    reviews = generate_reviews(cases, ctx.seed + 1, today)
    spoiled = add_data_quality_problems(cases, reviews, ctx.seed + 2, today)
    actor = audit.Actor.of(ctx.people.get(IMPORTER))
    imported = [
        _import(ctx, actor, "cases", "case-system-extract.csv", case_file(cases)),
        _import(ctx, actor, "reviews", "annual-reviews.csv", review_file(reviews)),
    ]
    timeliness.store_summary(ctx.session, ctx.partnership.id, today, when=ctx.now)  # as an import's job does
    ctx.summary.append(
        f"Case data: {imported[0].added:,} requests for assessment ({today.year - YEARS + 1} to {today.year}) and "
        f"{imported[1].added:,} annual reviews, imported from CSV; {sum(spoiled.values())} records with "
        "data-quality problems to find"
    )


def _import(ctx: DemoContext, actor: audit.Actor, kind: str, filename: str, data: bytes) -> DataImport:
    record = case_imports.create_import(
        ctx.session, actor, ctx.partnership, kind=kind, filename=filename, data=data, when=ctx.now
    )
    case_imports.mark_running(record, when=ctx.now)
    summary = case_imports.run_import(ctx.session, record, data, today=ctx.now.date(), when=ctx.now)
    if not summary.ok:
        problems = [summary.message] if summary.message else [str(error) for error in summary.errors[:5]]
        raise DemoImportFailed(f"The demo {kind} file did not import: {'; '.join(problems)}")
    return record
