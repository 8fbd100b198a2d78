"""Self-evaluation use cases: saving versions, signing off, reading what inspectors may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from inspect_app.domain.errors import NotFound, PermissionDenied, ValidationFailed
from inspect_app.domain.framework_diff import CriterionMapping
from inspect_app.domain.frameworks import Framework
from inspect_app.domain.partners import PARTNERS
from inspect_app.domain.readiness import SefFact
from inspect_app.domain.self_evaluation import (
    EntryContent,
    Signature,
    SignOffStatus,
    diff_versions,
    sign_off_status,
    validate_content,
)
from inspect_app.models import EvidenceItem, Membership, Partnership, SefEntry, SefSignature, SefVersion
from inspect_app.services import audit
from inspect_app.services.frameworks import HookReport
from inspect_app.services.tenancy import scoped


def list_entries(session: Session, partnership_id: int) -> dict[str, SefEntry]:
    """Return the partnership's entries by criterion id, with versions and signatures loaded."""
    query = scoped(SefEntry, partnership_id).options(selectinload(SefEntry.versions), selectinload(SefEntry.signatures))
    return {entry.criterion_id: entry for entry in session.scalars(query)}


def find_entry(session: Session, partnership_id: int, criterion_id: str) -> SefEntry | None:
    """Return the entry for a criterion, or None if nothing has been written yet."""
    return session.scalars(scoped(SefEntry, partnership_id).where(SefEntry.criterion_id == criterion_id)).first()


def content_of(entry: SefEntry | None) -> EntryContent:
    """Return the current content of an entry (empty when there is none)."""
    return EntryContent.from_dict(entry.content) if entry else EntryContent()


def _foreign_evidence(session: Session, partnership_id: int, ids: Sequence[int]) -> list[str]:
    """A problem for each selected evidence id that is not one of the partnership's items."""
    if not ids:
        return []
    own = set(
        session.scalars(
            select(EvidenceItem.id).where(EvidenceItem.partnership_id == partnership_id, EvidenceItem.id.in_(list(ids)))
        )
    )
    return [f"Evidence item {i} is not in this partnership's evidence library" for i in ids if i not in own]


class StaleVersion(ValidationFailed):
    """The evaluation changed since the person started editing it."""


def save_entry(
    session: Session,
    actor: audit.Actor,
    partnership: Partnership,
    framework: Framework,
    criterion_id: str,
    content: EntryContent,
    *,
    grades: Sequence[str],
    when: datetime,
    note: str | None = None,
    editing_version: int | None = None,
) -> SefEntry:
    """Save a new version of a criterion's evaluation; saving identical content makes no version.

    `editing_version` is the version the person started from (0 for a new evaluation): if someone has saved a newer
    one since, nothing is saved and StaleVersion says so, so one person's save never silently undoes another's.
    """
    framework.criterion(criterion_id)  # NotFound for a criterion the partnership's framework lacks
    entry = find_entry(session, partnership.id, criterion_id)
    if editing_version is not None and (entry.current_version if entry else 0) != editing_version:
        raise StaleVersion(
            "Someone saved a newer version while you were editing. Copy your changes, reload and try again."
        )
    problems = validate_content(content, grades)
    problems += _foreign_evidence(session, partnership.id, content.evidence_ids)
    if problems:
        raise ValidationFailed(problems)
    before = content_of(entry)
    if entry is not None and before == content:
        return entry
    if entry is None:
        entry = SefEntry(
            partnership_id=partnership.id,
            criterion_id=criterion_id,
            current_version=0,
            content={},
            updated_at=when,
            updated_by=actor.label,
        )
        session.add(entry)
        session.flush()
    entry.current_version += 1
    entry.content = content.to_dict()
    entry.updated_at, entry.updated_by = when, actor.label
    session.add(
        SefVersion(
            partnership_id=partnership.id,
            entry_id=entry.id,
            number=entry.current_version,
            content=content.to_dict(),
            saved_at=when,
            saved_by=actor.label,
            note=note,
        )
    )
    session.flush()
    changed = [d.field for d in diff_versions(before, content)]
    audit.record(
        session,
        actor,
        "sef.saved",
        when=when,
        partnership_id=partnership.id,
        object_type="sef_entry",
        object_id=entry.id,
        details={
            "criterion": criterion_id,
            "version": entry.current_version,
            "changed": changed,
            "grade": content.grade,
        },
    )
    return entry


def signatures_of(entry: SefEntry) -> list[Signature]:
    return [Signature(partner=s.partner, signer=s.signer, version=s.version) for s in entry.signatures]


def status_of(entry: SefEntry | None, required: Sequence[str]) -> SignOffStatus:
    """Return the sign-off status of the entry's current version."""
    if entry is None:
        return SignOffStatus(version=0, required=tuple(required))
    return sign_off_status(entry.current_version, signatures_of(entry), required)


