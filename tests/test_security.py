"""Security checks in one place: headers, cookies, CSRF on every POST, throttling, tenancy, redirects, errors.

The sweeps enumerate the app's URL map, so a new route is checked automatically, and a new kind of id in a
URL fails `test_every_url_parameter_is_covered_by_the_tenancy_sweep` until the sweep knows how to fill it.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from werkzeug.routing import Rule

from tests.evidence_factories import docx
from tests.factories import PASSWORD, create_user, feedback_objects


def _timeliness_of_b(world):  # type: ignore[no-untyped-def]
    """Partnership B's case import and one of its cases (imported once per world)."""
    if not hasattr(world, "timeliness_of_b"):
        from sqlalchemy import select

        from inspect_app.extensions import db
        from inspect_app.models import CaseRecord
        from tests.factories import import_case_file

        record = import_case_file(db.session, world.b.partnership, "cases_valid.csv")
        case_id = db.session.scalars(select(CaseRecord.id).where(CaseRecord.partnership_id == world.b.partnership.id))
        world.timeliness_of_b = (record.id, next(iter(case_id)))
    return world.timeliness_of_b


# How to fill each URL parameter with an object that belongs to partnership B (see tests/factories.py).
# A feature that adds a route with a new parameter adds one line here.
OBJECT_PARAMS = {
    "membership_id": lambda world: world.b.memberships["viewer"].id,
    "item_id": lambda world: world.b_evidence.item_id,
    "revision_id": lambda world: world.b_evidence.revision_id,
    "inspection_id": lambda world: world.b.inspection.id,
    "schedule_id": lambda world: world.b.export_schedule.id,
    "run_id": lambda world: world.b.export_run.id,
    "survey_id": lambda world: feedback_objects(world).survey_id,
    "wave_id": lambda world: feedback_objects(world).wave_id,
    "upload_id": lambda world: feedback_objects(world).upload_id,
    "comment_id": lambda world: feedback_objects(world).comment_id,
    "entry_id": lambda world: feedback_objects(world).entry_id,
    "import_id": lambda world: _timeliness_of_b(world)[0],
    "case_id": lambda world: _timeliness_of_b(world)[1],
}
# The partnership itself, static files, and shared reference data (the framework and DfE's published
# statistics are the same for everyone; releases are site administration).
NOT_OBJECTS = {"slug", "filename", "criterion_id", "version_id", "file_format", "measure_id", "release_id"}


def _rules(app) -> list[Rule]:  # type: ignore[no-untyped-def]
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def _partnership_rules(app) -> list[Rule]:  # type: ignore[no-untyped-def]
    return [r for r in _rules(app) if "slug" in r.arguments]


REFERENCE_VALUES = {
    "criterion_id": "EXP1",
    "version_id": 1,
    "file_format": "csv",
    "measure_id": "ehcp_20wk_excl",
    "release_id": 1,
}


def _url(rule: Rule, slug: str, world, use_b_objects: bool) -> str:  # type: ignore[no-untyped-def]
    values = {"slug": slug}
    for name in rule.arguments - {"slug"}:
        if name in REFERENCE_VALUES:
            values[name] = REFERENCE_VALUES[name]
        else:
            values[name] = OBJECT_PARAMS[name](world) if use_b_objects else 1
    return rule.build(values, append_unknown=False)[1]


def _methods(rule: Rule) -> list[str]:
    return sorted(m for m in rule.methods if m in {"GET", "POST"})


def test_every_url_parameter_is_covered_by_the_tenancy_sweep(app):
    uncovered = {
        f"{rule.rule}: {name}"
        for rule in _rules(app)
        for name in rule.arguments
        if name not in OBJECT_PARAMS and name not in NOT_OBJECTS
    }
    assert not uncovered, f"add these URL parameters to OBJECT_PARAMS: {sorted(uncovered)}"
    outside = [
        r.rule
        for r in _rules(app)
        if r.arguments - {"filename"} and "slug" not in r.arguments and not r.endpoint.startswith("admin.")
    ]
    assert not outside, f"routes taking an id outside a partnership (only site administration may): {outside}"


def test_tenancy_sweep_another_partnerships_objects_answer_404_on_every_route(client, two_partnerships, sign_in, app):
    world = two_partnerships
    from tests.evidence_factories import add_b_evidence

    add_b_evidence(world)
    sign_in(world.a.lead)
    checked = 0
    for rule in _partnership_rules(app):
        for method in _methods(rule):
            # B's slug: not a member, so nothing of B's is even confirmed to exist.
            url = _url(rule, world.b.partnership.slug, world, use_b_objects=True)
            response = client.open(url, method=method, data={})
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
            # A's slug with B's object ids: the scoping helper must not find them.
            if rule.arguments - {"slug"} - set(REFERENCE_VALUES):
                url = _url(rule, world.a.partnership.slug, world, use_b_objects=True)
                response = client.open(url, method=method, data={})
                assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
            checked += 1
    assert checked >= len(_partnership_rules(app))


