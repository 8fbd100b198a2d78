"""Security checks in one place: headers, cookies, CSRF on every POST, throttling, tenancy, redirects, errors.

The sweeps enumerate the app's URL map, so a new route is checked automatically, and a new kind of id in a
URL fails `test_every_url_parameter_is_covered_by_the_tenancy_sweep` until the sweep knows how to fill it.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func
from werkzeug.routing import Rule

from tests.cycle_security import cycle_recipes as _cycle_recipes
from tests.cycle_security import findings_of_b as _findings_of_b
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
    "action_id": lambda world: _findings_of_b(world)[0],
    "progress_id": lambda world: _findings_of_b(world)[1],
    "check_id": lambda world: _findings_of_b(world)[2],
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
    limits = {name: app.config[name] for name in ("MAX_CONTENT_LENGTH", "SEN2_MAX_BYTES")}
    app.config.update(MAX_CONTENT_LENGTH=4096, SEN2_MAX_BYTES=4096)  # the case-import page takes SEN2's larger limit
    try:
        data = {**extra, field: (io.BytesIO(b"%PDF-1.4\n" + b"0" * 8192), "big.pdf")}
        response = client.post(url, data=data, content_type="multipart/form-data")
        body = response.get_data(as_text=True)
    finally:
        app.config.update(limits)
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


# Audit entries for every state change ------------------------------------------------------------------------
#
# Every public service function that takes an `actor` changes state (the house rule: services are the only
# writers, and each records who did what). The table below calls each one once, for real, on the world of
# tests/factories.py, and checks that the call itself wrote an audit row with the expected action: a new
# state-changing service fails `test_every_state_changing_service_is_in_the_audit_table` until it is added here.
# (Walking every POST route with valid form data was the alternative; the routes call these services, and the
# services are where a forgotten `audit.record` would be.)

AUDIT_WHEN = datetime(2026, 11, 27, 9, 0)


class _Ctx:
    """What the recipes need: the session, the world, partnership A's framework and helpers made once."""

    def __init__(self, session, world, store) -> None:  # type: ignore[no-untyped-def]
        from inspect_app.services import audit
        from inspect_app.services.frameworks import partnership_framework

        self.session, self.world, self.store = session, world, store
        self.a = world.a
        self.lead = audit.Actor.of(world.a.lead)
        _, self.framework = partnership_framework(session, world.a.partnership)

    def item(self, **kwargs):  # type: ignore[no-untyped-def]
        from tests.evidence_factories import make_item

        return make_item(self.session, self.store, self.a, **kwargs)

    def survey(self):  # type: ignore[no-untyped-def]
        from tests.factories import create_feedback

        return create_feedback(self.session, self.a.partnership)  # survey, wave, comment, entry


def _schedule_details(**overrides):  # type: ignore[no-untyped-def]
    from datetime import time

    from inspect_app.services.exports import ScheduleDetails

    values = {
        "report_kind": "audit-log",
        "format": "csv",
        "cadence": "weekly",
        "time_of_day": time(7, 0),
        "weekday": 0,
        "destination": "weekly",
        "keep_last": 4,
        **overrides,
    }
    return ScheduleDetails(**values)


def _inspection_details(**overrides):  # type: ignore[no-untyped-def]
    from inspect_app.services.inspections import InspectionDetails

    values = {"inspection_type": "full", "notification_date": date(2026, 11, 23), **overrides}
    return InspectionDetails(**values)


def _sef_entry(ctx, text="Draft."):  # type: ignore[no-untyped-def]
    from inspect_app.domain.self_evaluation import EntryContent
    from inspect_app.services import self_evaluation as sef

    grades = ("strong", "secure", "developing", "weak")
    return sef.save_entry(
        ctx.session, ctx.lead, ctx.a.partnership, ctx.framework, "EXP1", EntryContent(grade="secure", strengths=text),
        grades=grades, when=AUDIT_WHEN,
    )  # fmt: skip


