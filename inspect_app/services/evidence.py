"""The evidence library: items, their file revisions and criterion links, the review workflow and the queries.

Rules kept here (views, commands and the register import all come through these functions):

- Status: draft -> ready for review (contributors and leads submit) -> approved (leads), or returned with a
  reason. Any later edit of an approved item (details, links or a new file) puts it back to draft, audited
  with the reason. Every status change records who and why.
- Inspectors see approved items only: `visible_items` adds that condition for the inspector role, and every
  list, item page, criterion count and download goes through it.
- Files are stored by sha256 in the blob store; their type is checked by content; a revision is served only
  by its id within its item and partnership.
- Links carry the criterion id and a sentence on what the item shows. Moving the partnership to a new framework
  version carries links through `carry_links` (listed in services/framework_moves.py): a link to a criterion that is
  continued goes to every criterion that continues it (a split gives one link per successor, with the same
  sentence); a link to a criterion that nothing continues is kept but marked `orphaned`, so it no longer
  counts as support and the item page lists it under "criteria no longer in the framework".
"""

from __future__ import annotations

import calendar
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from inspect_app.domain.errors import NotFound, ValidationFailed
from inspect_app.domain.file_types import FileType, check_upload, clean_filename
from inspect_app.domain.framework_diff import CriterionMapping
from inspect_app.domain.frameworks import Framework
from inspect_app.models import AuditEvent, EvidenceItem, EvidenceLink, EvidenceRevision, Membership, Partnership, User
from inspect_app.models.evidence import KINDS, PARTNERS, STATUSES
from inspect_app.services import audit
from inspect_app.services.frameworks import HookReport
from inspect_app.services.tenancy import get_scoped, scoped
from inspect_app.storage import BlobStore, BlobTooLarge, StoredBlob

KIND_LABELS = {"document": "Uploaded document", "link": "Web link", "snapshot": "Data snapshot"}
PARTNER_LABELS = {
    "council": "Council",
    "icb": "Integrated care board (ICB)",
    "parent_carer_forum": "Parent carer forum",
    "school_college": "School or college",
    "provider": "Provider",
    "other": "Other",
}
STATUS_LABELS = {
    "draft": "Draft",
    "ready_for_review": "Ready for review",
    "approved": "Approved",
    "returned": "Returned",
}
SORTS = {
    "updated": "Recently updated",
    "title": "Title (A to Z)",
    "review_by": "Review-by date (soonest first)",
    "reference": "Reference",
    "status": "Status",
}
OWNER_ROLES = ("lead", "contributor", "viewer")  # inspectors never own evidence
MAX_TITLE = 300
MAX_TEXT = 5000
MAX_NOTE = 1000
MAX_URL = 2000
REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")
AUTO_REFERENCE = re.compile(r"^EV-(\d+)$")

assert set(KIND_LABELS) == set(KINDS) and set(PARTNER_LABELS) == set(PARTNERS) and set(STATUS_LABELS) == set(STATUSES)


# --- Settings and inputs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceSettings:
    """The configuration the library works to (see config.py)."""

    review_months: int = 12
    review_soon_days: int = 30
    max_bytes: int = 25 * 1024 * 1024
    allowed_types: tuple[str, ...] = (
        "pdf",
        "docx",
        "doc",
        "xlsx",
        "xls",
        "pptx",
        "ppt",
        "odt",
        "ods",
        "odp",
        "csv",
        "txt",
        "png",
        "jpeg",
    )

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> EvidenceSettings:
        return cls(
            review_months=int(config.get("EVIDENCE_REVIEW_MONTHS", cls.review_months)),
            review_soon_days=int(config.get("EVIDENCE_REVIEW_SOON_DAYS", cls.review_soon_days)),
            max_bytes=int(config.get("EVIDENCE_MAX_BYTES", cls.max_bytes)),
            allowed_types=tuple(config.get("EVIDENCE_ALLOWED_TYPES", cls.allowed_types)),
        )

    @property
    def max_size_text(self) -> str:
        megabytes = self.max_bytes / (1024 * 1024)
        return f"{megabytes:g} MB" if megabytes >= 1 else f"{self.max_bytes // 1024} KB"


@dataclass
class ItemFields:
    """What a person says about an item (everything but its files, links and status)."""

    title: str
    evidence_type: str
    partner: str
    owner_id: int | None
    description: str = ""
    period_from: date | None = None
    period_to: date | None = None
    as_at: date | None = None
    review_by: date | None = None  # None: EVIDENCE_REVIEW_MONTHS after the as-at date (or today)
    url: str | None = None  # web links only


