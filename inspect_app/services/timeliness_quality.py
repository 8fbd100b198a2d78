"""The checks of a partnership's local figures that the data-quality page shows beside the record findings.

For one calendar year, from the partnership's snapshot (services/timeliness.py):

- unconfirmed rules: each measure worked out with DESIGN.md's answer and the alternative, and the cases whose
  result the choice changes (domain/measure_choices.py);
- exceptions: the EXCEPTIONS_IMPLAUSIBLE check (an implausible share of plans with an exception, or the rate
  without exceptions below the rate with them), with the thresholds passed in from configuration;
- reconciliation: each local percentage beside the council's own published DfE figure for the same year, flagged
  when further apart than the configured number of points, with the cases the unconfirmed rules point at.

Nothing here is stored: it is worked out when the page is opened (the choices are kept on the snapshot).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from inspect_app.domain.benchmarks import PERCENT, format_difference
from inspect_app.domain.benchmarks import MeasureValue as PublishedValue
from inspect_app.domain.errors import NotFound
from inspect_app.domain.measure_choices import (
    ChoiceOutcome,
    ExceptionsCheck,
    Reconciliation,
    exceptions_implausible,
    reconcile,
)
from inspect_app.domain.measures import MEASURE_IDS, MeasureValue
from inspect_app.models import Partnership
from inspect_app.services import benchmarks
from inspect_app.services.timeliness import Snapshot

CASES_SHOWN = 20  # case references listed per choice or reconciliation; the rest are counted


@dataclass(frozen=True)
class ReconciliationRow:
    """A local figure beside the published one, and the cases an unconfirmed rule moves for that measure."""

    reconciliation: Reconciliation
    explaining: tuple[str, ...]

    @property
    def difference_text(self) -> str:
        """The difference in words, "+2.3 points" or "−1.5 points" (half up to one decimal)."""
        return format_difference(self.reconciliation.difference, PERCENT)


@dataclass
class QualityChecks:
    year: int
    choices: list[ChoiceOutcome]
    exceptions: str | None  # why the year's exceptions look implausible, or None
    reconciliations: list[ReconciliationRow] = field(default_factory=list)
    reconciliation_note: str | None = None  # why there is no reconciliation (no LA code, no statistics)
    threshold: Decimal = Decimal(2)

    @property
    def changed_choices(self) -> list[ChoiceOutcome]:
        return [outcome for outcome in self.choices if outcome.changes_result]

    @property
    def flagged(self) -> list[ReconciliationRow]:
        return [row for row in self.reconciliations if row.reconciliation.flagged]


def quality_checks(
    session: Session,
    partnership: Partnership,
    snap: Snapshot,
    year: int,
    *,
    exceptions: ExceptionsCheck,
    threshold_points: Decimal,
) -> QualityChecks:
    """Work out the year's unconfirmed-rule choices, the exceptions check and the reconciliation."""
    figures = {value.measure_id: value for value in snap.annual if value.period == str(year)}
    choices = snap.choices(year)
    checks = QualityChecks(year, choices, exceptions_implausible(figures, exceptions), threshold=threshold_points)
    checks.reconciliations, checks.reconciliation_note = _reconciliations(
        session, partnership, figures, choices, threshold_points
    )
    return checks


def _reconciliations(
    session: Session,
    partnership: Partnership,
    figures: dict[str, MeasureValue],
    choices: list[ChoiceOutcome],
    threshold: Decimal,
) -> tuple[list[ReconciliationRow], str | None]:
    if not (partnership.la_code or "").strip():
        return [], "The partnership has no local authority code, so its published figures cannot be found."
    if not benchmarks.has_published_figures(session):
        return [], "No DfE statistics have been imported yet (Administration, National statistics)."
    wanted: dict[str, tuple[str, PublishedValue | None]] = {
        m: (value.period, value) for m, value in figures.items() if m in MEASURE_IDS and value.denominator
    }
    try:
        found = benchmarks.compare_many(session, partnership, wanted)
    except NotFound:
        return [], "The partnership's local authority code is not in DfE's statistics."
    rows = []
    for measure_id, comparison in found.items():
        if comparison.measure.unit != PERCENT or comparison.published_local is None:
            continue
        published = comparison.published_local.figure
        checked = reconcile(figures[measure_id], published.exact(PERCENT), threshold)
        if checked is None:
            continue
        moved = sorted(
            {ref for outcome in choices if outcome.choice.measure_id == measure_id for ref in outcome.case_refs}
        )
        rows.append(ReconciliationRow(checked, tuple(moved)))
    if not rows:
        return [], f"DfE has published none of these figures for local authority {partnership.la_code} for that year."
    return rows, None
