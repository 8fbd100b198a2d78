"""`inspect-app report evidence-pack` writes an evidence pack; `inspect-app pack verify` checks one.

The pack is written to a temporary file beside the output and renamed when complete, so a pack that exists is
whole. Both commands are audited (`evidence_pack.built`, `evidence_pack.verified`) and end with a summary line.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from inspect_app import clock
from inspect_app.cli.common import unit_of_work
from inspect_app.extensions import db
from inspect_app.reports.evidence_pack import verify_pack
from inspect_app.services import audit
from inspect_app.services import evidence_pack as pack_service
from inspect_app.services import partnerships as partnership_service
from inspect_app.services.readiness import ReadinessSettings
from inspect_app.storage import get_store


@click.command("evidence-pack")
@click.option("--partnership", "slug", required=True, help="The partnership's slug.")
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the pack (a .zip file; replaced if it exists).",
)
@with_appcontext
def evidence_pack_command(slug: str, output: Path) -> None:
    """Write the partnership's evidence pack for inspectors: a ZIP with an index, approved evidence by criterion,
    the reports, a timeliness summary and a hashed manifest."""
    output = output.resolve()
    if not output.parent.is_dir():
        click.echo(f"Error: {output.parent} is not a folder", err=True)
        raise SystemExit(1)
    settings = ReadinessSettings.from_app_config(current_app.config)
    with unit_of_work():
        partnership = partnership_service.get_partnership_by_slug(db.session, slug)
        plan = pack_service.plan_pack(
            db.session,
            partnership,
            now=clock.now(),
            today=clock.today(),
            settings=settings,
        )
        handle, temp_name = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".part")
        try:
            with (
                os.fdopen(handle, "wb") as out,
                click.progressbar(length=plan.total_bytes, label=f"Writing {output.name}", file=sys.stderr) as bar,
            ):
                summary = pack_service.build_pack(
                    db.session,
                    audit.SYSTEM,
                    partnership,
                    out,
                    store=get_store(),
                    now=plan.generated_at,
                    today=clock.today(),
                    settings=settings,
                    progress=bar.update,
                    plan=plan,
                )
            os.replace(temp_name, output)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
    for omission in summary.plan.omitted:
        click.echo(f"Omitted {omission.path}: {omission.reason}", err=True)
    click.echo(f"Wrote {output}: {summary.line}")


@click.group("pack")
def pack_group() -> None:
    """Check evidence packs."""


@pack_group.command("verify")
@click.argument("pack", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def verify_command(pack: Path) -> None:
    """Re-hash every file in PACK and compare it with the pack's manifest; exit 1 on any difference."""
    with click.progressbar(length=pack.stat().st_size, label=f"Checking {pack.name}", file=sys.stderr) as bar:
        result = verify_pack(pack, progress=bar.update)
    with unit_of_work():
        pack_service.record_verified(db.session, audit.SYSTEM, pack.name, result, when=clock.now())
    for problem in result.problems:
        click.echo(f"Error: {pack.name}: {problem}", err=True)
    if not result.ok:
        click.echo(f"{pack.name}: {result.checked} files match, {len(result.problems)} problems", err=True)
        raise SystemExit(1)
    click.echo(f"{pack.name}: all {result.checked} files match the manifest")
