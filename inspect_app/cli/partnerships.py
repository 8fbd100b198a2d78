from __future__ import annotations

import json
from datetime import date

import click
from flask.cli import with_appcontext

from inspect_app import clock
from inspect_app.cli.common import unit_of_work
from inspect_app.extensions import db
from inspect_app.models import ROLES
from inspect_app.services import audit
from inspect_app.services import partnerships as partnership_service


@click.group("partnerships")
def partnerships_group() -> None:
    """Manage partnerships and who belongs to them."""


@partnerships_group.command("create")
@click.option("--slug", required=True, help="Short name for web addresses, like north-shire.")
@click.option("--name", required=True)
@click.option("--la-code", required=True, help="DfE 3-digit local authority code, like 805.")
@click.option("--icb-name", default=None, help="The integrated care board.")
@with_appcontext
def create_partnership(slug: str, name: str, la_code: str, icb_name: str | None) -> None:
    """Create a partnership."""
    with unit_of_work():
        partnership = partnership_service.create_partnership(
            db.session, audit.SYSTEM, slug=slug, name=name, la_code=la_code, icb_name=icb_name, when=clock.now()
        )
    click.echo(f"Created partnership {partnership.slug}")


@partnerships_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: [{slug, name, la_code}].")
@with_appcontext
def list_partnerships(as_json: bool) -> None:
    """List partnerships."""
    partnerships = partnership_service.list_partnerships(db.session)
    if as_json:
        click.echo(json.dumps([{"slug": p.slug, "name": p.name, "la_code": p.la_code} for p in partnerships]))
        return
    for p in partnerships:
        click.echo(f"{p.slug}\t{p.la_code}\t{p.name}")


@partnerships_group.command("grant")
@click.option("--slug", required=True)
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option(
    "--until",
    "until",
    default=None,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Last day of access (YYYY-MM-DD); inspectors only, and required for them.",
)
@with_appcontext
def grant(slug: str, email: str, role: str, until) -> None:  # type: ignore[no-untyped-def]
    """Give a user a role in a partnership."""
    expires_on: date | None = until.date() if until else None
    with unit_of_work():
        partnership = partnership_service.get_partnership_by_slug(db.session, slug)
        partnership_service.grant(
            db.session, audit.SYSTEM, partnership, email=email, role=role, expires_on=expires_on, when=clock.now()
        )
    click.echo(f"{email} is now {role} of {slug}" + (f" until {expires_on.isoformat()}" if expires_on else ""))
