from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from inspect_app import clock
from inspect_app.cli.common import unit_of_work
from inspect_app.domain.errors import NotFound
from inspect_app.domain.framework_diff import describe_diff, diff_frameworks
from inspect_app.domain.frameworks import (
    Framework,
    discover_frameworks,
    framework_to_dict,
    load_framework,
    validate_framework,
)
from inspect_app.extensions import db
from inspect_app.services import audit
from inspect_app.services import frameworks as framework_service


@click.group("frameworks")
def frameworks_group() -> None:
    """Validate, load, show and compare inspection framework versions."""


def _default_root() -> Path:
    return Path(current_app.config["FRAMEWORKS_DIR"])


@frameworks_group.command("validate")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def validate(path: Path | None) -> None:
    """Check framework files against the schema and each other; exit 1 on any problem."""
    root = path or _default_root()
    folders = [root] if (root / "framework.yml").exists() else discover_frameworks(root)
    if not folders:
        raise click.ClickException(f"No framework versions found under {root}")
    failed = False
    for folder in folders:
        problems = validate_framework(folder)
        if problems:
            failed = True
            click.echo(f"{folder}: {len(problems)} problem{'s' if len(problems) != 1 else ''}", err=True)
            for problem in problems:
                click.echo(f"  {problem.file}: {problem.path}: {problem.message}", err=True)
        else:
            click.echo(f"{folder}: valid")
    if failed:
        raise SystemExit(1)


@frameworks_group.command("load")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def load(path: Path | None) -> None:
    """Load framework versions into the database (idempotent)."""
    with unit_of_work():
        outcomes = framework_service.load_frameworks(
            db.session, audit.SYSTEM, path or _default_root(), when=clock.now()
        )
    for outcome in outcomes:
        click.echo(str(outcome))


def _resolve(reference: str) -> Framework:
    """A framework from a folder path, or a loaded version named `ID@VERSION` or `VERSION`."""
    if Path(reference).is_dir():
        return load_framework(Path(reference))
    framework_id, _, version = reference.rpartition("@")
    row = framework_service.get_version(db.session, framework_id or framework_service.DEFAULT_FRAMEWORK, version)
    return framework_service.framework_of(row)


@frameworks_group.command("show")
@click.argument("framework_id", required=False, default=framework_service.DEFAULT_FRAMEWORK)
@click.option("--json", "as_json", is_flag=True, help="Print the whole framework as JSON.")
@with_appcontext
def show(framework_id: str, as_json: bool) -> None:
    """Show the newest loaded version of a framework (or ID@VERSION)."""
    with unit_of_work():
        if "@" in framework_id or Path(framework_id).is_dir():
            framework = _resolve(framework_id)
        else:
            row = framework_service.latest_version(db.session, framework_id)
            if row is None:
                raise NotFound(f"Framework {framework_id} is not loaded; run `inspect-app frameworks load`")
            framework = framework_service.framework_of(row)
    if as_json:
        click.echo(json.dumps(framework_to_dict(framework), indent=2, ensure_ascii=False))
        return
    click.echo(f"{framework.title} ({framework.label}), in force from {framework.in_force_from.isoformat()}")
    for section in framework.sections:
        click.echo(f"{section.id}  {section.title}")
        for criterion in section.criteria:
            flag = "" if criterion.status == "C" else f"  [{criterion.status}]"
            click.echo(f"  {criterion.id}  {criterion.title}{flag}")


@frameworks_group.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def diff(old: str, new: str, as_json: bool) -> None:
    """Show what changed between two versions (folders, or loaded ID@VERSION)."""
    with unit_of_work():
        frameworks = (_resolve(old), _resolve(new))
        result = diff_frameworks(*frameworks)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    for line in describe_diff(result, *frameworks):
        click.echo(line)
