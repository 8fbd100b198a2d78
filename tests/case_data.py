"""A small case file and review file whose every measure is worked out by hand (tests of the service and CLI).

Read as at 30 June 2025. Each measure's expected numerator and denominator follows from the comments beside the
rows, so a change in any cohort or day-count rule shows in the tests that use this file.
"""

from __future__ import annotations

from datetime import datetime

WHEN = datetime(2025, 6, 30, 12, 0)
AS_OF = WHEN.date()

CASES = (
    b"case_ref,request_date,decision_date,decision,assessment_outcome,assessment_outcome_date,final_plan_date,"
    b"exception,primary_need,age_at_request\n"
    # The assessment outcome date of a plan is the day it was issued (SEN2 item 3.2), here also its start date.
    # 2023 request. Decided in 31 days; plan in 123 days (within 20 weeks).
    b"A9,2023-05-01,2023-06-01,assess,plan,2023-09-01,2023-09-01,no,ASD,9\n"
    # Decided in exactly 42 days (met); plan in exactly 140 days (within 20 weeks).
    b"A1,2024-01-10,2024-02-21,assess,plan,2024-05-29,2024-05-29,no,ASD,6\n"
    # Decided in 43 days (late); plan in 142 days (late).
    b"A2,2024-01-15,2024-02-27,assess,plan,2024-06-05,2024-06-05,no,SEMH,11\n"
    # Decided not to assess in 29 days (February 2024 has 29 days).
    b"A3,2024-02-01,2024-03-01,not_assess,,,,no,ASD,4\n"
    # Decided in 35 days; plan 374 days after the request (over 52 weeks), issued in 2025.
    b"A4,2024-03-01,2024-04-05,assess,plan,2025-03-10,2025-03-10,no,SLCN,14\n"
    # Decided in 28 days; plan issued (the outcome date) on day 123 with an exception; the start dated before the
    # outcome (a data-quality finding the import accepts).
    b"A5,2024-03-04,2024-04-01,assess,plan,2024-07-05,2024-07-01,yes,MLD,8\n"
    # Never decided: the 6-week clock is overdue.
    b"A6,2024-06-03,,,,,,no,ASD,7\n"
    # Withdrawn: no clocks, not in the decision cohort.
    b"A7,2024-11-01,2024-11-20,withdrawn,,,,no,,5\n"
    # Decided in 35 days, no plan yet: the 20-week clock (due 26 May 2025) is overdue.
    b"A8,2025-01-06,2025-02-10,assess,,,,no,SEMH,10\n"
)
REVIEWS = (
    b"case_ref,meeting_date,decision_date,outcome\n"
    # The 12 months starting with a date end the day before its anniversary (CFA 2014 s.44).
    # A9's first review was due by 31 August 2024: held on time, decision in 21 days.
    b"A9,2024-08-20,2024-09-10,maintain\n"
    # A9 again (next due by 9 September 2025, after the as-at date): decision in 42 days (late).
    b"A9,2025-03-03,2025-04-14,amend\n"
    # A1's review was due by 28 May 2025: held late; decision in 10 days.
    b"A1,2025-06-10,2025-06-20,maintain\n"
    # A2's review fell due on 4 June 2025 and was never held (late). A5's falls due on 30 June 2025, the as-at
    # date itself (not yet counted).
)

# measure id -> {year: (numerator, denominator, value)}
EXPECTED = {
    "requests_received": {2023: (1, 1, 1.0), 2024: (7, 7, 7.0), 2025: (1, 1, 1.0)},
    "decision_6wk": {2023: (1, 1, 100.0), 2024: (4, 5, 80.0), 2025: (1, 1, 100.0)},
    "new_plans": {2023: (1, 1, 1.0), 2024: (3, 3, 3.0), 2025: (1, 1, 1.0)},
    "ehcp_20wk_incl": {2023: (1, 1, 100.0), 2024: (2, 3, 66.7), 2025: (0, 1, 0.0)},
    "ehcp_20wk_excl": {2023: (1, 1, 100.0), 2024: (1, 2, 50.0), 2025: (0, 1, 0.0)},
    "ehcp_over_52wk_excl": {2023: (0, 1, 0.0), 2024: (0, 2, 0.0), 2025: (1, 1, 100.0)},
    "annual_review_on_time": {2023: (0, 0, None), 2024: (1, 1, 100.0), 2025: (0, 2, 0.0)},
    # Decisions dated in the year (DfE 2026): A9's on 10 September 2024; A9's (late) and A1's in 2025.
    "review_decision_4wk": {2023: (0, 0, None), 2024: (1, 1, 100.0), 2025: (1, 2, 50.0)},
    # Plans started before the year and not ceased: 2024, A9 (decided 10 Sep 2024); 2025 so far, A9, A1, A2 and A5,
    # of which A9 (14 Apr) and A1 (20 Jun) have a decision dated in 2025.
    "review_completed_in_year": {2023: (0, 0, None), 2024: (1, 1, 100.0), 2025: (2, 4, 50.0)},
    "decision_16wk_no_plan": {2023: (0, 0, None), 2024: (0, 0, None), 2025: (0, 0, None)},
    "reassessment_14wk": {2023: (0, 0, None), 2024: (0, 0, None), 2025: (0, 0, None)},
    "amended_plan_8wk": {2023: (0, 0, None), 2024: (0, 0, None), 2025: (0, 0, None)},
    "phase_transfer_on_time": {2023: (0, 0, None), 2024: (0, 0, None), 2025: (0, 0, None)},
}
