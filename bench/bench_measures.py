"""Time every local measure (calendar years and rolling 12 months) over 200,000 synthetic cases.

    .venv/bin/python bench/bench_measures.py [--cases 200000] [--seed 7]

The cases and their annual reviews are generated in memory, deterministically for the seed, with roughly the
shapes councils see: most requests decided in 3-8 weeks, about three in four assessed, plans issued anywhere from
12 weeks to over a year after the request, a few exceptions and withdrawals, and a review meeting about once a
year after each plan. The result is printed as a ratio to a baseline measured in the same run (one trivial pass
over the same cases counting requests per year), so it can be compared across machines, and in seconds.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import date, timedelta

from inspect_app.domain.cases import Case, Review
from inspect_app.domain.measures import compute_annual_measures, compute_rolling_measures, tally_measures

AS_OF = date(2026, 6, 30)
FIRST_REQUEST = date(2019, 1, 1)
NEEDS = ("ASD", "SEMH", "SLCN", "MLD", "SPLD", "PD", "SLD", "OTH")


def generate(count: int, seed: int) -> tuple[list[Case], list[Review]]:
    """Return `count` synthetic cases and the review meetings of their plans."""
    rng = random.Random(seed)
    span = (AS_OF - FIRST_REQUEST).days
    cases: list[Case] = []
    reviews: list[Review] = []
    for number in range(count):
        case = _case(rng, f"C{number:07d}", FIRST_REQUEST + timedelta(days=rng.randrange(span)))
        cases.append(case)
        if case.final_plan_date is not None:
            reviews.extend(_reviews(rng, case.case_ref, case.final_plan_date))
    return cases, reviews


def _case(rng: random.Random, case_ref: str, request: date) -> Case:
    decided = request + timedelta(days=int(rng.triangular(14, 70, 38)))
    exception = rng.random() < 0.05
    roll = rng.random()
    if decided > AS_OF:
        return Case(case_ref, request, exception=exception, primary_need=rng.choice(NEEDS))
    if roll < 0.04:
        return Case(case_ref, request, decided, "withdrawn", primary_need=rng.choice(NEEDS))
    if roll < 0.26:
        return Case(case_ref, request, decided, "not_assess", exception=exception, primary_need=rng.choice(NEEDS))
    outcome_day = request + timedelta(days=int(rng.lognormvariate(4.85, 0.35)))
    if outcome_day > AS_OF:
        return Case(case_ref, request, decided, "assess", exception=exception, primary_need=rng.choice(NEEDS))
    if rng.random() < 0.08:
        return Case(case_ref, request, decided, "assess", "no_plan", outcome_day, exception=exception)
    plan = outcome_day + timedelta(days=rng.randrange(0, 21))
    return Case(
        case_ref,
        request,
        decided,
        "assess",
        "plan",
        outcome_day,
        plan if plan <= AS_OF else None,
        exception=exception,
        exception_reason="family circumstances" if exception else None,
        primary_need=rng.choice(NEEDS),
        age_at_request=rng.randrange(0, 20),
    )


def _reviews(rng: random.Random, case_ref: str, plan: date) -> list[Review]:
    meetings = []
    conclusion = plan
    while True:
        meeting = conclusion + timedelta(days=int(rng.triangular(280, 430, 350)))
        if meeting > AS_OF:
            return meetings
        decided = meeting + timedelta(days=int(rng.triangular(3, 60, 20)))
        outcome = "cease" if rng.random() < 0.05 else rng.choice(("maintain", "amend"))
        meetings.append(Review(case_ref, meeting, decided if decided <= AS_OF else None, outcome))
        if outcome == "cease":
            return meetings
        conclusion = decided


def requests_per_year(cases: list[Case]) -> dict[int, int]:
    """The baseline: a single trivial pass over the cases."""
    counts: dict[int, int] = {}
    for case in cases:
        year = case.request_date.year
        counts[year] = counts.get(year, 0) + 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    cases, reviews = generate(args.cases, args.seed)

    def both_from_one_tally() -> None:
        tally = tally_measures(cases, reviews, AS_OF)
        tally.annual()
        tally.rolling(24)

    work: dict[str, Callable[[], object]] = {
        "baseline": lambda: requests_per_year(cases),
        "annual": lambda: compute_annual_measures(cases, reviews, AS_OF),
        "rolling": lambda: compute_rolling_measures(cases, reviews, AS_OF, months=24),
        "one tally": both_from_one_tally,
    }
    # The sides take turns in every run, so load from other work on a shared machine hits them alike. CPU time
    # (process_time) is shown beside wall time (perf_counter): it leaves out time spent waiting for a core.
    wall: dict[str, list[float]] = {name: [] for name in work}
    cpu: dict[str, list[float]] = {name: [] for name in work}
    for _ in range(args.runs):
        for name, run in work.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            run()
            wall[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - started_cpu)
    wall["both calls"] = [a + r for a, r in zip(wall["annual"], wall["rolling"], strict=True)]
    cpu["both calls"] = [a + r for a, r in zip(cpu["annual"], cpu["rolling"], strict=True)]
    baseline, baseline_cpu = min(wall["baseline"]), min(cpu["baseline"])
    years = sorted({value.period for value in compute_annual_measures(cases, reviews, AS_OF)})

    print(f"cases: {len(cases):,}  reviews: {len(reviews):,}  as of {AS_OF}  years {years[0]}-{years[-1]}")
    print(f"best of {args.runs} runs: wall seconds (x baseline), CPU seconds (x baseline)")
    labels = {
        "baseline": "baseline: requests per year, one pass",
        "annual": "compute_annual_measures",
        "rolling": "compute_rolling_measures, 24 months",
        "both calls": "annual + rolling, as two calls",
        "one tally": "annual + rolling from one tally_measures",
    }
    for name, label in labels.items():
        best, best_cpu = min(wall[name]), min(cpu[name])
        print(f"{label:<42} {best:6.3f} ({best / baseline:5.1f}x)  {best_cpu:6.3f} ({best_cpu / baseline_cpu:5.1f}x)")


if __name__ == "__main__":
    main()
