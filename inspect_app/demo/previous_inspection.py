"""Demo step: the partnership's previous inspection (2019, old framework) with its written statement of action,
the progress made on it, and a person-level list file with a handful of realistic mistakes to check.

The inspection is synthetic: dates, findings and progress are written to look like a real written statement
of action (WSoA) under the 2016 framework, not copied from any area's report. The list file holds made-up
children (identifiers built to pass or fail the checks on purpose) and is written to the instance folder, never
stored in the database or the evidence store.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from inspect_app.demo.context import DemoContext
from inspect_app.domain.inspection_cycle import LOCAL_AREA_SEND_2016
from inspect_app.domain.person_lists import load_template, upn_check_letter
from inspect_app.models import EvidenceItem
from inspect_app.services import audit, findings, inspections
from inspect_app.services.frameworks import partnership_framework
from inspect_app.services.tenancy import scoped

LIST_FILE_NAME = "person-level-lists-demo.xlsx"

# reference, kind, text, owner, due (days before the demo's today; negative = still to come), status,
# criteria, progress updates as (days ago, status, text, shared with inspectors)
FINDINGS = (
    (
        "WSoA1",
        "priority_action",
        "The timeliness and quality of EHC plans: too many plans are late and too few set out what children "
        "need to achieve.",
        "contributor@demo.example",
        60,
        "off_track",
        ("EXP2", "LEAD3"),
        (
            (400, "on_track", "Caseworker team grown by four posts; weekly timeliness panel set up.", True),
            (150, "off_track", "New requests rose by a quarter; the 20-week rate fell back below half.", False),
        ),
    ),
    (
        "WSoA2",
        "priority_action",
        "Leaders' understanding of the local area's strengths and weaknesses, and joint commissioning between "
        "the council and health.",
        "lead@demo.example",
        200,
        "done",
        ("LEAD1", "LEAD2"),
        (
            (700, "on_track", "Joint commissioning board started with a shared SEND dashboard.", True),
            (300, "done", "Joint strategy signed by the council and the ICB; the board reviews it each quarter.", True),
        ),
    ),
    (
        "WSoA3",
        "priority_action",
        "Waiting times for neurodevelopmental assessment, and support for families while they wait.",
        "icb.lead@demo.example",
        -200,
        "on_track",
        ("EXP4",),
        ((60, "on_track", "Waiting list down from 78 to 51 weeks; a family support line opened in June.", True),),
    ),
    (
        "WSoA4",
        "improvement",
        "Co-production with the parent carer forum at a strategic level.",
        "lead@demo.example",
        90,
        "done",
        ("LEAD4",),
        ((120, "done", "Forum members sit on the SEND board and co-chair the local offer group.", False),),
    ),
)


def add_previous_inspection(ctx: DemoContext) -> None:
    """Record the 2019 inspection, its outcome, WSoA and progress; write the demo list file."""
    session, actor = ctx.session, audit.SYSTEM
    today = ctx.now.date()
    previous = inspections.create_inspection(
        session,
        actor,
        ctx.partnership,
        inspections.InspectionDetails(
            inspection_type="full",
            notification_date=date(2019, 3, 4),
            on_site_week_start=date(2019, 3, 11),
            lead_inspector="Morgan Reid HMI (synthetic)",
            notes="Joint local area SEND inspection under the 2016 framework (synthetic demo record).",
        ),
        when=ctx.now,
    )
    findings.record_outcome(
        session,
        actor,
        previous,
        findings.OutcomeDetails(
            regime=LOCAL_AREA_SEND_2016,
            outcome="wsoa_required",
            report_published_on=date(2019, 5, 10),
            report_url="https://example.org/demo/local-area-send-inspection-report-2019",
        ),
        when=ctx.now,
    )
    _, framework = partnership_framework(session, ctx.partnership)
    approved = list(
        session.scalars(
            scoped(EvidenceItem, ctx.partnership.id)
            .where(EvidenceItem.status == "approved")
            .order_by(EvidenceItem.reference)
            .limit(3)
        )
    )
    for index, (reference, kind, text, owner, due_days, status, criteria, updates) in enumerate(FINDINGS):
        owner_user = ctx.people.get(owner)
        action = findings.add_action(
            session,
            actor,
            previous,
            findings.ActionDetails(
                kind=kind,
                text=text,
                reference=reference,
                owner_id=owner_user.id if owner_user else None,
                due_on=today - timedelta(days=due_days),
                status="on_track",
                criteria=tuple(c for c in criteria if any(x.id == c for x in framework.criteria)),
                evidence=(approved[index].reference,) if index < len(approved) and status == "done" else (),
            ),
            framework=framework,
            when=ctx.now,
        )
        for days_ago, update_status, update_text, shared in updates:
            who = audit.Actor.of(owner_user) if owner_user else actor
            update = findings.record_progress(
                session,
                who,
                action,
                findings.ProgressDetails(today - timedelta(days=days_ago), update_text, update_status),
                today=today,
                when=ctx.now,
            )
            if shared:
                findings.share_progress(session, actor, update, shared=True, when=ctx.now)
        action.status = status
    path = write_list_file(ctx)
    ctx.summary.append(
        "The previous inspection (2019, written statement of action) with progress on its four findings; "
        f"a person-level list file with a few mistakes to check: {path}"
    )


def write_list_file(ctx: DemoContext) -> Path:
    """Write the demo's list file (with its mistakes) under the instance folder and return its path."""
    folder = Path(ctx.config.get("INSTANCE_PATH") or ".") / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LIST_FILE_NAME
    path.write_bytes(demo_list_file(ctx.seed, as_of=ctx.now.date()))
    return path


