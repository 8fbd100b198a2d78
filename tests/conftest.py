"""Shared fixtures.

The database is real: a SQLite file in a temporary instance folder by default, or the PostgreSQL server named
by DATABASE_URL (CI runs the whole suite once on each). The schema is built from the migrations once per
session; every test that uses the app starts from empty tables.

Pure tests (domain/, importers/) never touch these fixtures and so never start the app.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Configure before the app is imported anywhere: a private instance folder, test settings.
_INSTANCE = Path(tempfile.mkdtemp(prefix="inspect-app-test-"))
os.environ["INSPECT_APP_INSTANCE"] = str(_INSTANCE)
os.environ["INSPECT_APP_ENV"] = "test"
os.environ.pop("INSPECT_APP_FIXED_NOW", None)

from tests.page import pages  # noqa: E402,F401  (fixture)


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql"))


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Skip `postgres_only` tests on SQLite, saying why."""
    if on_postgresql():
        return
    for item in items:
        marker = item.get_closest_marker("postgres_only")
        if marker is not None:
            why = marker.kwargs.get("why", "PostgreSQL behaviour")
            item.add_marker(pytest.mark.skip(reason=f"needs PostgreSQL ({why}): set DATABASE_URL=postgresql+psycopg://…"))


def _reset_database(app) -> None:  # type: ignore[no-untyped-def]
    """Drop everything in the test database so the migrations build it from empty."""
    from sqlalchemy import MetaData, text

    from inspect_app.extensions import db

    engine = db.engine
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            metadata = MetaData()
            metadata.reflect(connection)
            metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(scope="session")
def app():  # type: ignore[no-untyped-def]
    """The app, with the schema built by running every migration against an empty database."""
    from flask_migrate import upgrade

    from inspect_app import create_app
    from inspect_app.config import TestingConfig

    app = create_app(TestingConfig())
    app.config.update(WTF_CSRF_ENABLED=False, SERVER_NAME="localhost")
    with app.app_context():
        _reset_database(app)
        upgrade()
    yield app
    from inspect_app.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request):  # type: ignore[no-untyped-def]
    """Give each app test empty tables (after it runs, so a failure leaves its data for inspection)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    from sqlalchemy import text

    from inspect_app.extensions import db
    from inspect_app.models import Base

    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if db.engine.dialect.name == "postgresql":
                connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    connection.execute(text(f"DELETE FROM {table}"))
    app.config["FIXED_NOW"] = None
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def session(app) -> Iterator:  # type: ignore[no-untyped-def]
    """The app's SQLAlchemy session inside an app context."""
    from inspect_app.extensions import db

    with app.app_context():
        yield db.session


@pytest.fixture
def two_partnerships(session):  # type: ignore[no-untyped-def]
    """Partnerships A and B with a member in every role each, plus a site admin who belongs to neither."""
    from tests.factories import create_world

    return create_world(session)


@pytest.fixture
def sign_in(client):  # type: ignore[no-untyped-def]
    """Return a function that signs the test client in as a user (without the password round trip)."""

    def _sign_in(user) -> None:  # type: ignore[no-untyped-def]
        from flask import g

        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = str(user.id)
            flask_session["_fresh"] = True
        # The test's app context outlives each request, so forget the previously loaded user.
        g.pop("_login_user", None)

    return _sign_in
