"""The inspection cycle's part of tests/test_security.py: objects of partnership B for the tenancy sweep, and a
recipe for each of its state-changing services for the audit check (kept here so that file stays short)."""

from __future__ import annotations


def findings_of_b(world):  # type: ignore[no-untyped-def]
    """An action with a progress update on partnership B's inspection, and a list check of B's (made once)."""
    if not hasattr(world, "findings_of_b"):
        from inspect_app.extensions import db
        from inspect_app.services import audit
        from inspect_app.services import findings as findings_service
        from inspect_app.services import person_lists as list_service
        from tests.factories import NOW, shipped_framework
        from tests.person_list_data import list_1_row, workbook_bytes

        who = audit.Actor.of(world.b.lead)
        action = findings_service.add_action(
            db.session,
            who,
            world.b.inspection,
            findings_service.ActionDetails(kind="improvement", text="B's finding"),
            framework=shipped_framework(),
            when=NOW,
        )
        update = findings_service.record_progress(
            db.session,
            who,
            action,
            findings_service.ProgressDetails(NOW.date(), "B's progress", "on_track"),
            today=NOW.date(),
            when=NOW,
        )
        check = list_service.run_check(
            db.session,
            who,
            [("b.xlsx", workbook_bytes({"List_1": [list_1_row()]}))],
            partnership=world.b.partnership,
            as_of=NOW.date(),
            when=NOW,
        ).record
        db.session.commit()
        world.findings_of_b = (action.id, update.id, check.id)
    return world.findings_of_b


def cycle_recipes(when: dict) -> dict:  # type: ignore[type-arg]
    """The inspection cycle's services: outcomes, findings, progress, and person-level list checks."""
    from inspect_app.services import findings as f
    from inspect_app.services import person_lists
    from tests.person_list_data import list_1_row, workbook_bytes

    audit_when = when["when"]

    def action(ctx):  # type: ignore[no-untyped-def]
        return f.add_action(
            ctx.session, ctx.lead, ctx.a.inspection, f.ActionDetails(kind="improvement", text="Co-produce the offer"),
            framework=ctx.framework, **when,
        )  # fmt: skip

    def progress(ctx):  # type: ignore[no-untyped-def]
        return f.record_progress(
            ctx.session, ctx.lead, action(ctx), f.ProgressDetails(audit_when.date(), "Met the forum", "on_track"),
            today=audit_when.date(), **when,
        )  # fmt: skip

    lists = workbook_bytes({"List_1": [list_1_row()]})
    return {
        f.record_outcome: ("inspection.outcome", lambda ctx: lambda: f.record_outcome(
            ctx.session, ctx.lead, ctx.a.inspection, f.OutcomeDetails("area_send_2023", "inconsistent"), **when)),
        f.ensure_plan: ("action_plan.", lambda ctx: lambda: f.ensure_plan(ctx.session, ctx.lead, ctx.a.inspection,
                                                                           **when)),
        f.add_action: ("action.created", lambda ctx: lambda: action(ctx)),
        f.update_action: ("action.updated", lambda ctx: (lambda made: lambda: f.update_action(
            ctx.session, ctx.lead, made, f.ActionDetails(kind="improvement", text="Changed"), framework=ctx.framework,
            **when))(action(ctx))),
        f.record_progress: ("action.progress", lambda ctx: (lambda made: lambda: f.record_progress(
            ctx.session, ctx.lead, made, f.ProgressDetails(audit_when.date(), "Done it", "done"),
            today=audit_when.date(), **when))(action(ctx))),
        f.share_progress: ("action.progress_shared", lambda ctx: (lambda made: lambda: f.share_progress(
            ctx.session, ctx.lead, made, shared=True, **when))(progress(ctx))),
        f.import_findings: ("action", lambda ctx: lambda: f.import_findings(
            ctx.session, ctx.lead, ctx.a.inspection, b"kind,text\nimprovement,Short breaks\n", filename="f.csv",
            framework=ctx.framework, **when)),
        person_lists.run_check: ("person_lists.checked", lambda ctx: lambda: person_lists.run_check(
            ctx.session, ctx.lead, [("lists.xlsx", lists)], partnership=ctx.a.partnership, as_of=audit_when.date(),
            **when)),
        person_lists.record_download: ("person_lists.", lambda ctx: lambda: person_lists.record_download(
            ctx.session, ctx.lead, ctx.a.partnership, file_format="xlsx", **when)),
    }  # fmt: skip
