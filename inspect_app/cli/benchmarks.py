"""`inspect-app benchmarks`: the published figures of one measure for one area, as DESIGN.md specifies."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from inspect_app.cli.common import unit_of_work
from inspect_app.domain.benchmarks import COUNT
from inspect_app.extensions import db
from inspect_app.services import benchmarks


@click.command("benchmarks")
@click.option("--measure", "measure_id", required=True, help="A measure id, like ehcp_20wk_excl.")
@click.option(
    "--area",
    "area_code",
    required=True,
    help="A 3-digit LA code (805), a 9-character LA code, a region code (E12000001) or E92000001 for England.",
)
@click.option("--year", default=None, help="Only this period: 2024 (also matches the academic year 2024/25).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (a list, oldest period first).")
@with_appcontext
def benchmarks_command(measure_id: str, area_code: str, year: str | None, as_json: bool) -> None:
    """Print the published figures of a measure for an area: from the newest release that has each one."""
    with unit_of_work():
        measure = benchmarks.get_measure(measure_id)
        area = benchmarks.resolve_area(db.session, area_code)
        values = benchmarks.published_series(db.session, measure.id, area, year)
    if as_json:
        click.echo(json.dumps(benchmarks.series_json(values, area), indent=2))
        return
    click.echo(f"{measure.title}: {area.name} ({area.code}, {area.level})")
    if not values:
        click.echo("No published figures held.")
    for value in values:
        figure = value.figure
        if figure.value is None:
            shown = f"{figure.symbol or 'no figure'} ({value.symbol_meaning or 'blank in the file'})"
        elif measure.unit == COUNT:
            shown = f"{figure.value:,}"
        else:
            shown = str(figure.display_value(measure.unit))
            if figure.denominator is not None:
                parts = f"{figure.numerator} of {figure.denominator}" if figure.numerator is not None else ""
                shown += f" ({parts or f'over {figure.denominator}'})"
        click.echo(f"  {value.period}  {shown}  [release {value.release}]")
