"""The evidence pack: what goes in (approved only, stored once), the index's links, the manifest and verify."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.readiness_config import ReadinessConfig
from inspect_app.domain.self_evaluation import EntryContent
from inspect_app.models import AuditEvent
from inspect_app.reports.evidence_pack import MANIFEST_COLUMNS, verify_pack
from inspect_app.services import audit
from inspect_app.services import evidence_pack as pack_service
from inspect_app.services import feedback as feedback_service
from inspect_app.services import self_evaluation as sef_service
from inspect_app.services.frameworks import partnership_framework
from inspect_app.services.readiness import ReadinessSettings
from inspect_app.storage import LocalStore
from tests.evidence_factories import PDF, docx, make_item
from tests.factories import NOW, import_case_file

OFSTED_CSV = Path("/work/shared/data/ofsted/mi_ofsted_winter_2223.csv")
REQUIRED = ("council", "icb")
SETTINGS = ReadinessSettings(ReadinessConfig(), ("strong", "secure", "developing", "weak"), REQUIRED)
CASES_VALID = Path(__file__).resolve().parents[1] / "fixtures" / "files" / "cases" / "cases_valid.csv"
FEEDBACK_FILES = Path(__file__).resolve().parents[1] / "fixtures" / "files" / "feedback"


@pytest.fixture
def store(tmp_path):  # type: ignore[no-untyped-def]
    return LocalStore(tmp_path / "store")


@pytest.fixture
def library(session, two_partnerships, store):  # type: ignore[no-untyped-def]
    """Partnership A's evidence: approved items (one on two criteria, a real Ofsted CSV, a web link), a draft and
    a returned item (never in the pack), and B's approved item (another partnership)."""
    a = two_partnerships.a
    items = {
        "shared": make_item(
            session,
            store,
            a,
            title="SEND strategy",
            filename="SEND strategy 2025 (final).pdf",
            links={"LEAD1": "Sets out the priorities.", "EXP1": "Names early help as priority one."},
            status="approved",
        ),
        "ofsted": make_item(
            session,
            store,
            a,
            title="Ofsted management information",
            evidence_type="sen2_return",
            data=OFSTED_CSV.read_bytes(),
            filename="mi_ofsted_winter_2223.csv",
            links={"EXP1": "Outcomes of previous inspections."},
            status="approved",
        ),
        "link": make_item(
            session,
            store,
            a,
            kind="link",
            title="Local offer",
            url="https://example.org/local-offer",
            evidence_type="local_offer",
            links={"EXP2": "What families can find."},
            status="approved",
        ),
        "draft": make_item(session, store, a, title="Draft action plan", data=docx(), filename="plan.docx"),
        "returned": make_item(session, store, a, title="Returned minutes", status="returned"),
    }
    make_item(session, store, two_partnerships.b, title="Beta strategy", status="approved")
    session.commit()
    return items


def build(session, partnership, store, **kwargs):  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    summary = pack_service.build_pack(
        session,
        audit.SYSTEM,
        partnership,
        out,
        store=store,
        now=NOW,
        today=NOW.date(),
        settings=SETTINGS,
        **kwargs,
    )
    out.seek(0)
    return zipfile.ZipFile(out), summary


def manifest_of(archive: zipfile.ZipFile) -> dict:
    return json.loads(archive.read("manifest.json"))


def test_pack_holds_approved_evidence_only_and_nothing_of_another_partnership(
    session, two_partnerships, library, store
):
    archive, _ = build(session, two_partnerships.a.partnership, store)
    evidence = [name for name in archive.namelist() if name.startswith("evidence/")]
    ids = {f["evidence_id"] for f in manifest_of(archive)["files"] if f["kind"] == "evidence"}
    assert ids == {library["shared"].id, library["ofsted"].id}
    assert len(evidence) == 2
    index = archive.read("index.html").decode()
    assert "Draft action plan" not in index and "Returned minutes" not in index and "Beta strategy" not in index


def test_a_file_linked_to_two_criteria_is_stored_once_under_its_first_criterion(
    session, two_partnerships, library, store
):
    archive, _ = build(session, two_partnerships.a.partnership, store)
    shared = [f for f in manifest_of(archive)["files"] if f["evidence_id"] == library["shared"].id]
    assert len(shared) == 1
    _, framework = partnership_framework(session, two_partnerships.a.partnership)
    order = [c.id for c in framework.criteria]
    first = min(("LEAD1", "EXP1"), key=order.index)
    assert shared[0]["path"] == f"evidence/{first}/{library['shared'].reference}-send-strategy-2025-final.pdf"
    assert shared[0]["criteria"] == sorted(["LEAD1", "EXP1"], key=order.index)
    assert archive.read(shared[0]["path"]) == PDF
    # Both criteria's sections of the index link to the one stored file.
    soup = BeautifulSoup(archive.read("index.html"), "html5lib")
    for criterion in ("LEAD1", "EXP1"):
        section = _criterion_links(soup, criterion)
        assert shared[0]["path"] in section


