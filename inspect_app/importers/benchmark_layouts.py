"""Where each measure sits in each generation of DfE's "Education, health and care plans" files.

`read_benchmarks` (importers/benchmarks.py) recognises a file by the key columns of a layout below, then reads
each measure's published figure, numerator and denominator from the columns named here (names normalised, so
`PC_plans_issued_20_weeks_ex` and `pc_plans_issued_20_weeks_ex` are one column; year-suffixed names such as
`review_completed_2025` and `due_25` are read as `review_completed_year` and `due_this_year`).

Mapping per generation, as `published figure / numerator / denominator` (`+` sums columns; LAYOUTS below is
the table the code reads):

sen2_mi.csv, CamelCase (releases up to 2022, years 2014-2021):
    ehcp_20wk_excl        NoExc20weekRate / NoExc20weekEHC / TotNoExcEHC
    ehcp_20wk_incl        IncExc20weekRate / IncExc20weekEHC / TotIncExcEHC
    requests_received     InreqEHC (count)
    requests_refused      AssRefusedEHC_pc / AssRefusedEHC / InreqEHC
    new_plans             NewallEHC (count)
sen2_mi.csv, snake_case (2023 and 2024 releases):
    ehcp_20wk_excl        no_exc_20week_rate / no_exc_20week_ehc / tot_no_exc_ehc
    ehcp_20wk_incl        inc_exc_20week_rate / inc_exc_20week_ehc / tot_inc_exc_ehc
    requests_received     inreq_ehc (count)
    requests_refused      ass_refused_ehc_pc / ass_refused_ehc / inreq_ehc
    new_plans             new_all_ehc (count)
timeliness_20_week.csv (2025 release on; `PC_…_ex` and `…ltYear` in 2025, lower case from 2026):
    ehcp_20wk_excl        pc_plans_issued_20_weeks_ex / plans_issued_20_weeks_ex / plans_issued_den_ex
    ehcp_20wk_incl        pc_plans_issued_within_20_weeks / plans_issued_within_20_weeks / plans_issued_den
    ehcp_over_52wk_excl   pc_plans_issued_gt_1_year_ex / plans_issued_gt_1_year_ex / plans_issued_den_ex
    ehcp_over_52wk_incl   pc_plans_issued_gt_1_year / plans_issued_gt_1_year / plans_issued_den
    ehcp_20_52wk_excl     pc_plans_issued_gt20weeks_ltyear_ex / plans_issued_gt20weeks_ltyear_ex / plans_issued_den_ex
    avg_weeks_to_plan     avg_weeks_issue_plan / — / plans_issued_den (average weeks, 2026 release on)
    avg_weeks_to_plan_excl  avg_weeks_issue_plan_exc / — / plans_issued_den_ex (average weeks, 2026 release on)
requests.csv (2025 release on):
    requests_received     requests_received_in_year (count)
    decision_6wk          request_outcome_six_weeks_pc / request_outcome_six_weeks
                          / request_outcome_six_weeks + request_outcome_over_6_weeks
    requests_refused      request_not_assess_pc / requests_decided_not_to_assess / requests_received_in_year
assessments.csv (2025 release on):
    assessments           assess_in_year (count)
    decision_16wk_no_plan outcome_decision_within_time_pc / outcome_decision_within_time
                          / outcome_decision_within_time + outcome_decision_over_time
newplans.csv (2025 release on):
    new_plans             new_ehc_plans (count): DfE's count of new plans, not the 20-week denominator, which
                          leaves out cases with mediation or tribunal
phase_transfers.csv (2026 release on; no breakdowns):
    phase_transfers_due   due_<yy> of the data's year (count)
    phase_transfers_final final_<yy> of the data's year (count)
SEND appealable decisions rate (supporting file, 2026 release on; importers/appeal_rates.py):
    appeal_rate           SEND Tribunal Appeal Rate / Appeals registered / Total Appealable Decisions
caseload.csv (2025 release on; academic year, plans at January):
    ehc_plans             ehcplans (count)
annual_reviews.csv, 2025 release (2024 only; misspelt names are DfE's):
    review_decision_4wk   pc_decsion_4weeks / number_decsion_4weeks / number_decsion_4weeks + number_decision_gt_4weeks
annual_reviews.csv, 2026 release on (new schema, no published percentage):
    review_decision_4wk   computed half up / decision_4_weeks / decision_4_weeks + decision_over_4_weeks
    review_completed_in_year  computed half up / review_completed_<year> / review_expected_<year>

"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

PERCENTAGE = "percentage"
COUNT = "count"
AVERAGE = "average"
RECOMPUTE_TOLERANCE = Decimal("0.05")

STANDARD_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)
BREAKDOWN_COLUMNS = ("breakdown_topic", "breakdown")


@dataclass(frozen=True, slots=True)
class MeasureColumns:
    """Where one measure's figure, numerator and denominator sit in one file generation (normalised names)."""

    measure: str
    kind: str  # PERCENTAGE, COUNT or AVERAGE
    published: str | None  # the published figure; None when it is computed from the counts
    numerator: str | None = None
    denominator: tuple[str, ...] = ()  # summed
    optional: bool = False  # absent from some releases of the same file; skipped without a note

    @property
    def columns(self) -> tuple[str, ...]:
        named = (self.published, self.numerator, *self.denominator)
        return tuple(dict.fromkeys(c for c in named if c))

    @property
    def integer_columns(self) -> tuple[str, ...]:
        counts = (self.published,) if self.kind == COUNT else ()
        return tuple(c for c in (*counts, self.numerator, *self.denominator) if c)


