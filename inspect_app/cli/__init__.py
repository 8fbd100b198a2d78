"""The `inspect-app` command line: a Flask CLI group, so every command runs inside the app.

Commands are thin: parse arguments, call a service, commit, print. Errors go to stderr with a non-zero exit.
Each feature adds its command group to COMMAND_GROUPS.
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from inspect_app.cli.benchmarks import benchmarks_command
from inspect_app.cli.demo import demo_command
from inspect_app.cli.evidence import evidence_group
from inspect_app.cli.exports import exports_group
from inspect_app.cli.frameworks import frameworks_group
from inspect_app.cli.imports import import_group
from inspect_app.cli.lists import lists_group
from inspect_app.cli.measures import measures_command
from inspect_app.cli.packs import pack_group
from inspect_app.cli.partnerships import partnerships_group
from inspect_app.cli.reports import report_group
from inspect_app.cli.timeliness import timeliness_group
from inspect_app.cli.users import users_group

COMMAND_GROUPS: list[click.Command] = [
    users_group,
    partnerships_group,
    frameworks_group,
    import_group,
    lists_group,
    evidence_group,
    exports_group,
    benchmarks_command,
    measures_command,
    timeliness_group,
    report_group,
    demo_command,
    pack_group,
]


def _create_app():  # type: ignore[no-untyped-def]
    from inspect_app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False, load_dotenv=False)
def main() -> None:
    """Prepare a local area partnership for its area SEND inspection."""
