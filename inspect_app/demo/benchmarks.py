"""Demo step: DfE's real published statistics and statistical neighbours, so the demo partnership (Hartlepool,
805) has real comparators. The files are the publications copied byte for byte into tests/fixtures/files/dfe/
(Crown copyright, Open Government Licence v3.0); importing an identical file again changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from inspect_app.demo.context import DemoContext
from inspect_app.services import audit
from inspect_app.services.benchmark_imports import import_benchmark_file, import_neighbours_file

# (path under the DfE folder, release); the release is the publication's reporting year.
DEMO_FILES: tuple[tuple[str, str], ...] = (
    ("ehcp-2022/sen2_mi.csv", "2022"),
    ("ehcp-2025/requests.csv", "2025"),
    ("ehcp-2025/annual_reviews.csv", "2025"),
)
DEMO_NEIGHBOURS = "statistical-neighbours/Provider_data_lookup.csv"


def add_national_statistics(ctx: DemoContext) -> None:
    """Import the real DfE files and the statistical neighbours (skipped quietly if the files are not there)."""
    folder = Path(ctx.config["DFE_DEMO_DIR"])
    if not folder.is_dir():
        ctx.summary.append(f"National statistics: {folder} not found, so none were imported")
        return
    figures = 0
    for name, release in DEMO_FILES:
        path = folder / name
        outcome = import_benchmark_file(
            ctx.session, audit.SYSTEM, path.read_bytes(), file_name=path.name, release=release, when=ctx.now
        )
        figures += outcome.figures
    path = folder / DEMO_NEIGHBOURS
    neighbours = import_neighbours_file(
        ctx.session,
        audit.SYSTEM,
        path.read_bytes(),
        file_name=path.name,
        model="LAIT 2025 (Data to Insight)",
        when=ctx.now,
    )
    ctx.summary.append(
        f"National statistics: {figures:,} published figures from {len(DEMO_FILES)} DfE files, and statistical "
        f"neighbours for {neighbours.authorities} local authorities"
    )
