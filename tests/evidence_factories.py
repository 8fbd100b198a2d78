"""Evidence rows and files for tests: small valid files of every accepted type, and items built by the services."""

from __future__ import annotations

import functools
import io
import zipfile
from dataclasses import dataclass
from datetime import date

from inspect_app.reports.sample_documents import docx_bytes, minimal_pdf, xlsx_bytes
from inspect_app.services import audit
from inspect_app.services import evidence as service
from inspect_app.services.evidence import EvidenceSettings, ItemFields, Upload
from inspect_app.services.frameworks import partnership_framework
from tests.factories import NOW

SETTINGS = EvidenceSettings()
PDF = minimal_pdf("Board minutes", ["Item 1", "Item 2"])
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
OLE_DOC = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 64


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@functools.cache  # one set of bytes per run: a zip stamps its members with the time, so two builds can differ
def docx() -> bytes:
    return docx_bytes("Strategy", ["Our priorities"])


@functools.cache
def xlsx() -> bytes:
    return xlsx_bytes("Figures", ["a", "b"], [[1, 2]])


def pptx() -> bytes:
    return zip_of({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})


def odt() -> bytes:
    return zip_of({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<c/>"})


def fields(world_part, **overrides) -> ItemFields:  # type: ignore[no-untyped-def]
    values = {
        "title": "SEND strategy 2025 to 2028",
        "evidence_type": "send_strategy",
        "partner": "council",
        "owner_id": world_part.contributor.id,
        "description": "The published strategy",
        "as_at": date(2026, 3, 31),
    }
    values.update(overrides)
    return ItemFields(**values)


def make_item(  # type: ignore[no-untyped-def]
    session,
    store,
    world_part,
    *,
    kind="document",
    data=PDF,
    filename="strategy.pdf",
    links=None,
    status="draft",
    actor=None,
    **overrides,
):
    """Create an item through the services (with a file for documents, links, and the status asked for)."""
    partnership = world_part.partnership
    _, framework = partnership_framework(session, partnership)
    who = actor or audit.Actor.of(world_part.contributor)
    if kind == "link":
        overrides.setdefault("url", "https://example.org/strategy")
    item = service.create_item(
        session,
        who,
        partnership,
        fields(world_part, **overrides),
        kind=kind,
        framework=framework,
        settings=SETTINGS,
        when=NOW,
    )
    if kind != "link":
        service.add_revision(session, store, who, item, Upload(filename, io.BytesIO(data)), settings=SETTINGS, when=NOW)
    service.set_links(
        session,
        who,
        item,
        links if links is not None else {"LEAD1": "Sets out the priorities."},
        framework=framework,
        when=NOW,
    )
    lead = audit.Actor.of(world_part.lead)
    if status in ("ready_for_review", "approved", "returned"):
        service.submit_for_review(session, who, item, when=NOW)
    if status == "approved":
        service.approve(session, lead, item, when=NOW)
    if status == "returned":
        service.return_item(session, lead, item, "Add the appendix", when=NOW)
    return item


@dataclass
class BEvidence:
    item_id: int
    revision_id: int


def add_b_evidence(world) -> BEvidence:  # type: ignore[no-untyped-def]
    """Give partnership B an approved document (for the tenancy sweep); stored in the app's store."""
    from inspect_app.extensions import db
    from inspect_app.storage import get_store

    item = make_item(db.session, get_store(), world.b, status="approved")
    db.session.commit()
    world.b_evidence = BEvidence(item.id, item.revisions[0].id)
    return world.b_evidence
