"""`inspect-app report …`: the readiness report and the self-evaluation as files, for people and for scripts."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from inspect_app import clock
from inspect_app.cli.common import unit_of_work
from inspect_app.cli.packs import evidence_pack_command
from inspect_app.extensions import db
from inspect_app.reports import readiness_render, sef_document
from inspect_app.services import audit
from inspect_app.services import partnerships as partnership_service
from inspect_app.services.readiness import ReadinessSettings, build_report
from inspect_app.services.sef_document import build_sef_document


@click.group("report")
def report_group() -> None:
    """Write a report or an evidence pack to a file."""


report_group.add_command(evidence_pack_command)


def _write(output: Path, body: bytes) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(f".{output.name}.partial")
    temporary.write_bytes(body)
    temporary.replace(output)  # a reader never sees half a file


@report_group.command("readiness")
@click.option("--partnership", "slug", required=True, help="The partnership's slug.")
@click.option("--format", "fmt", type=click.Choice(list(readiness_render.RENDERERS)), default="json", show_default=True)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write ('-': stdout)."
)
@with_appcontext
def readiness_command(slug: str, fmt: str, output: Path) -> None:
    """Write the readiness report: impact, preparation, gaps and the position (JSON: inspect-app/readiness/2)."""
    with unit_of_work():
        partnership = partnership_service.get_partnership_by_slug(db.session, slug)
        report = build_report(db.session, partnership, ReadinessSettings.from_app_config(current_app.config))
        body = readiness_render.render(report, fmt)
        _record(partnership.id, "readiness", fmt, output, body)
    _emit(
        output,
        body,
        f"Readiness report ({fmt}) for {slug}: {report.overall.label} (impact {report.overall.impact_text.lower()}, "
        f"preparation {report.overall.preparation_text}), {report.overall.gaps_total} gaps. {report.caveat}",
    )


@report_group.command("sef")
@click.option("--partnership", "slug", required=True, help="The partnership's slug.")
@click.option("--format", "fmt", type=click.Choice(list(sef_document.RENDERERS)), default="pdf", show_default=True)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write ('-': stdout)."
)
@click.option("--signed-off-only", is_flag=True, help="Only versions every partner signed off (what inspectors see).")
@with_appcontext
def sef_command(slug: str, fmt: str, output: Path, signed_off_only: bool) -> None:
    """Write the self-evaluation document, one page per criterion."""
    with unit_of_work():
        partnership = partnership_service.get_partnership_by_slug(db.session, slug)
        document = build_sef_document(
            db.session,
            partnership,
            ReadinessSettings.from_app_config(current_app.config),
            signed_off_only=signed_off_only,
            service_name=current_app.config["SERVICE_NAME"],
        )
        body = sef_document.render(document, fmt)
        _record(partnership.id, "sef", fmt, output, body)
    _emit(output, body, f"Self-evaluation ({fmt}) for {slug}: {document.summary.rstrip('.')}")


def _record(partnership_id: int, report: str, fmt: str, output: Path, body: bytes) -> None:
    audit.record(
        db.session,
        audit.SYSTEM,
        "report.written",
        partnership_id=partnership_id,
        object_type="report",
        object_id=report,
        details={"format": fmt, "bytes": len(body), "output": str(output)},
        when=clock.now(),
    )


def _emit(output: Path, body: bytes, summary: str) -> None:
    if str(output) == "-":
        click.get_binary_stream("stdout").write(body)
        return
    _write(output, body)
    click.echo(f"{summary}. Written to {output} ({len(body):,} bytes).", err=True)
