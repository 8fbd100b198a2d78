"""Read DfE's SEN2 person-level return into cases and reviews: the XML as submitted, or a ZIP of its Blade CSVs.

One case per request (`<Requests>`), joined through the modules under it (reference/sen2-and-person-level-lists.md
Part A); one review per `<ActivePlans>` that records one. Element and column names are matched without regard to
case, children in any order; codes are read by the collection year in the header (§A6: `DS` only from 2025).

Identity (DESIGN.md "SEN2 imports"): a case reference is a pseudonym, `S2-` and 20 hexadecimal digits of an
HMAC-SHA256, under the partnership's own secret, of the person's UPN (else ULN, else surname, forename and date
of birth) and the date the request was received, so next year's return gives the same reference for the same
request. A historical request (H) with no received date is keyed on the plan's start date instead; the service
then matches it to the request stored from an earlier return (services/sen2_imports.py). The person gets a
pseudonym too (`person_ref`), which links their requests: a request made while the person already had a plan
(from an earlier request, not ceased by then) is a re-assessment. No name, date of birth, UPN, ULN, postcode,
sex or ethnicity is stored or shown back, not even in an error: they are read only to make the pseudonyms (and
the date of birth for the age at request) and named in the summary as dropped.

All or nothing: every problem is a `RowError`. In an XML return `row` is the person's number in the file and
`column` the path below it (`Requests 2 › Assessment › AssessmentOutcomeDate`); in a Blade ZIP `row` is the row of
the module file and `column` names the file and the column (`Blade-Export_…_requests.csv › receiveddate`).
`describe_error` writes either as a sentence. Unreadable values (a date that is not a date, a code that is not
one of the year's codes, two assessments under one request) are errors; dates that contradict each other are
data-quality findings, as for any case file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import IO, Any

from inspect_app.domain.cases import CEASE_REASONS, HISTORICAL, INITIAL, PRIMARY_NEEDS, REASSESSMENT, Case, Review
from inspect_app.importers.common import XLSX_MAGIC, FileRejected, ImportResult, RowError
from inspect_app.importers.dates import DateError, parse_date
from inspect_app.importers.sen2_blade import LOCATION, BladeReturn
from inspect_app.importers.sen2_xml import Node, XmlReturn

Source = str | Path | bytes | IO[bytes]
FIRST_YEAR = 2023  # the first person-level collection with today's codes (2022 was a pilot)
LAST_LAYOUT_YEAR = 2026
DEFAULT_MAX_BYTES = 512 * 1024 * 1024

REQUEST_OUTCOMES = {"Y": "assess", "N": "not_assess", "W": "withdrawn", "A": None, "H": HISTORICAL}
ASSESSMENT_OUTCOMES = {"Y": "plan", "N": "no_plan", "W": "withdrawn", "A": None, "H": HISTORICAL}
REVIEW_OUTCOMES = {"M": "maintain", "A": "amend", "C": "cease"}
BOOLEANS = {"1": True, "0": False, "true": True, "false": False, "y": True, "n": False, "yes": True, "no": False}
SEN_SETTINGS = ("OLA", "OPA", "EHE", "EYP", "OTH", "NEET", "NIEC", "NIEO")
# Personal data: read only for the pseudonyms and the age at request, never stored (DESIGN.md "Personal data").
PERSONAL = (
    "surname",
    "forename",
    "personbirthdate",
    "sex",
    "gendercurrent",
    "ethnicity",
    "postcode",
    "upn",
    "uniquelearnernumber",
    "upnunknown",
)
# DfE's spellings, for messages (reference §A4; names are matched in lower case).
SPELLINGS = {
    name.lower(): name
    for name in (
        "Surname Forename PersonBirthDate Sex GenderCurrent Ethnicity PostCode UPN UniqueLearnerNumber UPNunknown "
        "Requests ReceivedDate RequestSource RYA RequestOutcomeDate RequestOutcome RequestMediation RequestTribunal "
        "Exported Assessment AssessmentOutcome AssessmentOutcomeDate AssessmentMediation AssessmentTribunal "
        "OtherMediation OtherTribunal Week20 NamedPlan StartDate PlanDetail CeaseDate CeaseReason ActivePlans "
        "TransferLA PlacementDetail SENneed SENtype SENtypeRank ReviewMeeting ReviewOutcome LastReview ReviewDraft "
        "PhaseTransferDueDate PhaseTransferFinalDate URN UKPRN SENSetting PlacementRank Collection Year LEA"
    ).split()
}
ARROW = " › "
_INNER_PAD = bytes(byte ^ 0x36 for byte in range(256))  # RFC 2104's ipad and opad, as translation tables
_OUTER_PAD = bytes(byte ^ 0x5C for byte in range(256))
_ASSESSMENT_FLAGS = ("assessmentmediation", "assessmenttribunal", "othermediation", "othertribunal")


@dataclass
class Sen2ImportResult(ImportResult[Case]):
    """Cases (`rows`), reviews, every row error, the personal data dropped and notes; and what the header said."""

    reviews: list[Review] = field(default_factory=list)
    source_format: str = ""  # "XML" or "Blade CSV"
    collection_year: int | None = None
    la_code: str | None = None
    reference_date: date | None = None
    people: int = 0
    # Positions in `rows` of requests the return holds as H (decided before its period): the service ties them to
    # the case an earlier return stored, which knows what H leaves out.
    historical: list[int] = field(default_factory=list)


def describe_error(error: RowError) -> str:
    """Say where a SEN2 problem is: "Person 12, Requests 2 › ReceivedDate" or "<file> row 5, column …"."""
    shown = f" (value {error.value!r})" if error.value != "" else ""
    if ".csv" + ARROW in error.column:
        file, column = error.column.split(ARROW, 1)
        return f"{file}, row {error.row}, column {column}{shown}: {error.message}"
    where = f"Person {error.row}" + (f", {error.column}" if error.column else "")
    return f"{where}{shown}: {error.message}"


def read_sen2(
    source: Source,
    *,
    today: date,
    secret: bytes,
    la_code: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Sen2ImportResult:
    """Read and check a SEN2 return (XML or a ZIP of Blade CSVs); dates after `today` are errors.

    Raises FileRejected when the file cannot be read at all, is refused for safety, or is for another council
    than `la_code` (the partnership's), or for a collection year this reader does not know.
    """
    reader: XmlReturn | BladeReturn
    if _is_zip(source):
        reader, result = BladeReturn(source, max_bytes=max_bytes), Sen2ImportResult(source_format="Blade CSV")
    else:
        reader, result = XmlReturn(source, max_bytes=max_bytes), Sen2ImportResult(source_format="XML")
    people = reader.people()
    try:
        first = next(people, None)  # the header is complete once the first person has been read
        _check_header(reader.header, result, la_code, blade=isinstance(reader, BladeReturn), today=today)
        assert result.collection_year is not None
        checker = _Checker(result, result.collection_year, today, secret)
        number = 0
        for number, person in enumerate(_chain(first, people), start=1):
            checker.person(person, number)
    finally:
        people.close()  # a refused file is closed at once
    if isinstance(reader, BladeReturn):
        result.errors.extend(reader.errors)
    result.people = number
    result.dropped_columns = [SPELLINGS[name] for name in PERSONAL if name in reader.person_elements]
    result.notes.extend(checker.notes())
    if not result.ok:
        result.rows, result.reviews, result.historical = [], [], []
    result.errors.sort(key=lambda error: (error.row, error.column) if ".csv" in error.column else (error.row, ""))
    return result


def _is_zip(source: Source) -> bool:
    if isinstance(source, bytes):
        head = source[:4]
    elif isinstance(source, str | Path):
        with open(source, "rb") as stream:
            head = stream.read(4)
    else:
        peek = getattr(source, "peek", None)
        head = peek(4)[:4] if peek else b""
    return head == XLSX_MAGIC


def _chain(first: Node | None, rest: Iterator[Node]) -> Iterator[Node]:
    if first is not None:
        yield first
        yield from rest


def _check_header(
    header: Node | None, result: Sen2ImportResult, la_code: str | None, *, blade: bool, today: date
) -> None:
    if header is None:
        where = "a sen2 (header) module file" if blade else "a <Header>"
        raise FileRejected(f"The return has no header: it needs {where} with the collection year and the LA code")
    collection = header.get("collection", "")
    if collection and collection.upper() != "SEN2":
        raise FileRejected(f"The header's Collection is {collection!r}, not SEN2: this is not a SEN2 return")
    year_text = header.get("year", "")
    if not year_text.isdigit() or len(year_text) != 4:
        raise FileRejected(f"The header's Year is {year_text!r}: enter the collection year, for example 2026")
    year = int(year_text)
    if year < FIRST_YEAR:
        raise FileRejected(
            f"The return is for the {year} collection. Only person-level returns from {FIRST_YEAR} on can be "
            "imported (the 2022 pilot used other codes)."
        )
    if year > today.year + 1:
        raise FileRejected(f"The header's Year is {year}, after next year's collection: check the header")
    lea = header.get("lea", "")
    if la_code is not None and lea != la_code:
        shown = lea or "not given"
        raise FileRejected(
            f"The return is for local authority {shown} (the header's LEA), but this partnership's local authority "
            f"is {la_code}. Nothing was imported: import it into the partnership it belongs to."
        )
    reference = header.get("referencedate", "")
    result.collection_year, result.la_code = year, lea or None
    try:
        result.reference_date = parse_date(reference) if reference else None
    except DateError:
        raise FileRejected(f"The header's ReferenceDate {reference!r} is not a date (CCYY-MM-DD)") from None
    if year > LAST_LAYOUT_YEAR:
        result.notes.append(
            f"The return is for the {year} collection; it was read with the {LAST_LAYOUT_YEAR} codes, the latest known."
        )


# Checking people and their requests ----------------------------------------------------------------------------


class _Checker:
    """Turns people into cases and reviews, recording every problem with where it is."""

    def __init__(self, result: Sen2ImportResult, year: int, today: date, secret: bytes) -> None:
        self.result = result
        self.year = year
        self.today = today
        # HMAC-SHA256 (RFC 2104) with the key's inner and outer pads hashed once: copying the two hashes per
        # pseudonym gives hmac.new's digest at under half its cost (tests compare the two).
        key = secret if len(secret) <= 64 else hashlib.sha256(secret).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(key.translate(_INNER_PAD))
        self._outer = hashlib.sha256(key.translate(_OUTER_PAD))
        self.needs = PRIMARY_NEEDS if year >= 2025 else tuple(need for need in PRIMARY_NEEDS if need != "DS")
        self.dates: dict[str, date | str] = {}
        self.refs: dict[str, int] = {}  # case ref -> the number of the person whose request first had it
        self.counts = {"reassessment": 0, "no_review_meeting": 0, "historical": 0}
        self.number = 0
        self.path: tuple[str, ...] = ()
        self.person_ref: str | None = None

    # Problems ------------------------------------------------------------------------------------------------

    def problem(self, node: Node, name: str, value: str, message: str) -> None:
        """Record a problem in one element (or column) of a node; personal values are never shown back."""
        shown = "" if name in PERSONAL else value
        spelt = SPELLINGS.get(name, name)
        location = node.get(LOCATION)
        if location is not None:
            file, row = location
            self.result.errors.append(RowError(row, f"{file}{ARROW}{name}", shown, message))
        else:
            self.result.errors.append(RowError(self.number, ARROW.join((*self.path, spelt)), shown, message))

    def text(self, node: Node, name: str) -> str | None:
        value = node.get(name)
        return (value.strip() or None) if isinstance(value, str) else None

    def day(self, node: Node, name: str, *, future: bool = False) -> date | None:
        """A date element; a date after today is refused unless it is a deadline (`future`)."""
        value = node.get(name)
        if not value or not isinstance(value, str):
            return None
        found = self.dates.get(value)
        if found is None:
            try:
                found = parse_date(value.strip()) or ""
            except DateError:
                found = "bad"
            self.dates[value] = found
        if isinstance(found, str):
            if not found:
                return None
            self.problem(node, name, value.strip(), "Enter a real date as year-month-day, for example 2025-02-03")
            return None
        if found > self.today and not future:
            self.problem(node, name, value.strip(), "The date must be today or in the past")
            return None
        return found

    def code(self, node: Node, name: str, codes: dict[str, Any], *, required: bool = False) -> tuple[bool, Any]:
        """(given, meaning) of a coded element; an unknown code is a problem."""
        value = node.get(name)
        value = value.strip() if isinstance(value, str) else ""
        if not value:
            if required:
                self.problem(node, name, "", f"Enter the {SPELLINGS.get(name, name)} code: {_or(codes)}")
            return False, None
        key = value.upper()
        if key not in codes:
            self.problem(node, name, value, f"Enter one of the {self.year} codes: {_or(codes)}")
            return False, None
        return True, codes[key]

    def flag(self, node: Node, name: str) -> bool:
        value = node.get(name)
        if not value or not isinstance(value, str):
            return False
        found = BOOLEANS.get(value) if value in BOOLEANS else BOOLEANS.get(value.strip().lower())
        if found is None:
            if not value.strip():
                return False
            self.problem(node, name, value.strip(), "Enter 1 for yes or 0 for no")
            return False
        return found

    def area(self, node: Node, name: str) -> str | None:
        value = self.text(node, name)
        if value is None:
            return None
        if value.upper() == "XXX":
            return "XXX"
        if len(value) != 3 or not value.isdigit():
            self.problem(node, name, value, "Enter the council's 3-digit DfE code, like 805, or XXX when not known")
            return None
        return value

    def one(self, node: Node, module: str) -> Node | None:
        children = node.get(module) or []
        for extra in children[1:]:
            self.problem(extra, module, "", f"A request has at most one {SPELLINGS[module]}; this one was not read")
        return children[0] if children else None

    # People -------------------------------------------------------------------------------------------------

    def person(self, node: Node, number: int) -> None:
        self.number, self.path = number, ()
        key = self._person_key(node)
        self.person_ref = f"P-{self._pseudonym(key)}" if key is not None else None
        born = self.day(node, "personbirthdate")
        cases: list[Case] = []
        reviews: list[Review] = []
        for position, request in enumerate(node.get("requests") or [], start=1):
            self.path = (f"Requests {position}",)
            found = self._request(request, key, born)
            if found is not None:
                cases.append(found[0])
                reviews.extend(found[1])
        if key is not None and cases:
            cases = self._mark_reassessments(cases)
            start = len(self.result.rows)
            self.result.rows.extend(cases)
            self.result.reviews.extend(reviews)
            self.result.historical.extend(
                start + i
                for i, case in enumerate(cases)
                if case.decision == HISTORICAL or case.assessment_outcome == HISTORICAL
            )

    def _person_key(self, node: Node) -> str | None:
        upn = (self.text(node, "upn") or "").replace(" ", "").upper()
        if upn:
            return f"UPN:{upn}"
        uln = (self.text(node, "uniquelearnernumber") or "").replace(" ", "")
        if uln:
            return f"ULN:{uln}"
        surname, forename = self.text(node, "surname"), self.text(node, "forename")
        born = self.text(node, "personbirthdate")
        if surname and forename and born:
            return f"NAME:{' '.join(surname.casefold().split())}|{' '.join(forename.casefold().split())}|{born}"
        self.problem(
            node,
            "upn",
            "",
            "The person has no UPN, no ULN and not all of surname, forename and date of birth, so no case reference "
            "can be made for their requests",
        )
        return None

    def _pseudonym(self, text: str) -> str:
        inner = self._inner.copy()
        inner.update(text.encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:20]

    def _request(self, node: Node, key: str | None, born: date | None) -> tuple[Case, list[Review]] | None:
        given, decision = self.code(node, "requestoutcome", REQUEST_OUTCOMES, required=True)
        received = self.day(node, "receiveddate")
        if received is None and "receiveddate" not in node and given and decision != HISTORICAL:
            self.problem(node, "receiveddate", "", "Enter the date the request was received (only H may leave it out)")
        decided = self.day(node, "requestoutcomedate")
        request_flags = (self.flag(node, "requestmediation"), self.flag(node, "requesttribunal"))
        moved_out = self.area(node, "exported")
        path = self.path
        assessment = self.one(node, "assessment")
        outcome, told, exception, plan = None, None, False, None
        flags: tuple[bool, ...] = (False, False, False, False)
        if assessment is not None:
            self.path = (*path, "Assessment")
            outcome, told, exception, plan, flags = self._assessment(assessment)
        active = self.one(node, "activeplans")
        self.path = (*path, "ActivePlans")
        extra = self._active_plan(active) if active is not None else {}
        self.path = path
        if key is None or not given:
            return None
        start = plan.get("final_plan_date") if plan else None
        anchor = received.isoformat() if received else f"H:{start.isoformat() if start else ''}"
        case_ref = f"S2-{self._pseudonym(f'{key}|{anchor}')}"
        if case_ref in self.refs:
            which = f"received on {received}" if received else "with no received date and the same plan start date"
            first = self.refs[case_ref]
            self.problem(node, "receiveddate", "", f"The same person has another request {which} (person {first})")
            return None
        self.refs[case_ref] = self.number
        age = _years(born, received) if born and received else None
        case = Case(
            case_ref,
            received,
            decided,
            decision,
            outcome,
            told,
            start,
            exception=exception,
            primary_need=extra.get("primary_need"),
            age_at_request=age if age is not None and 0 <= age <= 25 else None,
            setting=extra.get("setting") or (plan.get("setting") if plan else None),
            request_type=INITIAL,
            moved_out_to=moved_out,
            request_mediation=request_flags[0],
            request_tribunal=request_flags[1],
            assessment_mediation=flags[0],
            assessment_tribunal=flags[1],
            other_mediation=flags[2],
            other_tribunal=flags[3],
            transferred_in_from=extra.get("transferred_in_from"),
            cease_date=plan.get("cease_date") if plan else None,
            cease_reason=plan.get("cease_reason") if plan else None,
            phase_transfer_due_date=extra.get("phase_transfer_due_date"),
            phase_transfer_final_date=extra.get("phase_transfer_final_date"),
            person_ref=self.person_ref,
        )
        review = extra.get("review")
        return case, [Review(case_ref, *review)] if review else []

    def _assessment(self, node: Node) -> tuple[Any, date | None, bool, dict[str, Any] | None, tuple[bool, ...]]:
        _given, outcome = self.code(node, "assessmentoutcome", ASSESSMENT_OUTCOMES, required=True)
        told = self.day(node, "assessmentoutcomedate")
        flags = tuple(self.flag(node, name) for name in _ASSESSMENT_FLAGS)
        exception = self.flag(node, "week20")
        named = self.one(node, "namedplan")
        plan = None
        if named is not None:
            path = self.path
            self.path = (*path, "NamedPlan")
            plan = {
                "final_plan_date": self.day(named, "startdate"),
                "cease_date": self.day(named, "ceasedate"),
                "setting": self._setting(named.get("plandetail") or [], named),
            }
            _given, plan["cease_reason"] = self.code(named, "ceasereason", {code: code for code in CEASE_REASONS})
            self.path = path
        return outcome, told, exception, plan, flags

    def _active_plan(self, node: Node) -> dict[str, Any]:
        found: dict[str, Any] = {
            "transferred_in_from": self.area(node, "transferla"),
            "phase_transfer_due_date": self.day(node, "phasetransferduedate", future=True),
            "phase_transfer_final_date": self.day(node, "phasetransferfinaldate"),
            "setting": self._setting(node.get("placementdetail") or [], node),
            "primary_need": self._need(node.get("senneed") or []),
        }
        meeting = self.day(node, "reviewmeeting")
        decided = self.day(node, "lastreview")
        _given, outcome = self.code(node, "reviewoutcome", REVIEW_OUTCOMES)
        draft = self.day(node, "reviewdraft")
        if meeting is None and decided is not None:
            # The 2023 return (and some 2024 ones) records only the decision date: it stands for the meeting too.
            self.counts["no_review_meeting"] += 1
            meeting = decided
        if meeting is not None:
            found["review"] = (meeting, decided, outcome, draft)
        return found

    def _setting(self, settings: list[Node], parent: Node) -> str | None:
        """The rank-1 setting: "URN 123456", "UKPRN 12345678" or an SENSetting code."""
        chosen = None
        for setting in settings:
            rank = (setting.get("placementrank") or "1").strip()
            if rank not in ("1", "2"):
                self.problem(setting, "placementrank", rank, "Enter 1 for the main setting or 2 for the second")
            if rank != "1" or chosen is not None:
                continue
            urn, ukprn, kind = self.text(setting, "urn"), self.text(setting, "ukprn"), self.text(setting, "sensetting")
            if kind and kind.upper() not in SEN_SETTINGS:
                self.problem(setting, "sensetting", kind, f"Enter one of the setting codes {', '.join(SEN_SETTINGS)}")
            chosen = f"URN {urn}" if urn else f"UKPRN {ukprn}" if ukprn else kind.upper() if kind else None
        return chosen

    def _need(self, needs: list[Node]) -> str | None:
        primary = None
        for need in needs:
            kind = (self.text(need, "sentype") or "").upper()
            rank = (need.get("sentyperank") or "1").strip()
            if kind and kind not in self.needs:
                late = " (DS is a code only from the 2025 collection)" if kind == "DS" else ""
                codes = ", ".join(self.needs)
                self.problem(need, "sentype", kind, f"Enter one of the {self.year} need codes{late}: {codes}")
                continue
            if rank == "1" and primary is None and kind:
                primary = kind
        return primary

    def _mark_reassessments(self, cases: list[Case]) -> list[Case]:
        """Mark as re-assessments the person's requests made while they already had a plan (not ceased by then).

        A plan counts from its start date; a historical plan with no start date is taken to pre-date every request.
        """
        if len(cases) == 1:
            return cases
        plans = [
            (position, case.final_plan_date, case.cease_date)
            for position, case in enumerate(cases)
            if case.final_plan_date is not None or case.assessment_outcome == HISTORICAL
        ]
        marked = []
        for position, case in enumerate(cases):
            received = case.request_date
            if received is not None and any(
                other != position and (start is None or start < received) and (ceased is None or ceased >= received)
                for other, start, ceased in plans
            ):
                self.counts["reassessment"] += 1
                case = replace(case, request_type=REASSESSMENT)
            marked.append(case)
        return marked

    def notes(self) -> list[str]:
        notes = []
        if self.counts["reassessment"]:
            notes.append(
                f"{self.counts['reassessment']:,} requests were made by a person who already had a plan, so they are "
                "treated as re-assessments (their own 14-week clock, outside the measures of initial requests)."
            )
        if self.counts["no_review_meeting"]:
            notes.append(
                f"{self.counts['no_review_meeting']:,} active plans record a review decision (LastReview) but no "
                "meeting date; the decision date stands for the meeting, so their 4-week decision time shows as 0 days."
            )
        notes.append(
            "Not stored: where the request came from, relevant youth accommodation, personal budgets and "
            "residential or work-based placements; the main setting and the primary need are kept."
        )
        return notes


def _years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _or(codes: dict[str, Any]) -> str:
    names = list(codes)
    return ", ".join(names[:-1]) + " or " + names[-1]
