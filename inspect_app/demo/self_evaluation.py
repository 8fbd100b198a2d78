"""Demo step: the self-evaluation, part-written and part-signed-off."""

from __future__ import annotations

from inspect_app.demo.context import DemoContext
from inspect_app.services import audit
from inspect_app.services.frameworks import partnership_framework
from inspect_app.services.self_evaluation import EntryContent, save_entry, sign_off

DEFAULT_DEMO_GRADES = ("strong", "secure", "developing", "weak")

_DEMO_TEXT = {
    "EXP1": (
        "developing",
        "Early years and health visiting identify needs early; the SEND support offer in schools is well used.",
        "Too many EHC plans take longer than 20 weeks; educational psychology advice is late.",
        "Children starting reception in 2026 had support in place from day one in 9 of 10 settings audited.",
    ),
    "EXP2": (
        "developing",
        "Co-produced plan templates; SENDIASS reaches most families who ask.",
        "Young people's own words are missing from a third of the plans audited.",
        "Complaints about not being listened to fell from 41 to 26 over the year.",
    ),
    "EXP3": (
        "strong",
        "Therapy waits have fallen; short breaks are easy to reach.",
        "Annual reviews are often late, so plans go out of date.",
        "Speech and language waits fell from 31 to 14 weeks.",
    ),
    "EXP4": (
        "developing",
        "Supported internships have doubled.",
        "Preparation for adulthood starts too late.",
        "Twelve more young people with plans are in paid work.",
    ),
    "LEAD1": (
        "secure",
        "A shared SEND strategy signed by the council, ICB and parent carer forum.",
        "Targets in the strategy are not all measurable.",
        "Board decisions now cite family feedback.",
    ),
    "LEAD3": (
        "strong",
        "A joint needs assessment refreshed this year.",
        "Health data is patchy by school.",
        "Commissioning moved to where the demand is.",
    ),
    "AP1": (
        "secure",
        "Every alternative provision placement is commissioned against a written plan with a named review date.",
        "Reintegration plans are not yet shared with families in writing.",
        "Nine in ten pupils placed in alternative provision this year had a review within six weeks.",
    ),
}
# The story the demo tells: honest "developing" grades signed off where the data is weak (EXP1, EXP2), a
# secure grade signed off where the evidence backs it (AP1), one "strong" that the data contradicts (EXP3, the
# over-claim inspectors notice first), one criterion waiting for the ICB's signature and the rest drafts.
_DEMO_SIGNERS = {
    "EXP1": ("lead@demo.example", "icb.lead@demo.example"),
    "EXP2": ("lead@demo.example", "icb.lead@demo.example"),
    "EXP3": ("lead@demo.example", "icb.lead@demo.example"),
    "AP1": ("lead@demo.example", "icb.lead@demo.example"),
    "EXP4": ("lead@demo.example",),
}


def add_self_evaluation(ctx: DemoContext) -> None:
    """Write the demo's evaluations and sign some of them off, as the story above says."""
    _, framework = partnership_framework(ctx.session, ctx.partnership)
    writer = audit.Actor.of(ctx.people["contributor@demo.example"])
    memberships = {m.user.email: m for m in ctx.partnership.memberships}
    for criterion_id, (grade, strengths, areas, impact) in _DEMO_TEXT.items():
        content = EntryContent(grade=grade, strengths=strengths, areas_for_development=areas, impact=impact)
        entry = save_entry(
            ctx.session,
            writer,
            ctx.partnership,
            framework,
            criterion_id,
            content,
            grades=DEFAULT_DEMO_GRADES,
            when=ctx.now,
        )
        for email in _DEMO_SIGNERS.get(criterion_id, ()):
            sign_off(
                ctx.session,
                audit.Actor.of(ctx.people[email]),
                memberships[email],
                entry,
                version=entry.current_version,
                required=("council", "icb"),
                when=ctx.now,
            )
    signed = sum(1 for signers in _DEMO_SIGNERS.values() if len(signers) == 2)
    ctx.summary.append(f"Self-evaluation: {len(_DEMO_TEXT)} criteria drafted, {signed} signed off by council and ICB")
