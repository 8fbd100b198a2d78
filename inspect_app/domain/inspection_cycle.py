"""After an inspection: its regime, outcome, findings and the cycle of follow-up, estimated on a timeline.

Two inspection regimes matter to a partnership today (reference framework.md §1.2-1.3, §1.8-1.9; data-formats.md
§6). Under the joint Ofsted/CQC area SEND framework (from January 2023) the outcome comes from the framework
version's outcome list, whose `follow_up` says what follows: annual engagement meetings, a monitoring inspection
about 18 months after the final report for the lowest outcome, the next full inspection within three or five
years. Reports list *areas for priority action* (lowest outcome only) and *areas for improvement*; a *priority
action plan* groups the former. Under the previous local area SEND framework (May 2016 to 2022) an inspection
ended with or without a *written statement of action* (WSoA) on its *areas of significant weakness*; those
areas were revisited, and every area gets a full inspection under the new framework by the end of 2027.

The old regime is not a loadable framework version (no criteria or measures are kept for it), so its two
outcomes and their follow-up are defined here, in the same shape as a framework's outcomes.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from inspect_app.domain.frameworks import FollowUp, Outcome
from inspect_app.domain.working_days import add_working_days, skipped_holidays

AREA_SEND_2023 = "area_send_2023"
LOCAL_AREA_SEND_2016 = "local_area_send_2016"


@dataclass(frozen=True, slots=True)
class Regime:
    """An inspection regime: which framework, what its plan and findings are called, when it applied."""

    id: str
    label: str
    in_force_from: date
    in_force_until: date | None
    plan_label: str  # what groups the findings the partnership must act on
    finding_labels: dict[str, str]  # kind -> label, in report order
    uses_framework_outcomes: bool  # outcomes come from the loaded framework version (else from `outcomes`)
    outcomes: tuple[Outcome, ...] = ()


_WSOA_FOLLOW_UP = FollowUp(
    description=(
        "The partnership wrote a statement of action on its areas of significant weakness, which inspectors "
        "revisited. Every area has a full inspection under the 2023 framework by the end of 2027."
    ),
    engagement_meetings="none",
    next_full_inspection_within_years=None,
    monitoring_inspection_after_months=None,
    priority_action_plan_required=True,
    report_lists=("areas_of_significant_weakness",),
)
_NO_WSOA_FOLLOW_UP = FollowUp(
    description="No written statement of action was required. Every area has a full inspection under the 2023 "
    "framework by the end of 2027.",
    engagement_meetings="none",
    next_full_inspection_within_years=None,
    monitoring_inspection_after_months=None,
    priority_action_plan_required=False,
    report_lists=(),
)

REGIMES: dict[str, Regime] = {
    AREA_SEND_2023: Regime(
        id=AREA_SEND_2023,
        label="Area SEND inspection framework (Ofsted and CQC, from January 2023)",
        in_force_from=date(2023, 1, 1),
        in_force_until=None,
        plan_label="Priority action plan",
        finding_labels={"priority_action": "Area for priority action", "improvement": "Area for improvement"},
        uses_framework_outcomes=True,
    ),
    LOCAL_AREA_SEND_2016: Regime(
        id=LOCAL_AREA_SEND_2016,
        label="Local area SEND inspection framework (Ofsted and CQC, May 2016 to 2022)",
        in_force_from=date(2016, 5, 1),
        in_force_until=date(2022, 12, 31),
        plan_label="Written statement of action",
        finding_labels={"priority_action": "Area of significant weakness", "improvement": "Area for improvement"},
        uses_framework_outcomes=False,
        outcomes=(
            Outcome("no_wsoa", "No written statement of action required", "", _NO_WSOA_FOLLOW_UP, "C"),
            Outcome("wsoa_required", "Written statement of action required", "", _WSOA_FOLLOW_UP, "C"),
        ),
    ),
}
OLD_REGIME_FULL_INSPECTION_BY = date(2027, 12, 31)  # every area inspected under the 2023 framework by then [C]

FINDING_KINDS = ("priority_action", "improvement")
MAX_TEXT = 5000  # characters of a finding or a progress update
ACTION_STATUSES = {"on_track": "On track", "off_track": "Off track", "done": "Done"}
PLAN_LABEL_IMPROVEMENT = "Action plan for the areas for improvement"


def regime_for(day: date) -> Regime:
    """The regime an inspection starting on `day` was under."""
    return REGIMES[AREA_SEND_2023] if day >= REGIMES[AREA_SEND_2023].in_force_from else REGIMES[LOCAL_AREA_SEND_2016]


def plan_label(regime: Regime, outcome: Outcome | None) -> str:
    """What the findings' plan is called: a WSoA, a priority action plan, or our name for an improvement plan."""
    if outcome is not None and outcome.follow_up.priority_action_plan_required:
        return regime.plan_label
    if regime.id == LOCAL_AREA_SEND_2016:
        return regime.plan_label
    return PLAN_LABEL_IMPROVEMENT


# --- The cycle on a timeline -------------------------------------------------------------------------------

