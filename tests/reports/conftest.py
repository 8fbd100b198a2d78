"""Readiness reports built once per module from the sample partnerships (tests/reports/sample.py)."""

from __future__ import annotations

import pytest

from inspect_app.domain.readiness import ReadinessInput, ReadinessResult, assess_readiness
from inspect_app.reports.readiness_report import ReadinessReport, build_readiness_report
from tests.factories import shipped_framework
from tests.reports.sample import GENERATED_AT, PARTNERSHIP, busy_input, framework_label, no_data_input


def report_for(result: ReadinessResult, **overrides) -> ReadinessReport:  # type: ignore[no-untyped-def]
    values = {
        "partnership_name": PARTNERSHIP["name"],
        "la_code": PARTNERSHIP["la_code"],
        "framework_label": framework_label(),
        "generated_at": GENERATED_AT,
        "framework": shipped_framework(),
    }
    return build_readiness_report(result, **(values | overrides))


def report_from(readiness: ReadinessInput, **overrides) -> ReadinessReport:  # type: ignore[no-untyped-def]
    return report_for(assess_readiness(readiness), **overrides)


@pytest.fixture(scope="module")
def busy_result() -> ReadinessResult:
    return assess_readiness(busy_input())


@pytest.fixture(scope="module")
def busy_report(busy_result) -> ReadinessReport:  # type: ignore[no-untyped-def]
    return report_for(busy_result)


@pytest.fixture(scope="module")
def no_data_report() -> ReadinessReport:
    return report_from(no_data_input())
