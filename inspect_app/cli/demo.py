from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from inspect_app import clock, demo
from inspect_app.cli.common import unit_of_work
from inspect_app.extensions import db


@click.command("demo")
@click.option("--cases", default=3000, show_default=True, help="Number of synthetic EHC needs assessment requests.")
@click.option("--seed", default=2026, show_default=True, help="Random seed: the same seed gives the same data.")
@click.option("--if-empty", is_flag=True, help="Do nothing if any partnership exists (used by `make run`).")
@with_appcontext
def demo_command(cases: int, seed: int, if_empty: bool) -> None:
    """Create a demo partnership with realistic synthetic data."""
    if if_empty and not demo.database_is_empty(db.session):
        click.echo("The database already has partnerships; demo data not added.")
        return
    with unit_of_work():
        context = demo.build_demo(
            db.session,
            seed=seed,
            cases=cases,
            now=clock.now(),
            config=current_app.config,
            frameworks_root=current_app.config["FRAMEWORKS_DIR"],
        )
    click.echo(f"Created demo partnership '{context.partnership.slug}' ({context.partnership.name}).")
    for line in context.summary:
        click.echo(f"  {line}")
    click.echo(f"Sign in as {demo.DEMO_PEOPLE[0][0]} with password {demo.DEMO_PASSWORD}")
