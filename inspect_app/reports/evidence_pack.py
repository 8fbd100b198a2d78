"""The evidence pack as a ZIP: written in one pass to any binary stream, and checked against its manifest.

The writer takes a `PackPlan` (plain data gathered by services/evidence_pack.py) and a function that opens an
evidence blob. Each evidence file is copied into the archive in chunks while its sha256 is computed, so memory
stays flat whatever the pack's size, and the output may be a file or a non-seekable stream (an HTTP response):
zipfile then writes data descriptors. Entries are ZIP64 so files and archives over 4 GB are fine. The manifest
lists every other file with the digest of the bytes actually written (not the digest the database expects), so
a damaged blob in the store shows up when the pack is verified.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO
from urllib.parse import quote

from inspect_app.reports.templating import render_template

CHUNK_SIZE = 1024 * 1024
SCHEMA = "inspect-app/evidence-pack/1"
MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
INDEX = "index.html"
MANIFEST_COLUMNS = ("path", "sha256", "size", "evidence_id", "criteria", "kind")
UNLINKED_FOLDER = "unlinked"

Progress = Callable[[int], None]


@dataclass(frozen=True)
class PackEvidence:
    """One approved evidence item as the pack shows it; `path` is where its file sits in the pack (or None)."""

    evidence_id: int
    reference: str
    title: str
    kind: str  # document | link | snapshot
    criteria: tuple[str, ...]  # the current criteria it supports, in framework order
    url: str | None = None
    sha256: str | None = None  # the current revision's blob (documents and snapshots)
    size: int | None = None
    revision: int | None = None
    file_label: str | None = None  # "PDF", "Word document", …
    path: str | None = None


@dataclass(frozen=True)
class CriterionEvidence:
    evidence: PackEvidence
    shows: str  # the link's sentence: what it shows for this criterion


@dataclass(frozen=True)
class PackCriterion:
    id: str
    title: str
    section: str
    grade: str | None  # from the latest signed-off version; None when none is signed off
    signed_off_version: int | None
    strengths: str = ""
    areas_for_development: str = ""
    impact: str = ""
    evidence: tuple[CriterionEvidence, ...] = ()


@dataclass(frozen=True)
class PackDocument:
    """A file built in memory (reports, data): small, written whole."""

    path: str
    data: bytes
    kind: str  # report | data
    title: str = ""  # as the index and the preview name it
    description: str = ""


@dataclass(frozen=True)
class Omission:
    path: str
    reason: str


@dataclass
class PackPlan:
    partnership: dict[str, str]  # slug, name, la_code
    framework: dict[str, str]  # id, version, title
    generated_at: datetime
    app_version: str
    criteria: list[PackCriterion]
    evidence: list[PackEvidence]  # every approved item, by reference
    unlinked: list[PackEvidence] = field(default_factory=list)  # approved, but no current criterion
    documents: list[PackDocument] = field(default_factory=list)
    omitted: list[Omission] = field(default_factory=list)
    extras: tuple[str, ...] = ()  # the keys of the extras chosen (services/evidence_pack.py PACK_EXTRAS)

    @property
    def files(self) -> list[PackEvidence]:
        return [e for e in self.evidence if e.path is not None]

    @property
    def total_bytes(self) -> int:
        """Return the bytes of every file the pack will hold (for a progress bar)."""
        return sum(e.size or 0 for e in self.files) + sum(len(d.data) for d in self.documents)


@dataclass(frozen=True)
class ManifestEntry:
    path: str
    sha256: str
    size: int
    evidence_id: int | None
    criteria: tuple[str, ...]
    kind: str  # index | report | data | evidence

    def as_json(self) -> dict:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "size": self.size,
            "evidence_id": self.evidence_id,
            "criteria": list(self.criteria),
            "kind": self.kind,
        }


@dataclass(frozen=True)
class PackResult:
    entries: list[ManifestEntry]
    manifest_sha256: str

    @property
    def evidence_files(self) -> int:
        return sum(1 for e in self.entries if e.kind == "evidence")

    @property
    def content_bytes(self) -> int:
        return sum(e.size for e in self.entries)


# --- Names -------------------------------------------------------------------------------------------------------


def safe_part(text: str, *, limit: int = 60, lower: bool = True) -> str:
    """Return text as a portable file-name part: ASCII letters, digits and hyphens only (never a path)."""
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:limit].strip("-")
    return (cleaned.lower() if lower else cleaned) or "file"


def evidence_path(folder: str, reference: str, filename: str, extension: str, taken: set[str]) -> str:
    """Return evidence/<folder>/<ref>-<safe-name>.<ext>, made unique against `taken` (and added to it)."""
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    base = f"evidence/{safe_part(folder, lower=False)}/{safe_part(reference, lower=False)}-{safe_part(stem)}"
    path, number = f"{base}.{extension}", 1
    while path.lower() in taken:
        number += 1
        path = f"{base}-{number}.{extension}"
    taken.add(path.lower())
    return path


def href(path: str) -> str:
    """Return a relative link from index.html to a file in the pack."""
    return quote(path)


# --- Writing -----------------------------------------------------------------------------------------------------


def render_index(plan: PackPlan) -> bytes:
    """Return index.html: criteria, their signed-off self-evaluation and evidence, linked into the pack."""
    return render_template(
        "packs/index.html",
        plan=plan,
        href=href,
        size_text=size_text,
        reports=[d for d in plan.documents if d.kind == "report"],
        data=[d for d in plan.documents if d.kind == "data"],
    ).encode("utf-8")


def size_text(size: int | None) -> str:
    """Return a size as people read it: 512 bytes, 14 KB, 3.2 MB."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    if size < 1024**3:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024**3:.2f} GB"


