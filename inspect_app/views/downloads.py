"""Files handed to the browser: one way to build an attachment, and one record of a report being downloaded.

Every download is an attachment with its file name in Content-Disposition; that header is also what
`views/access.py` reads to log inspectors' downloads, and what `security.py` reads to keep files out of caches.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Response

from inspect_app import clock
from inspect_app.extensions import db
from inspect_app.services import audit
from inspect_app.services.partnerships import Access
from inspect_app.views.access import actor


def attachment(body: bytes | str | Iterable[bytes], mimetype: str, filename: str) -> Response:
    """A response the browser saves as `filename` (names here are ASCII: slugs, ids, dates and extensions).

    `body` may be an iterable of chunks, for a file generated while it downloads."""
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def report_download(
    access: Access, report: str, file_format: str, body: bytes, mimetype: str, filename: str, **details: Any
) -> Response:
    """Record that a member downloaded a report (audit `report.downloaded`, committed) and return the file."""
    audit.record(
        db.session,
        actor(),
        "report.downloaded",
        partnership_id=access.partnership.id,
        object_type="report",
        object_id=report,
        details={"format": file_format, "bytes": len(body), **details},
        when=clock.now(),
    )
    db.session.commit()
    return attachment(body, mimetype, filename)
