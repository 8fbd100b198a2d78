"""Whether the service can do its work: the health check load balancers and monitoring call."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def check_database(session: Session) -> None:
    """Run the cheapest possible query; raise if the database cannot answer."""
    session.execute(text("SELECT 1"))
