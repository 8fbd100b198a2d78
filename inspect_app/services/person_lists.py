"""Check a local area's person-level lists before they go to inspectors, keeping nothing personal.

The uploaded bytes are read in memory (never written to the evidence store, a table or a log), checked against
the template (domain/person_lists.py) and compared with the partnership's own case data. Only the validation
summary is stored — counts, rule codes, columns and row numbers — with the file's name, size and SHA-256, and
the audit log records who checked what and when. The checked rows stay in the returned `ListCheckOutcome`, in
memory, for the caller to write the clean file in the same request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.person_lists import (
    CaseCounts,
    CheckResult,
    CrossCheckLine,
    TemplateSpec,
    check_lists,
    cross_check,
    load_template,
    window_start,
)
from inspect_app.importers.common import FileRejected
from inspect_app.importers.person_lists import read_list_files
from inspect_app.models import CaseRecord, Partnership, PersonListCheck
from inspect_app.services import audit
from inspect_app.services.tenancy import get_scoped, scoped


@dataclass
class ListCheckOutcome:
    result: CheckResult  # holds the checked rows: keep it in memory only
    cross_check: tuple[CrossCheckLine, ...]
    record: PersonListCheck | None


def case_counts(session: Session, partnership_id: int, as_of: date) -> CaseCounts:
    """What the partnership's case data says about plans and requests, up to `as_of`."""
    start = window_start(as_of)
    issued = case(
        (
            CaseRecord.assessment_outcome == "plan",
            func.coalesce(CaseRecord.assessment_outcome_date, CaseRecord.final_plan_date),
        ),
        else_=CaseRecord.final_plan_date,
    )
    has_plan = and_(issued.is_not(None), issued <= as_of)
    in_window = and_(CaseRecord.request_date >= start, CaseRecord.request_date <= as_of)
    row = session.execute(
        select(
            func.count(),
            func.min(CaseRecord.request_date),
            func.count().filter(has_plan),
            func.count().filter(and_(has_plan, issued >= start)),
            func.count().filter(in_window),
            func.count().filter(and_(in_window, has_plan)),
        ).where(CaseRecord.partnership_id == partnership_id)
    ).one()
    return CaseCounts(
        as_of=as_of,
        window_start=start,
        cases=row[0],
        earliest_request=row[1],
        plans_issued=row[2],
        plans_issued_in_window=row[3],
        requests_in_window=row[4],
        requests_in_window_with_plan=row[5],
    )


def run_check(
    session: Session,
    actor: audit.Actor,
    files: Sequence[tuple[str, bytes]],
    *,
    partnership: Partnership | None,
    as_of: date,
    when: datetime,
    template: TemplateSpec | None = None,
) -> ListCheckOutcome:
    """Check the lists; store the summary (for a partnership) and audit the check. The lists are not stored."""
    if not files:
        raise ValidationFailed("Select the file with the lists")
    template = template or load_template()
    try:
        sheets = read_list_files(files, template)
    except FileRejected as error:
        raise ValidationFailed(error.messages) from error
    result = check_lists(sheets, as_of=as_of, template=template)
    lines: tuple[CrossCheckLine, ...] = ()
    if partnership is not None:
        lines = cross_check(result, case_counts(session, partnership.id, as_of))
    summary = result.summary()
    file_facts = [
        {"name": name[:255], "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()} for name, data in files
    ]
    record = None
    if partnership is not None:
        record = PersonListCheck(
            partnership_id=partnership.id,
            checked_at=when,
            user_id=actor.user.id if actor.user else None,
            checked_by=actor.label,
            files=file_facts,
            template=template.id,
            as_of=as_of,
            lists=summary["lists"],
            error_count=summary["errors"],
            query_count=summary["queries"],
            rules=summary["rules"],
            cross_check=[
                {"key": line.key, "label": line.label, "list_count": line.list_count, "case_count": line.case_count}
                for line in lines
            ],
        )
        session.add(record)
        session.flush()
    audit.record(
        session,
        actor,
        "person_lists.checked",
        when=when,
        partnership_id=partnership.id if partnership else None,
        object_type="person_list_check" if record else None,
        object_id=record.id if record else None,
        details={
            "files": file_facts,
            "template": template.id,
            "lists": summary["lists"],
            "errors": summary["errors"],
            "queries": summary["queries"],
        },
    )
    return ListCheckOutcome(result=result, cross_check=lines, record=record)


def list_checks(session: Session, partnership_id: int, *, limit: int = 20) -> list[PersonListCheck]:
    """The partnership's latest checks, newest first."""
    query = scoped(PersonListCheck, partnership_id).order_by(
        PersonListCheck.checked_at.desc(), PersonListCheck.id.desc()
    )
    return list(session.scalars(query.limit(limit)))


def get_check(session: Session, partnership_id: int, check_id: int) -> PersonListCheck:
    return get_scoped(session, PersonListCheck, partnership_id, check_id)


def record_download(
    session: Session, actor: audit.Actor, partnership: Partnership, *, file_format: str, when: datetime
) -> None:
    """Audit that the clean lists were written for download (the file itself is never kept)."""
    audit.record(
        session,
        actor,
        "person_lists.clean_file_written",
        when=when,
        partnership_id=partnership.id,
        details={"format": file_format},
    )
