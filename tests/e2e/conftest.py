"""Browser tests: Playwright drives Debian's Chromium against a live server on 127.0.0.1.

The server is a second app instance (CSRF on, as in production) in a thread, sharing the test database.
Every page a test reaches is scanned with axe-core (the npm build in static/vendor) for WCAG 2.2 A and AA.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):  # type: ignore[no-untyped-def]
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def running_server(app) -> Iterator[tuple[str, object]]:  # type: ignore[no-untyped-def]
    """The live server's address and its app: a second instance sharing the test database.

    Not called `live_server`: pytest-flask owns that name.
    """
    from inspect_app import create_app
    from inspect_app.config import TestingConfig

    server_app = create_app(TestingConfig())
    server_app.config.update(WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, server_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", server_app
    server.shutdown()
    thread.join(timeout=10)
    from inspect_app.extensions import db

    with server_app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server_url(running_server) -> str:  # type: ignore[no-untyped-def]
    return running_server[0]


@pytest.fixture
def live_server_config(running_server) -> Iterator[dict]:  # type: ignore[no-untyped-def]
    """The live server app's config, put back after the test: set FIXED_NOW to move the server's clock."""
    config = running_server[1].config
    saved = dict(config)
    yield config
    config.clear()
    config.update(saved)


@pytest.fixture
def axe_scan():  # type: ignore[no-untyped-def]
    """Return a function that scans the current page and fails on any WCAG 2.2 A/AA violation."""
    assert AXE.exists(), "run `make assets` to install axe-core"
    scanned: list[str] = []

    def scan(page) -> None:  # type: ignore[no-untyped-def]
        # Loaded from our own origin: the Content-Security-Policy (rightly) blocks injected inline scripts.
        origin = "/".join(page.url.split("/")[:3])
        page.add_script_tag(url=f"{origin}/static/vendor/axe.min.js")
        violations = page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
            WCAG_TAGS,
        )
        described = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {[n['target'] for n in v['nodes']][:3]})"
            for v in violations
        ]
        assert not described, f"axe violations on {page.url}: {described}"
        scanned.append(page.url)

    scan.pages = scanned  # type: ignore[attr-defined]
    return scan