def _new_version(ctx):  # type: ignore[no-untyped-def]
    """Store a second version of the shipped framework (a copy of its folder, later date) and return its row."""
    from inspect_app.domain.frameworks import discover_frameworks, load_framework
    from inspect_app.services import frameworks as fw

    newer = load_framework(discover_frameworks(_changed_framework_folder())[-1])
    fw.store_framework(ctx.session, ctx.lead, newer, when=AUDIT_WHEN)
    return fw.get_version(ctx.session, newer.id, newer.version)


def _recipes():  # type: ignore[no-untyped-def]
    """{service function: (action the audit row must carry, call(ctx) -> setup done first, then the call)}."""
    import io as _io

    from inspect_app.services import (
        accounts,
        benchmark_imports,
        case_imports,
        evidence,
        evidence_register,
        exports,
        feedback,
        feedback_comments,
        framework_moves,
        frameworks,
        inspections,
        partnerships,
        self_evaluation,
    )
    from inspect_app.services.evidence import EvidenceSettings, Upload
    from tests.benchmark_data import NEIGHBOURS, SYNTHETIC
    from tests.evidence_factories import PDF, docx, fields

    settings = EvidenceSettings()
    when = {"when": AUDIT_WHEN}

    def snapshot(ctx):  # type: ignore[no-untyped-def]
        return evidence.record_snapshot(
            ctx.session, ctx.store, ctx.lead, ctx.a.partnership, fields(ctx.a, title="Data snapshot"),
            data=b"measure,value\nx,1\n", filename="snapshot.csv", framework=ctx.framework, settings=settings, **when,
        )  # fmt: skip

    def wave(ctx):  # type: ignore[no-untyped-def]
        from inspect_app.domain.feedback import mapping_from_yaml
        from tests.factories import FEEDBACK_FILES

        survey = feedback.create_survey(
            ctx.session, ctx.lead, ctx.a.partnership.id, name="S2", audience="parents_carers", **when
        )
        ctx.session.flush()
        mapping = mapping_from_yaml((FEEDBACK_FILES / "google_forms_mapping.yml").read_text())
        return lambda: feedback.import_wave(
            ctx.session, ctx.lead, survey, data=(FEEDBACK_FILES / "google_forms.csv").read_bytes(),
            file_name="google_forms.csv", mapping=mapping, framework=ctx.framework, label="Autumn", **when,
        )  # fmt: skip

    def sign_off(ctx):  # type: ignore[no-untyped-def]
        entry = _sef_entry(ctx)
        membership = ctx.a.memberships["lead"]
        membership.organisation = "council"
        ctx.session.flush()
        return lambda: self_evaluation.sign_off(
            ctx.session, ctx.lead, membership, entry, version=entry.current_version, required=("council", "icb"),
            **when,
        )  # fmt: skip

    def ready(ctx):  # type: ignore[no-untyped-def]
        return ctx.item(status="ready_for_review")

    bi = benchmark_imports

    def later(setup, call):  # type: ignore[no-untyped-def]
        """A recipe whose objects are made first (their own audit rows are not counted)."""
        return lambda ctx: (lambda made: lambda: call(ctx, made))(setup(ctx))

    recipes = {
        accounts.create_user: ("user.created", lambda ctx: lambda: accounts.create_user(
            ctx.session, ctx.lead, email="new@alpha.example", name="New", password="a long password 1", is_admin=False,
            **when)),
        accounts.set_password: ("user.password", lambda ctx: lambda: accounts.set_password(
            ctx.session, ctx.lead, ctx.a.viewer, "another long password 2", **when)),
        benchmark_imports.import_benchmark_file: ("benchmarks.", lambda ctx: lambda: bi.import_benchmark_file(
            ctx.session, ctx.lead, (SYNTHETIC / "requests_2026.csv").read_bytes(), file_name="requests_2026.csv",
            release=None, **when)),
        benchmark_imports.import_neighbours_file: ("neighbours.", lambda ctx: lambda: bi.import_neighbours_file(
            ctx.session, ctx.lead, NEIGHBOURS.read_bytes(), file_name=NEIGHBOURS.name, **when)),
        case_imports.create_import: ("case_import.", lambda ctx: lambda: case_imports.create_import(
            ctx.session, ctx.lead, ctx.a.partnership, kind="cases", filename="cases.csv",
            data=b"case_ref,request_date\nEHC1,01/03/2024\n", **when)),
        evidence.create_item: ("evidence.created", lambda ctx: lambda: evidence.create_item(
            ctx.session, ctx.lead, ctx.a.partnership, fields(ctx.a), kind="document", framework=ctx.framework,
            settings=settings, **when)),
        evidence.update_item: ("evidence.updated", later(lambda ctx: ctx.item(), lambda ctx, item: evidence.update_item(
            ctx.session, ctx.lead, item, fields(ctx.a, title="Renamed"), framework=ctx.framework, settings=settings,
            **when))),
        evidence.submit_for_review: ("evidence.submitted", later(lambda ctx: ctx.item(), lambda ctx, item: (
            evidence.submit_for_review(ctx.session, ctx.lead, item, **when)))),
        evidence.approve: ("evidence.approved", later(ready, lambda ctx, item: (
            evidence.approve(ctx.session, ctx.lead, item, **when)))),
        evidence.return_item: ("evidence.returned", later(ready, lambda ctx, item: (
            evidence.return_item(ctx.session, ctx.lead, item, "Wrong year", **when)))),
        evidence.set_imported_status: ("evidence.", later(lambda ctx: ctx.item(), lambda ctx, item: (
            evidence.set_imported_status(ctx.session, ctx.lead, item, "returned", "Wrong year", **when)))),
        evidence.delete_item: ("evidence.deleted", later(lambda ctx: ctx.item(), lambda ctx, item: (
            evidence.delete_item(ctx.session, ctx.lead, item, **when)))),
        evidence.add_revision: ("evidence.", later(lambda ctx: ctx.item(), lambda ctx, item: evidence.add_revision(
            ctx.session, ctx.store, ctx.lead, item, Upload("v2.docx", _io.BytesIO(docx())), settings=settings,
            **when))),
        evidence.record_snapshot: ("evidence.", lambda ctx: lambda: snapshot(ctx)),
        evidence.record_download: ("evidence.downloaded", later(lambda ctx: ctx.item(data=PDF), lambda ctx, item: (
            evidence.record_download(ctx.session, ctx.lead, item.revisions[0], role="inspector", **when)))),
        evidence.set_links: ("evidence.links", later(lambda ctx: ctx.item(), lambda ctx, item: evidence.set_links(
            ctx.session, ctx.lead, item, {"LEAD2": "Shows the board's plan."}, framework=ctx.framework, **when))),
        evidence_register.import_register: ("evidence.", lambda ctx: lambda: evidence_register.import_register(
            ctx.session, ctx.lead, ctx.a.partnership,
            b"title,evidence_type,partner,owner_email,criteria\nMinutes,board_minutes,council,lead@alpha.example,"
            b"LEAD1: Shows challenge.\n",
            framework=ctx.framework, settings=settings, allow_approved=True, filename="register.csv", **when)),
        exports.create_schedule: ("export.", lambda ctx: lambda: exports.create_schedule(
            ctx.session, ctx.lead, ctx.a.partnership, _schedule_details(destination="other"), export_root=None,
            **when)),
        exports.update_schedule: ("export.", lambda ctx: lambda: exports.update_schedule(
            ctx.session, ctx.lead, ctx.a.export_schedule, _schedule_details(keep_last=2),
            export_root=Path(tempfile.gettempdir()), **when)),
        exports.set_enabled: ("export.", lambda ctx: lambda: exports.set_enabled(
            ctx.session, ctx.lead, ctx.a.export_schedule, not ctx.a.export_schedule.enabled, **when)),
        exports.record_download: ("export.", lambda ctx: lambda: exports.record_download(
            ctx.session, ctx.lead, ctx.a.export_run, **when)),
        feedback.create_survey: ("feedback.", lambda ctx: lambda: feedback.create_survey(
            ctx.session, ctx.lead, ctx.a.partnership.id, name="Young people", audience="parents_carers", **when)),
        feedback.update_survey: ("feedback.", later(lambda ctx: ctx.survey(), lambda ctx, made: feedback.update_survey(
            ctx.session, ctx.lead, made[0], name="Renamed", audience="parents_carers", opened_on=None,
            closed_on=None, **when))),
        feedback.import_wave: ("feedback.", lambda ctx: wave(ctx)),
        feedback.delete_wave: ("feedback.", later(lambda ctx: ctx.survey(), lambda ctx, made: feedback.delete_wave(
            ctx.session, ctx.lead, made[1], **when))),
        feedback_comments.update_comment: ("feedback.", later(lambda ctx: ctx.survey(), lambda ctx, made: (
            feedback_comments.update_comment(ctx.session, ctx.lead, made[2], themes=[], is_quote=True,
                                             quote_note="Used with consent", framework=ctx.framework, **when)))),
        feedback_comments.create_entry: ("feedback.", lambda ctx: lambda: feedback_comments.create_entry(
            ctx.session, ctx.lead, ctx.a.partnership.id, said="Waits", did="Drop-in", criterion="EXP1", done_on=None,
            owner="SEND lead", comment_id=None, framework=ctx.framework, **when)),
        feedback_comments.update_entry: ("feedback.", later(lambda ctx: ctx.survey(), lambda ctx, made: (
            feedback_comments.update_entry(ctx.session, ctx.lead, made[3], said="Waits", did="Two drop-ins",
                                           criterion="EXP1", done_on=None, owner="SEND lead",
                                           framework=ctx.framework, **when)))),
        feedback_comments.delete_entry: ("feedback.", later(lambda ctx: ctx.survey(), lambda ctx, made: (
            feedback_comments.delete_entry(ctx.session, ctx.lead, made[3], **when)))),
        frameworks.store_framework: ("framework", lambda ctx: lambda: _new_version(ctx)),
        frameworks.load_frameworks: ("framework", lambda ctx: lambda: frameworks.load_frameworks(
            ctx.session, ctx.lead, _changed_framework_folder(), **when)),
        framework_moves.move_partnership: ("framework", later(_new_version, lambda ctx, row: (
            framework_moves.move_partnership(ctx.session, ctx.lead, ctx.a.partnership, row, **when)))),
        inspections.create_inspection: ("inspection", lambda ctx: lambda: inspections.create_inspection(
            ctx.session, ctx.lead, ctx.world.b.partnership, _inspection_details(), **when)),
        inspections.update_inspection: ("inspection", lambda ctx: lambda: inspections.update_inspection(
            ctx.session, ctx.lead, ctx.a.inspection, _inspection_details(notes="Call the DCO"), **when)),
        inspections.grant_inspector_access: ("member", later(_account("hmi@ofsted.example"), lambda ctx, _: (
            inspections.grant_inspector_access(ctx.session, ctx.lead, ctx.a.partnership, email="hmi@ofsted.example",
                                               expires_on=date(2026, 12, 31), **when)))),
        partnerships.create_partnership: ("partnership", lambda ctx: lambda: partnerships.create_partnership(
            ctx.session, ctx.lead, slug="gamma", name="Gamma", la_code="807", icb_name=None, **when)),
        partnerships.grant: ("member", later(_account("new.viewer@alpha.example"), lambda ctx, _: partnerships.grant(
            ctx.session, ctx.lead, ctx.a.partnership, email="new.viewer@alpha.example", role="viewer",
            expires_on=None, **when))),
        partnerships.change_role: ("member", lambda ctx: lambda: partnerships.change_role(
            ctx.session, ctx.lead, ctx.a.memberships["viewer"], role="contributor", expires_on=None, **when)),
        partnerships.remove_member: ("member", lambda ctx: lambda: partnerships.remove_member(
            ctx.session, ctx.lead, ctx.a.memberships["viewer"], **when)),
        self_evaluation.save_entry: ("sef.", lambda ctx: lambda: _sef_entry(ctx)),
        self_evaluation.sign_off: ("sef.", sign_off),
    }  # fmt: skip
    recipes.update(_evidence_pack_recipes(when))
    recipes.update(_cycle_recipes(when))
    return recipes


