from __future__ import annotations

import io

import pytest

from inspect_app.config import Config
from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.file_types import check_upload, clean_filename, sniff
from tests.evidence_factories import JPEG, OLE_DOC, PDF, PNG, docx, odt, pptx, xlsx, zip_of

ALLOWED = Config.EVIDENCE_ALLOWED_TYPES


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("minutes.pdf", PDF, "application/pdf"),
        ("strategy.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("figures.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("board.pptx", pptx(), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("plan.odt", odt(), "application/vnd.oasis.opendocument.text"),
        ("old-plan.doc", OLE_DOC, "application/msword"),
        ("waits.csv", b"month,weeks\n2026-01,14\n", "text/csv"),
        ("notes.txt", "Caf\u00e9 notes\n".encode("cp1252"), "text/plain"),
        ("notes.TXT", "R\u00e9sum\u00e9 in UTF-8\n".encode(), "text/plain"),
        ("chart.png", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("photo.JPG", JPEG, "image/jpeg"),
    ],
)
def test_every_accepted_type_is_recognised_by_its_content(name, data, expected):
    assert check_upload(name, io.BytesIO(data), allowed=ALLOWED).media_type == expected


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", docx(), "called .pdf but its content is a Word document"),
        ("strategy.docx", PDF, "called .docx but its content is a PDF"),
        ("figures.xlsx", docx(), "called .xlsx but its content is a Word document"),
        ("page.txt", b"<!DOCTYPE html><html><body>hi</body></html>", "content is not a PDF"),
        ("data.csv", b"a,b\n<script>alert(1)</script>\n", "content is not a PDF"),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "content is not"),
        ("logo.txt", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "content is not"),
        ("page.html", b"<html></html>", "must be a PDF, Word, Excel, PowerPoint, OpenDocument, CSV, plain text"),
        ("logo.svg", b"<svg/>", "must be a PDF"),
        ("setup.exe", b"MZ\x90\x00", "must be a PDF"),
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "content is not"),
        ("binary.txt", b"abc\x00def", "content is not"),
        ("archive.docx", zip_of({"hello.txt": b"hi"}), "content is not"),
        ("macro.doc", bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 600, "content is not"),
        ("noextension", PDF, "must be a PDF"),
    ],
)
def test_hostile_or_mislabelled_content_is_refused_with_a_message(name, data, message):
    with pytest.raises(ValidationFailed, match=message):
        check_upload(name, io.BytesIO(data), allowed=ALLOWED)


def test_a_type_missing_from_configuration_is_refused():
    with pytest.raises(ValidationFailed, match="must be a PDF"):
        check_upload("chart.png", io.BytesIO(PNG), allowed=("pdf",))


def test_text_with_markup_split_across_a_chunk_boundary_is_still_refused():
    data = b"a" * (1024 * 1024 - 3) + b"<script>x</script>"
    assert sniff(io.BytesIO(data)) is None


def test_sniffing_leaves_the_stream_at_its_start():
    stream = io.BytesIO(PDF)
    stream.seek(10)
    sniff(stream)
    assert stream.tell() == 0


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\evil.docx", "evil.docx"),
        ("C:\\Users\\sam\\Board minutes (final).pdf", "Board minutes (final).pdf"),
        ("tab\tand\nnewline.csv", "tabandnewline.csv"),
        ("<img src=x onerror=alert(1)>.pdf", "_img src_x onerror_alert(1)_.pdf"),
    ],
)
def test_uploaded_names_keep_only_their_last_part_and_safe_characters(raw, clean):
    assert clean_filename(raw) == clean


@pytest.mark.parametrize(("raw", "message"), [("bad\x00.pdf", "NUL"), ("", "no name"), ("..", "end with its type")])
def test_names_with_nul_or_without_an_extension_are_refused(raw, message):
    with pytest.raises(ValidationFailed, match=message):
        clean_filename(raw)
