"""Timeliness: the dashboard of measures and clocks, the case list and case pages, data quality, and imports.

Inspectors see the aggregate figures and charts only (the dashboard, without the list of clocks falling due);
the case list, case pages, data-quality findings and imports name cases, so they are for members.
"""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for

from inspect_app import clock
from inspect_app.domain.cases import PRIMARY_NEEDS
from inspect_app.domain.data_quality import FINDING_CODES
from inspect_app.domain.measure_choices import ExceptionsCheck
from inspect_app.domain.measures import MEASURE_IDS, MeasureValue
from inspect_app.extensions import db
from inspect_app.forms.timeliness import UploadImportForm
from inspect_app.importers.common import errors_to_csv
from inspect_app.navigation import (
    CriterionBadge,
    DashboardCard,
    LivePanel,
)
from inspect_app.services import (
    case_imports,
    timeliness,
    timeliness_quality,
)
from inspect_app.services import frameworks as framework_service
from inspect_app.services.partnerships import Access
from inspect_app.services.timeliness_dashboard import (
    CLOCK_LABELS,
    STATUS_TAGS,
    build_dashboard,
    case_summary,
    cell,
    dashboard_comparisons,
    measure_titles,
)
from inspect_app.views.access import (
    EDITORS,
    EVERYONE,
    READERS,
    actor,
    allow,
    current_access,
    protect_partnership_blueprint,
)
from inspect_app.views.downloads import attachment

bp = Blueprint("timeliness", __name__, url_prefix="/p/<slug>/timeliness")
protect_partnership_blueprint(bp)

STATUS_FILTERS = {"late": "A clock met late", "overdue": "A clock overdue now"}


def _snapshot() -> timeliness.Snapshot:
    return timeliness.snapshot(db.session, current_access().partnership.id, clock.today())


@bp.route("/")
@allow(*EVERYONE)
def view_dashboard():  # type: ignore[no-untyped-def]
    access = current_access()
    _, framework = framework_service.partnership_framework(db.session, access.partnership)
    snap = _snapshot()
    year = request.args.get("year", type=int)
    dashboard = compared = None
    cases_with_findings = 0
    if snap.cases:
        titles = measure_titles(framework)
        dashboard = build_dashboard(snap, year if year in snap.years else None, titles)
        compared = dashboard_comparisons(db.session, access.partnership, snap, dashboard.year, titles)
        # The stored summary's count: working out every finding (seconds at 200,000 cases) is the
        # data-quality page's job, not the dashboard's.
        cases_with_findings = timeliness.summary(db.session, access.partnership.id, snap.as_of).cases_with_findings
    latest = case_imports.latest_import(db.session, access.partnership.id)
    return render_template(
        "timeliness/dashboard.html",
        access=access,
        dashboard=dashboard,
        cases_with_findings=cases_with_findings,
        compared=compared,
        latest=latest,
        status_tags=STATUS_TAGS,
    )


def _case_filter() -> timeliness.CaseFilter:
    args = request.args
    status = args.get("status") if args.get("status") in STATUS_FILTERS else None
    exception = {"yes": True, "no": False}.get(args.get("exception", ""))
    need = args.get("need") if args.get("need") in PRIMARY_NEEDS else None
    year = args.get("year", type=int)
    return timeliness.CaseFilter(status=status, exception=exception, need=need, year=year)


