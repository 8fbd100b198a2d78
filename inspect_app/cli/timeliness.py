"""`inspect-app timeliness summarise`: store today's timeliness summary of every partnership (run daily by cron).

Imports store the summary of their own day; the measures and data-quality findings depend on the date they are
read as at, so each new day needs a new one. Run just after midnight, the first readiness report or summary
card of the day reads the stored figures instead of loading every case (services/timeliness.py).
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from inspect_app import clock
from inspect_app.cli.common import unit_of_work
from inspect_app.extensions import db
from inspect_app.services import partnerships as partnership_service
from inspect_app.services import timeliness


@click.group("timeliness")
def timeliness_group() -> None:
    """Timeliness figures worked out from the partnerships' cases."""


@timeliness_group.command("summarise")
@click.option("--partnership", "slug", default=None, help="Only this partnership (default: every partnership).")
@with_appcontext
def summarise_command(slug: str | None) -> None:
    """Work out and store today's measures and data-quality count for each partnership with case data."""
    with unit_of_work():
        if slug:
            partnerships = [partnership_service.get_partnership_by_slug(db.session, slug)]
        else:
            partnerships = partnership_service.list_partnerships(db.session)
        targets = [(p.id, p.slug) for p in partnerships]
    today = clock.today()
    for partnership_id, partnership_slug in targets:
        try:
            stored = timeliness.store_summary(db.session, partnership_id, today, when=clock.now())
            db.session.commit()
        except IntegrityError:  # another runner stored the same import and day first
            db.session.rollback()
            stored = False
        timeliness.clear_cache()  # a command keeps no snapshot: one of 200,000 cases holds about 200 MB
        outcome = "stored" if stored else "already up to date, or no case data"
        click.echo(f"{partnership_slug}: {outcome} (as at {today.isoformat()})")
