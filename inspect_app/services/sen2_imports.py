"""Importing a SEN2 return: read it (importers/sen2.py), tie it to the cases already stored, store all or nothing.

A return holds cases and reviews together; both are stored in the caller's transaction (services/case_store.py),
so a problem anywhere leaves nothing stored. Around the reader, this service:

- keeps the partnership's pseudonym key (`PseudonymKey`), made on its first SEN2 import: the HMAC secret that
  turns a person's identifiers into case references, so that next year's return gives the same references and
  updates the same cases. It never leaves the database.
- ties historical records (SEN2 H: a plan whose request is older than the return, with no received date) to the
  case stored from an earlier return: the same request (its reference), else the same person's plan with the same
  start date, else the person's only stored request still being assessed (an inference). That case keeps what the
  earlier return said about the request (its dates, its clocks, its cohorts) and takes what this return says about
  the plan now (its cease date, phase transfer, setting and need), and the plan's review is stored under its
  reference. A historical record with nothing to tie to is stored as a case of its own.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session

from inspect_app.domain.cases import Case, Review, merge_historical
from inspect_app.importers.common import FileRejected
from inspect_app.importers.sen2 import DEFAULT_MAX_BYTES, Sen2ImportResult, read_sen2
from inspect_app.models import CaseRecord, Partnership, PseudonymKey
from inspect_app.services import case_store
from inspect_app.services.tenancy import scoped

Progress = Callable[[str, int, int], None]
Source = Path | bytes | IO[bytes]


@dataclass
class Sen2Stored:
    """What a SEN2 import read and stored (or, in a dry run, would store)."""

    result: Sen2ImportResult
    cases: case_store.StoreResult | None = None
    reviews: case_store.StoreResult | None = None
    tied: int = 0  # historical records tied to a case stored from an earlier return
    message: str | None = None  # the whole file was refused


def pseudonym_secret(session: Session, partnership_id: int, *, when: datetime) -> bytes:
    """Return the partnership's pseudonym key, making it on first use (flushes)."""
    query = scoped(PseudonymKey, partnership_id)
    key = session.scalars(query).first()
    if key is None:
        key = PseudonymKey(partnership_id=partnership_id, secret=secrets.token_hex(32), created_at=when)
        session.add(key)
        session.flush()
    return bytes.fromhex(key.secret)


