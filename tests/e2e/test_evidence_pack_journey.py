"""Issue 9 in a browser: an inspector downloads the evidence pack from their guide; the pack verifies, its index
passes axe when opened on its own, and the lead sees the download in the inspector activity.

axe-core scans every page reached.
"""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from inspect_app.reports.evidence_pack import verify_pack
from inspect_app.storage import store_from_config
from tests.e2e.conftest import AXE, WCAG_TAGS
from tests.e2e.test_foundation_journey import sign_in
from tests.evidence_factories import make_item


@pytest.fixture
def approved_evidence(app, session, two_partnerships):  # type: ignore[no-untyped-def]
    store = store_from_config(app.config)
    make_item(
        session,
        store,
        two_partnerships.a,
        title="SEND strategy",
        links={"LEAD1": "Sets out the priorities.", "EXP1": "Early help first."},
        status="approved",
    )
    make_item(session, store, two_partnerships.a, kind="link", title="Local offer", status="approved")
    session.commit()


def test_inspector_downloads_the_evidence_pack_from_their_guide(
    page, live_server_url, two_partnerships, approved_evidence, axe_scan, tmp_path
):
    sign_in(page, live_server_url, "inspector@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    axe_scan(page)
    page.get_by_role("link", name="Evidence pack").click()
    expect(page.locator("h1")).to_have_text("Evidence pack")
    axe_scan(page)

    with page.expect_download() as info:
        page.get_by_role("button", name="Download evidence pack").click()
    download = info.value
    assert download.suggested_filename.startswith("evidence-pack-alpha-")
    pack = tmp_path / download.suggested_filename
    download.save_as(pack)
    result = verify_pack(pack)
    assert result.ok, result.problems
    with zipfile.ZipFile(pack) as archive:
        index = archive.read("index.html").decode("utf-8")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server_url, "lead@alpha.example")
    page.wait_for_url(f"{live_server_url}/p/alpha/")
    page.goto(f"{live_server_url}/p/alpha/inspections/inspector-activity")
    expect(page.locator("h1")).to_have_text("Inspector activity")
    expect(page.get_by_role("cell", name="inspector.downloaded")).to_have_count(1)
    axe_scan(page)
    page.goto(f"{live_server_url}/p/alpha/evidence/")
    page.get_by_role("link", name="Evidence pack for inspectors").click()
    expect(page.locator("h1")).to_have_text("Evidence pack")
    axe_scan(page)

    # The pack's index, opened from the downloads folder: nothing to load, no violations, fits a phone.
    page.goto("about:blank")  # leave the app's origin (and its Content-Security-Policy)
    for width in (1024, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.set_content(index)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations", WCAG_TAGS
        )
        assert [f"{v['id']}: {v['help']}" for v in violations] == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    expect(page.locator("h1")).to_have_text("Evidence pack: Alpha Partnership")
