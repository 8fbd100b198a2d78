from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from inspect_app.config import TestingConfig

ROOT = Path(__file__).resolve().parent.parent


def test_create_app_registers_every_blueprint_and_extension(app):
    assert {"main", "auth", "admin", "partnerships"} <= set(app.blueprints)
    assert {"sqlalchemy", "migrate", "csrf"} <= set(app.extensions)
    assert app.login_manager.login_view == "auth.sign_in"


def test_create_app_reads_database_url_from_config_not_defaults(app):
    assert app.config["SQLALCHEMY_DATABASE_URI"] == TestingConfig().SQLALCHEMY_DATABASE_URI
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_config_sets_secure_cookies_and_requires_a_secret(monkeypatch, tmp_path):
    from inspect_app.config import ProductionConfig

    monkeypatch.setenv("INSPECT_APP_INSTANCE", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    try:
        ProductionConfig()
    except RuntimeError as error:
        assert "SECRET_KEY" in str(error)
    else:
        raise AssertionError("production config accepted a missing SECRET_KEY")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    assert ProductionConfig().SESSION_COOKIE_SECURE is True


def test_postgres_urls_are_given_the_psycopg_driver(monkeypatch, tmp_path):
    monkeypatch.setenv("INSPECT_APP_INSTANCE", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1:5432/db")
    assert TestingConfig().SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u@127.0.0.1:5432/db"


def test_templates_are_found_when_run_from_another_directory(tmp_path):
    script = (
        "from inspect_app import create_app\n"
        "app = create_app({'TESTING': True})\n"
        "with app.test_request_context('/'):\n"
        "    from flask import render_template\n"
        "    html = render_template('main/accessibility.html')\n"
        "print('govuk-template' in html and 'Accessibility statement' in html)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "INSPECT_APP_INSTANCE": str(tmp_path), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("True")


def test_health_route_answers_ok_with_a_database_round_trip(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_a_readiness_setting_that_makes_no_sense_stops_the_app_at_start_up():
    import pytest

    from inspect_app import create_app
    from inspect_app.config import TestingConfig
    from inspect_app.domain.errors import ValidationFailed

    config = TestingConfig()
    config.READINESS = {"stale_after_monthz": 3, "weights": {"measures": -1}}
    with pytest.raises(ValidationFailed) as raised:
        create_app(config)
    assert "Unknown readiness setting: stale_after_monthz" in raised.value.messages
