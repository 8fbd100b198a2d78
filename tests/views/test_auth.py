from __future__ import annotations

from sqlalchemy import select

from inspect_app.models import AuditEvent, LoginAttempt
from tests.factories import PASSWORD
from tests.page import text_of


def test_sign_in_page_renders(pages):
    soup = pages.get("/sign-in")
    assert soup.h1.get_text(strip=True) == "Sign in"
    assert soup.select_one("input[name=email]")["autocomplete"] == "email"


def test_anonymous_visitors_are_sent_to_sign_in_with_a_local_next(client):
    response = client.get("/p/alpha/members")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_sign_in_with_the_right_password_records_the_attempt(client, session, two_partnerships):
    response = client.post("/sign-in", data={"email": "LEAD@alpha.example", "password": PASSWORD})
    assert response.status_code == 302
    attempt = session.scalars(select(LoginAttempt)).one()
    assert attempt.succeeded is True
    assert attempt.email == "lead@alpha.example"
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "user.signed_in")).one()


def test_wrong_password_and_unknown_email_get_the_same_message(pages, two_partnerships):
    wrong = text_of(pages.post("/sign-in", data={"email": "lead@alpha.example", "password": "not it at all"}))
    unknown = text_of(pages.post("/sign-in", data={"email": "nobody@alpha.example", "password": "not it at all"}))
    assert "Enter a correct email address and password" in wrong
    assert "Enter a correct email address and password" in unknown


def test_empty_sign_in_shows_both_errors(pages):
    soup = pages.post("/sign-in", data={"email": "", "password": ""})
    summary = soup.select_one(".govuk-error-summary").get_text()
    assert "Enter your email address" in summary
    assert "Enter your password" in summary


def test_sign_out_ends_the_session(client, two_partnerships):
    client.post("/sign-in", data={"email": "lead@alpha.example", "password": PASSWORD})
    assert client.get("/p/alpha/").status_code == 200
    response = client.post("/sign-out", data={})
    assert response.status_code == 302
    assert client.get("/p/alpha/").status_code == 302


def test_deactivated_account_cannot_sign_in(client, session, two_partnerships):
    two_partnerships.a.viewer.is_active_account = False
    session.commit()
    response = client.post("/sign-in", data={"email": "viewer@alpha.example", "password": PASSWORD})
    assert response.status_code == 200