def _criterion_links(soup: BeautifulSoup, criterion: str) -> list[str]:
    heading = soup.find("h2", id=f"criterion-{criterion}")
    links = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        links += [a["href"] for a in sibling.find_all("a")]
    return links


def test_every_relative_link_in_the_index_resolves_to_a_file_in_the_pack(session, two_partnerships, library, store):
    archive, _ = build(session, two_partnerships.a.partnership, store)
    soup = BeautifulSoup(archive.read("index.html"), "html5lib")
    names = set(archive.namelist())
    relative = [a["href"] for a in soup.find_all("a") if not a["href"].startswith(("#", "https://", "http://"))]
    assert relative, "the index links into the pack"
    from urllib.parse import unquote

    assert {unquote(h) for h in relative} <= names
    anchors = {a["href"][1:] for a in soup.find_all("a") if a["href"].startswith("#")}
    assert anchors <= {tag["id"] for tag in soup.find_all(id=True)}
    # The web link is listed with its address; it has no file.
    assert soup.find("a", href="https://example.org/local-offer") is not None
    assert [f for f in manifest_of(archive)["links"] if f["evidence_id"] == library["link"].id]


def test_index_is_offline_and_accessible_html(session, two_partnerships, library, store):
    archive, _ = build(session, two_partnerships.a.partnership, store)
    soup = BeautifulSoup(archive.read("index.html"), "html5lib")
    assert soup.html["lang"] == "en"
    assert not soup.find_all("script") and not soup.find_all("link") and not soup.find_all("img")
    assert len(soup.find_all("h1")) == 1
    for table in soup.find_all("table"):
        assert table.find("caption")
        assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))
    for a in soup.find_all("a"):
        assert len(a.get_text(strip=True)) > 3, a


def test_index_shows_the_signed_off_self_evaluation_or_says_not_signed_off(session, two_partnerships, library, store):
    from inspect_app.domain.self_evaluation import EntryContent

    a = two_partnerships.a
    _, framework = partnership_framework(session, a.partnership)
    writer = audit.Actor.of(a.lead)
    entry = sef_service.save_entry(
        session,
        writer,
        a.partnership,
        framework,
        "EXP1",
        EntryContent(grade="secure", strengths="Signed strengths"),
        grades=("strong", "secure", "developing", "weak"),
        when=NOW,
    )
    lead = a.memberships["lead"]
    lead.organisation = "council"
    from tests.factories import add_member, create_user

    icb = add_member(session, a.partnership, create_user(session, email="icb@alpha.example"), "lead")
    icb.organisation = "icb"
    for membership in (lead, icb):
        sef_service.sign_off(
            session, audit.Actor.of(membership.user), membership, entry, version=1, required=REQUIRED, when=NOW
        )
    # A later draft is never shown.
    sef_service.save_entry(
        session,
        writer,
        a.partnership,
        framework,
        "EXP1",
        EntryContent(grade="strong", strengths="Unsigned draft words"),
        grades=("strong", "secure", "developing", "weak"),
        when=NOW,
    )
    session.commit()
    archive, _ = build(session, a.partnership, store)
    soup = BeautifulSoup(archive.read("index.html"), "html5lib")
    exp1 = soup.find("h2", id="criterion-EXP1").find_next("h3").find_next("p").get_text(" ", strip=True)
    assert "secure" in exp1 and "version 1" in exp1
    text = archive.read("index.html").decode()
    assert "Signed strengths" in text and "Unsigned draft words" not in text
    exp2 = soup.find("h2", id="criterion-EXP2").find_next("h3").find_next("p").get_text(" ", strip=True)
    assert exp2 == "No signed-off evaluation."


def test_manifest_lists_every_other_file_with_its_hash_size_and_metadata(session, two_partnerships, library, store):
    archive, summary = build(session, two_partnerships.a.partnership, store)
    manifest = manifest_of(archive)
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(archive.namelist()) - {"manifest.json", "manifest.csv"}
    for path, entry in listed.items():
        data = archive.read(path)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)
    assert manifest["partnership"]["slug"] == "alpha"
    assert manifest["framework"]["id"] and manifest["framework"]["version"]
    assert manifest["generated_at"] == "2026-11-27T10:00:00Z"
    assert manifest["app_version"]
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    assert tuple(rows[0]) == MANIFEST_COLUMNS
    assert {(r["path"], r["sha256"], int(r["size"])) for r in rows} == {
        (p, e["sha256"], e["size"]) for p, e in listed.items()
    }
    assert summary.result.manifest_sha256 == hashlib.sha256(archive.read("manifest.json")).hexdigest()


