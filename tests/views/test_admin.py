from __future__ import annotations

from sqlalchemy import select

from inspect_app.models import Partnership, User
from tests.page import text_of


def test_only_admins_reach_administration(client, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    assert client.get("/admin/").status_code == 403
    assert client.post("/admin/partnerships/new", data={}).status_code == 403


def test_admin_creates_a_partnership(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.admin)
    response = pages.client.post(
        "/admin/partnerships/new",
        data={"name": "Gamma Partnership", "slug": "gamma", "la_code": "807", "icb_name": "Gamma ICB"},
    )
    assert response.status_code == 302
    created = session.scalars(select(Partnership).where(Partnership.slug == "gamma")).one()
    assert created.la_code == "807"
    assert "Gamma Partnership" in text_of(pages.get("/admin/"))


def test_partnership_form_refuses_bad_codes_and_duplicate_slugs(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.admin)
    soup = pages.post("/admin/partnerships/new", data={"name": "X", "slug": "Not OK", "la_code": "80"})
    text = text_of(soup.select_one(".govuk-error-summary"))
    assert "Short name must be lower-case letters" in text
    assert "LA code must be 3 digits" in text
    soup = pages.post("/admin/partnerships/new", data={"name": "Again", "slug": "alpha", "la_code": "805"})
    assert "A partnership with the slug alpha already exists" in text_of(soup)
    assert len(session.scalars(select(Partnership)).all()) == 2


def test_admin_creates_an_account_with_a_strong_hash(pages, session, two_partnerships, sign_in):
    sign_in(two_partnerships.admin)
    pages.client.post(
        "/admin/users/new", data={"name": "Dana", "email": "dana@alpha.example", "password": "a long enough password"}
    )
    user = session.scalars(select(User).where(User.email == "dana@alpha.example")).one()
    assert user.password_hash.startswith("$argon2id$")
    soup = pages.post("/admin/users/new", data={"name": "Dana", "email": "dana@alpha.example", "password": "short"})
    assert "Password must be 12 characters or more" in text_of(soup)
