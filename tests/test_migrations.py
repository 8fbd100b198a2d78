"""Migrations are the only source of the schema: numbered, complete, and reversible on this database."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from inspect_app import create_app
from inspect_app.config import TestingConfig
from inspect_app.models import Base

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


def test_migration_files_are_numbered_and_named_after_their_revision():
    files = sorted(p for p in VERSIONS.glob("*.py"))
    assert files, "no migrations"
    for number, path in enumerate(files, start=1):
        assert re.fullmatch(r"\d{4}_[a-z0-9_]+\.py", path.name), path.name
        assert path.name.startswith(f"{number:04d}_"), f"{path.name} breaks the numbering"
        source = path.read_text()
        assert f"revision = '{number:04d}'" in source or f'revision = "{number:04d}"' in source
        previous = "None" if number == 1 else f"'{number - 1:04d}'"
        assert (
            f"down_revision = {previous}" in source or f"down_revision = {previous.replace(chr(39), chr(34))}" in source
        ), path.name


def test_models_and_migrations_describe_the_same_schema(app):
    from inspect_app.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


@pytest.fixture
def empty_database_url(tmp_path):
    """A database of its own: a new SQLite file, or a new PostgreSQL database on the CI server."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    name = f"migrations_{uuid.uuid4().hex[:10]}"
    server = create_engine(TestingConfig().SQLALCHEMY_DATABASE_URI, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    base = server.url.set(database=name)
    yield base.render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def test_migrations_upgrade_from_empty_and_downgrade_back_to_empty(empty_database_url):
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = empty_database_url
    app = create_app(config)
    from inspect_app.extensions import db

    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {t.name for t in Base.metadata.sorted_tables} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert {t.name for t in Base.metadata.sorted_tables} <= set(inspect(db.engine).get_table_names())
        db.session.remove()
        db.engine.dispose()
