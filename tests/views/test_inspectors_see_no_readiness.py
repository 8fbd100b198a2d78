"""What inspectors see is what the partnership chose to share: nothing of the readiness model reaches them.

The partnership here has some of everything the readiness model reads (case data, national figures, a family
survey and a practitioners' one, approved and draft evidence, a signed-off and a draft self-evaluation). An
inspector then opens every page they can reach from their dashboard, and the evidence pack, and neither holds a
gap code, a score, a rating, the position's words, a draft's title or words, or the sign-off state of a draft.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import zipfile
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from inspect_app.domain.readiness import CAVEAT, GAP_CODES, POSITION_LABELS
from inspect_app.domain.self_evaluation import EntryContent
from inspect_app.reports.readiness_report import GAP_LABELS
from inspect_app.services import timeliness
from inspect_app.storage import get_store
from tests.benchmark_data import import_real_statistics
from tests.evidence_factories import make_item
from tests.factories import create_feedback, import_case_file, write_sef_entry

WHEN = datetime(2026, 11, 27, 10, 0)
DRAFT_EVIDENCE = "Unapproved waiting list extract"
DRAFT_SEF_WORDS = "These draft words are not signed off"
SIGNED_WORDS = "Signed-off strengths everyone agreed"
# Words that only the readiness model produces.
FORBIDDEN = (
    *GAP_CODES,
    *GAP_LABELS.values(),
    *POSITION_LABELS.values(),
    CAVEAT,
    "out of 100",
    "Not enough data",
    "Waiting for sign-off",
    "not signed off",
    "Impact: what the data and families say",
    "Preparation: can the partnership show it",
    "Against the time limit in law",
    "Next actions",
    "Gap register",
    DRAFT_EVIDENCE,
    DRAFT_SEF_WORDS,
)
MAX_PAGES = 400


@pytest.fixture(autouse=True)
def _fresh_snapshots():  # type: ignore[no-untyped-def]
    timeliness.clear_cache()
    yield
    timeliness.clear_cache()


@pytest.fixture
def shared(app, session, two_partnerships):  # type: ignore[no-untyped-def]
    """Partnership A, part-way through its preparation."""
    a = two_partnerships.a
    import_real_statistics(session)
    import_case_file(session, a.partnership, "cases_valid.csv")
    create_feedback(session, a.partnership)
    store = get_store()
    make_item(session, store, a, title="SEND strategy 2026", links={"LEAD1": "The priorities."}, status="approved")
    make_item(session, store, a, title=DRAFT_EVIDENCE, links={"EXP1": "Who waits."})
    session.commit()
    write_sef_entry(session, a, "EXP1", EntryContent(grade="developing", strengths=SIGNED_WORDS), sign=True, when=WHEN)
    write_sef_entry(session, a, "EXP2", EntryContent(grade="strong", strengths=DRAFT_SEF_WORDS), sign=False, when=WHEN)
    return a


def forbidden_in(text: str) -> list[str]:
    flat = re.sub(r"\s+", " ", text)
    return [word for word in FORBIDDEN if word.lower() in flat.lower()]


def crawl(client, *starts: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every HTML page under /p/alpha/ an inspector reaches by following links from `starts`: url -> text."""
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            seen[url] = ""
            continue
        soup = BeautifulSoup(response.get_data(as_text=True), "html5lib")
        seen[url] = soup.get_text(" ")
        for link in soup.find_all("a", href=True):
            parts = urlsplit(link["href"])
            if parts.netloc or not parts.path.startswith("/p/alpha/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen and target not in queue and "/download" not in parts.path:
                queue.append(target)
    return seen


def test_no_inspector_page_shows_anything_of_the_readiness_model(client, shared, sign_in):
    sign_in(shared.inspector)

    # From the dashboard, and every criterion's pages whether or not the guide links them.
    criteria = ("EXP1", "EXP2", "AP1")
    starts = [f"/p/alpha/self-evaluation/{c}{page}" for c in criteria for page in ("", "/summary")]
    pages = crawl(client, "/p/alpha/", *starts)

    visited = [url for url, text in pages.items() if text]
    assert len(visited) > 20
    assert "/p/alpha/self-evaluation/" in pages and "/p/alpha/evidence-pack/" in pages
    for url, text in pages.items():
        assert not forbidden_in(text), (url, forbidden_in(text))
    assert SIGNED_WORDS in pages["/p/alpha/self-evaluation/EXP1"]
    assert "No signed-off evaluation" in pages["/p/alpha/self-evaluation/EXP2"]
    listing = pages["/p/alpha/self-evaluation/"]
    assert "No signed-off evaluation" in listing and "Signed off" in listing


def test_the_evidence_pack_holds_nothing_of_the_readiness_model(client, shared, sign_in, tmp_path):
    sign_in(shared.inspector)
    response = client.get("/p/alpha/evidence-pack/download")
    assert response.status_code == 200

    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        names = archive.namelist()
        assert not [name for name in names if "readiness" in name]
        for name in names:
            data = archive.read(name)
            if name.endswith(".pdf"):
                path = tmp_path / "file.pdf"
                path.write_bytes(data)
                text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
            elif name.endswith((".html", ".json", ".csv")):
                text = data.decode("utf-8")
            else:
                continue  # an evidence file, as uploaded
            assert not forbidden_in(text), (name, forbidden_in(text))
        index = archive.read("index.html").decode()
        assert SIGNED_WORDS in index and "No signed-off evaluation" in index
        feedback_rows = list(csv.DictReader(io.StringIO(archive.read("data/family-feedback.csv").decode())))
        assert feedback_rows
        national = archive.read("data/national-figures.csv").decode()
        assert "E92000001" in national