@dataclass
class Upload:
    """A file as received: the name the person's computer gave it and a binary stream of its bytes."""

    filename: str | None
    stream: IO[bytes]
    note: str = ""


class EvidenceInvalid(ValidationFailed):
    """Input refused; `by_field` says which field each message belongs to (for the form)."""

    def __init__(self, by_field: dict[str, list[str]]):
        self.by_field = by_field
        super().__init__([message for messages in by_field.values() for message in messages])


def add_months(day: date, months: int) -> date:
    """Return the same calendar date `months` later, or the month's last day (29 February -> 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_review_by(as_at: date | None, today: date, settings: EvidenceSettings) -> date:
    """Return the default review-by date: the configured months after the as-at date, or after today."""
    return add_months(as_at or today, settings.review_months)


def check_url(url: str) -> str | None:
    """Return an error message for a link that is not a plain http(s) address, else None."""
    if len(url) > MAX_URL:
        return f"The web address must be {MAX_URL} characters or fewer"
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return "The web address must not contain spaces"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "Enter a web address that starts with https:// or http://"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "Enter a web address that starts with https:// or http://"
    return None


# --- Validation ------------------------------------------------------------------------------------------------


def owner_choices(session: Session, partnership_id: int) -> list[User]:
    """Return the people who may own evidence: members other than inspectors, by name."""
    return list(
        session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.partnership_id == partnership_id, Membership.role.in_(OWNER_ROLES))
            .order_by(User.name)
        )
    )


def _validate(
    session: Session, partnership: Partnership, kind: str, fields: ItemFields, framework: Framework
) -> dict[str, list[str]]:
    """Tidy the fields (trimmed text; no web address unless it is a link) and return what is wrong, by field."""
    fields.title = (fields.title or "").strip()
    fields.description = (fields.description or "").strip()
    fields.url = (fields.url or "").strip() if kind == "link" else None
    owners = {user.id for user in owner_choices(session, partnership.id)}
    errors: dict[str, list[str]] = {}
    for name, message in (
        *_text_problems(fields),
        *_choice_problems(kind, fields, framework, owners),
        *_link_problems(kind, fields),
    ):
        errors.setdefault(name, []).append(message)
    return errors


def _text_problems(fields: ItemFields) -> Iterator[tuple[str, str]]:
    if not fields.title:
        yield "title", "Enter a title"
    elif len(fields.title) > MAX_TITLE:
        yield "title", f"Title must be {MAX_TITLE} characters or fewer"
    if len(fields.description) > MAX_TEXT:
        yield "description", f"Description must be {MAX_TEXT} characters or fewer"
    if fields.period_from and fields.period_to and fields.period_from > fields.period_to:
        yield "period_to", "The end of the period must be the same as or after its start"


def _choice_problems(
    kind: str, fields: ItemFields, framework: Framework, owners: set[int]
) -> Iterator[tuple[str, str]]:
    if kind not in KINDS:
        yield "kind", "Select what kind of evidence this is"
    if fields.evidence_type not in {t.id for t in framework.evidence_types}:
        yield "evidence_type", "Select an evidence type from the framework"
    if fields.partner not in PARTNERS:
        yield "partner", "Select the partner the evidence comes from"
    if fields.owner_id not in owners:
        yield "owner_id", "Select an owner who is a member of the partnership"


def _link_problems(kind: str, fields: ItemFields) -> Iterator[tuple[str, str]]:
    if kind != "link":
        return
    message = check_url(fields.url) if fields.url else "Enter the web address of the evidence"
    if message:
        yield "url", message


def reference_allocator(session: Session, partnership_id: int, also_taken: Iterable[str] = ()) -> Iterator[str]:
    """Yield the partnership's next free automatic references: EV-0001, EV-0002, ..."""
    taken = set(session.scalars(select(EvidenceItem.reference).where(EvidenceItem.partnership_id == partnership_id)))
    taken.update(also_taken)
    numbers = [int(m.group(1)) for ref in taken if (m := AUTO_REFERENCE.match(ref))]
    number = max(numbers, default=0)
    while True:
        number += 1
        candidate = f"EV-{number:04d}"
        if candidate not in taken:
            yield candidate


# --- Creating and changing items -------------------------------------------------------------------------------


def _audit(
    session: Session, actor: audit.Actor, action: str, item: EvidenceItem, when: datetime, **details: Any
) -> None:
    audit.record(
        session,
        actor,
        action,
        when=when,
        partnership_id=item.partnership_id,
        object_type="evidence_item",
        object_id=item.id,
        details={"reference": item.reference, "title": item.title, **details},
    )


