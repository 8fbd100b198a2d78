from __future__ import annotations

from sqlalchemy import select

from inspect_app.models import SefEntry
from tests.factories import add_member, create_user
from tests.page import text_of


def _form(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "grade": "secure",
        "strengths": "Plans are timely.",
        "areas_for_development": "",
        "impact": "",
        "version": "0",
    }
    for i in range(5):
        data.update({f"next_steps-{i}-text": "", f"next_steps-{i}-owner": "", f"next_steps-{i}-due": ["", "", ""]})
    data.update(overrides)
    return data


def test_overview_lists_every_criterion_not_started(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.viewer)
    soup = pages.get("/p/alpha/self-evaluation/")
    rows = soup.select("tbody tr")
    assert len(rows) == 15
    assert "Not started" in text_of(rows[0])


def test_contributor_writes_a_criterion_and_sees_it_laid_out(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.contributor)
    pages.get("/p/alpha/self-evaluation/EXP1/edit")
    response = pages.client.post(
        "/p/alpha/self-evaluation/EXP1/edit",
        data=_form(
            **{
                "next_steps-0-text": "Audit 20 plans",
                "next_steps-0-owner": "SEND lead",
                "next_steps-0-due": ["31", "3", "2027"],
            }
        ),
    )
    assert response.status_code == 302
    soup = pages.get("/p/alpha/self-evaluation/EXP1")
    text = text_of(soup)
    assert "Plans are timely." in text
    assert "Audit 20 plans – SEND lead, by 31 March 2027" in text
    assert "Waiting for sign-off" in text
    entry = session.scalars(select(SefEntry)).one()
    assert entry.content["next_steps"] == [{"text": "Audit 20 plans", "owner": "SEND lead", "due": "2027-03-31"}]


def test_invalid_edit_shows_errors_and_saves_nothing(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.a.contributor)
    soup = pages.post(
        "/p/alpha/self-evaluation/EXP1/edit",
        data=_form(**{"grade": "", "strengths": "", "next_steps-1-text": "Do a thing"}),
    )
    summary = text_of(soup.select_one(".govuk-error-summary"))
    assert "Enter who owns next step 1" in summary
    assert session.scalars(select(SefEntry)).all() == []


def test_a_stale_form_cannot_overwrite_a_newer_version(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.contributor)
    pages.client.post("/p/alpha/self-evaluation/EXP1/edit", data=_form())
    pages.client.post("/p/alpha/self-evaluation/EXP1/edit", data=_form(strengths="v2", version="1"))
    soup = pages.post("/p/alpha/self-evaluation/EXP1/edit", data=_form(strengths="from an old tab", version="1"))
    assert "Someone saved a newer version" in text_of(soup)


def test_joint_sign_off_from_the_page_then_an_edit_resets_it(pages, session, two_partnerships, sign_in):
    world = two_partnerships
    world.a.memberships["lead"].organisation = "council"
    icb_user = create_user(session, email="icb@alpha.example", name="Icb Lead")
    add_member(session, world.a.partnership, icb_user, "lead").organisation = "icb"
    session.commit()
    sign_in(world.a.contributor)
    pages.client.post("/p/alpha/self-evaluation/EXP2/edit", data=_form())
    for user in (world.a.lead, icb_user):
        sign_in(user)
        soup = pages.get("/p/alpha/self-evaluation/EXP2")
        assert soup.find("button", string=lambda s: s and "Sign off this version" in s)
        pages.client.post("/p/alpha/self-evaluation/EXP2/sign-off", data={"version": "1"})
    assert "Signed off" in text_of(pages.get("/p/alpha/self-evaluation/"))
    sign_in(world.a.contributor)
    pages.client.post("/p/alpha/self-evaluation/EXP2/edit", data=_form(strengths="Changed.", version="1"))
    assert "Waiting for sign-off" in text_of(pages.get("/p/alpha/self-evaluation/EXP2"))


def test_inspector_sees_only_the_signed_off_version(pages, session, two_partnerships, sign_in):
    world = two_partnerships
    world.a.memberships["lead"].organisation = "council"
    icb_user = create_user(session, email="icb@alpha.example")
    add_member(session, world.a.partnership, icb_user, "lead").organisation = "icb"
    session.commit()
    sign_in(world.a.contributor)
    pages.client.post("/p/alpha/self-evaluation/EXP3/edit", data=_form(strengths="Signed words."))
    for user in (world.a.lead, icb_user):
        sign_in(user)
        pages.client.post("/p/alpha/self-evaluation/EXP3/sign-off", data={"version": "1"})
    sign_in(world.a.contributor)
    pages.client.post("/p/alpha/self-evaluation/EXP3/edit", data=_form(strengths="Unsigned draft.", version="1"))
    pages.client.post("/p/alpha/self-evaluation/EXP4/edit", data=_form(strengths="Never signed."))
    sign_in(world.a.inspector)
    text = text_of(pages.get("/p/alpha/self-evaluation/EXP3"))
    assert "Signed words." in text
    assert "Unsigned draft." not in text
    assert "No signed-off evaluation." in text_of(pages.get("/p/alpha/self-evaluation/EXP4"))
    document = text_of(pages.get("/p/alpha/self-evaluation/document"))
    assert "Signed words." in document and "Never signed." not in document
    assert pages.client.get("/p/alpha/self-evaluation/EXP3/history").status_code == 403
    assert pages.client.get("/p/alpha/self-evaluation/EXP3/edit").status_code == 403


def test_history_shows_versions_and_a_word_diff(pages, two_partnerships, sign_in):
    sign_in(two_partnerships.a.contributor)
    pages.client.post("/p/alpha/self-evaluation/EXP1/edit", data=_form(strengths="Plans are issued on time."))
    pages.client.post(
        "/p/alpha/self-evaluation/EXP1/edit", data=_form(strengths="Plans are often issued late.", version="1")
    )
    soup = pages.get("/p/alpha/self-evaluation/EXP1/history")
    assert [a.get_text(strip=True) for a in soup.select("tbody a")] == ["Version 2", "Version 1"]
    assert soup.select_one("del").get_text(" ", strip=True).startswith("removed:")
    assert "often" in " ".join(i.get_text() for i in soup.select("ins"))


def test_criteria_with_unconfirmed_wording_say_so_on_the_self_evaluation_pages_and_document(
    pages, two_partnerships, sign_in
):
    sign_in(two_partnerships.a.inspector)
    listing = pages.get("/p/alpha/self-evaluation/")
    rows = {row.find("a").get_text().split(":")[0]: text_of(row) for row in listing.select("tbody tr")}
    assert "Provisional wording" in rows["AP1"] and "Provisional wording" not in rows["EXP1"]
    assert "Provisional wording" in text_of(pages.get("/p/alpha/self-evaluation/LEAD2"))
    document = pages.client.get("/p/alpha/self-evaluation/document.html").get_data(as_text=True)
    assert document.count("Provisional wording: not yet confirmed against the inspection handbook.") == 10
