from __future__ import annotations

import io
import shutil
import zipfile

from sqlalchemy import select

from inspect_app.models import FrameworkVersion
from tests.factories import LATEST_FRAMEWORK_DIR
from tests.page import text_of

SHIPPED = LATEST_FRAMEWORK_DIR


def test_overview_lists_outcomes_sections_and_criteria(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.viewer)
    soup = pages.get("/p/alpha/framework/")
    text = text_of(soup)
    assert "Typically positive experiences and outcomes" in text
    # The first column: the Coverage column holds other features' badge links.
    links = [a.get_text(" ", strip=True) for a in soup.select("table td:first-child a.govuk-link")]
    assert len(links) == 15
    assert links[0].startswith("EXP1: Children and young people's needs are identified accurately")


def test_criterion_page_shows_indicators_evidence_measures_and_provisional_marks(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.inspector)
    soup = pages.get("/p/alpha/framework/criteria/LEAD1")
    text = text_of(soup)
    assert "What inspectors look for" in text
    assert "Provisional wording" in text  # the LEAD titles are unconfirmed in the reference
    soup = pages.get("/p/alpha/framework/criteria/EXP1")
    assert "This criterion's wording is not confirmed" not in text_of(soup)  # EXP1's title is confirmed
    assert "Requested at notification" in text_of(soup)


def test_unknown_criterion_is_404(client, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    assert client.get("/p/alpha/framework/criteria/NOPE").status_code == 404


def _zip_of(folder, prefix="v/") -> io.BytesIO:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.rglob("*"):
            if path.is_file():
                archive.write(path, prefix + str(path.relative_to(folder)))
    buffer.seek(0)
    return buffer


def test_admin_upload_shows_every_problem_and_loads_nothing(pages, session, two_partnerships, sign_in, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(SHIPPED, broken)
    exp1 = broken / "criteria" / "EXP1.yml"
    exp1.write_text(exp1.read_text().replace("  - ehcp_20wk_excl\n", "  - no_such_measure\n", 1))
    (broken / "criteria" / "EXP2.yml").write_text("id: EXP2\ntitle: [unclosed\n")
    sign_in(two_partnerships.admin)
    soup = pages.post("/admin/frameworks/upload", data={"archive": (_zip_of(broken), "v.zip")},
                      content_type="multipart/form-data")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in soup.select("tbody tr")]
    assert ["criteria/EXP1.yml", "criteria/EXP1/measures/0", "Unknown measure 'no_such_measure'"] in rows
    assert any(row[0] == "criteria/EXP2.yml" for row in rows)
    assert soup.title.get_text().startswith("Error: ")
    assert len(session.scalars(select(FrameworkVersion)).all()) == 1


def test_admin_upload_refuses_a_zip_with_paths_outside_its_folder(pages, two_partnerships, sign_in):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../evil.yml", "x: 1")
    buffer.seek(0)
    sign_in(two_partnerships.admin)
    soup = pages.post("/admin/frameworks/upload", data={"archive": (buffer, "v.zip")},
                      content_type="multipart/form-data")
    assert "outside its folder" in text_of(soup)


def test_admin_uploads_a_new_version_and_sees_its_diff(pages, client, session, two_partnerships, sign_in, tmp_path):
    new = tmp_path / "new"
    shutil.copytree(SHIPPED, new)
    fw = new / "framework.yml"
    text = fw.read_text().replace(SHIPPED.name, "2099-01-01")
    fw.write_text(text)
    exp2 = new / "criteria" / "EXP2.yml"
    title = next(line for line in exp2.read_text().splitlines() if line.startswith("title:"))
    exp2.write_text(exp2.read_text().replace(title, "title: Families shape the plans made with them."))
    # the folder name must match the version
    renamed = tmp_path / "2099-01-01"
    new.rename(renamed)
    sign_in(two_partnerships.admin)
    response = client.post("/admin/frameworks/upload", data={"archive": (_zip_of(renamed, "2099-01-01/"), "v.zip")},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    soup = pages.get(response.headers["Location"])
    assert "Changes since" in text_of(soup)
    assert "Families shape the plans made with them." in text_of(soup)

    # A lead then previews and makes the move.
    sign_in(two_partnerships.a.lead)
    assert "A newer version of the framework is loaded" in text_of(pages.get("/p/alpha/framework/"))
    new_row = session.scalars(select(FrameworkVersion).where(FrameworkVersion.version == "2099-01-01")).one()
    soup = pages.get(f"/p/alpha/framework/move/{new_row.id}")
    assert "Families shape the plans made with them." in text_of(soup)
    client.post(f"/p/alpha/framework/move/{new_row.id}", data={})
    session.expire_all()
    assert two_partnerships.a.partnership.framework_version_id == new_row.id
    assert two_partnerships.b.partnership.framework_version_id != new_row.id
