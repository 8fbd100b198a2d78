"""SEN2 returns built by code for the tests: every state of the EHC journey and the boundary days, per layout year.

`every_state(year)` gives the header, the people and a label for each request in file order, so a test can find
the case each request became. Dates are set against the collection's period P (the calendar year before the
collection year) and worked out by hand in the comments. Names, dates of birth and UPNs are invented.
"""

from __future__ import annotations

from datetime import date, timedelta

from inspect_app.domain.sen2_returns import ActivePlan, Assessment, Header, NamedPlan, Person, Request, Setting

LEA = "805"
SECRET = b"test-secret-of-the-partnership-0123456789"
TODAY = date(2026, 12, 1)


def day(base: date, days: int) -> date:
    return base + timedelta(days=days)


def person(number: int, *requests: Request, upn: str | None = "default", **fields) -> Person:
    return Person(
        surname=f"Surname{number}",
        forename=f"Forename{number}",
        birth_date=date(2012, 5, 2) + timedelta(days=number),
        upn=f"A{number:012d}" if upn == "default" else upn,
        requests=list(requests),
        **fields,
    )


def plan_request(received: date, decided_day: int, issued_day: int, **assessment_fields) -> Request:
    """A request decided (Y) on `decided_day` and a plan issued on `issued_day` (days after the request)."""
    issued = day(received, issued_day)
    plan = NamedPlan(assessment_fields.pop("start", issued), cease_date=assessment_fields.pop("cease_date", None))
    plan.cease_reason = assessment_fields.pop("cease_reason", None)
    active = assessment_fields.pop("active", ActivePlan())
    return Request(
        received,
        "Y",
        day(received, decided_day),
        assessment=Assessment("Y", issued, plan=plan, **assessment_fields),
        active_plan=active,
    )


def every_state(year: int) -> tuple[Header, list[Person], list[str]]:
    """A return for `year` with every state DESIGN.md lists (see the labels), and the label of each request."""
    p = year - 1  # the period: calendar year P
    jan = date(p, 1, 6)
    header = Header(year, LEA, date(year, 1, 15))
    needs = [("DS", 1)] if year >= 2025 else [("SLCN", 1)]
    later = year >= 2025  # ReviewDraft and the phase-transfer dates exist from the 2025 collection
    entries: list[tuple[str, Person]] = [
        ("plan_day_140", person(1, plan_request(jan, 42, 140))),  # decided day 42, plan day 140: both met
        ("plan_day_141", person(2, plan_request(jan, 43, 141))),  # decided day 43, plan day 141: both missed
        ("not_assess", person(3, Request(day(jan, 10), "N", day(jan, 50)))),  # refused on day 40
        (
            "no_plan_day_112",
            person(4, Request(jan, "Y", day(jan, 30), assessment=Assessment("N", day(jan, 112)))),
        ),
        (
            "no_plan_day_113",
            person(5, Request(jan, "Y", day(jan, 30), assessment=Assessment("N", day(jan, 113)))),
        ),
        # Received in P-1, still being assessed at the start of P: plans issued on days 364 and 365.
        ("plan_day_364", person(6, plan_request(date(p - 1, 3, 1), 30, 364))),
        ("plan_day_365", person(7, plan_request(date(p - 1, 3, 2), 30, 365))),
        ("withdrawn", person(8, Request(day(jan, 5), "W"))),
        (
            "assessment_withdrawn",
            person(9, Request(day(jan, 6), "Y", day(jan, 36), assessment=Assessment("W", day(jan, 90)))),
        ),
        ("undecided", person(10, Request(date(p, 12, 20), "A"))),
        ("moved_out", person(11, Request(day(jan, 8), "Y", day(jan, 38), exported="936"))),
        (
            "overturned_refusal",
            person(
                12,
                Request(
                    day(jan, 9),
                    "N",
                    day(jan, 40),
                    tribunal=True,
                    assessment=Assessment("Y", day(jan, 250), plan=NamedPlan(day(jan, 250))),
                    active_plan=ActivePlan(),
                ),
            ),
        ),
        ("exception", person(13, plan_request(day(jan, 10), 30, 200, week20=True))),
        ("mediation", person(14, plan_request(day(jan, 11), 30, 100, mediation=True))),
        (
            "historical",
            person(
                15,
                Request(
                    None,
                    "H",
                    assessment=Assessment("H", plan=NamedPlan(date(2019, 3, 1))),
                    active_plan=ActivePlan(
                        needs=needs,
                        review_meeting=date(p, 3, 1),
                        review_outcome="M",
                        last_review=date(p, 3, 20),
                        phase_transfer_due=date(year, 2, 15) if later else None,
                        phase_transfer_final=date(year, 2, 14) if later else None,
                    ),
                ),
                # Re-assessment of the historical plan: decided 10 April, plan 98 days later (17 July).
                Request(
                    date(p, 4, 1),
                    "Y",
                    date(p, 4, 10),
                    assessment=Assessment("Y", date(p, 7, 17), plan=NamedPlan(date(p, 7, 17))),
                ),
            ),
        ),
        (
            "transferred_in",
            person(
                16,
                Request(
                    None,
                    "H",
                    assessment=Assessment("H", plan=NamedPlan(date(p - 1, 9, 1))),
                    active_plan=ActivePlan(transfer_la="936"),
                ),
                upn=None,
                uln="1234567890",
            ),
        ),
        (
            "ceased",
            person(
                17,
                plan_request(date(p - 1, 2, 1), 30, 120, cease_date=date(p, 10, 1), cease_reason="2"),
                upn=None,
                uln=None,
            ),
        ),
        (
            "leap_day_review",
            person(
                18,
                Request(
                    None,
                    "H",
                    assessment=Assessment("H", plan=NamedPlan(date(2024, 2, 29))),
                    active_plan=ActivePlan(
                        review_meeting=date(2025, 2, 28),
                        review_outcome="A",
                        last_review=date(2025, 3, 27),  # day 27 after the meeting
                        review_draft=date(2025, 3, 27) if later else None,
                    ),
                ),
            ),
        ),
    ]
    labels, people = [], []
    for label, entry in entries:
        people.append(entry)
        labels.extend([label] if label != "historical" else ["historical", "reassessment"])
    return header, people, labels


def placements_ranked(urn: str = "100001") -> list[Setting]:
    return [Setting(rank=2, urn="999999"), Setting(rank=1, urn=urn)]
