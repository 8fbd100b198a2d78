"""`inspect-app import …`: files in, validated, stored all or nothing.

The group is defined here once; each kind of file has its own command function below it.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from inspect_app import clock
from inspect_app.cli.common import unit_of_work
from inspect_app.extensions import db
from inspect_app.services import audit, benchmark_imports


@click.group("import")
def import_group() -> None:
    """Import files: DfE's published statistics, statistical neighbours, …"""


# --- DfE published statistics (issue 6) ------------------------------------------------------------------------


@import_group.command("benchmarks")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--release",
    default=None,
    help="The release the file is from, like 2025. Default: the year after the file's latest period.",
)
@with_appcontext
def import_benchmarks(path: Path, release: str | None) -> None:
    """Import a DfE "Education, health and care plans" file (any generation, recognised from its header)."""
    with unit_of_work():
        outcome = benchmark_imports.import_benchmark_file(
            db.session, audit.SYSTEM, path.read_bytes(), file_name=path.name, release=release, when=clock.now()
        )
    click.echo(outcome.describe())
    click.echo(f"  file: {outcome.release.generation}")
    click.echo(f"  measures: {', '.join(outcome.measures)}")
    for note in outcome.notes:
        click.echo(f"  note: {note}")


# --- Statistical neighbours (issue 6) --------------------------------------------------------------------------


@import_group.command("neighbours")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", default=None, help="A name for the neighbour model, like 'LAIT 2025'. Default: the file name.")
@with_appcontext
def import_neighbours(path: Path, model: str | None) -> None:
    """Import statistical neighbours (ONS codes are resolved to DfE's 3-digit codes)."""
    with unit_of_work():
        outcome = benchmark_imports.import_neighbours_file(
            db.session, audit.SYSTEM, path.read_bytes(), file_name=path.name, model=model, when=clock.now()
        )
    click.echo(outcome.describe())
    for note in outcome.notes:
        click.echo(f"  note: {note}")
