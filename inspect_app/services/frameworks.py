"""Framework versions in the database: loading them from frameworks/, reading them, moving a partnership on.

A loaded version's content is immutable once a partnership works against it: loading a changed folder under
the same version number is refused, so what a self-evaluation was written against never shifts underneath it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspect_app.domain.errors import NotFound, ValidationFailed
from inspect_app.domain.frameworks import (
    Framework,
    discover_frameworks,
    framework_from_dict,
    framework_to_dict,
    load_framework,
)
from inspect_app.models import FrameworkVersion, Partnership
from inspect_app.services import audit

DEFAULT_FRAMEWORK = "area-send"


@dataclass(frozen=True)
class LoadOutcome:
    framework_id: str
    version: str
    status: str  # added | unchanged | updated

    def __str__(self) -> str:
        return f"{self.framework_id} {self.version}: {self.status}"


@lru_cache(maxsize=32)
def _framework_from_content(content_hash: str, content_json: str) -> Framework:
    import json

    return framework_from_dict(json.loads(content_json))


def framework_of(row: FrameworkVersion) -> Framework:
    """Return the domain model of a stored version (built once per content hash)."""
    import json

    return _framework_from_content(row.content_hash, json.dumps(row.content, sort_keys=True))


def _in_use(session: Session, row: FrameworkVersion) -> bool:
    count = session.scalar(
        select(func.count()).select_from(Partnership).where(Partnership.framework_version_id == row.id)
    )
    return bool(count)


def store_framework(session: Session, actor: audit.Actor, framework: Framework, *, when: datetime) -> LoadOutcome:
    """Store a validated framework version; unchanged content is a no-op, changed content of a used version fails."""
    existing = session.scalars(
        select(FrameworkVersion).where(
            FrameworkVersion.framework_id == framework.id, FrameworkVersion.version == framework.version
        )
    ).first()
    content = framework_to_dict(framework)
    if existing is not None:
        if existing.content_hash == framework.content_hash:
            return LoadOutcome(framework.id, framework.version, "unchanged")
        if _in_use(session, existing):
            raise ValidationFailed(
                f"{framework.label} is already loaded with different content and partnerships work against it. "
                "A loaded version is never changed in place: give the changed files a new version number."
            )
        existing.content, existing.content_hash, existing.title = content, framework.content_hash, framework.title
        existing.in_force_from, existing.loaded_at, existing.loaded_by = framework.in_force_from, when, actor.label
        status = "updated"
        row = existing
    else:
        row = FrameworkVersion(
            framework_id=framework.id, version=framework.version, title=framework.title,
            in_force_from=framework.in_force_from, content=content, content_hash=framework.content_hash,
            loaded_at=when, loaded_by=actor.label,
        )
        session.add(row)
        status = "added"
    session.flush()
    audit.record(session, actor, f"framework.{status}", when=when, object_type="framework_version",
                 object_id=row.id, details={"framework": framework.id, "version": framework.version,
                                            "content_hash": framework.content_hash})
    return LoadOutcome(framework.id, framework.version, status)


def load_frameworks(session: Session, actor: audit.Actor, path: Path, *, when: datetime) -> list[LoadOutcome]:
    """Load one version folder, or every version folder under a frameworks root, in version order."""
    folders = [path] if (path / "framework.yml").exists() else discover_frameworks(path)
    if not folders:
        raise ValidationFailed(f"No framework versions found under {path}")
    return [store_framework(session, actor, load_framework(folder), when=when) for folder in folders]


def list_versions(session: Session, framework_id: str | None = None) -> list[FrameworkVersion]:
    """Return loaded versions, oldest in-force date first."""
    query = select(FrameworkVersion).order_by(FrameworkVersion.framework_id, FrameworkVersion.in_force_from,
                                              FrameworkVersion.version)
    if framework_id:
        query = query.where(FrameworkVersion.framework_id == framework_id)
    return list(session.scalars(query))


def get_version(session: Session, framework_id: str, version: str) -> FrameworkVersion:
    """Return a loaded version or raise NotFound."""
    row = session.scalars(
        select(FrameworkVersion).where(FrameworkVersion.framework_id == framework_id,
                                       FrameworkVersion.version == version)
    ).first()
    if row is None:
        raise NotFound(f"Framework {framework_id} version {version} is not loaded")
    return row


def get_version_by_id(session: Session, version_id: int) -> FrameworkVersion:
    """Return a loaded version by its row id or raise NotFound."""
    row = session.get(FrameworkVersion, version_id)
    if row is None:
        raise NotFound(f"Framework version {version_id} not found")
    return row


def latest_version(session: Session, framework_id: str = DEFAULT_FRAMEWORK) -> FrameworkVersion | None:
    """Return the newest loaded version of a framework (by in-force date), or None."""
    versions = list_versions(session, framework_id)
    return versions[-1] if versions else None


def partnership_framework(session: Session, partnership: Partnership) -> tuple[FrameworkVersion, Framework]:
    """Return the version a partnership works against, adopting the latest loaded one if it has none yet."""
    row = partnership.framework_version
    if row is None:
        row = latest_version(session)
        if row is None:
            raise NotFound("No inspection framework is loaded. Run `inspect-app frameworks load`.")
        partnership.framework_version_id = row.id
        partnership.framework_version = row
        session.flush()
    return row, framework_of(row)


@dataclass(frozen=True)
class HookReport:
    """What moving framework version does (or would do) to one feature's criterion-keyed rows."""

    what: str  # e.g. "evidence links"
    carried: int
    dropped: int  # rows on criteria the new version no longer has
