"""`inspect-app measures`: the partnership's timeliness measures computed from its imported cases."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from inspect_app import clock
from inspect_app.cli.common import unit_of_work
from inspect_app.extensions import db
from inspect_app.services import partnerships as partnership_service
from inspect_app.services import timeliness


@click.command("measures")
@click.option("--partnership", "slug", required=True, help="The partnership's slug.")
@click.option("--year", type=int, default=None, help="One calendar year (default: every year with data).")
@click.option("--json", "as_json", is_flag=True, help='Print {"partnership", "measures": [{id, period, value, ...}]}.')
@with_appcontext
def measures_command(slug: str, year: int | None, as_json: bool) -> None:
    """Print the partnership's measures for each calendar year, computed from its cases as at today."""
    with unit_of_work():
        partnership = partnership_service.get_partnership_by_slug(db.session, slug)
        values = timeliness.annual_measures(db.session, partnership.id, clock.today(), year)
    document = timeliness.measures_json(partnership, values)
    if as_json:
        click.echo(json.dumps(document))
        return
    if not document["measures"]:
        click.echo(f"{slug} has no case data yet: import a case file with `inspect-app import cases`.")
        return
    for measure in document["measures"]:  # type: ignore[union-attr]
        value = "no data" if measure["value"] is None else measure["value"]
        click.echo(f"{measure['period']}\t{measure['id']}\t{value}\t{measure['numerator']}/{measure['denominator']}")
