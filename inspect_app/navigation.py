"""The partnership menu. Each feature adds its entry here; the menu shows only what the role may open."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

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

PARTNERSHIP_MENU: list[NavEntry] = [
    NavEntry("Framework", "frameworks.view_framework", EVERYONE,
             ("frameworks.view_criterion", "frameworks.choose_framework_version", "frameworks.confirm_framework_move")),
    NavEntry(
        "Family feedback",
        "feedback.list_surveys",
        EVERYONE,
        tuple(
            f"feedback.{name}"
            for name in (
                "create_survey", "edit_survey", "view_survey", "upload_responses", "map_columns", "delete_wave",
                "list_comments", "edit_comment", "list_you_said_we_did", "create_you_said_we_did",
                "edit_you_said_we_did", "delete_you_said_we_did",
            )
        ),
    ),
    NavEntry(
        "Members",
        "partnerships.list_members",
        READERS,
        ("partnerships.add_member", "partnerships.change_member_role", "partnerships.remove_member"),
    ),
    NavEntry("Audit log", "partnerships.view_audit_log", LEADS),
]


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
class DashboardCard:
    title: str
    href: str
    summary: str


# Features register a function (access -> DashboardCard | None) to add their card to the dashboard.
DASHBOARD_CARD_PROVIDERS: list = []


def dashboard_cards(access: Access) -> list[DashboardCard]:
    """Return the dashboard cards the member's role may see."""
    cards = [provider(access) for provider in DASHBOARD_CARD_PROVIDERS]
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


# Features register a function (access, framework) -> {criterion id: [CriterionBadge, ...]} to fill the
# framework overview's coverage column.
CRITERION_SUMMARY_PROVIDERS: list = []


def criterion_summaries(access: Access, framework) -> dict[str, list[CriterionBadge]]:  # type: ignore[no-untyped-def]
    """Return every registered feature's badges per criterion."""
    merged: dict[str, list[CriterionBadge]] = {}
    for provider in CRITERION_SUMMARY_PROVIDERS:
        for criterion_id, badges in provider(access, framework).items():
            merged.setdefault(criterion_id, []).extend(badges)
    return merged