def create_item(
    session: Session,
    actor: audit.Actor,
    partnership: Partnership,
    fields: ItemFields,
    *,
    kind: str,
    framework: Framework,
    settings: EvidenceSettings,
    when: datetime,
    reference: str | None = None,
) -> EvidenceItem:
    """Create a draft item (files and links are added separately); raise EvidenceInvalid on bad input."""
    errors = _validate(session, partnership, kind, fields, framework)
    if reference is not None and not REFERENCE_PATTERN.match(reference):
        errors.setdefault("reference", []).append("Reference must be letters, numbers and - . / _ only")
    if errors:
        raise EvidenceInvalid(errors)
    item = EvidenceItem(
        partnership_id=partnership.id,
        reference=reference or next(reference_allocator(session, partnership.id)),
        title=fields.title,
        description=fields.description,
        kind=kind,
        evidence_type=fields.evidence_type,
        partner=fields.partner,
        owner_id=fields.owner_id,
        period_from=fields.period_from,
        period_to=fields.period_to,
        as_at=fields.as_at,
        review_by=fields.review_by or default_review_by(fields.as_at, when.date(), settings),
        url=fields.url,
        status="draft",
        status_changed_at=when,
        status_changed_by=actor.label,
        created_at=when,
        created_by=actor.label,
        updated_at=when,
    )
    session.add(item)
    session.flush()
    _audit(session, actor, "evidence.created", item, when, kind=kind, evidence_type=item.evidence_type)
    return item


EDITABLE = (
    "title",
    "description",
    "evidence_type",
    "partner",
    "owner_id",
    "period_from",
    "period_to",
    "as_at",
    "review_by",
    "url",
)


def _shown(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def update_item(
    session: Session,
    actor: audit.Actor,
    item: EvidenceItem,
    fields: ItemFields,
    *,
    framework: Framework,
    settings: EvidenceSettings,
    when: datetime,
) -> bool:
    """Change an item's details; an approved item goes back to draft. Return whether anything changed."""
    partnership = session.get(Partnership, item.partnership_id)
    errors = _validate(session, partnership, item.kind, fields, framework)  # type: ignore[arg-type]
    if errors:
        raise EvidenceInvalid(errors)
    if fields.review_by is None:
        fields.review_by = default_review_by(fields.as_at, when.date(), settings)
    changed = {
        name: [_shown(getattr(item, name)), _shown(getattr(fields, name))]
        for name in EDITABLE
        if getattr(item, name) != getattr(fields, name)
    }
    if not changed:
        return False
    for name in changed:
        setattr(item, name, getattr(fields, name))
    item.updated_at = when
    session.flush()
    _audit(session, actor, "evidence.updated", item, when, changed=changed)
    _reopen_if_approved(session, actor, item, when, "The details were edited after approval")
    return True


def _reopen_if_approved(session: Session, actor: audit.Actor, item: EvidenceItem, when: datetime, why: str) -> None:
    if item.status == "approved":
        _change_status(session, actor, item, "draft", when, action="evidence.reopened", reason=why)


def _change_status(
    session: Session,
    actor: audit.Actor,
    item: EvidenceItem,
    status: str,
    when: datetime,
    *,
    action: str,
    reason: str | None = None,
) -> None:
    before = item.status
    item.status = status
    item.returned_reason = reason if status == "returned" else None
    item.status_changed_at, item.status_changed_by = when, actor.label
    item.updated_at = when
    session.flush()
    _audit(session, actor, action, item, when, status_from=before, status_to=status, reason=reason)


def submit_for_review(session: Session, actor: audit.Actor, item: EvidenceItem, *, when: datetime) -> None:
    """Send a draft or returned item to the leads for review."""
    if item.status not in ("draft", "returned"):
        status = STATUS_LABELS[item.status].lower()
        raise ValidationFailed(f"Only draft or returned evidence can be sent for review; this is {status}")
    problems = []
    if item.kind != "link" and not item.revisions:
        problems.append("Upload the file before sending the evidence for review")
    if not item.current_links:
        problems.append("Link the evidence to at least one criterion before sending it for review")
    if problems:
        raise ValidationFailed(problems)
    _change_status(session, actor, item, "ready_for_review", when, action="evidence.submitted")


def approve(session: Session, actor: audit.Actor, item: EvidenceItem, *, when: datetime) -> None:
    """Approve an item that is ready for review (leads only: the view checks the role)."""
    if item.status != "ready_for_review":
        raise ValidationFailed("Only evidence that is ready for review can be approved")
    _change_status(session, actor, item, "approved", when, action="evidence.approved")


def return_item(session: Session, actor: audit.Actor, item: EvidenceItem, reason: str, *, when: datetime) -> None:
    """Return an item to its owner with the reason (from ready for review, or withdrawing an approval)."""
    reason = (reason or "").strip()
    if item.status not in ("ready_for_review", "approved"):
        raise ValidationFailed("Only evidence that is ready for review or approved can be returned")
    if not reason:
        raise EvidenceInvalid({"reason": ["Enter why you are returning the evidence"]})
    if len(reason) > MAX_NOTE:
        raise EvidenceInvalid({"reason": [f"The reason must be {MAX_NOTE} characters or fewer"]})
    _change_status(session, actor, item, "returned", when, action="evidence.returned", reason=reason)


def set_imported_status(
    session: Session, actor: audit.Actor, item: EvidenceItem, status: str, reason: str, *, when: datetime
) -> None:
    """Give an imported item the status its register row records (the import checked who may do that)."""
    if status not in STATUSES:
        raise ValidationFailed(f"Unknown status {status!r}")
    _change_status(
        session,
        actor,
        item,
        status,
        when,
        action="evidence.status_imported",
        reason=reason if status == "returned" else "Imported from the evidence register",
    )


def delete_item(session: Session, actor: audit.Actor, item: EvidenceItem, *, when: datetime) -> None:
    """Delete an item, its revisions and links (the blobs stay until `prune_store` finds them unreferenced)."""
    _audit(
        session,
        actor,
        "evidence.deleted",
        item,
        when,
        status=item.status,
        revisions=[revision.sha256 for revision in item.revisions],
    )
    session.delete(item)
    session.flush()


# --- Files -----------------------------------------------------------------------------------------------------


def _seekable(stream: IO[bytes], max_bytes: int) -> IO[bytes]:
    """Return the stream if it can seek, else a spooled copy (on disk past 1 MB), refusing more than max_bytes."""
    try:
        if stream.seekable():
            return stream
    except (AttributeError, ValueError):
        pass
    spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)
    copied = 0
    while chunk := stream.read(1024 * 1024):
        copied += len(chunk)
        if copied > max_bytes:
            spool.close()
            raise BlobTooLarge(max_bytes)
        spool.write(chunk)
    spool.seek(0)
    return spool