@bp.route("/cases")
@allow(*READERS)
def list_cases():  # type: ignore[no-untyped-def]
    access = current_access()
    snap = _snapshot()
    wanted = _case_filter()
    positions = timeliness.filter_cases(snap, wanted)
    size = current_app.config["PAGE_SIZE"]
    pages = max((len(positions) + size - 1) // size, 1)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    rows = timeliness.case_rows(snap, positions[(page - 1) * size : page * size])
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template(
        "timeliness/cases.html",
        access=access,
        rows=rows,
        total=len(positions),
        case_count=len(snap.cases),
        page=page,
        pages=pages,
        args=args,
        wanted=wanted,
        years=sorted({case.request_date.year for case in snap.cases if case.request_date}, reverse=True),
        needs=PRIMARY_NEEDS,
        status_filters=STATUS_FILTERS,
    )


@bp.route("/cases/<int:case_id>")
@allow(*READERS)
def view_case(case_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    detail = timeliness.case_detail(db.session, access.partnership.id, case_id, clock.today())
    return render_template(
        "timeliness/case.html",
        access=access,
        detail=detail,
        summary=case_summary(detail.case, detail.record.updated_at, detail.record.import_id),
        as_of=clock.today(),
        clock_labels=CLOCK_LABELS,
        status_tags=STATUS_TAGS,
    )


@bp.route("/data-quality")
@allow(*READERS)
def view_data_quality():  # type: ignore[no-untyped-def]
    access = current_access()
    snap = _snapshot()
    year = request.args.get("year", type=int)
    year = year if year in snap.years else snap.default_year
    checks = None
    if snap.cases:
        checks = timeliness_quality.quality_checks(
            db.session,
            access.partnership,
            snap,
            year,
            exceptions=ExceptionsCheck.from_settings(current_app.config["EXCEPTIONS_IMPLAUSIBLE"]),
            threshold_points=Decimal(str(current_app.config["RECONCILIATION_THRESHOLD_POINTS"])),
        )
    findings = snap.findings()
    size = current_app.config["PAGE_SIZE"] * 4
    pages = max((len(findings) + size - 1) // size, 1)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    by_code: dict[str, int] = {}
    for finding in findings:
        by_code[finding.code] = by_code.get(finding.code, 0) + 1
    return render_template(
        "timeliness/data-quality.html",
        access=access,
        findings=findings[(page - 1) * size : page * size],
        total=len(findings),
        cases_with_findings=snap.cases_with_findings(),
        by_code=sorted(by_code.items(), key=lambda item: (-item[1], item[0])),
        finding_kinds=FINDING_CODES,
        case_ids=snap.case_ids(),
        page=page,
        pages=pages,
        as_of=snap.as_of,
        checks=checks,
        years=snap.years,
        titles=measure_titles(framework_service.partnership_framework(db.session, access.partnership)[1]),
        cases_shown=timeliness_quality.CASES_SHOWN,
    )


@bp.route("/imports")
@allow(*READERS)
def list_imports():  # type: ignore[no-untyped-def]
    access = current_access()
    size = current_app.config["PAGE_SIZE"]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    imports, total = case_imports.list_imports(db.session, access.partnership.id, limit=size, offset=(page - 1) * size)
    cases, reviews = timeliness.count_rows(db.session, access.partnership.id)
    return render_template(
        "timeliness/imports.html",
        access=access,
        imports=imports,
        total=total,
        page=page,
        pages=max((total + size - 1) // size, 1),
        cases=cases,
        reviews=reviews,
    )


@bp.route("/imports/new", methods=["GET", "POST"])
@allow(*EDITORS)
def new_import():  # type: ignore[no-untyped-def]
    access = current_access()
    # A SEN2 return can be far larger than other uploads: this page alone accepts files up to SEN2_MAX_BYTES.
    request.max_content_length = max(current_app.config["SEN2_MAX_BYTES"], current_app.config["MAX_CONTENT_LENGTH"])
    form = UploadImportForm()
    if form.validate_on_submit():
        folder = current_app.config["IMPORT_UPLOAD_DIR"]
        path, sha256, size = case_imports.save_upload_stream(folder, form.upload.data.stream)
        if not size:
            path.unlink(missing_ok=True)
            form.upload.errors = ["The selected file is empty"]
        else:
            try:
                record = case_imports.create_import(
                    db.session,
                    actor(),
                    access.partnership,
                    kind=form.kind.data,
                    filename=form.upload.data.filename or "",
                    sha256=sha256,
                    when=clock.now(),
                )
                db.session.commit()
            except Exception:
                path.unlink(missing_ok=True)
                raise
            case_imports.start_import(current_app._get_current_object(), record.id, path)  # type: ignore[attr-defined]
            return redirect(url_for("timeliness.view_import", import_id=record.id))
    return render_template("timeliness/new-import.html", access=access, form=form)


@bp.route("/imports/<int:import_id>")
@allow(*READERS)
def view_import(import_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    record = case_imports.get_import(db.session, access.partnership.id, import_id)
    size = current_app.config["TIMELINESS_IMPORT_ERRORS_PAGE_SIZE"]
    pages = max((record.error_count + size - 1) // size, 1)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    errors = (
        case_imports.row_errors(db.session, record, limit=size, offset=(page - 1) * size) if record.error_count else []
    )
    stale = case_imports.is_stale(
        record, now=clock.now(), minutes=current_app.config["TIMELINESS_IMPORT_STALE_MINUTES"]
    )
    return render_template(
        "timeliness/import.html",
        access=access,
        record=record,
        errors=errors,
        page=page,
        pages=pages,
        stale=stale,
        stages=case_imports.STAGES,
        stage_labels=case_imports.STAGE_LABELS,
        nouns=case_imports.NOUNS[record.kind],
    )


@bp.route("/imports/<int:import_id>/progress.json")
@allow(*READERS)
def view_import_progress(import_id: int):  # type: ignore[no-untyped-def]
    """The status page's script polls this while an import runs (the page works without it)."""
    record = case_imports.get_import(db.session, current_access().partnership.id, import_id)
    return jsonify(
        status=record.status,
        stage=record.stage,
        done=record.progress_done,
        total=record.progress_total,
        finished=record.is_finished,
    )


@bp.route("/imports/<int:import_id>/errors.csv")
@allow(*READERS)
def download_import_errors(import_id: int):  # type: ignore[no-untyped-def]
    access = current_access()
    record = case_imports.get_import(db.session, access.partnership.id, import_id)
    body = errors_to_csv(case_imports.row_errors(db.session, record))
    filename = f"import-{record.id}-errors.csv"
    return attachment(body, "text/csv", filename)


# What the feature puts on shared pages (listed in views/__init__.py) -------------------------------------------


def _headline(access: Access) -> MeasureValue | None:
    figures = timeliness.summary(db.session, access.partnership.id, clock.today())
    return timeliness.latest_value(figures.annual, "ehcp_20wk_excl", figures.default_year)


def dashboard_card(access: Access) -> DashboardCard | None:
    href = url_for("timeliness.view_dashboard", slug=access.partnership.slug)
    value = _headline(access)
    if value is None:
        return DashboardCard("Timeliness", href, "No case data yet: import a case file to see the statutory clocks.")
    so_far = " so far" if value.period == str(clock.today().year) else ""
    summary = f"{cell(value).text} of plans within 20 weeks in {value.period}{so_far} (excluding exceptions)."
    return DashboardCard("Timeliness", href, summary)


def criterion_badges(access: Access, framework) -> dict[str, list[CriterionBadge]]:  # type: ignore[no-untyped-def]
    href = url_for("timeliness.view_dashboard", slug=access.partnership.slug)
    facts = timeliness.measure_facts(db.session, access.partnership, framework)
    badges: dict[str, list[CriterionBadge]] = {}
    for criterion in framework.criteria:
        computed = [measure_id for measure_id in criterion.measures if measure_id in facts]
        if not computed:
            continue
        with_data = [m for m in computed if timeliness.latest_value(facts[m], m) is not None]
        noun = "measure" if len(computed) == 1 else "measures"
        text = f"{len(computed)} {noun} from case data" + ("" if with_data else " (no cases imported yet)")
        badges[criterion.id] = [CriterionBadge(text, href)]
    return badges


def live_panel(access: Access, framework, criterion) -> LivePanel | None:  # type: ignore[no-untyped-def]
    computed = [measure_id for measure_id in criterion.measures if measure_id in MEASURE_IDS]
    if not computed:
        return None
    facts = timeliness.measure_facts(db.session, access.partnership, framework)
    titles = measure_titles(framework)
    rows = []
    for measure_id in computed:
        values = [value for value in facts.get(measure_id, []) if value.denominator][-2:]
        if not values:
            rows.append((titles[measure_id], "No data"))
            continue
        this_year = str(clock.today().year)
        shown = [
            f"{cell(v).text} in {v.period}{' so far' if v.period == this_year else ''}"
            + (f" ({cell(v).detail})" if cell(v).detail else "")
            for v in values
        ]
        rows.append((titles[measure_id], "; ".join(reversed(shown))))
    href = url_for("timeliness.view_dashboard", slug=access.partnership.slug)
    return LivePanel(
        "Timeliness from case data",
        rows,
        href=href,
        note=f"Worked out from the imported case records as at {clock.today().day} {clock.today():%B %Y}.",
    )