MONITORING_WINDOW_MONTHS = 3  # our own: "usually about 18 months" shown as 15 to 21 months
NEXT_FULL_WINDOW_MONTHS = 12  # our own: "within about N years" shown as the last year of the N
STRATEGIC_PLAN_WORKING_DAYS = 30  # update the strategic SEND plan within 30 working days of the report [P]
NOTICE_TO_ON_SITE_WORKING_DAYS = 10


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One step of the cycle: a date or a window, whether it is an estimate, and why it falls there."""

    key: str
    label: str
    start: date
    end: date | None  # a window's last day; None for a single date
    estimate: bool
    basis: str  # one sentence on where the date comes from
    holidays_skipped: tuple[date, ...] = ()

    @property
    def is_window(self) -> bool:
        return self.end is not None and self.end != self.start


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), or the month's last day if it is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cycle_timeline(
    *,
    regime: Regime,
    outcome: Outcome | None,
    inspection_start: date,
    report_published: date | None,
    report_estimated: date | None,
    as_of: date,
    recorded: tuple[tuple[str, date], ...] = (),
) -> tuple[TimelineEntry, ...]:
    """Estimate what follows an inspection from its outcome's follow-up data; recorded visits replace estimates.

    `recorded` holds (inspection type, notification date) of later monitoring inspections and engagement
    meetings the partnership has entered; they appear as they are, not estimated.
    """
    report = report_published or report_estimated
    if outcome is None or report is None:
        return ()
    follow_up = outcome.follow_up
    report_basis = "the final report's date" if report_published else "the estimated date of the final report"
    entries: list[TimelineEntry] = []
    if report_published is None:
        entries.append(
            TimelineEntry("report", "Final report", report, None, True, "About 75 days after fieldwork began")
        )
    if regime.id == AREA_SEND_2023:
        plan_due = add_working_days(report, STRATEGIC_PLAN_WORKING_DAYS)
        entries.append(
            TimelineEntry(
                "strategic_plan",
                "Updated strategic SEND plan published",
                plan_due,
                None,
                True,
                f"{STRATEGIC_PLAN_WORKING_DAYS} working days after {report_basis}, as reported when the framework "
                "began (not confirmed in the handbook)",
                skipped_holidays(report, plan_due),
            )
        )
    monitoring = follow_up.monitoring_inspection_after_months
    recorded_types = {kind for kind, _ in recorded}
    if monitoring and "monitoring" not in recorded_types:
        centre = add_months(report, monitoring)
        entries.append(
            TimelineEntry(
                "monitoring",
                "Monitoring inspection",
                add_months(centre, -MONITORING_WINDOW_MONTHS),
                add_months(centre, MONITORING_WINDOW_MONTHS),
                True,
                f"Usually about {monitoring} months after {report_basis}",
            )
        )
    entries.extend(_engagement_meetings(follow_up, report, report_basis, recorded, regime, inspection_start))
    entries.extend(_next_full(regime, follow_up, inspection_start))
    for kind, day in recorded:
        label = {"monitoring": "Monitoring inspection", "engagement": "Engagement meeting"}.get(kind, "Inspection")
        entries.append(TimelineEntry(f"recorded_{kind}", label, day, None, False, "Recorded by the partnership"))
    return tuple(sorted(entries, key=lambda entry: (entry.start, entry.key)))


def _engagement_meetings(
    follow_up: FollowUp,
    report: date,
    report_basis: str,
    recorded: tuple[tuple[str, date], ...],
    regime: Regime,
    inspection_start: date,
) -> list[TimelineEntry]:
    if follow_up.engagement_meetings != "annual":
        return []
    until = _next_full_latest(regime, follow_up, inspection_start)
    held = sorted(day for kind, day in recorded if kind == "engagement")
    entries = []
    year = 1
    while True:
        day = add_months(report, 12 * year)
        if until is not None and day > until:
            break
        if not any(abs((day - held_day).days) <= 183 for held_day in held):
            entries.append(
                TimelineEntry(
                    f"engagement_{year}",
                    "Engagement meeting",
                    day,
                    None,
                    True,
                    f"Once a year between inspections; shown on the anniversary of {report_basis}",
                )
            )
        year += 1
        if year > 6:
            break
    return entries


def _next_full_latest(regime: Regime, follow_up: FollowUp, inspection_start: date) -> date | None:
    if regime.id == LOCAL_AREA_SEND_2016:
        return OLD_REGIME_FULL_INSPECTION_BY
    years = follow_up.next_full_inspection_within_years
    return add_months(inspection_start, 12 * years) if years else None


def _next_full(regime: Regime, follow_up: FollowUp, inspection_start: date) -> list[TimelineEntry]:
    latest = _next_full_latest(regime, follow_up, inspection_start)
    if latest is None:
        return []
    if regime.id == LOCAL_AREA_SEND_2016:
        basis = "Every area has a full inspection under the 2023 framework by the end of 2027"
        start = max(date(2023, 1, 1), add_months(latest, -NEXT_FULL_WINDOW_MONTHS * 2))
    else:
        basis = f"Usually within about {follow_up.next_full_inspection_within_years} years of the last one"
        start = add_months(latest, -NEXT_FULL_WINDOW_MONTHS)
    notice = add_working_days(start, NOTICE_TO_ON_SITE_WORKING_DAYS)
    return [
        TimelineEntry("next_full", "Next full inspection", start, latest, True, basis),
        TimelineEntry(
            "next_full_on_site",
            "Earliest on-site week if notified at the window's start",
            notice,
            None,
            True,
            f"{NOTICE_TO_ON_SITE_WORKING_DAYS} working days after notification",
            skipped_holidays(start, notice),
        ),
    ]


# --- Findings and follow-up facts for readiness -------------------------------------------------------------



def is_overdue(status: str, due: date | None, as_of: date) -> bool:
    """Past its due date and not done."""
    return status != "done" and due is not None and due < as_of