ZipTime = tuple[int, int, int, int, int, int]


def _zip_time(when: datetime) -> ZipTime:
    return (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)


def _write_bytes(archive: zipfile.ZipFile, path: str, data: bytes, when: ZipTime, compress: bool) -> tuple[str, int]:
    info = zipfile.ZipInfo(path, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    with archive.open(info, "w", force_zip64=True) as target:
        target.write(data)
    return hashlib.sha256(data).hexdigest(), len(data)


def _write_stream(
    archive: zipfile.ZipFile, path: str, source: IO[bytes], when: ZipTime, progress: Progress | None
) -> Iterator[None]:
    """Copy a blob into the archive chunk by chunk, yielding after each; return (sha256, size)."""
    info = zipfile.ZipInfo(path, date_time=when)
    # Evidence is mostly PDF and Office files, already compressed: deflating them again costs time for nothing.
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    digest, size = hashlib.sha256(), 0
    with archive.open(info, "w", force_zip64=True) as target:
        while chunk := source.read(CHUNK_SIZE):
            digest.update(chunk)
            target.write(chunk)
            size += len(chunk)
            if progress:
                progress(len(chunk))
            yield
    return digest.hexdigest(), size


def _pack_steps(
    plan: PackPlan, open_blob: Callable[[str], IO[bytes]], out: IO[bytes], progress: Progress | None
) -> Generator[None, None, PackResult]:
    """Write the pack to `out`, yielding after each piece so a caller can drain `out` as it goes."""
    when = _zip_time(plan.generated_at)
    entries: list[ManifestEntry] = []
    with zipfile.ZipFile(out, "w", allowZip64=True) as archive:
        digest, size = _write_bytes(archive, INDEX, render_index(plan), when, compress=True)
        entries.append(ManifestEntry(INDEX, digest, size, None, (), "index"))
        for document in plan.documents:
            digest, size = _write_bytes(archive, document.path, document.data, when, compress=True)
            entries.append(ManifestEntry(document.path, digest, size, None, (), document.kind))
            if progress:
                progress(size)
            yield
        for item in plan.files:
            assert item.path is not None and item.sha256 is not None
            with open_blob(item.sha256) as source:
                digest, size = yield from _write_stream(archive, item.path, source, when, progress)
            entries.append(ManifestEntry(item.path, digest, size, item.evidence_id, item.criteria, "evidence"))
        manifest = manifest_json(plan, entries)
        _write_bytes(archive, MANIFEST_JSON, manifest, when, compress=True)
        _write_bytes(archive, MANIFEST_CSV, manifest_csv(entries), when, compress=True)
    return PackResult(entries=entries, manifest_sha256=hashlib.sha256(manifest).hexdigest())


def write_pack(
    plan: PackPlan, open_blob: Callable[[str], IO[bytes]], out: IO[bytes], progress: Progress | None = None
) -> PackResult:
    """Write the whole pack as a ZIP to `out`, streaming evidence blobs; return what the manifest lists."""
    steps = _pack_steps(plan, open_blob, out, progress)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


class _Sink(io.RawIOBase):
    """A write-only, non-seekable stream whose bytes are taken away as they come (for a streamed response)."""

    def __init__(self) -> None:
        self._pending = bytearray()
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[no-untyped-def,override]
        self._pending += data
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def take(self) -> bytes:
        data, self._pending = bytes(self._pending), bytearray()
        return data


def iter_pack(
    plan: PackPlan, open_blob: Callable[[str], IO[bytes]], done: Callable[[PackResult], None] | None = None
) -> Iterator[bytes]:
    """Yield the pack's bytes as they are written (about one chunk at a time: memory stays flat)."""
    sink = _Sink()
    steps = _pack_steps(plan, open_blob, sink, None)
    while True:
        try:
            next(steps)
        except StopIteration as finished:
            result = finished.value
            break
        if data := sink.take():
            yield data
    if data := sink.take():
        yield data
    if done is not None:
        done(result)


def manifest_json(plan: PackPlan, entries: Iterable[ManifestEntry]) -> bytes:
    """Return manifest.json: the pack's metadata, every other file, what was left out and the web links."""
    document = {
        "schema": SCHEMA,
        "partnership": plan.partnership,
        "framework": plan.framework,
        "generated_at": plan.generated_at.isoformat(timespec="seconds") + "Z",
        "app_version": plan.app_version,
        "files": [entry.as_json() for entry in entries],
        "links": [
            {"evidence_id": e.evidence_id, "reference": e.reference, "url": e.url, "criteria": list(e.criteria)}
            for e in plan.evidence
            if e.kind == "link"
        ],
        "omitted": [{"path": o.path, "reason": o.reason} for o in plan.omitted],
        "extras": list(plan.extras),
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def manifest_csv(entries: Iterable[ManifestEntry]) -> bytes:
    """Return manifest.csv: one row per file, criteria separated by semicolons."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(MANIFEST_COLUMNS)
    for e in entries:
        writer.writerow(
            [e.path, e.sha256, e.size, "" if e.evidence_id is None else e.evidence_id, ";".join(e.criteria), e.kind]
        )
    return text.getvalue().encode("utf-8")


# --- Verifying ---------------------------------------------------------------------------------------------------


@dataclass
class Verification:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    partnership_slug: str | None = None  # as the manifest names it
    manifest_sha256: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _hash_entry(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with archive.open(name) as source:
        while chunk := source.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _read_manifest(archive: zipfile.ZipFile, result: Verification) -> list[dict] | None:
    try:
        raw = archive.read(MANIFEST_JSON)
        document = json.loads(raw.decode("utf-8"))
    except KeyError:
        result.problems.append(f"{MANIFEST_JSON}: missing from the pack")
        return None
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile) as error:
        result.problems.append(f"{MANIFEST_JSON}: does not parse ({error})")
        return None
    result.manifest_sha256 = hashlib.sha256(raw).hexdigest()
    files = document.get("files") if isinstance(document, dict) else None
    partnership = document.get("partnership") if isinstance(document, dict) else None
    if isinstance(partnership, dict) and isinstance(partnership.get("slug"), str):
        result.partnership_slug = partnership["slug"]
    if not isinstance(files, list) or not all(
        isinstance(f, dict) and isinstance(f.get("path"), str) and isinstance(f.get("sha256"), str) for f in files
    ):
        result.problems.append(f"{MANIFEST_JSON}: has no list of files with a path and sha256 each")
        return None
    return files


def verify_pack(source: str | Path | IO[bytes], progress: Progress | None = None) -> Verification:
    """Re-hash every file in a pack (streaming) and compare with its manifest: missing, extra, size, hash."""
    result = Verification()
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        result.problems.append(f"not a readable ZIP file ({error})")
        return result
    with archive:
        files = _read_manifest(archive, result)
        if files is None:
            return result
        present = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        listed = set()
        for entry in files:
            path = entry["path"]
            listed.add(path)
            if path not in present:
                result.problems.append(f"{path}: missing from the pack")
                continue
            try:
                digest, size = _hash_entry(archive, path)
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                result.problems.append(f"{path}: cannot be read ({error})")
                continue
            result.checked += 1
            if progress:
                progress(size)
            if size != entry.get("size"):
                result.problems.append(f"{path}: size {size} bytes, the manifest says {entry.get('size')}")
            if digest != entry["sha256"]:
                result.problems.append(f"{path}: sha256 {digest}, the manifest says {entry['sha256']}")
        for path in sorted(set(present) - listed - {MANIFEST_JSON, MANIFEST_CSV}):
            result.problems.append(f"{path}: in the pack but not in the manifest")
        _check_manifest_csv(archive, files, result)
    return result


def _check_manifest_csv(archive: zipfile.ZipFile, files: list[dict], result: Verification) -> None:
    try:
        rows = list(csv.DictReader(io.StringIO(archive.read(MANIFEST_CSV).decode("utf-8"))))
    except KeyError:
        result.problems.append(f"{MANIFEST_CSV}: missing from the pack")
        return
    except (ValueError, UnicodeDecodeError, csv.Error, zipfile.BadZipFile) as error:
        result.problems.append(f"{MANIFEST_CSV}: does not parse ({error})")
        return
    from_csv = {(r.get("path"), r.get("sha256"), r.get("size")) for r in rows}
    from_json = {(f["path"], f["sha256"], str(f.get("size"))) for f in files}
    if from_csv != from_json:
        result.problems.append(f"{MANIFEST_CSV}: does not list the same files, sizes and hashes as {MANIFEST_JSON}")
