"""What an uploaded file really is, judged by its content, and whether its name agrees.

No new packages: magic bytes for PDF, PNG and JPEG; ZIP-based formats by their members (OOXML by
`[Content_Types].xml` plus `word/`, `xl/` or `ppt/`; ODF by its `mimetype` member); legacy Office files by the
OLE2 signature plus the name of their main stream; CSV and plain text by decoding cleanly with no NUL or
control bytes and no HTML, SVG or script markup (a browser could be talked into running those).

The file's extension must name the same type its content shows, so `report.pdf` holding a Word document, or
`notes.txt` holding HTML, is refused with a message that says what the content is.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from inspect_app.domain.errors import ValidationFailed


@dataclass(frozen=True, slots=True)
class FileType:
    id: str
    label: str
    media_type: str
    extensions: tuple[str, ...]  # the first is used for download names

    @property
    def extension(self) -> str:
        return self.extensions[0]


_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"
FILE_TYPES: dict[str, FileType] = {
    t.id: t
    for t in (
        FileType("pdf", "PDF", "application/pdf", ("pdf",)),
        FileType("docx", "Word document", f"{_OOXML}.wordprocessingml.document", ("docx",)),
        FileType("doc", "Word 97-2003 document", "application/msword", ("doc",)),
        FileType("xlsx", "Excel workbook", f"{_OOXML}.spreadsheetml.sheet", ("xlsx",)),
        FileType("xls", "Excel 97-2003 workbook", "application/vnd.ms-excel", ("xls",)),
        FileType("pptx", "PowerPoint presentation", f"{_OOXML}.presentationml.presentation", ("pptx",)),
        FileType("ppt", "PowerPoint 97-2003 presentation", "application/vnd.ms-powerpoint", ("ppt",)),
        FileType("odt", "OpenDocument text", f"{_ODF}.text", ("odt",)),
        FileType("ods", "OpenDocument spreadsheet", f"{_ODF}.spreadsheet", ("ods",)),
        FileType("odp", "OpenDocument presentation", f"{_ODF}.presentation", ("odp",)),
        FileType("csv", "CSV file", "text/csv", ("csv",)),
        FileType("txt", "plain text file", "text/plain", ("txt",)),
        FileType("png", "PNG image", "image/png", ("png",)),
        FileType("jpeg", "JPEG image", "image/jpeg", ("jpg", "jpeg")),
    )
}
ODF_MIMETYPES = {FILE_TYPES[t].media_type: t for t in ("odt", "ods", "odp")}
OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
# Main stream names (UTF-16LE in the OLE2 directory) of the legacy Office formats.
OLE_STREAMS = {
    "doc": ("WordDocument",),
    "xls": ("Workbook", "Book"),
    "ppt": ("PowerPoint Document",),
}
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"
# Markup a browser would render or run: refused in anything that claims to be text.
HOSTILE_TEXT = re.compile(rb"<\s*(html|svg|script|!doctype|body|iframe|object|embed|\?xml)\b", re.IGNORECASE)
# C0 controls other than tab, line feed, form feed and carriage return: a sign of binary content.
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
CHUNK = 1024 * 1024
MAX_ZIP_MEMBERS = 10_000

SAFE_NAME_CHARS = re.compile(r"[^\w .()&+,'-]", re.UNICODE)


def allowed_labels(type_ids: tuple[str, ...] | list[str]) -> str:
    """Return the allowed types as a phrase: "PDF, Word, ... or JPEG"."""
    names = list(dict.fromkeys(_short_label(t) for t in type_ids))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _short_label(type_id: str) -> str:
    return {
        "pdf": "PDF",
        "docx": "Word",
        "doc": "Word",
        "xlsx": "Excel",
        "xls": "Excel",
        "pptx": "PowerPoint",
        "ppt": "PowerPoint",
        "odt": "OpenDocument",
        "ods": "OpenDocument",
        "odp": "OpenDocument",
        "csv": "CSV",
        "txt": "plain text",
        "png": "PNG",
        "jpeg": "JPEG",
    }[type_id]


def clean_filename(name: str | None) -> str:
    """Return the last part of an uploaded name, safe to show and to offer as a download name.

    Raises ValidationFailed for a missing name or one with a NUL byte. The stored name of a file is its
    sha256 whatever this returns: this name is only ever shown, and offered back when downloading.
    """
    if not name or not name.strip():
        raise ValidationFailed("The selected file has no name")
    if "\x00" in name:
        raise ValidationFailed("The file name must not contain a NUL character")
    last = re.split(r"[\\/]", name)[-1]
    last = "".join(ch for ch in last if ch.isprintable())
    last = SAFE_NAME_CHARS.sub("_", last).strip(" .")
    if not last or not PurePosixPath(last).suffix:
        raise ValidationFailed("The file name must end with its type, like .pdf or .docx")
    if len(last) > 200:
        stem, suffix = last.rsplit(".", 1)
        last = f"{stem[: 199 - len(suffix)]}.{suffix}"
    return last


def extension_of(name: str) -> str:
    return PurePosixPath(name).suffix.lower().lstrip(".")


def sniff(stream: IO[bytes]) -> FileType | None:
    """Return the type the content shows, or None if it is none of the allowed kinds. Leaves the stream at 0."""
    stream.seek(0)
    head = stream.read(4096)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return FILE_TYPES["pdf"]
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return FILE_TYPES["png"]
        if head.startswith(b"\xff\xd8\xff"):
            return FILE_TYPES["jpeg"]
        if head.startswith(ZIP_SIGNATURE):
            return _sniff_zip(stream)
        if head.startswith(OLE_SIGNATURE):
            return _sniff_ole(stream)
        return _sniff_text(stream)
    finally:
        stream.seek(0)


def _sniff_zip(stream: IO[bytes]) -> FileType | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                return None
            names = [info.filename for info in infos]
            if names and names[0] == "mimetype":
                info = infos[0]
                if info.file_size > 200:
                    return None
                mimetype = archive.read(info).decode("ascii", "replace").strip()
                type_id = ODF_MIMETYPES.get(mimetype)
                return FILE_TYPES[type_id] if type_id else None
            if "[Content_Types].xml" in names:
                found = {t for folder, t in OOXML_FOLDERS.items() if any(n.startswith(folder) for n in names)}
                if len(found) == 1:
                    return FILE_TYPES[found.pop()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return None
    return None


def _sniff_ole(stream: IO[bytes]) -> FileType | None:
    wanted = {type_id: [n.encode("utf-16-le") for n in names] for type_id, names in OLE_STREAMS.items()}
    longest = max(len(n) for names in wanted.values() for n in names)
    tail = b""
    while chunk := stream.read(CHUNK):
        window = tail + chunk
        for type_id, names in wanted.items():
            if any(name in window for name in names):
                return FILE_TYPES[type_id]
        tail = window[-longest:]
    return None


def _sniff_text(stream: IO[bytes]) -> FileType | None:
    """Plain text: decodes as UTF-8 (else Windows-1252), no NUL or control bytes, no markup. None otherwise."""
    tail = b""
    utf8 = _Utf8Check()
    first = True
    while chunk := stream.read(CHUNK):
        if first and chunk.startswith(b"\xef\xbb\xbf"):
            chunk = chunk[3:]
        first = False
        if CONTROL_BYTES.search(chunk) or HOSTILE_TEXT.search(tail + chunk):
            return None
        tail = chunk[-32:]
        utf8.feed(chunk)
    if utf8.ok():
        return FILE_TYPES["txt"]
    # Not UTF-8: acceptable as Windows-1252 (as Excel saves CSV) if every byte is defined there.
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        try:
            chunk.decode("cp1252")
        except UnicodeDecodeError:
            return None
    return FILE_TYPES["txt"]


class _Utf8Check:
    """Check UTF-8 validity chunk by chunk, carrying a sequence split across a chunk boundary."""

    def __init__(self) -> None:
        self.valid = True
        self.pending = b""

    def feed(self, chunk: bytes) -> None:
        if not self.valid:
            return
        data = self.pending + chunk
        try:
            data.decode("utf-8")
            self.pending = b""
        except UnicodeDecodeError as error:
            if error.reason == "unexpected end of data" and len(data) - error.start < 4:
                self.pending = data[error.start :]
            else:
                self.valid = False

    def ok(self) -> bool:
        return self.valid and not self.pending


def check_upload(filename: str, stream: IO[bytes], *, allowed: tuple[str, ...] | list[str]) -> FileType:
    """Return the file's type from its content, or raise ValidationFailed saying what is wrong.

    The content must be an allowed type and the extension of `filename` must name that type (a text file
    may be called .csv or .txt).
    """
    extension = extension_of(filename)
    permitted = allowed_labels(allowed)
    claimed = next((t for t in FILE_TYPES.values() if extension in t.extensions and t.id in allowed), None)
    if claimed is None:
        raise ValidationFailed(f"The selected file must be a {permitted}")
    found = sniff(stream)
    if found is not None and found.id == "txt" and claimed.id in ("csv", "txt"):
        found = claimed
    if found is None or found.id not in allowed:
        raise ValidationFailed(f"The selected file's content is not a {permitted} file, whatever its name says")
    if found.id != claimed.id:
        raise ValidationFailed(
            f"The selected file is called .{extension} but its content is a {found.label}. "
            f"Rename it to end .{found.extension} or choose the right file"
        )
    return found