def _upn(rng: random.Random, la_code: str = "805") -> str:
    body = f"{la_code}{rng.randrange(10**8, 10**9):09d}"
    return upn_check_letter("A" + body) + body


def demo_list_file(seed: int, *, as_of: date, with_errors: bool = True) -> bytes:
    """A synthetic List 1 / List 2 workbook; `with_errors` puts in the handful of mistakes councils often make.

    The mistakes: a header with a hyphen for the en dash, a URN that lost its leading digit, a month-first date
    of birth, an ethnicity written in words, a UPN given to two children, a child on both lists, a young person
    with neither UPN nor ULN, and an initial plan dated after its last review.
    """
    rng = random.Random(seed * 7919 + 16)
    template = load_template()
    first, second = template.list("list_1"), template.list("list_2")
    ethnicity = [v for v in first.column("ethnicity").values if v not in ("s) REFU", "t) NOBT", "u) UNKNOWN")]
    needs = list(first.column("primary_need").values)
    phases = ["b) Primary", "e) Secondary", "g) Special"]

    def person(n: int, prefix: str) -> dict[str, object]:
        age = rng.randint(4, 18)
        born = as_of - timedelta(days=365 * age + rng.randint(20, 340))
        phase = "b) Primary" if age < 11 else rng.choice(phases[1:])
        return {
            "unique_id": f"{prefix}{n:05d}",
            "upn": _upn(rng),
            "uln": "",
            "date_of_birth": born.strftime("%d/%m/%Y"),
            "gender": rng.choice(["a) Male", "a) Male", "b) Female"]),
            "ethnicity": rng.choice(ethnicity),
            "primary_need": rng.choice(needs),
            "main_urn": str(rng.randint(100000, 149999)),
            "main_phase": phase,
            "subsidiary_phase": "",
            "suspensions": str(rng.choice([0, 0, 0, 1, 2])),
            "permanent_exclusions": "0",
            "absence": f"{rng.uniform(1, 18):.1f}",
            "pupil_premium": rng.choice(["a) Yes", "b) No"]),
            "known_to_social_care": "b) No",
            "social_care_team": "",
            "disability": rng.choice(["a) Yes", "b) No"]),
            "_age": age,
        }

    list_1 = []
    for n in range(1, 41):
        row = person(n, "DM1")
        initial_days = rng.randint(200, 2400)
        reviewed_days = rng.randint(20, min(330, initial_days - 30))
        row.update(
            initial_plan_date=(as_of - timedelta(days=initial_days)).strftime("%d/%m/%Y"),
            updated_plan_date="",
            last_review_date=(as_of - timedelta(days=reviewed_days)).strftime("%d/%m/%Y"),
            elective_home_education="b) No",
        )
        if row["_age"] < 5:
            row.update(main_urn="", main_phase="")
        list_1.append(row)
    list_2 = [person(n, "DM2") for n in range(1, 61)]
    for row in list_2:
        if row["_age"] < 5:
            row.update(main_urn="", main_phase="")
    list_1[5].update(known_to_social_care="a) Yes", social_care_team="Child in need")
    header_1 = [column.name for column in first.columns]
    if with_errors:
        header_1[header_1.index("Main education establishment \u2013 URN")] = "Main education establishment - URN"
        list_1[2]["main_urn"] = "12345"  # the leading digit lost when a spreadsheet treated the URN as a number
        list_1[7]["date_of_birth"] = "03/25/2012"  # written month first
        list_1[11]["ethnicity"] = "White British"
        list_1[14]["upn"] = list_1[13]["upn"]  # two children with one UPN
        list_2[4]["upn"] = list_1[20]["upn"]  # a child on both lists
        list_1[25].update(upn="", uln="", date_of_birth=(as_of - timedelta(days=365 * 17 + 40)).strftime("%d/%m/%Y"))
        list_1[30].update(initial_plan_date=list_1[30]["last_review_date"])
        list_1[30]["last_review_date"] = (as_of - timedelta(days=400)).strftime("%d/%m/%Y")
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, spec, rows, header in (
        ("List_1", first, list_1, header_1),
        ("List_2", second, list_2, [c.name for c in second.columns]),
    ):
        sheet = workbook.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(column.key, "") for column in spec.columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
