"""Readiness: where the partnership stands, each criterion's impact and preparation, the gap register, how it is
made up, and the report downloads.

The numbers on these pages come from `services.readiness`, the same report model every download is rendered
from, so the page, the PDF and the spreadsheet never disagree. Inspectors never see any of it: it is the
partnership's own preparation (their pages hold what the partnership chose to share).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, g, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from inspect_app.domain.benchmarks import published_measure
from inspect_app.domain.errors import NotFound
from inspect_app.domain.measures import MEASURE_IDS
from inspect_app.domain.readiness import GAP_CODES, RULES, SEVERITIES
from inspect_app.domain.readiness.text import number
from inspect_app.extensions import db
from inspect_app.navigation import DashboardCard, DashboardItem, LivePanel
from inspect_app.reports import readiness_render
from inspect_app.reports.charts import criterion_scores_svg, gaps_by_severity_svg, inline_svg
from inspect_app.reports.readiness_report import GAP_LABELS, GapRow, ReadinessReport, next_actions
from inspect_app.services import readiness as readiness_service
from inspect_app.services.partnerships import Access
from inspect_app.views.access import READERS, allow, current_access, protect_partnership_blueprint
from inspect_app.views.downloads import report_download

bp = Blueprint("readiness", __name__, url_prefix="/p/<slug>/readiness")
protect_partnership_blueprint(bp)

FORMAT_LABELS = {
    "pdf": "PDF",
    "docx": "Word",
    "xlsx": "Excel",
    "csv": "CSV",
    "html": "Web page",
    "json": "JSON",
}
NO_OWNER = "none"  # the owner filter's value for gaps that fall to the partnership rather than one person
DASHBOARD_ACTIONS = 5
PAGE_ACTIONS = 5  # the readiness page stays short: the first five, then the register


@bp.before_app_request
def _forget_report() -> None:
    # `g` outlives a request when a test or a command holds an app context open: never reuse another's report.
    g.pop("readiness_report", None)


def _settings() -> readiness_service.ReadinessSettings:
    return readiness_service.ReadinessSettings.from_app_config(current_app.config)


def _report(access: Access) -> ReadinessReport:
    """The partnership's readiness report, built once per request (the dashboard card and the self-evaluation
    panels ask for it too)."""
    kept = g.get("readiness_report")
    if kept is not None and kept[0] == access.partnership.id:
        return kept[1]
    report = readiness_service.build_report(
        db.session, access.partnership, _settings(), service_name=current_app.config["SERVICE_NAME"]
    )
    g.readiness_report = (access.partnership.id, report)
    return report


@dataclass(frozen=True)
class RuleKind:
    label: str
    explanation: str


@dataclass(frozen=True)
class GapFilter:
    severity: str = ""
    criterion: str = ""
    owner: str = ""
    code: str = ""

    @classmethod
    def from_args(cls, args: MultiDict[str, str], report: ReadinessReport) -> GapFilter:
        criteria = {row.id for row in report.criteria}
        owners = _owners(report)
        severity, criterion = args.get("severity", ""), args.get("criterion", "")
        owner, code = args.get("owner", ""), args.get("code", "")
        return cls(
            severity=severity if severity in SEVERITIES else "",
            criterion=criterion if criterion in criteria else "",
            owner=owner if owner in owners or owner == NO_OWNER else "",
            code=code if code in GAP_CODES else "",
        )

    @property
    def active(self) -> bool:
        return self != GapFilter()

    def keeps(self, gap: GapRow) -> bool:
        owner = gap.owner or NO_OWNER
        return (
            (not self.severity or gap.severity == self.severity)
            and (not self.criterion or gap.criterion_id == self.criterion)
            and (not self.owner or owner == self.owner)
            and (not self.code or gap.code == self.code)
        )


def _owners(report: ReadinessReport) -> list[str]:
    return sorted({gap.owner for gap in report.gap_register if gap.owner})


@bp.route("/")
@allow(*READERS)
def view_readiness() -> ResponseReturnValue:
    access = current_access()
    report = _report(access)
    return render_template(
        "readiness/index.html",
        access=access,
        report=report,
        actions=next_actions(report.gap_register, PAGE_ACTIONS),
        formats=FORMAT_LABELS,
        scores_chart=Markup(inline_svg(criterion_scores_svg(report.score_bars, report.scores_chart_title))),
    )


@bp.route("/gaps")
@allow(*READERS)
def view_gap_register() -> ResponseReturnValue:
    access = current_access()
    report = _report(access)
    wanted = GapFilter.from_args(request.args, report)
    gaps = [gap for gap in report.gap_register if wanted.keeps(gap)]
    kinds = [code for code in GAP_CODES if any(g.code == code for g in report.gap_register) or code == wanted.code]
    return render_template(
        "readiness/gaps.html",
        access=access,
        report=report,
        gaps=gaps,
        wanted=wanted,
        owners=_owners(report),
        no_owner=NO_OWNER,
        severities=SEVERITIES,
        kinds=[(code, GAP_LABELS[code]) for code in kinds],
        gaps_chart=Markup(inline_svg(gaps_by_severity_svg(report.severity_bars, report.gaps_chart_title))),
    )


@bp.route("/how-it-is-made-up")
@allow(*READERS)
def view_readiness_method() -> ResponseReturnValue:
    access = current_access()
    config = _settings().config
    rules = [RuleKind(GAP_LABELS[rule.code], rule.explain(config)) for rule in RULES]
    return render_template(
        "readiness/method.html", access=access, report=_report(access), c=config, rules=rules, number=number
    )


@bp.route("/criteria/<criterion_id>")
@allow(*READERS)
def view_criterion_readiness(criterion_id: str) -> ResponseReturnValue:
    access = current_access()
    report = _report(access)
    detail = report.detail(criterion_id)
    if detail is None:
        raise NotFound(f"No criterion {criterion_id} in this partnership's framework")
    measure_links = {m.id: _measure_source(access, m.id, bool(m.counts_text)) for m in detail.measures}
    return render_template(
        "readiness/criterion.html", access=access, report=report, detail=detail, measure_links=measure_links
    )


def _measure_source(access: Access, measure_id: str, has_counts: bool) -> str | None:
    """Where a measure's figure comes from: the timeliness dashboard for one computed from case records, the
    benchmark page for one DfE publishes, or nowhere yet."""
    if measure_id in MEASURE_IDS and has_counts:
        return url_for("timeliness.view_dashboard", slug=access.partnership.slug)
    if published_measure(measure_id) is not None:
        return url_for("benchmarks.view_benchmark_measure", slug=access.partnership.slug, measure_id=measure_id)
    return None


@bp.route("/download.<file_format>")
@allow(*READERS)
def download_readiness(file_format: str) -> ResponseReturnValue:
    access = current_access()
    if file_format not in readiness_render.RENDERERS:
        raise NotFound(f"The readiness report is not available as {file_format}")
    report = _report(access)
    body = readiness_render.render(report, file_format)
    return report_download(
        access,
        "readiness",
        file_format,
        body,
        readiness_render.MEDIA_TYPES[file_format],
        readiness_render.filename(report, file_format),
    )


# What the feature puts on shared pages (listed in views/__init__.py) -------------------------------------------


def dashboard_card(access: Access) -> DashboardCard | None:
    """Where the partnership stands and the top five next actions, each linked to where it is done."""
    if access.is_inspector:
        return None
    report = _report(access)
    overall = report.overall
    items = tuple(
        DashboardItem(f"{gap.criterion_id}: {gap.action}", gap.link)
        for gap in next_actions(report.gap_register, DASHBOARD_ACTIONS)
    )
    return DashboardCard(
        "Readiness",
        url_for("readiness.view_readiness", slug=access.partnership.slug),
        f"{overall.label}. Impact: {overall.impact_text.lower()}; preparation: {overall.preparation_text}. "
        f"{overall.caveat}.",
        items=items,
        items_heading="Next actions" if items else None,
        wide=True,
    )


def measures_panel(access: Access, framework, criterion) -> LivePanel | None:  # type: ignore[no-untyped-def]
    """The criterion's measures beside England for the same year, on its self-evaluation page.

    Inspectors see the figures only: the rating against the law or England is the readiness model's."""
    detail = _report(access).detail(criterion.id)
    if detail is None or not detail.measures:
        return None
    rows = []
    for m in detail.measures:
        local = f"{m.value_text} ({m.counts_text})" if m.counts_text else m.value_text
        rated = "" if access.is_inspector else f"; {m.rag_label} ({m.rated_against_text.lower()})"
        rows.append((m.title, f"{m.period_text}: {local}; England {m.england_text}{rated}"))
    href = url_for("readiness.view_criterion_readiness", slug=access.partnership.slug, criterion_id=criterion.id)
    return LivePanel(
        "Measures beside England",
        rows,
        href=href if access.role in READERS else None,
        note="Worked out today from the case records and DfE's published statistics, each compared for the same year.",
    )


