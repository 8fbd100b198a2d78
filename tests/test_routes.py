"""Removing or adding a URL is a decision: every route is listed in tests/route-list.json."""

from __future__ import annotations

import json
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent / "route-list.json"


def current_routes(app) -> list[str]:  # type: ignore[no-untyped-def]
    routes = []
    for rule in app.url_map.iter_rules():
        methods = sorted(m for m in rule.methods if m not in {"HEAD", "OPTIONS"})
        routes.append(f"{' '.join(methods)} {rule.rule} -> {rule.endpoint}")
    return sorted(routes)


def test_every_route_is_in_the_snapshot(app):
    expected = json.loads(SNAPSHOT.read_text())
    assert current_routes(app) == expected, (
        "Routes changed. If that is intended, regenerate tests/route-list.json with: "
        ".venv/bin/python -m tests.test_routes"
    )


if __name__ == "__main__":
    from inspect_app import create_app

    SNAPSHOT.write_text(json.dumps(current_routes(create_app()), indent=2) + "\n")
    print(f"wrote {SNAPSHOT}")