def _check_and_store(
    store: BlobStore, filename: str, stream: IO[bytes], settings: EvidenceSettings, too_large: str
) -> tuple[FileType, StoredBlob]:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise ValidationFailed("The selected file is empty")
    if size > settings.max_bytes:
        raise ValidationFailed(too_large)
    file_type = check_upload(filename, stream, allowed=settings.allowed_types)
    try:
        return file_type, store.put(stream, max_bytes=settings.max_bytes)
    except BlobTooLarge:
        raise ValidationFailed(too_large) from None


def add_revision(
    session: Session,
    store: BlobStore,
    actor: audit.Actor,
    item: EvidenceItem,
    upload: Upload,
    *,
    settings: EvidenceSettings,
    when: datetime,
) -> EvidenceRevision:
    """Check an uploaded file by content and add it as the item's next revision; earlier ones are kept."""
    if item.kind == "link":
        raise ValidationFailed("A web link has no file; change its web address instead")
    too_large = f"The selected file must be smaller than {settings.max_size_text}"
    filename = clean_filename(upload.filename)
    note = (upload.note or "").strip()
    if len(note) > MAX_NOTE:
        raise EvidenceInvalid({"note": [f"The note must be {MAX_NOTE} characters or fewer"]})
    try:
        stream = _seekable(upload.stream, settings.max_bytes)
    except BlobTooLarge:
        raise ValidationFailed(too_large) from None
    try:
        file_type, blob = _check_and_store(store, filename, stream, settings, too_large)
    finally:
        if stream is not upload.stream:
            stream.close()
    revision = EvidenceRevision(
        partnership_id=item.partnership_id,
        item_id=item.id,
        number=len(item.revisions) + 1,
        sha256=blob.sha256,
        size=blob.size,
        media_type=file_type.media_type,
        file_type=file_type.id,
        filename=filename,
        note=note,
        uploaded_at=when,
        uploaded_by_id=actor.user.id if actor.user else None,
        uploaded_by=actor.label,
    )
    item.revisions.append(revision)
    item.updated_at = when
    session.flush()
    _audit(
        session,
        actor,
        "evidence.revision_added",
        item,
        when,
        revision=revision.number,
        sha256=blob.sha256,
        size=blob.size,
        media_type=revision.media_type,
        filename=filename,
    )
    if revision.number > 1:
        _reopen_if_approved(session, actor, item, when, "A new version of the file was uploaded after approval")
    return revision


