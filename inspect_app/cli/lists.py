"""`inspect-app lists check FILE… [--output PATH.xlsx|PATH.ods]`: check the person-level lists before they go.

Every problem goes to stderr as "FILE: List N, row R, column C: what is wrong [rule]" — never a value from
the lists — and the command exits 1 if any must be fixed, writing no output. With `--partnership` the lists
are also compared with that partnership's case data and the validation summary is kept with it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click
from flask.cli import with_appcontext

from inspect_app import clock
from inspect_app.domain.errors import InspectAppError
from inspect_app.extensions import db
from inspect_app.reports.person_lists import lists_file
from inspect_app.services import audit
from inspect_app.services import partnerships as partnership_service
from inspect_app.services import person_lists as list_service


@click.group("lists")
def lists_group() -> None:
    """Ofsted/CQC person-level lists: check them and write them in the template's layout."""


@lists_group.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the lists in the template's layout here (.xlsx or .ods) when nothing must be fixed.",
)
@click.option(
    "--partnership", "slug", default=None, help="Compare with this partnership's case data and keep the summary."
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date the lists are as at (YYYY-MM-DD; default today): ages and date windows count from it.",
)
@with_appcontext
def check_command(files: tuple[Path, ...], output: Path | None, slug: str | None, as_of: datetime | None) -> None:
    """Check XLSX, ODS or CSV lists (one sheet, or one file, per list) against every rule of the template."""
    file_format = None
    if output is not None:
        file_format = output.suffix.lower().lstrip(".")
        if file_format not in ("xlsx", "ods"):
            raise click.UsageError("--output must end in .xlsx or .ods")
    day: date = as_of.date() if as_of else clock.today()
    label = files[0] if len(files) == 1 else Path(", ".join(str(f) for f in files))
    try:
        partnership = partnership_service.get_partnership_by_slug(db.session, slug) if slug else None
        outcome = list_service.run_check(
            db.session,
            audit.SYSTEM,
            [(file.name, file.read_bytes()) for file in files],
            partnership=partnership,
            as_of=day,
            when=clock.now(),
        )
        db.session.commit()
    except InspectAppError as error:
        db.session.rollback()
        for message in getattr(error, "messages", None) or [str(error)]:
            click.echo(f"{label}: {message}", err=True)
        raise SystemExit(1) from None
    result = outcome.result
    _print_result(outcome, label)
    if not result.ok:
        if output is not None:
            click.echo(f"{label}: {output} not written: fix the problems above first", err=True)
        raise SystemExit(1)
    if output is not None and file_format is not None:
        output.write_bytes(lists_file(result, file_format))
        click.echo(f"Wrote {output} in the template's layout.")


def _print_result(outcome: list_service.ListCheckOutcome, label: Path) -> None:
    """Every issue on stderr (by list, row and column, never a value); the counts and the cross-check on stdout."""
    result = outcome.result
    titles = {spec.id: f"List {spec.number}" for spec in result.template.lists}
    for issue in result.issues:
        parts = (
            titles.get(issue.list_id or "", ""),
            f"row {issue.row}" if issue.row else "",
            f"column {issue.column}" if issue.column else "",
        )
        where = ", ".join(part for part in parts if part)
        click.echo(f"{label}: {issue.severity}: {where}: {issue.message} [{issue.code}]", err=True)
    for sheet in result.ignored_sheets:
        click.echo(f"{label}: note: sheet {sheet!r} is not one of the template's lists and was not checked", err=True)
    counts = ", ".join(f"{titles[c.spec.id]} {len(c.rows):,} rows" for c in result.lists) or "no list found"
    click.echo(
        f"Template: {result.template.title}. {counts}. {len(result.errors):,} to fix, {len(result.queries):,} to check."
    )
    for line in outcome.cross_check:
        shown = "-" if line.list_count is None else f"{line.list_count:,}"
        click.echo(f"{line.label}: lists {shown}, case data {line.case_count:,}. {line.explanation}")