def test_post_without_csrf_token_is_refused_on_every_form(client, two_partnerships, sign_in, app):
    world = two_partnerships
    app.config["WTF_CSRF_ENABLED"] = True
    post_rules = [r for r in _rules(app) if "POST" in r.methods]
    assert post_rules
    for user in (None, world.a.lead, world.admin):
        if user is not None:
            sign_in(user)
        for rule in post_rules:
            values = dict.fromkeys(rule.arguments, 1)
            values["membership_id"] = world.a.memberships["viewer"].id
            if "slug" in rule.arguments:
                values["slug"] = world.a.partnership.slug
            url = rule.build({k: v for k, v in values.items() if k in rule.arguments}, append_unknown=False)[1]
            response = client.post(url, data={"email": "x@y.org", "password": "whatever"})
            if response.status_code in (302, 401) and user is None:
                continue  # anonymous: sent to sign in before the form is considered
            assert response.status_code == 400, f"POST {url} as {user} answered {response.status_code}"
            assert "Your page had expired" in response.get_data(as_text=True)


def test_security_headers_are_on_every_kind_of_response(client, two_partnerships, sign_in):
    sign_in(two_partnerships.a.lead)
    for url in ("/sign-in", "/p/alpha/", "/p/alpha/audit.csv", "/health", "/no-such-page", "/static/js/app.js"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        script_src = next(part for part in csp.split("; ") if part.startswith("script-src"))
        assert "'unsafe-inline'" not in script_src
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        response.close()


def test_the_only_inline_script_carries_the_requests_nonce(client):
    response = client.get("/sign-in")
    html = response.get_data(as_text=True)
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in html
    assert html.count("<script") == 2  # the nonced GOV.UK line and our module file
    assert '<script type="module" src="/static/js/app.js">' in html


def test_session_cookie_is_httponly_and_samesite_lax(client, two_partnerships):
    response = client.post("/sign-in", data={"email": "lead@alpha.example", "password": PASSWORD})
    assert response.status_code == 302
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("inspect_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_session_cookie_is_secure_outside_development(app, client, two_partnerships):
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        response = client.post(
            "/sign-in", data={"email": "lead@alpha.example", "password": PASSWORD}, base_url="https://localhost"
        )
        cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("inspect_session="))
        assert "Secure" in cookie
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False


def test_sign_in_is_throttled_after_repeated_failures_even_with_the_right_password(client, session, app):
    create_user(session, email="target@alpha.example")
    session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        response = client.post("/sign-in", data={"email": "target@alpha.example", "password": "wrong password!"})
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.get_data(as_text=True)
    response = client.post("/sign-in", data={"email": "target@alpha.example", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)


def test_throttle_lifts_after_the_window_passes(client, session, app):
    create_user(session, email="target@alpha.example")
    session.commit()
    app.config["FIXED_NOW"] = "2026-11-27T10:00:00"
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/sign-in", data={"email": "target@alpha.example", "password": "wrong password!"})
    window = app.config["LOGIN_THROTTLE_WINDOW"] + timedelta(minutes=1)
    app.config["FIXED_NOW"] = f"2026-11-27T10:{window.seconds // 60:02d}:00"
    response = client.post("/sign-in", data={"email": "target@alpha.example", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "http:/evil.example", "javascript:alert(1)"],
)
def test_sign_in_never_redirects_off_site(client, two_partnerships, next_url):
    response = client.post(f"/sign-in?next={next_url}", data={"email": "lead@alpha.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_in_follows_a_local_next_path(client, two_partnerships):
    response = client.post("/sign-in?next=/p/alpha/members", data={"email": "lead@alpha.example", "password": PASSWORD})
    assert response.headers["Location"] == "/p/alpha/members"


def test_error_pages_show_no_stack_trace_or_sql(app):
    # A separate app instance: routes cannot be added to one that has served requests.
    from sqlalchemy import text

    from inspect_app import create_app
    from inspect_app.config import TestingConfig
    from inspect_app.extensions import db

    broken = create_app(TestingConfig())

    @broken.route("/explode-for-test")
    def explode():  # type: ignore[no-untyped-def]
        db.session.execute(text("SELECT * FROM no_such_table"))

    response = broken.test_client().get("/explode-for-test")
    with broken.app_context():
        db.session.remove()
        db.engine.dispose()
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    for leak in ("Traceback", "no_such_table", "SELECT", "sqlalchemy", 'File "'):
        assert leak not in body


# Headers on every response: every GET route, as a member, an administrator and a stranger -------------------


def _check_headers(response, what: str) -> None:  # type: ignore[no-untyped-def]
    csp = response.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, f"{what}: no CSP frame-ancestors"
    assert response.headers.get("X-Content-Type-Options") == "nosniff", f"{what}: no nosniff"
    assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", f"{what}: no Referrer-Policy"


def test_security_headers_are_on_the_response_of_every_get_route(client, two_partnerships, sign_in, app):
    world = two_partnerships
    get_rules = [r for r in _rules(app) if "GET" in r.methods]
    checked = 0
    for user in (None, world.a.lead, world.admin):
        if user is not None:
            sign_in(user)
        for rule in get_rules:
            values = {name: REFERENCE_VALUES.get(name, 1) for name in rule.arguments}
            if "slug" in rule.arguments:
                values["slug"] = world.a.partnership.slug
            if "filename" in rule.arguments:
                values["filename"] = "js/app.js"
            url = rule.build(values, append_unknown=False)[1]
            response = client.get(url)  # 200, a redirect, 403 or 404: each must carry the headers
            _check_headers(response, f"GET {url} as {user.email if user else 'anonymous'} ({response.status_code})")
            response.close()
            checked += 1
    assert checked == 3 * len(get_rules)


# Upload attacks ----------------------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("member", ["../evil.yml", "2099-01-01/../../evil.yml", "/tmp/evil.yml"])
def test_framework_zip_slip_is_refused_and_writes_nothing(client, session, two_partnerships, sign_in, member):
    from sqlalchemy import func, select

    from inspect_app.models import FrameworkVersion

    before = session.scalar(select(func.count()).select_from(FrameworkVersion))
    sign_in(two_partnerships.admin)
    archive = _zip({"2099-01-01/framework.yml": b"id: x\n", member: b"owned: true\n"})
    response = client.post(
        "/admin/frameworks/upload", data={"archive": (archive, "v.zip")}, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    assert f"The ZIP holds a file outside its folder: {member}" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(FrameworkVersion)) == before
    assert not Path("/tmp/evil.yml").exists()
    assert not list(Path(tempfile.gettempdir()).glob("evil.yml"))


@pytest.mark.parametrize(
    ("url", "field", "extra"),
    [
        ("/p/alpha/evidence/new", "file", {"kind": "document", "title": "Too big", "evidence_type": "send_strategy"}),
        ("/p/alpha/timeliness/imports/new", "upload", {"kind": "cases"}),
        ("/admin/benchmarks/upload", "file", {}),
    ],
)
def test_a_request_over_the_size_limit_answers_413_with_a_plain_page_and_stores_nothing(
    app, client, session, two_partnerships, sign_in, url, field, extra
):
    from sqlalchemy import func, select

    from inspect_app.models import AuditEvent

    world = two_partnerships
    sign_in(world.admin if url.startswith("/admin") else world.a.lead)
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 4096
    try:
        data = {**extra, field: (io.BytesIO(b"%PDF-1.4\n" + b"0" * 8192), "big.pdf")}
        response = client.post(url, data=data, content_type="multipart/form-data")
        body = response.get_data(as_text=True)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413
    assert "The file is too big" in body
    _check_headers(response, f"POST {url} (413)")
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", docx(), "is called .pdf but its content is a Word document"),
        ("photo.png", b"%PDF-1.4\n1 0 obj\n", "is called .png but its content is a PDF"),
        ("report.docx", b"PK\x03\x04not really a zip", "content is not a PDF, Word"),
        ("minutes.pdf", b"<html><script>alert(1)</script></html>", "content is not a PDF, Word"),
        ("notes.txt", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "content is not a PDF, Word"),
    ],
)
def test_a_file_whose_content_does_not_match_its_extension_is_refused(
    client, session, two_partnerships, sign_in, name, data, message
):
    from sqlalchemy import func, select

    from inspect_app.models import EvidenceItem

    world = two_partnerships
    sign_in(world.a.contributor)
    form = {
        "kind": "document",
        "title": "SEND strategy",
        "evidence_type": "send_strategy",
        "partner": "council",
        "as_at": ["31", "3", "2026"],
        "owner_id": str(world.a.contributor.id),
        "file": (io.BytesIO(data), name),
    }
    response = client.post("/p/alpha/evidence/new", data=form, content_type="multipart/form-data")
    assert response.status_code == 200
    summary = BeautifulSoup(response.get_data(as_text=True), "html5lib").select_one(".govuk-error-summary")
    assert summary is not None and message in summary.get_text()
    assert session.scalar(select(func.count()).select_from(EvidenceItem)) == 0


@pytest.mark.parametrize("name", ["../../../../tmp/owned.csv", "/etc/cron.d/owned.csv", "sub/../../owned.csv"])
def test_a_path_in_an_uploaded_case_files_name_is_never_used_as_a_path(
    app, client, session, two_partnerships, sign_in, name
):
    from sqlalchemy import select

    from inspect_app.models import DataImport

    sign_in(two_partnerships.a.lead)
    data = b"case_ref,request_date\nEHC1,01/03/2024\n"
    response = client.post(
        "/p/alpha/timeliness/imports/new",
        data={"kind": "cases", "upload": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    record = session.scalars(select(DataImport)).one()
    assert record.filename == "owned.csv"
    folder = app.config["IMPORT_UPLOAD_DIR"]
    assert not list(folder.parent.parent.rglob("*owned*"))
    assert not Path("/tmp/owned.csv").exists()