def import_sen2(
    session: Session,
    partnership: Partnership,
    source: Source,
    *,
    today: date,
    when: datetime,
    import_id: int | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Sen2Stored:
    """Read a SEN2 return for the partnership and, unless a dry run or anything is wrong, store it (flushes)."""
    secret = pseudonym_secret(session, partnership.id, when=when)
    try:
        result = read_sen2(source, today=today, secret=secret, la_code=partnership.la_code, max_bytes=max_bytes)
    except FileRejected as refused:
        return Sen2Stored(Sen2ImportResult(), message=" ".join(refused.messages))
    stored = Sen2Stored(result)
    if not result.ok:
        return stored
    cases, reviews, stored.tied = tie_historical(session, partnership.id, result)
    count = len(cases) + len(reviews)

    def report(done: int, _total: int, offset: int = 0) -> None:
        if progress is not None:
            progress("saving", offset + done, count)

    stored.cases = case_store.store(
        session,
        partnership.id,
        case_store.CASES,
        cases,
        import_id=import_id,
        when=when,
        dry_run=dry_run,
        progress=report,
    )
    stored.reviews = case_store.store(
        session,
        partnership.id,
        case_store.REVIEWS,
        reviews,
        import_id=import_id,
        when=when,
        dry_run=dry_run,
        progress=lambda done, total: report(done, total, len(cases)),
    )
    return stored


def tie_historical(
    session: Session, partnership_id: int, result: Sen2ImportResult
) -> tuple[list[Case], list[Review], int]:
    """Tie the return's H records to the cases stored from earlier returns; return the records to store and how
    many were tied.

    A record is tied to the stored case with its own reference (the request's received date is in both returns)
    or, when the return gives no received date, to the stored case of the same person with the same plan start,
    else to the person's only stored request that was still under assessment (an inference: DfE does not say
    which request an H record continues).
    """
    cases, reviews = result.rows, result.reviews
    if not result.historical:
        return cases, reviews, 0
    wanted = _targets(session, partnership_id, result)
    if not wanted:
        return cases, reviews, 0
    earlier = _stored_cases(session, partnership_id, set(wanted.values()))
    renamed: dict[str, str] = {}
    tied = list(cases)
    for position, ref in wanted.items():
        incoming = cases[position]
        tied[position] = merge_historical(earlier[ref], incoming)
        if incoming.case_ref != ref:
            renamed[incoming.case_ref] = ref
    kept = [review if review.case_ref not in renamed else _renamed(review, renamed) for review in reviews]
    return tied, kept, len(wanted)


@dataclass
class _StoredPeople:
    """What the partnership holds of its SEN2 people: their references, plans and requests under assessment."""

    refs: set[str]
    by_plan: dict[tuple[str, date], str]
    pending: dict[str, list[str]]  # person -> stored requests assessed but with no outcome or plan yet

    @classmethod
    def load(cls, session: Session, partnership_id: int) -> _StoredPeople:
        table = CaseRecord.__table__
        # Every stored case of a SEN2 person: one scan, not an IN list of thousands of pseudonyms.
        query = (
            scoped(CaseRecord, partnership_id)
            .with_only_columns(
                table.c.case_ref,
                table.c.person_ref,
                table.c.final_plan_date,
                table.c.decision,
                table.c.assessment_outcome,
            )
            .where(table.c.person_ref.is_not(None))
        )
        people = cls(set(), {}, {})
        for ref, person, start, decision, outcome in session.execute(query):
            people.refs.add(ref)
            if start is not None:
                people.by_plan.setdefault((person, start), ref)
            elif decision == "assess" and outcome is None:
                people.pending.setdefault(person, []).append(ref)
        return people

    def match(self, case: Case) -> str | None:
        """The stored case an H record continues, if one can be found."""
        if case.case_ref in self.refs:
            return case.case_ref
        if case.person_ref is None or case.final_plan_date is None:
            return None
        found = self.by_plan.get((case.person_ref, case.final_plan_date))
        if found is None and len(self.pending.get(case.person_ref, ())) == 1:
            found = self.pending[case.person_ref][0]  # [P] the person's only request still under assessment
        return found


def _targets(session: Session, partnership_id: int, result: Sen2ImportResult) -> dict[int, str]:
    """Position of each H record in the return -> the reference of the stored case it continues."""
    people = _StoredPeople.load(session, partnership_id)
    in_file = {case.case_ref for case in result.rows}
    wanted: dict[int, str] = {}
    taken: set[str] = set()
    for position in result.historical:
        case = result.rows[position]
        found = people.match(case)
        # Never two records for one stored case: the file's own request of that reference wins.
        if found is None or found in taken or (found != case.case_ref and found in in_file):
            continue
        wanted[position] = found
        taken.add(found)
    return wanted


def _stored_cases(session: Session, partnership_id: int, refs: set[str]) -> dict[str, Case]:
    names = [field.name for field in fields(Case)]
    table = CaseRecord.__table__
    query = scoped(CaseRecord, partnership_id).with_only_columns(*(table.c[name] for name in names))
    wanted = sorted(refs)
    found: dict[str, Case] = {}
    for start in range(0, len(wanted), 500):  # IN lists of a bounded length on every database
        rows = session.execute(query.where(table.c.case_ref.in_(wanted[start : start + 500])))
        found.update((row[0], Case(*row)) for row in rows)
    return found


def _renamed(review: Review, renamed: dict[str, str]) -> Review:
    return replace(review, case_ref=renamed[review.case_ref])
