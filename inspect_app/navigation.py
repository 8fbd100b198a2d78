"""The partnership menu (each feature's entry is listed here), and the shared pages' plug-ins: dashboard cards,
criterion badges and live panels, which views/__init__.py lists and hands over through `init_app`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, url_for

from inspect_app.services.partnerships import Access


@dataclass(frozen=True)
class NavEntry:
    text: str
    endpoint: str
    roles: frozenset[str]
    also_active_on: tuple[str, ...] = ()


READERS = frozenset({"lead", "contributor", "viewer"})
LEADS = frozenset({"lead"})

EVERYONE = frozenset({"lead", "contributor", "viewer", "inspector"})

PARTNERSHIP_MENU: tuple[NavEntry, ...] = (
    NavEntry(
        "Readiness",
        "readiness.view_readiness",
        READERS,
        ("readiness.view_criterion_readiness", "readiness.view_gap_register", "readiness.view_readiness_method"),
    ),
    NavEntry(
        "Framework",
        "frameworks.view_framework",
        EVERYONE,
        ("frameworks.view_criterion", "frameworks.choose_framework_version", "frameworks.confirm_framework_move"),
    ),
    NavEntry(
        "Self-evaluation",
        "self_evaluation.view_self_evaluation",
        EVERYONE,
        (
            "self_evaluation.view_sef_entry",
            "self_evaluation.edit_sef_entry",
            "self_evaluation.view_sef_history",
            "self_evaluation.view_sef_document",
        ),
    ),
    NavEntry(
        "Evidence",
        "evidence.list_evidence",
        EVERYONE,
        (
            "evidence.create_evidence",
            "evidence.view_evidence",
            "evidence.edit_evidence",
            "evidence.edit_evidence_links",
            "evidence.upload_revision",
            "evidence.review_evidence",
            "evidence.delete_evidence",
            "evidence.view_evidence_digest",
            "evidence.import_evidence_register",
            "packs.view_evidence_pack", "packs.preview_evidence_pack",
        ),
    ),
    NavEntry(
        "Family feedback",
        "feedback.list_surveys",
        EVERYONE,
        tuple(
            f"feedback.{name}"
            for name in (
                "create_survey",
                "edit_survey",
                "view_survey",
                "upload_responses",
                "map_columns",
                "delete_wave",
                "list_comments",
                "edit_comment",
                "list_you_said_we_did",
                "create_you_said_we_did",
                "edit_you_said_we_did",
                "delete_you_said_we_did",
            )
        ),
    ),
    NavEntry(
        "Members",
        "partnerships.list_members",
        READERS,
        ("partnerships.add_member", "partnerships.change_member_role", "partnerships.remove_member"),
    ),
    NavEntry(
        "Inspection",
        "inspections.list_inspections",
        EVERYONE,
        (
            "inspections.create_inspection",
            "inspections.view_inspection",
            "inspections.edit_inspection",
            "inspections.grant_inspector_access",
            "inspections.view_inspector_activity",
        ),
    ),
    NavEntry(
        "Exports",
        "exports.list_export_schedules",
        READERS,
        (
            "exports.create_export_schedule",
            "exports.view_export_schedule",
            "exports.edit_export_schedule",
            "exports.disable_export_schedule",
        ),
    ),
    NavEntry("National statistics", "benchmarks.view_benchmarks", EVERYONE, ("benchmarks.view_benchmark_measure",)),
    NavEntry("Audit log", "partnerships.view_audit_log", LEADS),
    NavEntry(
        "Timeliness",
        "timeliness.view_dashboard",
        EVERYONE,
        (
            "timeliness.list_cases",
            "timeliness.view_case",
            "timeliness.view_data_quality",
            "timeliness.list_imports",
            "timeliness.new_import",
            "timeliness.view_import",
        ),
    ),
)


@dataclass(frozen=True)
class NavLink:
    text: str
    href: str
    endpoints: tuple[str, ...]


def partnership_nav(access: Access) -> list[NavLink]:
    """Return the menu links the member's role may open."""
    return [
        NavLink(
            entry.text, url_for(entry.endpoint, slug=access.partnership.slug), (entry.endpoint, *entry.also_active_on)
        )
        for entry in PARTNERSHIP_MENU
        if access.role in entry.roles
    ]


@dataclass(frozen=True)
class DashboardItem:
    """One line of a dashboard card's list, linked to where it is acted on when it has a link."""

    text: str
    href: str | None = None


@dataclass(frozen=True)
class DashboardCard:
    title: str
    href: str
    summary: str
    items: tuple[DashboardItem, ...] = ()  # an ordered list under the summary (e.g. the next actions)
    items_heading: str | None = None
    wide: bool = False  # the full width of the page, for a card with a list


CardProvider = Callable[[Access], "DashboardCard | None"]
SummaryProvider = Callable[[Access, Any], "dict[str, list[CriterionBadge]]"]
PanelProvider = Callable[[Access, Any, Any], "LivePanel | None"]


@dataclass(frozen=True)
class Plugins:
    """What features put on shared pages, in order: listed once in views/__init__.py and handed over here."""

    dashboard_cards: tuple[CardProvider, ...] = ()
    criterion_summaries: tuple[SummaryProvider, ...] = ()
    criterion_panels: tuple[PanelProvider, ...] = ()


_EXTENSION = "inspect_app.navigation"


