"""Synthetic SEN2 returns: the demo's case data as the returns a council sends DfE each January.

`add_journey_states` gives the synthetic cases of `synthetic_cases` the rest of the journey DESIGN.md lists: moves
out of the area, withdrawn assessments, refusals overturned at tribunal, mediation and appeals, plans ceased (with
SEN2's reasons) and phase transfers; then it adds re-assessments of existing plans and plans older than the data
(some transferred in from another council). `returns_for` cuts the whole history into one return per collection
year, each as DfE would see it on its census day: requests of the year before (and older ones still under way),
with what had happened by the census; plans decided before the period as H records; the latest annual review of
every active plan. Importing the returns oldest first rebuilds the history: each later return updates the same
cases (DESIGN.md "SEN2 imports"), and its H records are tied to the cases earlier returns stored.

Every value is made up (names are "Surname123"); nothing identifies anyone. Deterministic for a seed.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from inspect_app.domain.sen2_returns import (
    ActivePlan,
    Assessment,
    Header,
    NamedPlan,
    Person,
    Request,
    Setting,
)

OTHER_COUNCILS = ("806", "807", "808", "840", "841", "XXX")
CEASE_REASONS = (("1", 10), ("2", 30), ("3", 5), ("4", 5), ("5", 25), ("6", 8), ("7", 7), ("8", 1), ("9", 9))
URNS = tuple(str(100000 + n * 37) for n in range(40))
_REQUEST = {"assess": "Y", "not_assess": "N", "withdrawn": "W", "historical": "H", None: "A"}
_ASSESSMENT = {"plan": "Y", "no_plan": "N", "withdrawn": "W", "historical": "H", None: "A"}
_REVIEW = {"maintain": "M", "amend": "A", "cease": "C"}


def add_journey_states(
    cases: list[dict[str, object]], reviews: list[dict[str, object]], seed: int, as_of: date, start_year: int
) -> dict[str, int]:
    """Give the cases every state of the journey, in place, and add re-assessments and older plans; return counts.

    Every case gets a `person` number (re-assessments share their person's). Reviews after a plan ceased go.
    """
    rng = random.Random(seed)
    counts = dict.fromkeys(
        ("moved_out", "assessment_withdrawn", "overturned", "disputes", "ceased", "phase_transfers", "reassessments"),
        0,
    )
    for number, case in enumerate(cases, start=1):
        case["person"] = number
        _change(rng, case, as_of, counts)
    ceased = {case["case_ref"]: case["cease_date"] for case in cases if case.get("cease_date")}
    reviews[:] = [r for r in reviews if r["case_ref"] not in ceased or r["meeting_date"] <= ceased[r["case_ref"]]]
    cases.extend(_reassessments(rng, cases, as_of, counts))
    older = _older_plans(rng, len(cases), start_year, as_of)
    cases.extend(older)
    counts["older_plans"] = len(older)
    reviews.extend(_reviews_of_older(rng, older, as_of))
    return counts


def _change(rng: random.Random, case: dict[str, object], as_of: date, counts: dict[str, int]) -> None:
    decided, plan = case.get("decision_date"), case.get("final_plan_date")
    roll = rng.random()
    if case["decision"] == "assess" and case["assessment_outcome"] is None and isinstance(decided, date):
        if roll < 0.25 and decided + timedelta(days=30) <= as_of:
            case["moved_out_to"] = rng.choice(OTHER_COUNCILS)
            counts["moved_out"] += 1
        elif roll < 0.5 and decided + timedelta(days=60) <= as_of:
            case.update(assessment_outcome="withdrawn", assessment_outcome_date=decided + timedelta(days=45))
            counts["assessment_withdrawn"] += 1
    elif case["decision"] == "not_assess" and isinstance(decided, date) and roll < 0.12:
        issued = decided + timedelta(days=rng.randrange(150, 260))
        if issued <= as_of:
            case.update(
                {"request_tribunal" if rng.random() < 0.7 else "request_mediation": True},
                assessment_outcome="plan",
                assessment_outcome_date=issued,
                final_plan_date=issued,
            )
            counts["overturned"] += 1
    if isinstance(plan, date):
        _plan_states(rng, case, plan, as_of, counts)


def _plan_states(rng: random.Random, case: dict[str, object], plan: date, as_of: date, counts: dict[str, int]) -> None:
    if rng.random() < 0.06:
        case[rng.choice(("assessment_mediation", "assessment_tribunal", "other_mediation", "other_tribunal"))] = True
        counts["disputes"] += 1
    if rng.random() < 0.07:
        ceased = plan + timedelta(days=rng.randrange(200, 1200))
        if ceased <= as_of:
            reasons, weights = zip(*CEASE_REASONS, strict=True)
            case.update(cease_date=ceased, cease_reason=rng.choices(reasons, weights)[0])
            counts["ceased"] += 1
            return
    age = case.get("age_at_request")
    if isinstance(age, int) and age in (3, 9, 10, 15) and rng.random() < 0.6:
        year = plan.year + 1
        post16 = age == 15
        due = date(year, 3, 31) if post16 else date(year, 2, 15)
        final = due - timedelta(days=rng.randrange(-30, 60))
        case["phase_transfer_due_date"] = due
        case["phase_transfer_final_date"] = final if final <= as_of and rng.random() < 0.9 else None
        counts["phase_transfers"] += 1


def _reassessments(
    rng: random.Random, cases: list[dict[str, object]], as_of: date, counts: dict[str, int]
) -> list[dict[str, object]]:
    added = []
    for case in cases:
        plan = case.get("final_plan_date")
        if not isinstance(plan, date) or case.get("cease_date") or rng.random() >= 0.04:
            continue
        requested = plan + timedelta(days=rng.randrange(300, 900))
        decided = requested + timedelta(days=rng.randrange(8, 20))
        issued = decided + timedelta(days=rng.randrange(60, 130))
        if decided > as_of:
            continue
        new = {
            **dict.fromkeys(case),
            "case_ref": f"{case['case_ref']}R",
            "person": case["person"],
            "request_type": "reassessment",
            "request_date": requested,
            "decision": "assess",
            "decision_date": decided,
            "exception": False,
            "primary_need": case["primary_need"],
            "age_at_request": case["age_at_request"],
        }
        if issued <= as_of:
            new.update(assessment_outcome="plan", assessment_outcome_date=issued, final_plan_date=issued)
        added.append(new)
        counts["reassessments"] += 1
    return added


def _older_plans(rng: random.Random, first_person: int, start_year: int, as_of: date) -> list[dict[str, object]]:
    """Plans agreed before the data begins: they appear in every return as H, some transferred in."""
    older = []
    for number in range(max(first_person // 25, 3)):
        start = date(start_year - rng.randrange(1, 6), 1, 1) + timedelta(days=rng.randrange(365))
        older.append(
            {
                "case_ref": f"OLD{number:05d}",
                "person": first_person + number + 1,
                "request_date": None,
                "decision": "historical",
                "decision_date": None,
                "assessment_outcome": "historical",
                "assessment_outcome_date": None,
                "final_plan_date": start,
                "exception": False,
                "primary_need": rng.choice(("ASD", "SEMH", "SLCN", "MLD", "SPLD")),
                "age_at_request": rng.randrange(2, 14),
                "transferred_in_from": rng.choice(OTHER_COUNCILS[:-1]) if rng.random() < 0.2 else None,
            }
        )
    return older


def _reviews_of_older(rng: random.Random, older: list[dict[str, object]], as_of: date) -> list[dict[str, object]]:
    reviews: list[dict[str, object]] = []
    for case in older:
        start = case["final_plan_date"]
        assert isinstance(start, date)
        meeting = start + timedelta(days=rng.randrange(300, 380))
        while meeting <= as_of:
            decided = meeting + timedelta(days=rng.randrange(5, 45))
            if decided > as_of:
                reviews.append({"case_ref": case["case_ref"], "meeting_date": meeting, "decision_date": None})
                break
            outcome = rng.choices(("maintain", "amend"), (60, 40))[0]
            reviews.append(
                {"case_ref": case["case_ref"], "meeting_date": meeting, "decision_date": decided, "outcome": outcome}
            )
            meeting = decided + timedelta(days=rng.randrange(320, 400))
    return reviews


# Returns -----------------------------------------------------------------------------------------------------


def collection_years(start_year: int, today: date) -> list[int]:
    """The collection years whose periods cover `start_year` to today: the last is this year's return in draft."""
    return list(range(start_year + 1, today.year + 2))


def returns_for(
    cases: list[dict[str, object]],
    reviews: list[dict[str, object]],
    la_code: str,
    years: Iterable[int],
    today: date,
) -> Iterator[tuple[Header, list[Person]]]:
    """Yield each collection year's return (header and people), oldest first.

    A year's census is 15 January of that year; a return for next year's collection (this year's period, still
    running) is taken as at today, as a council's in-year draft would be.
    """
    by_case: dict[object, list[dict[str, object]]] = {}
    for review in reviews:
        by_case.setdefault(review["case_ref"], []).append(review)
    for own in by_case.values():
        own.sort(key=lambda review: review["meeting_date"])  # type: ignore[arg-type, return-value]
    for year in years:
        census = min(date(year, 1, 15), today)
        header = Header(year, la_code, census)
        yield header, _people(cases, by_case, year, census)


def _people(
    cases: list[dict[str, object]], reviews: dict[object, list[dict[str, object]]], year: int, census: date
) -> list[Person]:
    period_start = date(year - 1, 1, 1)
    people: dict[int, Person] = {}
    for case in cases:
        request = _request(case, reviews.get(case["case_ref"], []), year, period_start, census)
        if request is None:
            continue
        number = case["person"]
        assert isinstance(number, int)
        if number not in people:
            people[number] = _person(number, case)
        people[number].requests.append(request)
    return [people[number] for number in sorted(people)]


def _person(number: int, case: dict[str, object]) -> Person:
    age = case.get("age_at_request")
    requested = case.get("request_date") or date(2015, 1, 1)
    assert isinstance(requested, date)
    born = requested - timedelta(days=365 * (age if isinstance(age, int) else 8) + number % 300)
    return Person(
        surname=f"Surname{number}",
        forename=f"Forename{number}",
        birth_date=born,
        upn=f"S{number:012d}" if number % 23 else None,
        uln=None if number % 23 else f"{4_000_000_000 + number}",
        sex="MF"[number % 2],
    )


def _known(day: object, census: date) -> date | None:
    return day if isinstance(day, date) and day <= census else None


def _urn(case: dict[str, object]) -> str:
    return URNS[zlib.crc32(str(case["case_ref"]).encode()) % len(URNS)]  # stable across runs, unlike hash()


def _request(
    case: dict[str, object], reviews: list[dict[str, object]], year: int, period_start: date, census: date
) -> Request | None:
    """The case as the return for `year` holds it on its census day, or None when the return leaves it out."""
    received = _known(case.get("request_date"), census)
    decided = _known(case.get("decision_date"), census)
    told = _known(case.get("assessment_outcome_date"), census)
    start = _known(case.get("final_plan_date"), census)
    ceased = _known(case.get("cease_date"), census)
    older = case.get("request_date") is None  # a plan agreed before the data begins
    if not older and received is None:
        return None  # not received by the census day
    in_period = received is not None and received >= period_start
    ongoing = received is not None and not in_period and _ongoing(case, decided, told, period_start)
    plan_active = start is not None and (ceased is None or ceased >= period_start)
    if not (in_period or ongoing or plan_active):
        return None
    decision = case.get("decision")
    if older or (decided is not None and decided < period_start):
        code, outcome_date = "H", None  # decided before the period: the return says H, without the date
    elif decided is None:
        code, outcome_date = "A", None
    else:
        code, outcome_date = _REQUEST.get(decision if isinstance(decision, str) else None, "A"), decided
        if code == "A":
            outcome_date = None  # a date with no decision recorded cannot be written to a return
    request = Request(
        None if older else received,
        code,
        outcome_date,
        mediation=bool(case.get("request_mediation")),
        tribunal=bool(case.get("request_tribunal")),
        source=None,
    )
    moved = case.get("moved_out_to")
    if isinstance(moved, str) and decided is not None:
        request.exported = moved  # the council that exported the case reports nothing further
        return request
    assessed = decision in ("assess", "historical") or case.get("assessment_outcome") is not None
    if code in ("A", "W") or not assessed:
        return request
    request.assessment = _assessment(case, told, start, ceased, period_start, older)
    if plan_active and (ceased is None or ceased > census):
        request.active_plan = _active_plan(case, reviews, year, census)
    return request


def _assessment(
    case: dict[str, object], told: date | None, start: date | None, ceased: date | None, period_start: date, older: bool
) -> Assessment:
    outcome = case.get("assessment_outcome")
    if older or (told is not None and told < period_start):
        code, day = "H", None
    elif told is None or outcome is None:
        code, day = "A", None
    else:
        code, day = _ASSESSMENT.get(str(outcome), "A"), told
    assessment = Assessment(
        code,
        day,
        mediation=bool(case.get("assessment_mediation")),
        tribunal=bool(case.get("assessment_tribunal")),
        other_mediation=bool(case.get("other_mediation")),
        other_tribunal=bool(case.get("other_tribunal")),
        week20=bool(case.get("exception")),
    )
    if start is not None:
        reason = case.get("cease_reason") if ceased else None
        assessment.plan = NamedPlan(
            start,
            settings=[Setting(urn=_urn(case))],
            cease_date=ceased,
            cease_reason=reason if isinstance(reason, str) else None,
        )
    return assessment


def _ongoing(case: dict[str, object], decided: date | None, told: date | None, period_start: date) -> bool:
    """Tell whether a request received before the period was still under way when the period began."""
    if decided is None or decided >= period_start:
        return True
    if case.get("moved_out_to") or case.get("decision") == "withdrawn":
        return False
    assessed = case.get("decision") == "assess" or case.get("assessment_outcome") is not None
    return assessed and (told is None or told >= period_start)


def _active_plan(case: dict[str, object], reviews: list[dict[str, object]], year: int, census: date) -> ActivePlan:
    need = case.get("primary_need") or "OTH"
    if need == "DS" and year < 2025:
        need = "OTH"  # DS is a code only from the 2025 collection
    held = [review for review in reviews if review["meeting_date"] <= census]  # type: ignore[operator]
    latest = held[-1] if held else None
    active = ActivePlan(
        transfer_la=case.get("transferred_in_from"),  # type: ignore[arg-type]
        placements=[Setting(urn=_urn(case))],
        needs=[(str(need), 1)],
    )
    if latest is not None:
        decided = _known(latest.get("decision_date"), census)
        outcome = latest.get("outcome") if decided else None
        active.review_meeting = latest["meeting_date"]  # type: ignore[assignment]
        active.last_review = decided
        active.review_outcome = _REVIEW.get(outcome) if outcome else None  # type: ignore[arg-type]
        active.review_draft = decided + timedelta(days=10) if outcome == "amend" and decided else None
        if active.review_draft is not None and active.review_draft > census:
            active.review_draft = None
    if year >= 2025:
        active.phase_transfer_due = case.get("phase_transfer_due_date")  # type: ignore[assignment]
        active.phase_transfer_final = _known(case.get("phase_transfer_final_date"), census)
    return active