def record_snapshot(
    session: Session,
    store: BlobStore,
    actor: audit.Actor,
    partnership: Partnership,
    fields: ItemFields,
    *,
    data: bytes,
    filename: str,
    framework: Framework,
    settings: EvidenceSettings,
    when: datetime,
    links: Mapping[str, str] | None = None,
) -> EvidenceItem:
    """Store a data snapshot the app generated (a CSV, XLSX or PDF of figures) as a draft evidence item."""
    item = create_item(
        session, actor, partnership, fields, kind="snapshot", framework=framework, settings=settings, when=when
    )
    add_revision(session, store, actor, item, Upload(filename, io.BytesIO(data)), settings=settings, when=when)
    if links:
        set_links(session, actor, item, links, framework=framework, when=when)
    return item


def download_name(item: EvidenceItem, revision: EvidenceRevision) -> str:
    """Return the name offered when downloading: the uploaded name, with the extension of the checked type."""
    stem = revision.filename.rsplit(".", 1)[0] or item.reference
    from inspect_app.domain.file_types import FILE_TYPES

    return f"{stem}.{FILE_TYPES[revision.file_type].extension}"


def record_download(
    session: Session, actor: audit.Actor, revision: EvidenceRevision, *, role: str | None, when: datetime
) -> None:
    """Audit an inspector's download (what they read is part of the record leads can see)."""
    if role != "inspector":
        return
    item = revision.item
    _audit(session, actor, "evidence.downloaded", item, when, revision=revision.number, sha256=revision.sha256)


# --- Links -----------------------------------------------------------------------------------------------------


def set_links(
    session: Session,
    actor: audit.Actor,
    item: EvidenceItem,
    links: Mapping[str, str],
    *,
    framework: Framework,
    when: datetime,
    require_notes: bool = True,
) -> bool:
    """Make the item's current links exactly `links` (criterion id -> what it shows). Return whether it changed."""
    wanted = _checked_links(links, framework, require_notes)
    current = {link.criterion_id: link for link in item.links}
    added = sorted(c for c in wanted if c not in current or current[c].orphaned)
    removed = sorted(c for c, link in current.items() if not link.orphaned and c not in wanted)
    changed = sorted(c for c in wanted if c in current and not current[c].orphaned and current[c].note != wanted[c])
    if not (added or removed or changed):
        return False
    for criterion_id in removed:
        item.links.remove(current[criterion_id])
    for criterion_id in added:
        if criterion_id in current:  # a criterion came back: the orphaned link is current again
            current[criterion_id].orphaned = False
            current[criterion_id].note = wanted[criterion_id]
        else:
            item.links.append(
                EvidenceLink(partnership_id=item.partnership_id, criterion_id=criterion_id, note=wanted[criterion_id])
            )
    for criterion_id in changed:
        current[criterion_id].note = wanted[criterion_id]
    item.updated_at = when
    session.flush()
    _audit(session, actor, "evidence.links_changed", item, when, added=added, removed=removed, changed=changed)
    _reopen_if_approved(session, actor, item, when, "Its criterion links were changed after approval")
    return True


def _checked_links(links: Mapping[str, str], framework: Framework, require_notes: bool) -> dict[str, str]:
    """Return the links with each note on one line, or raise EvidenceInvalid saying what is wrong, by field."""
    known = {criterion.id for criterion in framework.criteria}
    errors: dict[str, list[str]] = {}
    wanted: dict[str, str] = {}
    for criterion_id, note in links.items():
        note = " ".join((note or "").split())  # one sentence: line breaks would break the register's cell
        if criterion_id not in known:
            errors.setdefault("criteria", []).append(f"There is no criterion {criterion_id} in the framework")
        elif require_notes and not note:
            errors.setdefault(f"note_{criterion_id}", []).append(f"Enter what the evidence shows for {criterion_id}")
        elif len(note) > MAX_NOTE:
            errors.setdefault(f"note_{criterion_id}", []).append(
                f"What it shows for {criterion_id} must be {MAX_NOTE} characters or fewer"
            )
        wanted[criterion_id] = note
    if errors:
        raise EvidenceInvalid(errors)
    return wanted