def init_app(app: Flask, plugins: Plugins) -> None:
    """Give the app the features' dashboard cards, criterion badges and live panels."""
    app.extensions[_EXTENSION] = plugins


def _plugins() -> Plugins:
    return current_app.extensions.get(_EXTENSION, Plugins())


def dashboard_cards(access: Access) -> list[DashboardCard]:
    """Return the dashboard cards the member's role may see."""
    cards = [provider(access) for provider in _plugins().dashboard_cards]
    return [card for card in cards if card is not None]


def service_navigation(access: Access | None, endpoint: str | None, is_admin: bool) -> list[dict]:
    """Return the items of the GOV.UK service navigation for this page."""
    endpoint = endpoint or ""
    if access is None:
        items = [{"href": url_for("main.index"), "text": "Your partnerships", "active": endpoint == "main.index"}]
        if is_admin:
            items.append(
                {"href": url_for("admin.view_admin"), "text": "Administration", "active": endpoint.startswith("admin.")}
            )
        return items
    items = [
        {
            "href": url_for("partnerships.view_dashboard", slug=access.partnership.slug),
            "text": "Dashboard",
            "active": endpoint == "partnerships.view_dashboard",
        }
    ]
    items += [
        {"href": link.href, "text": link.text, "active": endpoint in link.endpoints} for link in partnership_nav(access)
    ]
    return items


@dataclass(frozen=True)
class CriterionBadge:
    """One fact about a criterion shown on the framework overview, e.g. "3 evidence items"."""

    text: str
    href: str | None = None


def criterion_summaries(access: Access, framework: Any) -> dict[str, list[CriterionBadge]]:
    """Return every feature's badges per criterion, for the framework overview's coverage column."""
    merged: dict[str, list[CriterionBadge]] = {}
    for provider in _plugins().criterion_summaries:
        for criterion_id, badges in provider(access, framework).items():
            merged.setdefault(criterion_id, []).extend(badges)
    return merged


@dataclass(frozen=True)
class LivePanel:
    """Figures pulled live into a criterion's self-evaluation page (measures, feedback, …), never typed."""

    title: str
    rows: list[tuple[str, str]]  # (label, value) pairs shown as a summary list
    href: str | None = None
    note: str | None = None


def criterion_live_panels(access: Access, framework: Any, criterion: Any) -> list[LivePanel]:
    """Return every feature's live panel for a criterion's self-evaluation page."""
    panels = [provider(access, framework, criterion) for provider in _plugins().criterion_panels]
    return [panel for panel in panels if panel is not None]


@dataclass(frozen=True)
class InspectorSection:
    """One stop on the inspector's read-only guide (templates/partnerships/inspector-home.html).

    `order` places it in the sequence the issue gives: 10 the framework's criteria, 20 the signed-off
    self-evaluation, 30 approved evidence, 40 timeliness data, 50 benchmarks, 60 family feedback summaries.
    """

    title: str
    endpoint: str
    description: str
    order: int = 100


# Features add the page they show inspectors here when it exists (one line); only existing pages are listed.
# A plain (title, endpoint, description) tuple is accepted too and placed after the numbered entries.
INSPECTOR_SECTIONS: list = [
    InspectorSection(
        "The inspection framework",
        "frameworks.view_framework",
        "The outcomes and evaluation criteria the partnership works against, with what inspectors look for "
        "under each criterion.",
        order=10,
    ),
    InspectorSection(
        "The signed-off self-evaluation",
        "self_evaluation.view_self_evaluation",
        "Each criterion's evaluation as the council and ICB leads signed it off (drafts are not shown).",
        order=20,
    ),
    InspectorSection(
        "Approved evidence",
        "evidence.list_evidence",
        "The evidence library: approved items only, with the criteria each supports. Downloads are recorded.",
        order=30,
    ),
    InspectorSection(
        "Evidence pack",
        "packs.view_evidence_pack",
        "Everything above in one ZIP file to read offline: an index by criterion, the signed-off self-evaluation, "
        "the approved evidence files, the figures and family-feedback summaries the partnership added, and a hashed "
        "manifest. Downloads are recorded.",
        order=35,
    ),
    InspectorSection(
        "Timeliness data",
        "timeliness.view_dashboard",
        "The statutory clocks worked out from the partnership's case records: 6-week decisions, 20-week plans and "
        "annual reviews by year and month, with the cases behind them (no names or dates of birth are held).",
        order=40,
    ),
    InspectorSection(
        "National statistics",
        "benchmarks.view_benchmarks",
        "DfE's published figures for this area beside England, the region and its statistical neighbours.",
        order=50,
    ),
    InspectorSection(
        "Family feedback",
        "feedback.list_surveys",
        "Survey summaries (groups of fewer than 5 are suppressed), quotes chosen by the partnership, and what "
        "was done in response.",
        order=60,
    ),
]


@dataclass(frozen=True)
class InspectorLink:
    title: str
    href: str
    description: str


def inspector_sections(access: Access) -> list[InspectorLink]:
    """Return the inspector's guide in order, leaving out any page the app does not have."""
    sections = [s if isinstance(s, InspectorSection) else InspectorSection(*s) for s in INSPECTOR_SECTIONS]
    ordered = sorted(enumerate(sections), key=lambda pair: (pair[1].order, pair[0]))
    return [
        InspectorLink(s.title, url_for(s.endpoint, slug=access.partnership.slug), s.description)
        for _, s in ordered
        if s.endpoint in current_app.view_functions
    ]