def test_the_signed_off_self_evaluation_and_every_listed_extra_are_in_the_pack_and_no_readiness_report(
    session, two_partnerships, library, store
):
    a = two_partnerships.a
    _, framework = partnership_framework(session, a.partnership)
    sef_service.save_entry(
        session,
        audit.Actor.of(a.lead),
        a.partnership,
        framework,
        "EXP2",
        EntryContent(grade="weak", strengths="A draft nobody signed."),
        grades=("strong", "secure", "developing", "weak"),
        when=NOW,
    )
    session.commit()
    archive, summary = build(session, a.partnership, store)
    manifest = manifest_of(archive)
    assert manifest["omitted"] == []
    assert manifest["extras"] == list(pack_service.EXTRA_KEYS)
    for extra in pack_service.PACK_EXTRAS:
        assert extra.path in archive.namelist(), extra.path
    assert not [name for name in archive.namelist() if "readiness" in name]
    assert archive.read("reports/self-evaluation.pdf").startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=archive.read("reports/self-evaluation.pdf"), capture_output=True, check=True
    ).stdout.decode()
    assert "EXP2" in text and "A draft nobody signed." not in text
    assert "No signed-off evaluation" in text
    assert "RAG" not in text


def test_a_lead_adds_only_items_from_the_list(session, two_partnerships, library, store):
    a = two_partnerships.a.partnership
    archive, _ = build(session, a, store, extras=["national_figures"])
    names = archive.namelist()
    assert "data/national-figures.csv" in names
    assert "reports/self-evaluation.pdf" not in names and "data/timeliness-summary.csv" not in names
    assert manifest_of(archive)["extras"] == ["national_figures"]
    archive, _ = build(session, a, store, extras=[])
    assert not [name for name in archive.namelist() if name.startswith(("data/", "reports/"))]
    with pytest.raises(ValidationFailed, match="from the list, not readiness"):
        build(session, a, store, extras=["readiness"])


def test_national_figures_keep_each_figures_year_and_dfe_rounding(session, two_partnerships, store):
    from tests.benchmark_data import import_real_statistics

    import_real_statistics(session)
    archive, _ = build(session, two_partnerships.a.partnership, store, extras=["national_figures"])
    rows = list(csv.DictReader(io.StringIO(archive.read("data/national-figures.csv").decode())))
    assert tuple(rows[0]) == pack_service.NATIONAL_COLUMNS
    england = [r for r in rows if r["measure"] == "ehcp_20wk_excl" and r["area_code"] == "E92000001"]
    assert {r["period"]: r["value"] for r in england}["2021"] == "59.9"  # 34,249 / 57,196 = 59.88…, half up
    assert {r["area_code"] for r in rows} >= {"805", "E92000001"}
    assert all(r["period"] for r in rows)


def test_family_feedback_summaries_use_the_surveys_own_wording_and_leave_practitioners_out(
    session, two_partnerships, store
):
    from tests.factories import create_feedback

    a = two_partnerships.a.partnership
    create_feedback(session, a)
    create_feedback(session, a, survey_name="Staff survey")
    staff = next(s for s in feedback_service.list_surveys(session, a.id) if s.survey.name == "Staff survey").survey
    staff.audience = "practitioners"
    session.commit()
    archive, _ = build(session, a, store, extras=["family_feedback"])
    rows = list(csv.DictReader(io.StringIO(archive.read("data/family-feedback.csv").decode())))
    assert tuple(rows[0]) == pack_service.FEEDBACK_COLUMNS
    assert {r["survey"] for r in rows} == {"Parent survey"}
    assert {r["audience"] for r in rows} == {"Parents and carers"}
    questions = {r["question"] for r in rows}
    header = (FEEDBACK_FILES / "google_forms.csv").read_text(encoding="utf-8").splitlines()[0]
    assert questions and all(question in header for question in questions)  # as the survey worded them
    assert not any(r["question"].startswith(("EXP", "LEAD", "AP")) for r in rows)