def carry_links(session: Session, partnership_id: int, mapping: CriterionMapping, apply: bool) -> HookReport:
    """Count (apply=False) or move (apply=True) the partnership's links for a framework version move."""
    links = session.scalars(scoped(EvidenceLink, partnership_id).where(EvidenceLink.orphaned.is_(False)))
    by_item: dict[int, list[EvidenceLink]] = {}
    for link in links:
        by_item.setdefault(link.item_id, []).append(link)
    carried = dropped = 0
    for item_id, item_links in by_item.items():
        final: dict[str, str] = {}  # the item's links after the move: criterion id -> what it shows
        orphans: list[EvidenceLink] = []
        for link in item_links:
            targets = mapping.targets.get(link.criterion_id)
            if link.criterion_id in mapping.unmapped:
                dropped += 1
                orphans.append(link)
                continue
            carried += bool(targets)
            for target in targets or (link.criterion_id,):  # an id unknown to the old version stays as it is
                final[target] = f"{final[target]} {link.note}".strip() if target in final else link.note
        if apply:
            _rewrite_links(session, partnership_id, item_id, item_links, orphans, final)
    if apply:
        session.flush()
    return HookReport("evidence links", carried=carried, dropped=dropped)


def _rewrite_links(
    session: Session,
    partnership_id: int,
    item_id: int,
    links: list[EvidenceLink],
    orphans: list[EvidenceLink],
    final: dict[str, str],
) -> None:
    for link in orphans:
        link.orphaned = True
    kept = [link for link in links if link not in orphans]
    if {link.criterion_id: link.note for link in kept} == final:
        return
    for link in kept:  # delete then insert, so renames and swaps never meet the unique constraint
        session.delete(link)
    session.flush()
    for criterion_id, note in final.items():
        session.add(EvidenceLink(partnership_id=partnership_id, item_id=item_id, criterion_id=criterion_id, note=note))
    item = session.get(EvidenceItem, item_id)
    if item is not None:
        session.expire(item, ["links"])  # the loaded collection still holds the deleted rows


# --- Reading ---------------------------------------------------------------------------------------------------


def visible_items(partnership_id: int, role: str | None) -> Select[tuple[EvidenceItem]]:
    """Return the items a role may see: everything for members, approved items only for inspectors."""
    query = scoped(EvidenceItem, partnership_id)
    if role == "inspector":
        query = query.where(EvidenceItem.status == "approved")
    return query


def items_by_id(
    session: Session, partnership_id: int, ids: Iterable[int], *, role: str | None
) -> dict[int, EvidenceItem]:
    """Return the partnership's items with these ids that the role may see (inspectors: approved ones only)."""
    wanted = list(ids)
    if not wanted:
        return {}
    query = visible_items(partnership_id, role).where(EvidenceItem.id.in_(wanted))
    return {item.id: item for item in session.scalars(query)}


@dataclass(frozen=True)
class EvidenceFilter:
    q: str = ""
    criterion: str = ""
    evidence_type: str = ""
    status: str = ""
    owner_id: int | None = None
    partner: str = ""
    kind: str = ""
    stale: bool = False
    review_soon: bool = False
    sort: str = "updated"

    @property
    def active(self) -> bool:
        return self != EvidenceFilter(sort=self.sort)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def evidence_query(
    partnership_id: int, filters: EvidenceFilter, *, role: str | None, today: date, soon_days: int
) -> Select[tuple[EvidenceItem]]:
    """Return the library query for a role, narrowed by `filters` and sorted."""
    conditions = [
        *_search_conditions(filters),
        *_field_conditions(filters, role),
        *_review_conditions(filters, today, soon_days),
    ]
    order = {
        "title": (func.lower(EvidenceItem.title), EvidenceItem.id),
        "review_by": (EvidenceItem.review_by, EvidenceItem.id),
        "reference": (EvidenceItem.reference, EvidenceItem.id),
        "status": (EvidenceItem.status, EvidenceItem.updated_at.desc(), EvidenceItem.id.desc()),
    }.get(filters.sort, (EvidenceItem.updated_at.desc(), EvidenceItem.id.desc()))
    return visible_items(partnership_id, role).where(*conditions).order_by(*order)


def _search_conditions(filters: EvidenceFilter) -> Iterator[ColumnElement[bool]]:
    if filters.q.strip():
        pattern = _like(filters.q.strip())
        yield or_(
            EvidenceItem.title.ilike(pattern, escape="\\"),
            EvidenceItem.description.ilike(pattern, escape="\\"),
            EvidenceItem.reference.ilike(pattern, escape="\\"),
        )
    if filters.criterion:
        yield exists().where(
            EvidenceLink.item_id == EvidenceItem.id,
            EvidenceLink.criterion_id == filters.criterion,
            EvidenceLink.orphaned.is_(False),
        )


def _field_conditions(filters: EvidenceFilter, role: str | None) -> Iterator[ColumnElement[bool]]:
    if filters.evidence_type:
        yield EvidenceItem.evidence_type == filters.evidence_type
    if filters.status and role != "inspector":  # inspectors see approved items only, whatever they ask for
        yield EvidenceItem.status == filters.status
    if filters.owner_id is not None:
        yield EvidenceItem.owner_id == filters.owner_id
    if filters.partner:
        yield EvidenceItem.partner == filters.partner
    if filters.kind:
        yield EvidenceItem.kind == filters.kind


