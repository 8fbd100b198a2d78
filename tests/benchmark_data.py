"""DfE's real published files for the national statistics tests, and an independent reader of them.

Expected values are read from the files with csv.DictReader, never from what the importer stored.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from tests.factories import NOW

DFE = Path(__file__).resolve().parent / "fixtures" / "files" / "dfe"
SEN2_MI_2022 = DFE / "ehcp-2022" / "sen2_mi.csv"
REQUESTS_2025 = DFE / "ehcp-2025" / "requests.csv"
ANNUAL_REVIEWS_2025 = DFE / "ehcp-2025" / "annual_reviews.csv"
NEIGHBOURS = DFE / "statistical-neighbours" / "Provider_data_lookup.csv"
SYNTHETIC = DFE / "synthetic"

REQUESTS_TOTAL = "All requests for EHC needs assessments"
REVIEWS_TOTAL = "All annual reviews"
HARTLEPOOL_NEIGHBOURS = ["807", "394", "393", "890", "806", "390", "840", "876", "372", "340"]


def rows_of(path: Path, **match: str) -> list[dict[str, str]]:
    """Read a published file with csv.DictReader and keep the rows matching every field given."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if all(row[k] == v for k, v in match.items())]


def row_of(path: Path, **match: str) -> dict[str, str]:
    found = rows_of(path, **match)
    assert len(found) == 1, f"{len(found)} rows match {match}"
    return found[0]


def sen2_mi_row(year: str, code: str) -> dict[str, str]:
    """The sen2_mi.csv row of an LA (3-digit code), a region (E12…) or England (E92000001)."""
    if code == "E92000001":
        return row_of(SEN2_MI_2022, time_period=year, geographic_level="National")
    if code.startswith("E12"):
        return row_of(SEN2_MI_2022, time_period=year, geographic_level="Regional", region_code=code)
    return row_of(SEN2_MI_2022, time_period=year, old_la_code=code)


def requests_row(year: str, code: str) -> dict[str, str]:
    match = {"time_period": year, "breakdown_topic": REQUESTS_TOTAL}
    if code == "E92000001":
        return row_of(REQUESTS_2025, geographic_level="National", **match)
    if code.startswith("E12"):
        return row_of(REQUESTS_2025, geographic_level="Regional", region_code=code, **match)
    return row_of(REQUESTS_2025, old_la_code=code, **match)


def reviews_row(code: str) -> dict[str, str]:
    return row_of(ANNUAL_REVIEWS_2025, old_la_code=code, breakdown_topic=REVIEWS_TOTAL)


def exact_rate(numerator: str, denominator: str) -> Decimal:
    return Decimal(int(numerator)) * 100 / Decimal(int(denominator))


def import_file(session, path: Path, release: str | None, *, data: bytes | None = None):  # type: ignore[no-untyped-def]
    """Import one file as the command line would, and commit."""
    from inspect_app.services import audit, benchmark_imports

    outcome = benchmark_imports.import_benchmark_file(
        session,
        audit.SYSTEM,
        data if data is not None else path.read_bytes(),
        file_name=path.name,
        release=release,
        when=NOW,
    )
    session.commit()
    return outcome


def import_neighbours(session, path: Path = NEIGHBOURS, *, data: bytes | None = None):  # type: ignore[no-untyped-def]
    from inspect_app.services import audit, benchmark_imports

    outcome = benchmark_imports.import_neighbours_file(
        session, audit.SYSTEM, data if data is not None else path.read_bytes(), file_name=path.name, when=NOW
    )
    session.commit()
    return outcome


def import_real_statistics(session) -> None:  # type: ignore[no-untyped-def]
    """The 2022 sen2_mi, the 2025 requests and annual reviews, and the statistical neighbours."""
    import_file(session, SEN2_MI_2022, "2022")
    import_file(session, REQUESTS_2025, "2025")
    import_file(session, ANNUAL_REVIEWS_2025, "2025")
    import_neighbours(session)