def test_timeliness_summary_has_measures_and_no_case_level_or_personal_data(session, two_partnerships, store):
    a = two_partnerships.a.partnership
    import_case_file(session, a, "cases_valid.csv")
    archive, _ = build(session, a, store)
    text = archive.read("data/timeliness-summary.csv").decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == ("id", "period", "value", "numerator", "denominator")
    assert {r["id"] for r in rows} >= {"ehcp_20wk_excl", "requests_received", "decision_6wk"}
    assert all(r["period"].isdigit() for r in rows)
    source = list(csv.DictReader(io.StringIO(CASES_VALID.read_text(encoding="utf-8"))))
    case_level = {row["case_ref"] for row in source} | {row["setting"] for row in source if row["setting"]}
    case_level |= {row["request_date"] for row in source} | {
        row["exception_reason"] for row in source if row["exception_reason"]
    }
    assert not {value for value in case_level if value in text}


def test_verify_passes_a_pack_as_written(session, two_partnerships, library, store, tmp_path):
    path = tmp_path / "pack.zip"
    archive, _ = build(session, two_partnerships.a.partnership, store)
    path.write_bytes(archive.fp.getvalue())  # type: ignore[union-attr]
    result = verify_pack(path)
    assert result.ok, result.problems
    assert result.checked == len(manifest_of(archive)["files"])
    assert result.partnership_slug == "alpha"


def _rewrite(source: Path, target: Path, change) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        members = {name: old.read(name) for name in old.namelist()}
        for name, data in change(members).items():
            new.writestr(name, data)


@pytest.fixture
def written(session, two_partnerships, library, store, tmp_path):  # type: ignore[no-untyped-def]
    archive, _ = build(session, two_partnerships.a.partnership, store)
    path = tmp_path / "pack.zip"
    path.write_bytes(archive.fp.getvalue())  # type: ignore[union-attr]
    return path, manifest_of(archive)


def test_verify_reports_a_changed_byte(written, tmp_path):
    path, manifest = written
    target = next(f["path"] for f in manifest["files"] if f["kind"] == "evidence")

    def flip(members):  # type: ignore[no-untyped-def]
        data = bytearray(members[target])
        data[10] ^= 0x01
        return {**members, target: bytes(data)}

    changed = tmp_path / "changed.zip"
    _rewrite(path, changed, flip)
    result = verify_pack(changed)
    assert not result.ok
    assert [p for p in result.problems if p.startswith(f"{target}: sha256")]


def test_verify_reports_a_damaged_byte_in_the_archive_itself(written, tmp_path):
    path, manifest = written
    entry = next(f for f in manifest["files"] if f["kind"] == "evidence")
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(entry["path"])
    name_length, extra_length = struct.unpack("<HH", raw[info.header_offset + 26 : info.header_offset + 30])
    offset = info.header_offset + 30 + name_length + extra_length + 5  # a byte of the file's data
    raw[offset] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    result = verify_pack(damaged)
    assert not result.ok
    assert any(p.startswith(entry["path"]) for p in result.problems), result.problems


def test_verify_reports_a_missing_file_and_an_extra_file(written, tmp_path):
    path, manifest = written
    gone = next(f["path"] for f in manifest["files"] if f["kind"] == "evidence")

    def swap(members):  # type: ignore[no-untyped-def]
        members = dict(members)
        del members[gone]
        members["evidence/EXP1/smuggled.pdf"] = PDF
        return members

    changed = tmp_path / "changed.zip"
    _rewrite(path, changed, swap)
    result = verify_pack(changed)
    assert f"{gone}: missing from the pack" in result.problems
    assert "evidence/EXP1/smuggled.pdf: in the pack but not in the manifest" in result.problems


def test_verify_reports_a_manifest_that_does_not_parse(written, tmp_path):
    path, _ = written
    changed = tmp_path / "changed.zip"
    _rewrite(path, changed, lambda members: {**members, "manifest.json": b"{not json"})
    result = verify_pack(changed)
    assert not result.ok
    assert result.problems[0].startswith("manifest.json: does not parse")


def test_building_a_pack_is_audited(session, two_partnerships, library, store):
    _, summary = build(session, two_partnerships.a.partnership, store, via="test")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence_pack.built")).one()
    assert event.partnership_id == two_partnerships.a.partnership.id
    assert event.details["manifest_sha256"] == summary.result.manifest_sha256
    assert event.details["via"] == "test" and event.details["evidence_files"] == 2


def test_writing_to_a_stream_that_cannot_seek_gives_the_same_valid_pack(session, two_partnerships, library, store):
    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b) -> int:  # type: ignore[no-untyped-def]
            self.data += b
            return len(b)

    plan = pack_service.plan_pack(session, two_partnerships.a.partnership, now=NOW, today=NOW.date(), settings=SETTINGS)
    pipe = Pipe()
    pack_service.write_planned_pack(plan, store, pipe)
    result = verify_pack(io.BytesIO(bytes(pipe.data)))
    assert result.ok, result.problems
