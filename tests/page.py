"""Checks every HTML page a test fetches (after notifications-admin's client_request).

On every HTML response: it parses as HTML5; exactly one <h1>; the <title> starts with the h1's words and ends
with "– <service name>"; no duplicate ids; every form has an action and novalidate; every POST form carries a
CSRF token; every <a> and <p> has a class (GOV.UK styling); every sideways-scrolling table wrapper is a labelled
region that takes keyboard focus (axe: scrollable-region-focusable on a narrow screen).
Use `pages.get(url)` / `pages.post(url, data)`.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup


def check_html_page(html: str, service_name: str = "Inspect") -> BeautifulSoup:
    """Parse a page and assert the house rules; return the soup."""
    soup = BeautifulSoup(html, "html5lib")
    h1s = soup.find_all("h1")
    assert len(h1s) == 1, f"expected one h1, found {len(h1s)}"
    title = " ".join(soup.title.get_text().split())
    h1 = " ".join(h1s[0].get_text().split())
    assert title.endswith(f"– {service_name}"), title
    assert title.removeprefix("Error: ").startswith(h1), f"title {title!r} does not start with h1 {h1!r}"
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for form in soup.find_all("form"):
        assert form.get("action"), "form without action"
        assert form.has_attr("novalidate"), "form without novalidate"
        if form.get("method", "get").lower() == "post":
            assert form.find("input", attrs={"name": "csrf_token"}), "POST form without csrf_token"
    for tag in soup.find_all(["a", "p"]):
        if tag.find_parent(class_="govuk-error-summary"):
            continue  # the GOV.UK macro's own markup
        assert tag.get("class"), f"unclassed <{tag.name}>: {str(tag)[:80]}"
    for wrapper in soup.select(".app-table-wrapper"):
        assert wrapper.get("role") == "region" and wrapper.get("aria-label") and wrapper.get("tabindex") == "0", (
            f"table wrapper without role, label and tabindex: {str(wrapper)[:120]}"
        )
    return soup


class PageClient:
    def __init__(self, client, service_name: str) -> None:  # type: ignore[no-untyped-def]
        self.client = client
        self.service_name = service_name

    def _check(self, response, expected_status: int) -> BeautifulSoup:  # type: ignore[no-untyped-def]
        assert response.status_code == expected_status, (
            f"expected {expected_status}, got {response.status_code}: {response.get_data(as_text=True)[:500]}"
        )
        assert response.mimetype == "text/html"
        return check_html_page(response.get_data(as_text=True), self.service_name)

    def get(self, url: str, expected_status: int = 200) -> BeautifulSoup:
        return self._check(self.client.get(url), expected_status)

    def post(self, url: str, data: dict | None = None, expected_status: int = 200, **kwargs) -> BeautifulSoup:  # type: ignore[no-untyped-def]
        return self._check(self.client.post(url, data=data or {}, **kwargs), expected_status)


@pytest.fixture
def pages(client, app) -> PageClient:  # type: ignore[no-untyped-def]
    return PageClient(client, app.config["SERVICE_NAME"])


def text_of(soup: BeautifulSoup) -> str:
    """Return the visible text of a page, whitespace collapsed."""
    return re.sub(r"\s+", " ", soup.get_text(" ")).strip()
