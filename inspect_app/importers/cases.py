"""Read case files (one row per request for an EHC needs assessment) and annual review files into plain records.

Files are CSV (UTF-8 with or without a byte-order mark, or Windows-1252 as Excel saves it) or XLSX, told apart
by their content. Column names are matched ignoring case, spaces and punctuation, under the names in
DESIGN.md ("Case file columns") or the aliases below, which include the field names of DfE's SEN2
person-level Blade export (reference/data-formats.md §7). Dates are read by `importers/dates.py`.

Every problem in every row is reported (row numbers as a spreadsheet shows them: the header is row 1) with
the column named as in the file; `rows` holds the records of the rows without problems, and callers store
nothing unless `result.ok` (imports are all-or-nothing). Personal data columns are dropped unread
(`importers/personal_data.py`) and named in `dropped_columns`; a date of birth is used only to derive
`age_at_request` and is never shown back, not even in an error. Other unknown columns are ignored and
named in `notes`.

Validation is done column by column with pandas/numpy, each distinct value of a column converted once, so a
file of 200,000 cases is read in a small multiple of the time `pandas.read_csv` takes (bench/RESULTS.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from inspect_app.domain.cases import (
    ASSESSMENT_OUTCOMES,
    CEASE_REASONS,
    DECISIONS,
    DISPUTE_FIELDS,
    HISTORICAL,
    PRIMARY_NEEDS,
    REQUEST_TYPES,
    REVIEW_OUTCOMES,
    Case,
    Review,
)
from inspect_app.importers.case_table import DATE_OF_BIRTH, Problems, Source, Table, cell_text, convert_cells, shown
from inspect_app.importers.common import FIRST_DATA_ROW, ImportResult
from inspect_app.importers.dates import ENTER_DAY_FIRST, DateColumn, parse_distinct_dates, whole_years_between
from inspect_app.importers.records import records_of

# Other names accepted for each column, written as people write them; they are compared after
# `normalise_header`, so "Case Reference", "case_reference" and "CASE-REFERENCE" are the same name.
# The SEN2 names are DfE's Blade export field names. `persontableid` is not a case reference: one person
# can make several requests, and a case is one request.
_CASE_REF_ALIASES = (
    "case reference",
    "case id",
    "case number",
    "case no",
    "ehc case reference",
    "request id",
    "requeststableid",  # SEN2 requests module
)
CASE_ALIASES: dict[str, tuple[str, ...]] = {
    "case_ref": _CASE_REF_ALIASES,
    "request_date": (
        "receiveddate",  # SEN2
        "received date",
        "date received",
        "request received date",
        "date request received",
        "date of request",
    ),
    "decision_date": (
        "requestoutcomedate",  # SEN2
        "request outcome date",
        "decision to assess date",
        "date of decision",
    ),
    "decision": ("requestoutcome", "request outcome", "decision to assess"),  # SEN2 requestoutcome
    "assessment_outcome": ("assessmentoutcome",),  # SEN2
    "assessment_outcome_date": ("assessmentoutcomedate",),  # SEN2
    "final_plan_date": (
        "startdate",  # SEN2 named-plan: "EHC plan start date", the issue date of the final plan
        "plan start date",
        "ehc plan start date",
        "plan issue date",
        "date plan issued",
        "final plan issue date",
        "date final plan issued",
        "date initial ehc plan issued",  # Annex A list 1
    ),
    "exception": (
        "week20",  # SEN2 assessment: "20-week time limit exceptions apply"
        "week 20",
        "20 week exception",
        "exception applies",
        "exceptions apply",
    ),
    "exception_reason": ("exception reasons",),
    "primary_need": ("sentype", "sen type", "primary need type", "sen primary need"),  # SEN2 sen-need
    "age_at_request": ("age", "age at request date"),
    "setting": ("setting name", "school", "school name", "establishment", "education setting"),
    # The states of the whole journey (DESIGN.md "Measure ids"); SEN2's names are aliases.
    "request_type": ("type of request", "assessment type"),
    "moved_out_to": ("exported", "moved out", "exported to"),  # SEN2 requests
    "request_mediation": ("requestmediation",),
    "request_tribunal": ("requesttribunal",),
    "assessment_mediation": ("assessmentmediation",),
    "assessment_tribunal": ("assessmenttribunal",),
    "other_mediation": ("othermediation",),
    "other_tribunal": ("othertribunal",),
    "transferred_in_from": ("transferla", "transfer la", "transferred from"),
    "cease_date": ("ceasedate", "date ceased", "plan ceased date", "date plan ceased"),  # SEN2 named plan
    "cease_reason": ("ceasereason", "reason ceased", "cease reason code"),
    "phase_transfer_due_date": ("phasetransferduedate", "phase transfer due"),  # SEN2 active plans
    "phase_transfer_final_date": ("phasetransferfinaldate", "phase transfer final plan date"),
}
REVIEW_ALIASES: dict[str, tuple[str, ...]] = {
    "case_ref": _CASE_REF_ALIASES,
    "meeting_date": (
        "reviewmeeting",  # SEN2 active-plans
        "review meeting",
        "review meeting date",
        "review date",
        "date of review",
        "annual review date",
    ),
    "decision_date": ("review decision date", "date decision sent", "decision sent date"),
    "outcome": ("reviewoutcome", "review outcome"),  # SEN2 active-plans
    "draft_date": ("reviewdraft", "draft amended plan date"),  # SEN2 active-plans
    "amendment_notice_date": (
        "date amendments proposed",
        "proposed amendments sent",
        "amendment notice sent",
    ),
    "amended_plan_date": ("final amended plan date", "date amended plan issued"),
}
CASE_REQUIRED = ("case_ref", "request_date")
REVIEW_REQUIRED = ("case_ref", "meeting_date")

# Code values. DfE's SEN2 code values for request and assessment outcomes could not be verified
# (reference/data-formats.md §7), so every accepted spelling, SEN2 or local, is listed here and nowhere else.
# Keys are compared after `code_key` (lower case, spaces/underscores/hyphens as one space).
DECISION_CODES: dict[str, str] = {
    "assess": "assess",
    "yes": "assess",
    "y": "assess",
    "decided to assess": "assess",
    "agreed to assess": "assess",
    "agree to assess": "assess",
    "assessment agreed": "assess",
    "not assess": "not_assess",
    "no": "not_assess",
    "n": "not_assess",
    "decided not to assess": "not_assess",
    "not to assess": "not_assess",
    "do not assess": "not_assess",
    "refused": "not_assess",
    "assessment refused": "not_assess",
    "refused to assess": "not_assess",
    "withdrawn": "withdrawn",
    "w": "withdrawn",
    "request withdrawn": "withdrawn",
    "historical": "historical",  # SEN2 H: decided before the data's period
    "historic": "historical",
    "h": "historical",
}
ASSESSMENT_OUTCOME_CODES: dict[str, str] = {
    "plan": "plan",
    "yes": "plan",
    "y": "plan",
    "ehc plan": "plan",
    "issue plan": "plan",
    "plan issued": "plan",
    "decided to issue": "plan",
    "decided to issue a plan": "plan",
    "no plan": "no_plan",
    "no": "no_plan",
    "n": "no_plan",
    "plan not issued": "no_plan",
    "decided not to issue": "no_plan",
    "decided not to issue a plan": "no_plan",
    "withdrawn": "withdrawn",  # SEN2 W: withdrawn or ended before the decision whether to issue
    "w": "withdrawn",
    "assessment withdrawn": "withdrawn",
    "historical": "historical",  # SEN2 H: a plan agreed before the data's period, or transferred in
    "historic": "historical",
    "h": "historical",
}
# A or "not yet decided" (SEN2) is the same as a blank decision or outcome.
UNDECIDED = ("a", "not yet decided", "undecided", "pending", "not decided")
REQUEST_TYPE_CODES: dict[str, str] = {
    "initial": "initial",
    "initial request": "initial",
    "new": "initial",
    "first": "initial",
    "reassessment": "reassessment",
    "re assessment": "reassessment",
    "reassess": "reassessment",
}
CEASE_REASON_CODES: dict[str, str] = {code: code for code in CEASE_REASONS}
EXCEPTION_CODES: dict[str, bool] = {
    "": False,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
}
REVIEW_OUTCOME_CODES: dict[str, str] = {
    "maintain": "maintain",
    "maintained": "maintain",
    "maintain plan": "maintain",
    "continue": "maintain",
    "amend": "amend",
    "amended": "amend",
    "amend plan": "amend",
    "cease": "cease",
    "ceased": "cease",
    "cease plan": "cease",
    "cease to maintain": "cease",
}
MAX_AGE = 25

LABELS = {
    "case_ref": "case reference",
    "request_date": "request date",
    "decision_date": "decision date",
    "decision": "decision",
    "assessment_outcome": "assessment outcome",
    "assessment_outcome_date": "assessment outcome date",
    "final_plan_date": "final plan date",
    "exception": "exception",
    "primary_need": "primary need",
    "age_at_request": "age at request",
    "meeting_date": "meeting date",
    "outcome": "outcome",
    "date_of_birth": "date of birth",
    "cease_date": "cease date",
    "phase_transfer_due_date": "phase transfer due date",
    "phase_transfer_final_date": "phase transfer final date",
    "draft_date": "draft date",
    "amendment_notice_date": "amendment notice date",
    "amended_plan_date": "amended plan date",
}


def _or(words: tuple[str, ...]) -> str:
    return f"{', '.join(words[:-1])} or {words[-1]}"


ENTER_DECISION = f"Enter a decision of {_or(DECISIONS)}"
ENTER_ASSESSMENT_OUTCOME = f"Enter an assessment outcome of {_or(ASSESSMENT_OUTCOMES)}"
ENTER_EXCEPTION = "Enter yes or no for the exception"
ENTER_PRIMARY_NEED = f"Enter a primary need as an SEN2 code: {', '.join(PRIMARY_NEEDS)}"
ENTER_AGE = f"Age at request must be a whole number from 0 to {MAX_AGE}"
ENTER_OUTCOME = f"Enter an outcome of {_or(REVIEW_OUTCOMES)}"
PLAN_NEEDS_ASSESS = (
    "Decision must be assess (or historical) when there is a final plan date, unless a mediation or tribunal "
    "about the decision not to assess overturned it"
)
ENTER_REQUEST_TYPE = f"Enter a request type of {_or(REQUEST_TYPES)}"
ENTER_AREA = "Enter the council's 3-digit DfE code, like 805, or XXX when it is not known"
ENTER_CEASE_REASON = "Enter a cease reason as an SEN2 code from 1 to 9"
ENTER_YES_NO = "Enter yes or no"
ENTER_REQUEST_DATE = "Enter the request date (only a historical case may leave it blank)"
_WHOLE_NUMBER = re.compile(r"\d{1,3}(?:\.0*)?", re.ASCII)
_CODE_SEPARATORS = re.compile(r"[\s_-]+")


@dataclass
class CaseImportResult(ImportResult[Case]):
    """Cases read from a file; `columns` says which column of the file each field came from."""

    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class ReviewImportResult(ImportResult[Review]):
    """Review meetings read from a file; `columns` says which column of the file each field came from."""

    columns: dict[str, str] = field(default_factory=dict)


def code_key(text: str) -> str:
    """Return a code as the tables above spell it: lower case, runs of spaces/underscores/hyphens as one space."""
    return _CODE_SEPARATORS.sub(" ", text.strip().lower())


def read_cases(source: Source, *, today: date) -> CaseImportResult:
    """Read and check a case file; dates after `today` are errors (except a phase transfer's due date).

    Raises FileRejected when the file is empty, unreadable, has no data rows or lacks a required column.
    """
    table = Table.open(source, CASE_ALIASES, CASE_REQUIRED, date_of_birth=True, text_fields=_TEXT_FIELDS)
    result = CaseImportResult(columns=table.fields(), dropped_columns=table.dropped, notes=table.notes)
    problems = Problems(table)
    refs = _case_refs(table, problems)
    decision = _codes(table, "decision", DECISION_CODES, ENTER_DECISION, problems)
    outcome = _codes(table, "assessment_outcome", ASSESSMENT_OUTCOME_CODES, ENTER_ASSESSMENT_OUTCOME, problems)
    historical = _equal(decision, HISTORICAL, table.count) | _equal(outcome, HISTORICAL, table.count)
    days = {name: _dates(table, name, today, problems) for name in _present(table, _CASE_DATES)}
    request = days["request_date"].days
    problems.add(days["request_date"].blank & ~historical, "request_date", ENTER_REQUEST_DATE)
    trusted = ~problems.at("request_date")  # a wrong request date is reported once, not again in each comparison
    for name in ("decision_date", "assessment_outcome_date", "final_plan_date"):
        if name in days:
            label = LABELS[name].capitalize()
            problems.add(trusted & (days[name].days < request), name, f"{label} must be on or after the request date")
    flags = {name: _flags(table, name, problems) for name in DISPUTE_FIELDS}
    if "decision" in table.raw and "final_plan_date" in days:
        has_plan = ~np.isnat(days["final_plan_date"].days)
        disputed = _any_true(flags["request_mediation"], flags["request_tribunal"], table.count)
        allowed = _equal(decision, "assess", table.count) | _equal(decision, HISTORICAL, table.count)
        allowed |= _equal(decision, "not_assess", table.count) & disputed
        problems.add(has_plan & ~allowed & ~problems.at("decision"), "decision", PLAN_NEEDS_ASSESS)
    values: dict[str, Any] = {
        "case_ref": refs,
        **{name: column.dates for name, column in days.items() if name != DATE_OF_BIRTH},
        "decision": decision,
        "assessment_outcome": outcome,
        "exception": _codes(table, "exception", EXCEPTION_CODES, ENTER_EXCEPTION, problems, blank=False),
        "exception_reason": _texts(table, "exception_reason"),
        "primary_need": _primary_needs(table, problems),
        "age_at_request": _ages(table, request, days.get(DATE_OF_BIRTH), problems),
        "setting": _texts(table, "setting"),
        "request_type": _codes(
            table, "request_type", REQUEST_TYPE_CODES, ENTER_REQUEST_TYPE, problems, blank="initial"
        ),
        "moved_out_to": _areas(table, "moved_out_to", problems, yes="XXX"),
        "transferred_in_from": _areas(table, "transferred_in_from", problems),
        "cease_reason": _codes(table, "cease_reason", CEASE_REASON_CODES, ENTER_CEASE_REASON, problems),
        **flags,
    }
    result.errors = problems.row_errors()
    result.rows = records_of(Case, values, problems.keep())
    return result


def read_reviews(source: Source, *, today: date) -> ReviewImportResult:
    """Read and check an annual review file (one row per review meeting); dates after `today` are errors.

    Raises FileRejected when the file is empty, unreadable, has no data rows or lacks a required column.
    """
    table = Table.open(source, REVIEW_ALIASES, REVIEW_REQUIRED, date_of_birth=False, text_fields=_TEXT_FIELDS)
    result = ReviewImportResult(columns=table.fields(), dropped_columns=table.dropped, notes=table.notes)
    problems = Problems(table)
    refs = _case_refs(table, problems, unique=False)
    meeting = _dates(table, "meeting_date", today, problems)
    decided = _dates(table, "decision_date", today, problems) if "decision_date" in table.raw else None
    if decided is not None:
        early = ~problems.at("meeting_date") & (decided.days < meeting.days)
        problems.add(early, "decision_date", "Decision date must be on or after the meeting date")
    known = (refs != "") & ~np.isnat(meeting.days)
    codes, _ = pd.MultiIndex.from_arrays([refs, meeting.days]).factorize()
    duplicate, first = _repeats(codes, known)
    messages = [f"This review (case and meeting date) is already in row {row}" for row in first.tolist()]
    problems.add_each(duplicate, "case_ref", messages)
    amendments = {name: _dates(table, name, today, problems) for name in _present(table, _AMENDMENT_DATES)}
    values: dict[str, Any] = {
        "case_ref": refs,
        "meeting_date": meeting.dates,
        "decision_date": decided.dates if decided is not None else None,
        "outcome": _codes(table, "outcome", REVIEW_OUTCOME_CODES, ENTER_OUTCOME, problems),
        **{name: column.dates for name, column in amendments.items()},
    }
    result.errors = problems.row_errors()
    result.rows = records_of(Review, values, problems.keep())
    return result


# Read as strings (see case_table.Table.open): references, numbers and yes/no columns.
_TEXT_FIELDS = (
    "case_ref",
    "age_at_request",
    "exception",
    "cease_reason",
    "moved_out_to",
    "transferred_in_from",
    *DISPUTE_FIELDS,
)
_CASE_DATES = (
    "request_date",
    "decision_date",
    "assessment_outcome_date",
    "final_plan_date",
    "cease_date",
    "phase_transfer_due_date",
    "phase_transfer_final_date",
    DATE_OF_BIRTH,
)
_AMENDMENT_DATES = ("draft_date", "amendment_notice_date", "amended_plan_date")
_DEADLINES = frozenset({"phase_transfer_due_date"})  # a deadline, so it may be after today


def _present(table: Table, names: Iterable[str]) -> list[str]:
    return [name for name in names if name in table.raw]


def _case_refs(table: Table, problems: Problems, *, unique: bool = True) -> np.ndarray:
    cells = table.raw["case_ref"].cells()
    try:
        stripped = list(map(str.strip, cells.tolist()))  # every cell of a CSV file is text
    except TypeError:
        stripped = [cell_text(cell) for cell in cells.tolist()]
    refs = np.array(stripped, dtype=object)
    problems.add(refs == "", "case_ref", "Enter the case reference")
    if unique and len(set(stripped)) < table.count:  # a set is the quickest check for the usual case
        codes, _ = pd.factorize(refs)
        repeated, first_rows = _repeats(codes, (refs != "") & ~table.blank)
        messages = [f"Case reference is already used in row {row}" for row in first_rows.tolist()]
        problems.add_each(repeated, "case_ref", messages)
    return refs


def _repeats(codes: np.ndarray, eligible: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose code appeared in an earlier eligible row, and the spreadsheet row of that first one."""
    positions = np.flatnonzero(eligible)
    repeated = np.zeros(len(codes), dtype=bool)
    if not positions.size:
        return repeated, np.empty(0, dtype=np.int64)
    eligible_codes = codes[positions]
    distinct, first = np.unique(eligible_codes, return_index=True)
    first_position = np.zeros(int(eligible_codes.max()) + 1, dtype=np.int64)
    first_position[distinct] = positions[first]
    firsts = first_position[eligible_codes]
    later = firsts != positions
    repeated[positions[later]] = True
    return repeated, firsts[later] + FIRST_DATA_ROW


def _dates(table: Table, name: str, today: date, problems: Problems) -> DateColumn:
    column = parse_distinct_dates(*table.raw[name].distinct(), table.date_cache)
    label = LABELS[name].capitalize()
    if name == "meeting_date":  # the request date may be blank for a historical case (read_cases checks it)
        problems.add(column.blank, name, f"Enter the {LABELS[name]}")
    problems.add_messages(column.bad, column.errors_at, name)
    if name not in _DEADLINES:
        future = column.days > np.datetime64(today, "D")
        problems.add(future, name, f"{label} must be today or in the past")
    wrong = np.flatnonzero(column.bad)
    month_first = wrong[np.array(column.errors_at(wrong), dtype=object) == ENTER_DAY_FIRST]
    if month_first.size:
        example = shown(table.raw[name][month_first[0]])
        table.notes.append(
            f"Some dates in column {table.headers[name]} are written month first (such as {example}). Dates that "
            "could be either, such as 01/02/2024, are always read day first: check the whole column."
        )
    return column


def _codes(
    table: Table,
    name: str,
    mapping: Mapping[str, object],
    message: str,
    problems: Problems,
    *,
    blank: object = None,
) -> np.ndarray | None:
    if name not in table.raw:
        return None

    undecided = name in ("decision", "assessment_outcome")

    def convert(text: str) -> object:
        key = code_key(text)
        if not key or (undecided and key in UNDECIDED):
            return blank
        if key not in mapping:
            raise ValueError(text)
        return mapping[key]

    values, refused = convert_cells(table.raw[name], convert)
    problems.add(refused, name, message)
    return values


def _flags(table: Table, name: str, problems: Problems) -> np.ndarray | None:
    return _codes(table, name, EXCEPTION_CODES, ENTER_YES_NO, problems, blank=False)


def _areas(table: Table, name: str, problems: Problems, *, yes: str | None = None) -> np.ndarray | None:
    """A council's 3-digit code (or XXX); for `moved_out_to` a plain yes means "moved, to a council not known"."""
    if name not in table.raw:
        return None

    def convert(text: str) -> str | None:
        key = code_key(text)
        if key in ("", "no", "n", "0", "false"):
            return None
        if yes is not None and key in ("yes", "y", "1", "true"):
            return yes
        if key.upper() == "XXX":
            return "XXX"
        if len(key) != 3 or not key.isdigit():
            raise ValueError(text)
        return key

    values, refused = convert_cells(table.raw[name], convert)
    problems.add(refused, name, ENTER_AREA)
    return values


def _equal(values: np.ndarray | None, code: str, count: int) -> np.ndarray:
    """Rows whose code is `code` (none when the column is absent)."""
    if values is None:
        return np.zeros(count, dtype=bool)
    return np.asarray(values == code, dtype=bool)


def _any_true(first: np.ndarray | None, second: np.ndarray | None, count: int) -> np.ndarray:
    found = np.zeros(count, dtype=bool)
    for column in (first, second):
        if column is not None:
            found |= np.asarray(column == True, dtype=bool)  # noqa: E712 - an object array of True/False
    return found


def _primary_needs(table: Table, problems: Problems) -> np.ndarray | None:
    if "primary_need" not in table.raw:
        return None

    def convert(text: str) -> str | None:
        if not text:
            return None
        if text.upper() not in PRIMARY_NEEDS:
            raise ValueError(text)
        return text.upper()

    values, refused = convert_cells(table.raw["primary_need"], convert)
    problems.add(refused, "primary_need", ENTER_PRIMARY_NEED)
    return values


def _age(text: str) -> int | None:
    if not text:
        return None
    if not _WHOLE_NUMBER.fullmatch(text) or int(text.split(".")[0]) > MAX_AGE:
        raise ValueError(text)
    return int(text.split(".")[0])


def _ages(table: Table, request: np.ndarray, born: DateColumn | None, problems: Problems) -> np.ndarray | None:
    """Ages as given; where none is given and the file has a date of birth, whole years on the request date."""
    ages: np.ndarray | None = None
    derive = np.ones(table.count, dtype=bool)
    if "age_at_request" in table.raw:
        ages, refused = convert_cells(table.raw["age_at_request"], _age)
        problems.add(refused, "age_at_request", ENTER_AGE)
        derive = pd.isna(ages) & ~refused
    if born is None:
        return ages
    derive &= ~np.isnat(born.days) & ~np.isnat(request) & ~problems.at(DATE_OF_BIRTH) & ~problems.at("request_date")
    after = derive & (born.days > request)
    problems.add(after, DATE_OF_BIRTH, "Date of birth must be before the request date")
    positions = np.flatnonzero(derive & ~after)
    if not positions.size:
        return ages
    years = whole_years_between(born.days[positions], request[positions]).astype(np.int64)
    too_old = np.zeros(table.count, dtype=bool)
    too_old[positions[years > MAX_AGE]] = True
    problems.add(too_old, DATE_OF_BIRTH, f"Date of birth must give an age from 0 to {MAX_AGE} on the request date")
    if ages is None:
        ages = np.full(table.count, None, dtype=object)
    fits = years <= MAX_AGE
    ages[positions[fits]] = years[fits].tolist()
    return ages


def _texts(table: Table, name: str) -> np.ndarray | None:
    if name not in table.raw:
        return None
    values, _ = convert_cells(table.raw[name], lambda text: text or None)
    return values