@dataclass(frozen=True, slots=True)
class FileLayout:
    """One generation of one DfE file: how to recognise it and where its measures are."""

    kind: str
    title: str
    key_columns: tuple[str, ...]  # as DfE spells them; matched case-insensitively
    measures: tuple[MeasureColumns, ...]
    long: bool = True

    @property
    def required_columns(self) -> tuple[str, ...]:
        return STANDARD_COLUMNS + (BREAKDOWN_COLUMNS if self.long else ())


def _percentage(
    measure: str, published: str | None, numerator: str, *denominator: str, optional: bool = False
) -> MeasureColumns:
    return MeasureColumns(measure, PERCENTAGE, published, numerator, denominator, optional)


def _count(measure: str, column: str) -> MeasureColumns:
    return MeasureColumns(measure, COUNT, column)


def _average(measure: str, column: str, plans: str) -> MeasureColumns:
    # The denominator of an average is the number of plans it is taken over.
    return MeasureColumns(measure, AVERAGE, column, None, (plans,), optional=True)


LAYOUTS: tuple[FileLayout, ...] = (
    FileLayout(
        "sen2_mi",
        "sen2_mi.csv, releases up to 2022 (CamelCase names, 2014 to 2021)",
        ("TotNoExcEHC", "NoExc20weekEHC", "NoExc20weekRate"),
        (
            _percentage("ehcp_20wk_excl", "noexc20weekrate", "noexc20weekehc", "totnoexcehc"),
            _percentage("ehcp_20wk_incl", "incexc20weekrate", "incexc20weekehc", "totincexcehc"),
            _count("requests_received", "inreqehc"),
            _percentage("requests_refused", "assrefusedehc_pc", "assrefusedehc", "inreqehc"),
            _count("new_plans", "newallehc"),
        ),
        long=False,
    ),
    FileLayout(
        "sen2_mi",
        "sen2_mi.csv, 2023 and 2024 releases (snake_case names)",
        ("tot_no_exc_ehc", "no_exc_20week_ehc", "no_exc_20week_rate"),
        (
            _percentage("ehcp_20wk_excl", "no_exc_20week_rate", "no_exc_20week_ehc", "tot_no_exc_ehc"),
            _percentage("ehcp_20wk_incl", "inc_exc_20week_rate", "inc_exc_20week_ehc", "tot_inc_exc_ehc"),
            _count("requests_received", "inreq_ehc"),
            _percentage("requests_refused", "ass_refused_ehc_pc", "ass_refused_ehc", "inreq_ehc"),
            _count("new_plans", "new_all_ehc"),
        ),
        long=False,
    ),
    FileLayout(
        "timeliness_20_week",
        "timeliness_20_week.csv, 2025 release on",
        ("plans_issued_den", "plans_issued_den_ex", "plans_issued_20_weeks_ex"),
        (
            _percentage(
                "ehcp_20wk_excl", "pc_plans_issued_20_weeks_ex", "plans_issued_20_weeks_ex", "plans_issued_den_ex"
            ),
            _percentage(
                "ehcp_20wk_incl",
                "pc_plans_issued_within_20_weeks",
                "plans_issued_within_20_weeks",
                "plans_issued_den",
            ),
            _percentage(
                "ehcp_over_52wk_excl",
                "pc_plans_issued_gt_1_year_ex",
                "plans_issued_gt_1_year_ex",
                "plans_issued_den_ex",
            ),
            _percentage(
                "ehcp_over_52wk_incl", "pc_plans_issued_gt_1_year", "plans_issued_gt_1_year", "plans_issued_den"
            ),
            _percentage(
                "ehcp_20_52wk_excl",
                "pc_plans_issued_gt20weeks_ltyear_ex",
                "plans_issued_gt20weeks_ltyear_ex",
                "plans_issued_den_ex",
            ),
            _average("avg_weeks_to_plan", "avg_weeks_issue_plan", "plans_issued_den"),
            _average("avg_weeks_to_plan_excl", "avg_weeks_issue_plan_exc", "plans_issued_den_ex"),
        ),
    ),
    FileLayout(
        "requests",
        "requests.csv, 2025 release on",
        ("requests_received_in_year",),
        (
            _count("requests_received", "requests_received_in_year"),
            _percentage(
                "decision_6wk",
                "request_outcome_six_weeks_pc",
                "request_outcome_six_weeks",
                "request_outcome_six_weeks",
                "request_outcome_over_6_weeks",
            ),
            _percentage(
                "requests_refused",
                "request_not_assess_pc",
                "requests_decided_not_to_assess",
                "requests_received_in_year",
            ),
        ),
    ),
    FileLayout(
        "assessments",
        "assessments.csv, 2025 release on",
        ("assess_in_year",),
        (
            _count("assessments", "assess_in_year"),
            _percentage(
                "decision_16wk_no_plan",
                "outcome_decision_within_time_pc",
                "outcome_decision_within_time",
                "outcome_decision_within_time",
                "outcome_decision_over_time",
                optional=True,
            ),
        ),
    ),
    FileLayout(
        "newplans",
        "newplans.csv, 2025 release on (new EHC plans in the calendar year)",
        ("new_ehc_plans",),
        (_count("new_plans", "new_ehc_plans"),),
    ),
    FileLayout(
        "phase_transfers",
        "phase_transfers.csv, 2026 release on (no breakdowns)",
        ("number_plans", "due_this_year", "final_this_year"),
        (
            _count("phase_transfers_due", "due_this_year"),
            _count("phase_transfers_final", "final_this_year"),
        ),
        long=False,
    ),
    FileLayout(
        "caseload",
        "caseload.csv, 2025 release on (EHC plans at January)",
        ("ehcplans",),
        (_count("ehc_plans", "ehcplans"),),
    ),
    FileLayout(
        "annual_reviews",
        "annual_reviews.csv, 2025 release (2024 only)",
        ("number_decsion_4weeks", "number_decision_gt_4weeks"),
        (
            _percentage(
                "review_decision_4wk",
                "pc_decsion_4weeks",
                "number_decsion_4weeks",
                "number_decsion_4weeks",
                "number_decision_gt_4weeks",
            ),
        ),
    ),
    FileLayout(
        "annual_reviews",
        "annual_reviews.csv, 2026 release on",
        ("decision_4_weeks", "decision_over_4_weeks"),
        (
            _percentage("review_decision_4wk", None, "decision_4_weeks", "decision_4_weeks", "decision_over_4_weeks"),
            _percentage(
                "review_completed_in_year", None, "review_completed_year", "review_expected_year", optional=True
            ),
        ),
    ),
)