def _evidence_pack_recipes(when: dict) -> dict:  # type: ignore[type-arg]
    """The evidence pack's services."""
    from inspect_app.domain.readiness_config import ReadinessConfig
    from inspect_app.reports.evidence_pack import verify_pack
    from inspect_app.services import evidence_pack
    from inspect_app.services.readiness import ReadinessSettings

    settings = ReadinessSettings(ReadinessConfig(), ("strong", "secure", "developing", "weak"), ("council", "icb"))
    required = {"settings": settings}

    def build(ctx):  # type: ignore[no-untyped-def]
        out = io.BytesIO()
        evidence_pack.build_pack(
            ctx.session, ctx.lead, ctx.a.partnership, out, store=ctx.store, now=AUDIT_WHEN, today=AUDIT_WHEN.date(),
            **required,
        )  # fmt: skip
        out.seek(0)
        return out

    def plan(ctx):  # type: ignore[no-untyped-def]
        return evidence_pack.plan_pack(
            ctx.session, ctx.a.partnership, now=AUDIT_WHEN, today=AUDIT_WHEN.date(), **required
        )

    return {
        evidence_pack.build_pack: ("evidence_pack.", lambda ctx: lambda: build(ctx)),
        evidence_pack.record_built: ("evidence_pack.", lambda ctx: (lambda made: lambda: evidence_pack.record_built(
            ctx.session, ctx.lead, ctx.a.partnership, made, via="web", **when))(plan(ctx))),
        evidence_pack.record_verified: ("evidence_pack.", lambda ctx: (lambda made: lambda: (
            evidence_pack.record_verified(ctx.session, ctx.lead, "pack.zip", made, **when)))(verify_pack(build(ctx)))),
    }  # fmt: skip