def sign_off(
    session: Session,
    actor: audit.Actor,
    membership: Membership,
    entry: SefEntry,
    *,
    version: int,
    required: Sequence[str],
    when: datetime,
) -> SignOffStatus:
    """Record a lead's sign-off of a version for their organisation."""
    if membership.role != "lead":
        raise PermissionDenied("Only leads sign off the self-evaluation")
    partner = membership.organisation
    if partner not in required:
        needed = " or ".join(PARTNERS.get(p, p) for p in required)
        raise ValidationFailed(
            f"Sign-off is by a lead of the {needed}. Ask a lead to set your organisation "
            "on the members page if you speak for one of them."
        )
    if version != entry.current_version:
        raise ValidationFailed("The evaluation has changed since you opened it. Read the new version, then sign off.")
    if any(s.version == version and s.partner == partner for s in entry.signatures):
        raise ValidationFailed(f"Version {version} is already signed off for the {PARTNERS.get(partner, partner)}")
    signature = SefSignature(
        partnership_id=entry.partnership_id,
        entry_id=entry.id,
        version=version,
        partner=partner,
        user_id=membership.user_id,
        signer=actor.label,
        signed_at=when,
    )
    session.add(signature)
    entry.signatures.append(signature)
    session.flush()
    status = sign_off_status(version, signatures_of(entry), required)
    audit.record(
        session,
        actor,
        "sef.signed_off",
        when=when,
        partnership_id=entry.partnership_id,
        object_type="sef_entry",
        object_id=entry.id,
        details={"criterion": entry.criterion_id, "version": version, "partner": partner, "complete": status.complete},
    )
    return status


def latest_signed_off(entry: SefEntry | None, required: Sequence[str]) -> SefVersion | None:
    """Return the newest version every required partner signed (what inspectors see), or None."""
    if entry is None:
        return None
    signatures = signatures_of(entry)
    for version in sorted(entry.versions, key=lambda v: v.number, reverse=True):
        if sign_off_status(version.number, signatures, required).complete:
            return version
    return None


def get_version(entry: SefEntry, number: int) -> SefVersion:
    for version in entry.versions:
        if version.number == number:
            return version
    raise NotFound(f"Version {number} not found")


@dataclass(frozen=True)
class EntrySummary:
    criterion_id: str
    entry: SefEntry | None
    content: EntryContent
    status: SignOffStatus


def summaries(
    session: Session, partnership_id: int, framework: Framework, required: Sequence[str]
) -> list[EntrySummary]:
    """Return one summary per criterion of the framework, in framework order (empty where nothing is written)."""
    entries = list_entries(session, partnership_id)
    return [
        EntrySummary(c.id, entries.get(c.id), content_of(entries.get(c.id)), status_of(entries.get(c.id), required))
        for c in framework.criteria
    ]


def sef_facts(session: Session, partnership_id: int, required: Sequence[str]) -> dict[str, SefFact]:
    """Return the readiness facts of every written entry, by criterion id."""
    facts = {}
    for criterion_id, entry in list_entries(session, partnership_id).items():
        content = content_of(entry)
        facts[criterion_id] = SefFact(
            grade=content.grade,
            signed_off=status_of(entry, required).complete,
            updated_at=entry.updated_at,
            has_text=content.has_text,
        )
    return facts


def carry_entries(session: Session, partnership_id: int, mapping: CriterionMapping, apply: bool) -> HookReport:
    """Carry entries to the criteria that continue theirs (a split criterion's entry goes to each part)."""
    entries = list_entries(session, partnership_id)
    carried = sum(1 for cid in entries if cid in mapping.targets)
    dropped = sum(1 for cid in entries if cid in mapping.unmapped)
    if apply:
        for old_id, entry in list(entries.items()):
            targets = mapping.targets.get(old_id, ())
            for new_id in targets:
                if new_id == old_id:
                    continue
                if new_id in entries:
                    continue  # the new criterion already has its own evaluation; keep it
                copy = SefEntry(
                    partnership_id=partnership_id,
                    criterion_id=new_id,
                    current_version=1,
                    content=dict(entry.content),
                    updated_at=entry.updated_at,
                    updated_by=entry.updated_by,
                )
                session.add(copy)
                session.flush()
                session.add(
                    SefVersion(
                        partnership_id=partnership_id,
                        entry_id=copy.id,
                        number=1,
                        content=dict(entry.content),
                        saved_at=entry.updated_at,
                        saved_by=entry.updated_by,
                        note=f"Carried over from {old_id}",
                    )
                )
                entries[new_id] = copy
        session.flush()
    return HookReport("self-evaluation entries", carried=carried, dropped=dropped)
