"""Issues 8 and 14 in a browser: a lead reads the dashboard's next actions and the readiness page (where the
partnership stands, in the tool's own words), narrows the gap register on its own page, follows a gap straight to
the form where it is done, writes the self-evaluation with evidence chosen, has it signed off by the council and
ICB leads and sees the gaps change; reads how readiness is made up; downloads the readiness report and the
self-evaluation; previews the evidence pack. An inspector then reads the signed-off self-evaluation and the pack's
preview and sees nothing of the readiness model.

axe-core scans every page reached; the readiness pages must not scroll sideways at 320px.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from inspect_app.services import timeliness
from inspect_app.storage import store_from_config
from tests.e2e.test_foundation_journey import sign_in
from tests.evidence_factories import make_item
from tests.factories import NOW, add_member, create_user

REGISTER_ROWS = "[aria-label='Gap register'] tbody tr"


@pytest.fixture(autouse=True)
def _fresh_snapshots():  # type: ignore[no-untyped-def]
    timeliness.clear_cache()
    yield
    timeliness.clear_cache()


@pytest.fixture
def partnership_with_evidence(app, session, two_partnerships, live_server_config):  # type: ignore[no-untyped-def]
    """Alpha with a council lead and an ICB lead, an approved strategy linked to EXP1 and a draft for EXP2."""
    live_server_config["FIXED_NOW"] = NOW.isoformat()  # the evidence's dates are judged against the factories' now
    world = two_partnerships
    world.a.memberships["lead"].organisation = "council"
    icb = create_user(session, email="icb.lead@alpha.example", name="Icb Lead")
    add_member(session, world.a.partnership, icb, "lead").organisation = "icb"
    store = store_from_config(app.config)
    strategy = make_item(
        session,
        store,
        world.a,
        title="Joint SEND strategy",
        links={"EXP1": "Sets out how needs are identified early.", "LEAD1": "Shared priorities."},
        status="approved",
    )
    make_item(session, store, world.a, title="Early help audit", links={"EXP2": "Audit of early help."})
    session.commit()
    return strategy


def _gap_codes(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("#gaps ~ ul.govuk-list").inner_text()


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()


def _download(page, link_name: str, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).click()
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    return saved


def test_lead_closes_gaps_by_writing_and_signing_off_a_criterion_then_downloads_the_reports(
    page, live_server_url, partnership_with_evidence, axe_scan, tmp_path
):
    base = live_server_url
    strategy = partnership_with_evidence
    sign_in(page, base, "lead@alpha.example")
    page.wait_for_url(f"{base}/p/alpha/")
    expect(page.locator("main")).to_contain_text("Next actions")
    assert page.locator("main ol.govuk-list--number li a").count() == 5  # the top five, each a link
    axe_scan(page)
    page.get_by_role("link", name="Readiness", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Readiness for inspection")
    expect(page.locator("main")).to_contain_text("Not enough data yet")
    expect(page.locator("main")).to_contain_text("An estimate from this tool; only inspectors evaluate an area")
    axe_scan(page)

    # The gap register, on its own page.
    page.get_by_role("link", name="gaps in the gap register").click()
    expect(page.locator("h1")).to_have_text("Gap register")
    rows = page.locator(REGISTER_ROWS)
    total = rows.count()
    assert total >= 45  # every criterion has at least three gaps before anything is written
    expect(page.locator("main")).to_contain_text(f"{total} of {total} gaps, most severe first")
    axe_scan(page)

    # Narrowed to EXP1's high-severity gaps.
    page.get_by_label("Severity", exact=True).select_option("high")
    page.get_by_label("Criterion", exact=True).select_option("EXP1")
    page.get_by_role("button", name="Show gaps").click()
    expect(page.locator("main")).to_contain_text(f"of {total} gaps match")
    expect(page.get_by_label("Severity", exact=True)).to_have_value("high")
    high = rows.all_inner_texts()
    assert 0 < len(high) < total
    assert all(text.startswith("EXP1") and "High" in text for text in high)
    assert any("Self-evaluation not written" in text for text in high)
    assert not any("No evidence linked" in text for text in high)  # the strategy is linked to EXP1
    assert not any("NO_SELF_EVALUATION" in text for text in high)  # codes stay in the exports
    axe_scan(page)

    # The criterion's own readiness page, then straight from the gap to the form where it is done.
    rows.first.get_by_role("link", name="EXP1", exact=True).click()
    expect(page.locator("h1")).to_contain_text("EXP1: ")
    expect(page.locator("#gaps ~ ul.govuk-list")).to_contain_text("Self-evaluation not written")
    axe_scan(page)
    page.locator("#gaps ~ ul.govuk-list a[href$='/p/alpha/self-evaluation/EXP1/edit']").click()
    expect(page.locator("h1")).to_have_text("Evaluate EXP1")
    axe_scan(page)
    page.get_by_label("Secure").check()
    page.get_by_label("Strengths").fill("Needs are identified early by health visitors and settings together.")
    evidence = page.get_by_label(f"{strategy.reference} Joint SEND strategy (approved)")
    evidence.check()
    expect(evidence).to_be_checked()
    page.get_by_role("button", name="Save a new version").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Version 1 saved")
    axe_scan(page)
    page.get_by_role("button", name="Edit").click()  # the choice was kept (the page itself lists no evidence)
    expect(page.get_by_label(f"{strategy.reference} Joint SEND strategy (approved)")).to_be_checked()
    page.go_back()

    # Written but not yet signed: the missing self-evaluation gap gives way to the sign-off gap.
    page.goto(f"{base}/p/alpha/readiness/criteria/EXP1")
    expect(page.locator("h1")).to_contain_text("EXP1: ")
    gaps = _gap_codes(page)
    assert "Self-evaluation not written" not in gaps and "Self-evaluation not signed off" in gaps
    expect(page.locator("main")).to_contain_text("Secure")

    for email in ("lead@alpha.example", "icb.lead@alpha.example"):
        if email != "lead@alpha.example":
            page.get_by_role("button", name="Sign out").click()
            sign_in(page, base, email)
            page.wait_for_url(f"{base}/p/alpha/")
        page.goto(f"{base}/p/alpha/self-evaluation/EXP1")
        page.get_by_role("button", name="Sign off this version").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Signed off")
        axe_scan(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Every partner has now signed this version")

    page.goto(f"{base}/p/alpha/readiness/criteria/EXP1")
    expect(page.locator("h1")).to_contain_text("EXP1: ")
    gaps = _gap_codes(page)
    assert "Self-evaluation not written" not in gaps and "Self-evaluation not signed off" not in gaps
    axe_scan(page)
    page.goto(f"{base}/p/alpha/readiness/gaps")
    assert rows.count() == total - 1  # the missing evaluation closed by the writing, its sign-off by the signing
    page.get_by_label("Criterion", exact=True).select_option("EXP1")
    page.get_by_role("button", name="Show gaps").click()
    expect(page.locator("main")).to_contain_text(f"of {total - 1} gaps match")
    exp1 = " ".join(rows.all_inner_texts())
    assert "Self-evaluation not written" not in exp1 and "Self-evaluation not signed off" not in exp1
    axe_scan(page)

    # How it is made up, in plain English.
    page.goto(f"{base}/p/alpha/readiness/")
    page.get_by_role("link", name="How it is made up").click()
    expect(page.locator("h1")).to_have_text("How readiness is made up")
    expect(page.locator("main")).to_contain_text("Statutory duties, against the law")
    axe_scan(page)
    page.get_by_role("link", name="Back to readiness").click()

    # The readiness report from the page's links.
    pdf = _download(page, "Readiness report (PDF)", tmp_path)
    assert pdf.name.startswith("readiness-alpha-") and pdf.suffix == ".pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = _pdf_text(pdf)
    assert "Alpha Partnership" in text and "Gap register" in text and "Not enough data yet" in text
    word = _download(page, "Readiness report (Word)", tmp_path)
    assert word.suffix == ".docx"
    headings = [p.text for p in Document(str(word)).paragraphs if p.style.name.startswith("Heading")]
    assert {"Overall position", "Gap register"} <= set(headings)
    assert any(h.startswith("EXP1: ") for h in headings)

    # The self-evaluation as a document, and its downloads.
    page.goto(f"{base}/p/alpha/self-evaluation/document")
    expect(page.locator("main")).to_contain_text("Needs are identified early by health visitors")
    axe_scan(page)
    pdf = _download(page, "Self-evaluation (PDF, one page per criterion)", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = _pdf_text(pdf)
    assert "Alpha Partnership" in text and "Needs are identified early by health visitors" in text
    assert f"{strategy.reference} Joint SEND strategy" in text  # the evidence chosen in the form
    word = Document(str(_download(page, "Self-evaluation (Word, to edit)", tmp_path)))
    assert word.paragraphs[0].text == "Self-evaluation"
    criteria = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    assert len(criteria) == 15 and criteria[0].startswith("EXP1: ")
    assert "Needs are identified early by health visitors and settings together." in [p.text for p in word.paragraphs]

    # The evidence pack: only items from the list, previewed file by file before download.
    page.goto(f"{base}/p/alpha/evidence-pack/")
    expect(page.locator("h1")).to_have_text("Evidence pack")
    page.get_by_label("Published national figures (CSV)").uncheck()
    axe_scan(page)
    page.get_by_role("button", name="Preview the pack").click()
    expect(page.locator("h1")).to_have_text("Preview the evidence pack")
    files = page.locator("main table").first.inner_text()
    assert "data/national-figures.csv" not in files and "data/timeliness-summary.csv" in files
    assert "readiness" not in files.lower()
    axe_scan(page)
    assert len(axe_scan.pages) == 15


def test_an_inspector_reads_only_what_was_shared(page, live_server_url, partnership_with_evidence, axe_scan):
    base = live_server_url
    sign_in(page, base, "inspector@alpha.example")
    page.wait_for_url(f"{base}/p/alpha/")
    page.goto(f"{base}/p/alpha/self-evaluation/")
    expect(page.locator("h1")).to_have_text("Self-evaluation")
    listing = page.locator("main").inner_text()
    assert "No signed-off evaluation" in listing
    assert "Waiting for sign-off" not in listing and "Not started" not in listing
    axe_scan(page)
    page.goto(f"{base}/p/alpha/self-evaluation/EXP1")
    expect(page.locator("main")).to_contain_text("No signed-off evaluation.")
    axe_scan(page)
    page.goto(f"{base}/p/alpha/evidence-pack/preview")
    expect(page.locator("h1")).to_have_text("Preview the evidence pack")
    text = page.locator("main").inner_text()
    assert "Joint SEND strategy" in text and "Early help audit" not in text  # approved only, no draft titles
    assert "readiness" not in text.lower()
    axe_scan(page)
    assert page.goto(f"{base}/p/alpha/readiness/").status == 403


def test_readiness_pages_fit_a_320_pixel_wide_screen(page, live_server_url, partnership_with_evidence):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, live_server_url, "lead@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    for path in (
        "/p/alpha/readiness/",
        "/p/alpha/readiness/gaps?severity=high",
        "/p/alpha/readiness/criteria/EXP1",
        "/p/alpha/readiness/how-it-is-made-up",
        "/p/alpha/evidence-pack/preview",
    ):
        page.goto(f"{live_server_url}{path}")
        expect(page.locator("h1")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
