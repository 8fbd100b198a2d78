from __future__ import annotations

import click
from flask.cli import with_appcontext

from inspect_app import clock
from inspect_app.cli.common import unit_of_work
from inspect_app.extensions import db
from inspect_app.services import accounts, audit


@click.group("users")
def users_group() -> None:
    """Manage accounts."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--admin", is_flag=True, help="Make the account a site administrator.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Read from standard input or a prompt; avoid passing it on the command line.",
)
@with_appcontext
def create_user(email: str, name: str, admin: bool, password: str) -> None:
    """Create an account (password from stdin or a prompt)."""
    with unit_of_work():
        user = accounts.create_user(
            db.session, audit.SYSTEM, email=email, name=name, password=password, is_admin=admin, when=clock.now()
        )
    click.echo(f"Created {'administrator ' if admin else ''}account {user.email}")
