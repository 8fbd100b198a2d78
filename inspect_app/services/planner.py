"""Keep PostgreSQL's planner statistics current after a bulk write.

An import can add hundreds of thousands of rows in one transaction. Until the table is analysed, PostgreSQL
plans from the statistics it had before (an empty table, say) and may choose a nested loop over every row:
measured on 155,000 survey answers, the readiness report's feedback queries took 0.69 s instead of 0.16 s
(bench/RESULTS.md). Autovacuum analyses eventually, if it is on and after its own delay; the import knows
now. ANALYZE samples at most 30,000 rows per table (about 0.1 s at 200,000 cases) and counts the transaction's
own new rows. If the import then rolls back, its column statistics roll back with it, but PostgreSQL keeps the
table's row estimate (written in place) until the next ANALYZE: a planning hint, never a result.

SQLite plans without statistics unless ANALYZE was ever run, so nothing is done there.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def refresh_statistics(session: Session, *tables: str) -> None:
    """ANALYZE the tables on PostgreSQL, inside the session's transaction."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql" or not tables:
        return
    quote = bind.dialect.identifier_preparer.quote
    session.execute(text(f"ANALYZE {', '.join(quote(table) for table in tables)}"))