def feedback_panel(access: Access, framework, criterion) -> LivePanel | None:  # type: ignore[no-untyped-def]
    """What families said about the criterion in the latest survey waves, practitioners apart, with quotes."""
    from inspect_app.services import feedback

    found = feedback.criterion_feedback(db.session, access.partnership.id, [criterion.id])[criterion.id]
    minimum = current_app.config["FEEDBACK_MIN_GROUP_SIZE"]
    rows = [
        ("Parents, carers, children and young people", _voice(found.responses, found.agree_pct, minimum)),
        ("Practitioners say", _voice(found.practitioner_responses, _agree(found.practitioner_stats), minimum)),
    ]
    rows += [(f"Quote ({q.survey_name}, {q.wave_label})", f"“{q.text}”") for q in found.quotes[:3]]
    return LivePanel(
        "What families say",
        rows,
        href=url_for("feedback.list_surveys", slug=access.partnership.slug),
        note=f"From the latest wave of each survey; agreement is not shown for fewer than {minimum} responses. "
        "Practitioners' answers never count as what families say.",
    )


def _agree(stats) -> float | None:  # type: ignore[no-untyped-def]
    return None if stats is None else stats.agree_pct


def _voice(responses: int, agree_pct: float | None, minimum: int) -> str:
    if not responses:
        return "No responses"
    text = f"{responses:,} {'response' if responses == 1 else 'responses'}"
    if responses < minimum or agree_pct is None:
        return f"{text}; too few to show agreement"
    return f"{text}; {number(agree_pct)}% agree"