def _account(email: str):  # type: ignore[no-untyped-def]
    """A recipe's setup: an account with this email and no membership."""

    def setup(ctx):  # type: ignore[no-untyped-def]
        from tests.factories import create_user

        return create_user(ctx.session, email=email)

    return setup


def _changed_framework_folder() -> Path:
    """A copy of the shipped framework folder as a later version, in a temporary folder."""
    import shutil

    from inspect_app.domain.frameworks import discover_frameworks
    from tests.factories import FRAMEWORKS_DIR, shipped_framework

    source = Path(discover_frameworks(FRAMEWORKS_DIR)[-1])
    root = Path(tempfile.mkdtemp(prefix="audit-framework-"))
    target = root / source.parent.name / "2099-01-01"
    shutil.copytree(source, target)
    framework_yml = target / "framework.yml"
    text = framework_yml.read_text().replace(source.name, "2099-01-01")
    text = text.replace(f"in_force_from: {shipped_framework().in_force_from.isoformat()}", "in_force_from: 2099-01-01")
    framework_yml.write_text(text)
    return root


def _state_changing_services() -> list:
    import importlib
    import inspect
    import pkgutil

    import inspect_app.services as services

    found = []
    for module_info in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f"inspect_app.services.{module_info.name}")
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function) or function.__module__ != module.__name__:
                continue
            if "actor" in inspect.signature(function).parameters and function is not services.audit.record:
                found.append(function)
    return found


def test_every_state_changing_service_is_in_the_audit_table():
    recipes = _recipes()
    missing = [f"{f.__module__}.{f.__name__}" for f in _state_changing_services() if f not in recipes]
    assert not missing, f"add a recipe for each to _recipes() in tests/test_security.py: {missing}"


@pytest.mark.parametrize(
    "function", _state_changing_services(), ids=lambda f: f"{f.__module__.rsplit('.', 1)[-1]}.{f.__name__}"
)
def test_each_state_changing_service_writes_its_audit_row(session, two_partnerships, function, app):
    from sqlalchemy import select

    from inspect_app.models import AuditEvent
    from inspect_app.storage import get_store

    action, recipe = _recipes()[function]
    ctx = _Ctx(session, two_partnerships, get_store())
    call = recipe(ctx)
    session.flush()
    before = session.scalar(select(func.max(AuditEvent.id))) or 0
    call()
    session.flush()
    written = session.scalars(select(AuditEvent).where(AuditEvent.id > before)).all()
    assert written, f"{function.__module__}.{function.__name__} changed state without an audit row"
    assert any(event.action.startswith(action) for event in written), [event.action for event in written]
    assert all(event.actor for event in written)
