"""DfE's 2026 release (calendar 2025): the files that give the comparators of the new measures.

Real published rows (tests/fixtures/files/dfe/ehcp-2026, trimmed; see the README there), Crown copyright, OGL v3.0.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from inspect_app.importers.benchmarks import read_benchmarks

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "files" / "dfe" / "ehcp-2026"


def figure(result, measure: str, code: str, period: str):
    (found,) = [f for f in result.rows if f.measure == measure and f.area_code == code and f.period == period]
    return found


def test_assessments_give_the_16_week_decisions_not_to_issue():
    result = read_benchmarks(FILES / "assessments.csv", release="2026")
    assert result.ok and result.file_kind == "assessments"
    england = figure(result, "decision_16wk_no_plan", "E92000001", "2025")
    assert (england.numerator, england.denominator, england.value) == (2673, 2673 + 4478, Decimal("37.4"))
    assert figure(result, "decision_16wk_no_plan", "E12000001", "2025").value == Decimal("38.8")
    # 2019 has no person-level data: DfE's x, never a zero.
    early = figure(result, "decision_16wk_no_plan", "E92000001", "2019")
    assert (early.value, early.symbol) == (None, "x")
    assert figure(result, "assessments", "E92000001", "2025").value == Decimal(118821)
    assert {f.breakdown for f in result.rows} == {"All EHC needs assessments"}  # the Sex row is a breakdown


def test_2026_annual_reviews_give_reviews_completed_and_decisions_within_4_weeks():
    result = read_benchmarks(FILES / "annual_reviews.csv", release="2026")
    assert result.ok
    completed = figure(result, "review_completed_in_year", "E92000001", "2025")
    # 339,027 of the 596,987 plans expected to be reviewed in 2025: 56.79… rounded half up.
    assert (completed.numerator, completed.denominator, completed.value) == (339027, 596987, Decimal("56.8"))
    decisions = figure(result, "review_decision_4wk", "E92000001", "2025")
    assert (decisions.numerator, decisions.denominator, decisions.value) == (161396, 339027, Decimal("47.6"))
    newcastle = figure(result, "review_completed_in_year", "391", "2025")
    assert (newcastle.numerator, newcastle.denominator) == (1402, 2918)


def test_new_plans_come_from_the_new_plans_file():
    result = read_benchmarks(FILES / "newplans.csv", release="2026")
    assert result.ok and result.file_kind == "newplans"
    assert figure(result, "new_plans", "E92000001", "2019").value == Decimal(53899)
    assert figure(result, "new_plans", "805", "2019").value == Decimal(103)


def test_phase_transfers_read_the_columns_named_for_the_year():
    result = read_benchmarks(FILES / "phase_transfers.csv", release="2026")
    assert result.ok and result.file_kind == "phase_transfers"
    assert figure(result, "phase_transfers_due", "E92000001", "2025").value == Decimal(12232)  # due_25
    assert figure(result, "phase_transfers_final", "E92000001", "2025").value == Decimal(38887)  # final_25
    lewisham = figure(result, "phase_transfers_due", "209", "2025")
    assert (lewisham.value, lewisham.symbol) == (None, "x")


def test_appeal_rate_file_gives_each_year_for_england_and_every_council():
    result = read_benchmarks(FILES / "SEND appealable decisions rate 2024-2025.csv", release="2026")
    assert result.ok and result.file_kind == "appeal_rates"
    england_2024 = figure(result, "appeal_rate", "E92000001", "2024")
    assert (england_2024.numerator, england_2024.denominator, england_2024.value) == (22276, 364912, Decimal("6.10"))
    hartlepool = figure(result, "appeal_rate", "805", "2025")
    assert (hartlepool.numerator, hartlepool.denominator, hartlepool.value) == (32, 489, Decimal("6.50"))
    assert hartlepool.area_name == "Hartlepool"
    blackpool = figure(result, "appeal_rate", "890", "2024")
    assert (blackpool.numerator, blackpool.denominator, blackpool.symbol) == (21, None, "x")
    city = figure(result, "appeal_rate", "201", "2024")
    assert (city.numerator, city.value) == (0, Decimal("0.00"))  # "-" appeals, rate 0.00%
    north_northants = figure(result, "appeal_rate", "940", "2025")
    assert north_northants.area_name == "North Northamptonshire"  # the footnote digit is not part of the name
    assert len({f.area_code for f in result.rows}) == 153 + 1
    assert any("Central Bedfordshire is printed with code 873, which is Cambridgeshire" in n for n in result.notes)