def _review_conditions(filters: EvidenceFilter, today: date, soon_days: int) -> Iterator[ColumnElement[bool]]:
    horizon = today + timedelta(days=soon_days)
    if filters.stale and filters.review_soon:
        yield EvidenceItem.review_by <= horizon
    elif filters.stale:
        yield EvidenceItem.review_by < today
    elif filters.review_soon:
        yield EvidenceItem.review_by >= today
        yield EvidenceItem.review_by <= horizon


@dataclass(frozen=True)
class EvidencePage:
    items: list[EvidenceItem]
    total: int
    page: int
    pages: int


def list_evidence(
    session: Session,
    partnership_id: int,
    filters: EvidenceFilter,
    *,
    role: str | None,
    today: date,
    soon_days: int,
    page: int = 1,
    size: int = 25,
) -> EvidencePage:
    """Return one page of the library."""
    query = evidence_query(partnership_id, filters, role=role, today=today, soon_days=soon_days)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max((total + size - 1) // size, 1)
    page = min(max(page, 1), pages)
    items = session.scalars(
        query.options(selectinload(EvidenceItem.owner), selectinload(EvidenceItem.links))
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return EvidencePage(items=list(items), total=total, page=page, pages=pages)


def get_item(session: Session, partnership_id: int, item_id: int, *, role: str | None) -> EvidenceItem:
    """Return an item the role may see, or raise NotFound (another partnership's, or unapproved for inspectors)."""
    item = session.scalars(visible_items(partnership_id, role).where(EvidenceItem.id == item_id)).first()
    if item is None:
        raise NotFound(f"Evidence item {item_id} not found")
    return item


def get_revision(
    session: Session, partnership_id: int, item_id: int, revision_id: int, *, role: str | None
) -> EvidenceRevision:
    """Return a revision of a visible item by its id, or raise NotFound. Never looked up by hash."""
    item = get_item(session, partnership_id, item_id, role=role)
    revision = get_scoped(session, EvidenceRevision, partnership_id, revision_id)
    if revision.item_id != item.id:
        raise NotFound(f"Revision {revision_id} is not a revision of item {item_id}")
    return revision


def item_history(session: Session, item: EvidenceItem) -> list[AuditEvent]:
    """Return the item's audit events, newest first."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.partnership_id == item.partnership_id,
                AuditEvent.object_type == "evidence_item",
                AuditEvent.object_id == str(item.id),
            )
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        )
    )


def is_stale(item: EvidenceItem, today: date) -> bool:
    return item.review_by < today


@dataclass
class Digest:
    """One person's evidence work: to review (leads), returned to them, their drafts, and theirs to renew."""

    to_review: list[EvidenceItem] = field(default_factory=list)
    returned: list[EvidenceItem] = field(default_factory=list)
    drafts: list[EvidenceItem] = field(default_factory=list)
    awaiting: list[EvidenceItem] = field(default_factory=list)  # theirs, sent for review
    renew: list[EvidenceItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.to_review or self.returned or self.drafts or self.awaiting or self.renew)


def digest_for(
    session: Session, partnership_id: int, user_id: int, *, role: str | None, today: date, soon_days: int
) -> Digest:
    """Return the evidence a person should act on."""
    base = scoped(EvidenceItem, partnership_id).options(selectinload(EvidenceItem.owner))
    digest = Digest()
    if role == "lead":
        digest.to_review = list(
            session.scalars(
                base.where(EvidenceItem.status == "ready_for_review").order_by(EvidenceItem.status_changed_at)
            )
        )
    mine = list(session.scalars(base.where(EvidenceItem.owner_id == user_id).order_by(EvidenceItem.review_by)))
    digest.returned = [item for item in mine if item.status == "returned"]
    digest.drafts = [item for item in mine if item.status == "draft"]
    digest.awaiting = [item for item in mine if item.status == "ready_for_review"]
    horizon = today + timedelta(days=soon_days)
    digest.renew = [item for item in mine if item.review_by <= horizon]
    return digest


@dataclass(frozen=True)
class CriterionCoverage:
    criterion_id: str
    linked: int = 0
    approved: int = 0
    stale: int = 0
    missing_types: tuple[str, ...] = ()


def coverage(
    session: Session, partnership_id: int, framework: Framework, *, role: str | None, today: date
) -> dict[str, CriterionCoverage]:
    """Return, per criterion, how many visible items support it, how many are approved or stale, and which
    expected evidence types have no linked item yet."""
    visible = visible_items(partnership_id, role).subquery()
    rows = session.execute(
        select(EvidenceLink.criterion_id, visible.c.status, visible.c.evidence_type, visible.c.review_by)
        .join(visible, visible.c.id == EvidenceLink.item_id)
        .where(EvidenceLink.partnership_id == partnership_id, EvidenceLink.orphaned.is_(False))
    ).all()
    facts: dict[str, list[Any]] = {}
    for criterion_id, status, evidence_type, review_by in rows:
        facts.setdefault(criterion_id, []).append((status, evidence_type, review_by))
    result = {}
    for criterion in framework.criteria:
        found = facts.get(criterion.id, [])
        types = {evidence_type for _, evidence_type, _ in found}
        result[criterion.id] = CriterionCoverage(
            criterion_id=criterion.id,
            linked=len(found),
            approved=sum(1 for status, _, _ in found if status == "approved"),
            stale=sum(1 for _, _, review_by in found if review_by < today),
            missing_types=tuple(t for t in criterion.evidence_types if t not in types),
        )
    return result


def citable_items(
    session: Session, partnership_id: int, criterion_id: str, *, role: str | None, chosen: Iterable[int] = ()
) -> list[EvidenceItem]:
    """Return the items a self-evaluation of the criterion may cite: those linked to it, plus any `chosen` earlier
    that are no longer linked (so a citation is never lost without the person seeing it)."""
    items = {item.id: item for item, _ in criterion_evidence(session, partnership_id, criterion_id, role=role)}
    items.update(items_by_id(session, partnership_id, (i for i in chosen if i not in items), role=role))
    return list(items.values())


def criterion_evidence(
    session: Session, partnership_id: int, criterion_id: str, *, role: str | None
) -> list[tuple[EvidenceItem, EvidenceLink]]:
    """Return the visible items linked to a criterion with their links, by title."""
    visible = visible_items(partnership_id, role).subquery()
    links = session.scalars(
        select(EvidenceLink)
        .join(visible, visible.c.id == EvidenceLink.item_id)
        .where(
            EvidenceLink.partnership_id == partnership_id,
            EvidenceLink.criterion_id == criterion_id,
            EvidenceLink.orphaned.is_(False),
        )
        .options(selectinload(EvidenceLink.item))
    ).all()
    return sorted(((link.item, link) for link in links), key=lambda pair: pair[0].title.lower())


@dataclass(frozen=True)
class LibrarySummary:
    total: int
    approved: int
    ready_for_review: int
    stale: int


def library_summary(session: Session, partnership_id: int, *, role: str | None, today: date) -> LibrarySummary:
    """Return counts for the dashboard card."""
    visible = visible_items(partnership_id, role).subquery()
    row = session.execute(
        select(
            func.count(),
            func.count().filter(visible.c.status == "approved"),
            func.count().filter(visible.c.status == "ready_for_review"),
            func.count().filter(visible.c.review_by < today),
        ).select_from(visible)
    ).one()
    return LibrarySummary(*(int(value or 0) for value in row))


def items_for_register(session: Session, partnership_id: int, *, role: str | None) -> list[EvidenceItem]:
    """Return every visible item with what the register needs, by reference."""
    return list(
        session.scalars(
            visible_items(partnership_id, role)
            .options(selectinload(EvidenceItem.owner), selectinload(EvidenceItem.links))
            .order_by(EvidenceItem.reference, EvidenceItem.id)
        )
    )


# --- Store housekeeping ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoreCheck:
    referenced: int
    missing: list[str]  # referenced by a revision, absent from the store
    unreferenced: list[str]  # in the store, referenced by no revision of any partnership


def check_store(session: Session, store: BlobStore) -> StoreCheck:
    """Compare the blob store with the revisions of every partnership (an operator's command, not tenant data)."""
    referenced = set(session.scalars(select(EvidenceRevision.sha256).distinct()))
    stored = set(store.keys())
    return StoreCheck(
        referenced=len(referenced),
        missing=sorted(key for key in referenced if not store.exists(key)),
        unreferenced=sorted(stored - referenced),
    )


def prune_store(session: Session, store: BlobStore, keys: Iterable[str]) -> int:
    """Delete the given blobs if still unreferenced; return how many were deleted."""
    deleted = 0
    for key in keys:
        in_use = select(EvidenceRevision.id).where(EvidenceRevision.sha256 == key).limit(1)
        if session.scalar(in_use) is None:
            store.delete(key)
            deleted += 1
    return deleted
