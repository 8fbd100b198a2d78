"""inspect_app: area SEND inspection readiness for local area partnerships."""

from __future__ import annotations

from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from inspect_app.config import PROJECT_ROOT, Config, config_from_environment


def create_app(config: Config | dict[str, Any] | None = None) -> Flask:
    """Create and configure the app: wiring only, every decision lives in the register_* steps."""
    base = config if isinstance(config, Config) else config_from_environment()
    app = Flask(
        __name__,
        instance_path=str(base.INSTANCE_PATH),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        static_url_path="/static",
    )
    app.config.from_object(base)
    if isinstance(config, dict):
        app.config.update(config)
    check_settings(app)

    configure_jinja(app)
    register_extensions(app)
    register_blueprints(app)
    register_security(app)
    register_error_handlers(app)
    register_commands(app)
    configure_services(app)
    return app


def check_settings(app: Flask) -> None:
    """Fail at start-up, listing every problem, on readiness thresholds or weights that make no sense."""
    from inspect_app.services.readiness import ReadinessSettings

    ReadinessSettings.from_app_config(app.config)


def configure_jinja(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from inspect_app import filters
    from inspect_app.navigation import dashboard_cards, partnership_nav, service_navigation

    # Templates sit at the project root, outside the package; the GOV.UK macros come from their packages.
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(PROJECT_ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)
    filters.register(app)
    app.jinja_env.globals["partnership_nav"] = partnership_nav
    app.jinja_env.globals["dashboard_cards"] = dashboard_cards
    app.jinja_env.globals["service_navigation"] = service_navigation


def register_extensions(app: Flask) -> None:
    from inspect_app import models  # noqa: F401  (every model registered on the metadata)
    from inspect_app.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see that page"
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):  # type: ignore[no-untyped-def]
        from inspect_app.models import User

        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.is_active_account else None


def register_blueprints(app: Flask) -> None:
    from inspect_app import views

    views.init_app(app)


def register_security(app: Flask) -> None:
    from inspect_app.security import init_security

    init_security(app)


def register_error_handlers(app: Flask) -> None:
    from inspect_app.errors import init_error_handlers

    init_error_handlers(app)


def configure_services(app: Flask) -> None:
    """Hand services the process-wide settings they keep (services never read the app's configuration)."""
    from inspect_app.services import timeliness

    timeliness.configure_cache(app.config["TIMELINESS_CACHE_SIZE"])


def register_commands(app: Flask) -> None:
    from inspect_app.cli import COMMAND_GROUPS

    for command in COMMAND_GROUPS:
        app.cli.add_command(command)
