"""The command-line contract in DESIGN.md: exit codes, stderr messages, JSON shapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from inspect_app.models import AuditEvent, Membership, Partnership, User


def run(app, *args, input=None):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_users_create_reads_the_password_from_stdin(app, session):
    result = run(
        app,
        "users",
        "create",
        "--email",
        "Ana@Example.org",
        "--name",
        "Ana",
        "--admin",
        input="a sufficiently long password\na sufficiently long password\n",
    )
    assert result.exit_code == 0, result.output
    user = session.scalars(select(User)).one()
    assert (user.email, user.is_admin) == ("ana@example.org", True)
    assert user.password_hash.startswith("$argon2id$")


def test_users_create_refuses_a_short_password_with_a_message_on_stderr(app, session):
    result = run(app, "users", "create", "--email", "a@example.org", "--name", "A", input="short\nshort\n")
    assert result.exit_code == 1
    assert "Password must be 12 characters or more" in result.stderr
    assert session.scalars(select(User)).all() == []


def test_partnerships_create_list_json_and_grant(app, session):
    assert (
        run(
            app, "partnerships", "create", "--slug", "north-shire", "--name", "North Shire", "--la-code", "805"
        ).exit_code
        == 0
    )
    result = run(app, "partnerships", "list", "--json")
    assert json.loads(result.output) == [{"slug": "north-shire", "name": "North Shire", "la_code": "805"}]
    run(
        app,
        "users",
        "create",
        "--email",
        "hmi@ofsted.example",
        "--name",
        "HMI",
        input="a sufficiently long password\na sufficiently long password\n",
    )
    result = run(
        app,
        "partnerships",
        "grant",
        "--slug",
        "north-shire",
        "--email",
        "hmi@ofsted.example",
        "--role",
        "inspector",
        "--until",
        "2099-01-31",
    )
    assert result.exit_code == 0, result.output
    membership = session.scalars(select(Membership)).one()
    assert (membership.role, membership.expires_on.isoformat()) == ("inspector", "2099-01-31")
    actions = set(session.scalars(select(AuditEvent.action)))
    assert {"partnership.created", "user.created", "member.added"} <= actions


def test_partnerships_create_refuses_a_bad_la_code(app, session):
    result = run(app, "partnerships", "create", "--slug", "x", "--name", "X", "--la-code", "85")
    assert result.exit_code == 1
    assert "3-digit" in result.stderr
    assert session.scalars(select(Partnership)).all() == []


def test_grant_to_an_unknown_partnership_fails(app, session):
    result = run(app, "partnerships", "grant", "--slug", "nowhere", "--email", "a@b.org", "--role", "viewer")
    assert result.exit_code == 1
    assert "No partnership 'nowhere'" in result.stderr


def test_demo_builds_once_and_if_empty_skips_afterwards(app, session):
    result = run(app, "demo", "--if-empty")
    assert result.exit_code == 0, result.output
    assert "Sign in as lead@demo.example" in result.output
    roles = {m.role for m in session.scalars(select(Membership))}
    assert roles == {"lead", "contributor", "viewer", "inspector"}
    result = run(app, "demo", "--if-empty")
    assert "demo data not added" in result.output
    assert len(session.scalars(select(Partnership)).all()) == 1


def test_console_script_lists_the_command_groups(tmp_path):
    script = Path(sys.executable).parent / "inspect-app"
    env = {**os.environ, "INSPECT_APP_INSTANCE": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, env=env, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    for command in ("db", "users", "partnerships", "demo"):
        assert f"  {command} " in result.stdout
