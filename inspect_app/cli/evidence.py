"""Evidence commands: `import evidence FILE --partnership S`, `evidence export`, `evidence check-store`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from inspect_app import clock
from inspect_app.cli.common import unit_of_work
from inspect_app.cli.imports import import_group
from inspect_app.extensions import db
from inspect_app.importers.common import FileRejected
from inspect_app.reports.evidence_register import register_csv, register_xlsx
from inspect_app.services import audit, evidence_register
from inspect_app.services import evidence as evidence_service
from inspect_app.services.evidence import EvidenceSettings
from inspect_app.services.frameworks import partnership_framework
from inspect_app.services.partnerships import get_partnership_by_slug
from inspect_app.storage import get_store


@import_group.command("evidence")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--partnership", "slug", required=True, help="The partnership's short name (slug).")
@click.option("--dry-run", is_flag=True, help="Check every row and report, without importing.")
@with_appcontext
def import_evidence(file: Path, slug: str, dry_run: bool) -> None:
    """Import an evidence register (CSV or XLSX): every row, or nothing if any row is wrong."""
    with unit_of_work():
        partnership = get_partnership_by_slug(db.session, slug)
        _, framework = partnership_framework(db.session, partnership)
        try:
            result = evidence_register.import_register(
                db.session,
                audit.SYSTEM,
                partnership,
                file,
                framework=framework,
                settings=EvidenceSettings.from_config(current_app.config),
                when=clock.now(),
                allow_approved=True,
                filename=file.name,
                max_rows=current_app.config["EVIDENCE_IMPORT_MAX_ROWS"],
                dry_run=dry_run,
            )
        except FileRejected as error:
            raise FileRejected([f"{file}: {message}" for message in error.messages]) from None
        if not result.ok:
            db.session.rollback()
            for error in result.errors:
                click.echo(f"{file}: {error}", err=True)
            click.echo(f"{file}: {len(result.errors)} problem(s); nothing was imported", err=True)
            raise SystemExit(1)
        if dry_run:
            db.session.rollback()
    for note in result.notes:
        click.echo(note)
    verb = "would be imported (dry run)" if dry_run else "imported"
    click.echo(f"{len(result.rows)} evidence items {verb} into {slug}")


@click.group("evidence")
def evidence_group() -> None:
    """Export the evidence register and look after the evidence file store."""


@evidence_group.command("export")
@click.option("--partnership", "slug", required=True)
@click.option("--format", "file_format", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_register(slug: str, file_format: str, output: Path) -> None:
    """Write the partnership's evidence register (every item) as XLSX or CSV."""
    with unit_of_work():
        partnership = get_partnership_by_slug(db.session, slug)
        rows = evidence_register.export_rows(db.session, partnership.id, role="lead")
    body = register_csv(rows) if file_format == "csv" else register_xlsx(rows, title=f"{partnership.name} evidence")
    output.write_bytes(body)
    click.echo(f"{len(rows)} items written to {output}")


@evidence_group.command("check-store")
@click.option("--delete-unreferenced", is_flag=True, help="Delete files no revision of any partnership refers to.")
@with_appcontext
def check_store(delete_unreferenced: bool) -> None:
    """Compare the file store with the database: missing files (exit 1) and unreferenced ones."""
    store = get_store()
    with unit_of_work():
        result = evidence_service.check_store(db.session, store)
        deleted = evidence_service.prune_store(db.session, store, result.unreferenced) if delete_unreferenced else 0
    click.echo(
        f"{result.referenced} files referenced, {len(result.unreferenced)} unreferenced"
        + (f" ({deleted} deleted)" if delete_unreferenced else "")
    )
    for key in result.missing:
        click.echo(f"Missing from the store: {key}", err=True)
    if result.missing:
        raise SystemExit(1)
