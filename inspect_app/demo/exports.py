"""Demo step: two scheduled exports a lead would set up first."""

from __future__ import annotations

from datetime import time

from inspect_app.demo.context import DemoContext
from inspect_app.domain.schedules import LAST_DAY
from inspect_app.services import audit, exports


def add_exports(ctx: DemoContext) -> None:
    """Schedule the audit log weekly and the member list monthly."""
    schedules = [
        exports.ScheduleDetails("audit-log", "csv", "weekly", time(7, 0), weekday=0, destination="weekly", keep_last=8),
        exports.ScheduleDetails(
            "members", "csv", "monthly", time(18, 0), day_of_month=LAST_DAY, destination="monthly", keep_last=12
        ),
    ]
    for details in schedules:
        exports.create_schedule(ctx.session, audit.SYSTEM, ctx.partnership, details, export_root=None, when=ctx.now)
    ctx.summary.append("Two scheduled exports: the audit log weekly, the member list monthly.")
