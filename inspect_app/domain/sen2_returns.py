"""DfE's SEN2 person-level return as plain records, and writers of it in each collection year's layout.

reference/sen2-and-person-level-lists.md Part A describes the return: a `<Message>` with a header and one
`<Person>` per child or young person, each with one `<Requests>` per request for an EHC needs assessment, under
which sit the `<Assessment>` (with its `<NamedPlan>`) and the `<ActivePlans>` snapshot. The records below mirror
that tree; every field is the element's text as it is written (codes as DfE spells them, dates as `date`).

The writers exist for the demo (a partnership's case data arrives as a return), the tests (returns with every
state and boundary day, built by code, for each layout year) and the benchmarks (a return of 200,000 requests).
They write each year's element set and order (§A6): `GenderCurrent` in 2023 and `Sex` from 2024, `Res`/`WBP` in
`ActivePlans` in 2023 and in `PlacementDetail` from 2024, `RequestSource`, `ReviewDraft`, the phase-transfer
dates and `DSCO` from 2025, `LastReview` last in 2026. `write_blade_zip` writes the same return as COLLECT's
Blade CSV export: one file per module, lower-case column names, `<module>tableid` keys and `2022-Sep-28 00:00:00`
dates (§A7). Every value here is made up by whoever builds the records; nothing is read from a real return.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO
from xml.sax.saxutils import escape

LAYOUT_YEARS = (2023, 2024, 2025, 2026)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class Header:
    """The return's header (module 0): collection year, reference (census) date and the council's code."""

    year: int
    lea: str
    reference_date: date
    collection: str = "SEN2"
    source_level: str = "L"
    software: str = "inspect_app demo"
    release: str = "1.0"
    serial: str = "001"
    created: datetime | None = None
    dmo: str = "Y"
    dco: str = "Y"
    dsco: str = "Y"


@dataclass
class Setting:
    """A setting named in the plan (PlanDetail) or attended (PlacementDetail): a URN, UKPRN or SENSetting code."""

    rank: int = 1
    urn: str | None = None
    ukprn: str | None = None
    sen_setting: str | None = None
    entry_date: date | None = None  # PlacementDetail only
    leaving_date: date | None = None  # PlacementDetail only
    sen_unit: bool = False
    resourced_provision: bool = False


@dataclass
class NamedPlan:
    start_date: date | None
    settings: list[Setting] = field(default_factory=lambda: [Setting(urn="100000")])
    personal_budget: bool = False
    cease_date: date | None = None
    cease_reason: str | None = None


@dataclass
class Assessment:
    outcome: str | None  # Y, N, A, W, H
    outcome_date: date | None = None
    mediation: bool = False
    tribunal: bool = False
    other_mediation: bool = False
    other_tribunal: bool = False
    week20: bool = False
    plan: NamedPlan | None = None


@dataclass
class ActivePlan:
    transfer_la: str | None = None
    placements: list[Setting] = field(default_factory=lambda: [Setting(urn="100000")])
    needs: list[tuple[str, int]] = field(default_factory=lambda: [("ASD", 1)])
    review_meeting: date | None = None
    review_outcome: str | None = None  # M, A, C
    last_review: date | None = None  # the date of the review decision
    review_draft: date | None = None
    phase_transfer_due: date | None = None
    phase_transfer_final: date | None = None


@dataclass
class Request:
    received: date | None
    outcome: str  # Y, N, A, W, H
    outcome_date: date | None = None
    source: str | None = "1"
    rya: bool = False
    mediation: bool = False
    tribunal: bool = False
    exported: str | None = None
    assessment: Assessment | None = None
    active_plan: ActivePlan | None = None


@dataclass
class Person:
    surname: str
    forename: str
    birth_date: date
    upn: str | None = None
    uln: str | None = None
    upn_unknown: str | None = None
    sex: str = "F"
    ethnicity: str = "WBRI"
    postcode: str | None = "AB1 2CD"
    requests: list[Request] = field(default_factory=list)


# XML ---------------------------------------------------------------------------------------------------------


def write_xml(header: Header, people: Iterable[Person], *, shuffle_active_plans: bool = False) -> bytes:
    """Return the whole return as XML bytes (UTF-8, no namespace, no DOCTYPE), in the header year's layout."""
    buffer = io.BytesIO()
    write_xml_to(buffer, header, people, shuffle_active_plans=shuffle_active_plans)
    return buffer.getvalue()


def write_xml_to(
    stream: IO[bytes], header: Header, people: Iterable[Person], *, shuffle_active_plans: bool = False
) -> None:
    """Write the return to a binary stream a person at a time (a return of 200,000 requests never sits in memory).

    With `shuffle_active_plans` the children of each ActivePlans are written in reverse order: importers must
    accept any order there (reference §A9.1).
    """
    stream.write(b'<?xml version="1.0" encoding="utf-8"?>\n<Message>\n')
    stream.write(_header_xml(header).encode())
    stream.write(b"<Persons>\n")
    chunk: list[str] = []
    for person in people:
        chunk.append(_person_xml(person, header.year, shuffle_active_plans))
        if len(chunk) >= 500:
            stream.write("".join(chunk).encode())
            chunk.clear()
    stream.write("".join(chunk).encode())
    stream.write(b"</Persons>\n</Message>\n")


def _el(name: str, value: object) -> str:
    if value is None:
        return ""
    return f"<{name}>{escape(_text(value))}</{name}>"


def _text(value: object) -> str:
    if value is True or value is False:
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _header_xml(header: Header) -> str:
    created = header.created or datetime.combine(header.reference_date, datetime.min.time())
    details = (
        _el("Collection", header.collection) + _el("Year", header.year) + _el("ReferenceDate", header.reference_date)
    )
    source = (
        _el("SourceLevel", header.source_level)
        + _el("LEA", header.lea)
        + _el("SoftwareCode", header.software)
        + _el("Release", header.release)
        + _el("SerialNo", header.serial)
        + _el("DateTime", created)
        + _el("DMO", header.dmo)
        + _el("DCO", header.dco)
        + (_el("DSCO", header.dsco) if header.year >= 2025 else "")
    )
    return f"<Header><CollectionDetails>{details}</CollectionDetails><Source>{source}</Source></Header>\n"


def _person_xml(person: Person, year: int, shuffle: bool) -> str:
    gender = _el("GenderCurrent", {"M": "1", "F": "2"}.get(person.sex, "0")) if year == 2023 else _el("Sex", person.sex)
    parts = [
        "<Person>",
        _el("Surname", person.surname),
        _el("Forename", person.forename),
        _el("PersonBirthDate", person.birth_date),
        gender,
        _el("Ethnicity", person.ethnicity),
        _el("PostCode", person.postcode),
        _el("UPN", person.upn),
        _el("UniqueLearnerNumber", person.uln),
        _el("UPNunknown", person.upn_unknown),
    ]
    parts.extend(_request_xml(request, year, shuffle) for request in person.requests)
    parts.append("</Person>\n")
    return "".join(parts)


def _request_xml(request: Request, year: int, shuffle: bool) -> str:
    decided = request.outcome in ("Y", "N")
    parts = [
        "<Requests>",
        _el("ReceivedDate", request.received),
        _el("RequestSource", request.source) if year >= 2025 else "",
        _el("RYA", request.rya if request.outcome != "H" else None),
        _el("RequestOutcomeDate", request.outcome_date),
        _el("RequestOutcome", request.outcome),
        _el("RequestMediation", request.mediation if decided else None),
        _el("RequestTribunal", request.tribunal if decided else None),
        _el("Exported", request.exported),
    ]
    if request.assessment is not None:
        parts.append(_assessment_xml(request.assessment))
    if request.active_plan is not None:
        parts.append(_active_plan_xml(request.active_plan, year, shuffle))
    parts.append("</Requests>")
    return "".join(parts)


def _assessment_xml(assessment: Assessment) -> str:
    decided = assessment.outcome in ("Y", "N")
    parts = [
        "<Assessment>",
        _el("AssessmentOutcome", assessment.outcome),
        _el("AssessmentOutcomeDate", assessment.outcome_date),
        _el("AssessmentMediation", assessment.mediation if decided else None),
        _el("AssessmentTribunal", assessment.tribunal if decided else None),
        _el("OtherMediation", assessment.other_mediation if decided else None),
        _el("OtherTribunal", assessment.other_tribunal if decided else None),
        _el("Week20", assessment.week20 if assessment.outcome == "Y" else None),
    ]
    plan = assessment.plan
    if plan is not None:
        parts.append("<NamedPlan>")
        parts.append(_el("StartDate", plan.start_date))
        parts.extend(_setting_xml("PlanDetail", setting, placement=False, year=0) for setting in plan.settings)
        parts.append(_el("PB", plan.personal_budget))
        parts.append(_el("CeaseDate", plan.cease_date))
        parts.append(_el("CeaseReason", plan.cease_reason))
        parts.append("</NamedPlan>")
    parts.append("</Assessment>")
    return "".join(parts)


def _setting_xml(name: str, setting: Setting, *, placement: bool, year: int) -> str:
    parts = [
        f"<{name}>",
        _el("URN", setting.urn),
        _el("UKPRN", setting.ukprn),
        _el("SENSetting", setting.sen_setting),
        _el("PlacementRank", setting.rank),
    ]
    if placement:
        parts.append(_el("EntryDate", setting.entry_date))
        parts.append(_el("LeavingDate", setting.leaving_date))
        if year == 2023:
            parts.append(_el("AttendancePattern", "FT"))
    parts.append(_el("SENunitIndicator", setting.sen_unit))
    parts.append(_el("ResourcedProvisionIndicator", setting.resourced_provision))
    parts.append(f"</{name}>")
    return "".join(parts)


def _active_plan_xml(active: ActivePlan, year: int, shuffle: bool) -> str:
    placements = [_setting_xml("PlacementDetail", s, placement=True, year=year) for s in active.placements]
    needs = [f"<SENneed>{_el('SENtype', kind)}{_el('SENtypeRank', rank)}</SENneed>" for kind, rank in active.needs]
    meeting = _el("ReviewMeeting", active.review_meeting)
    outcome = _el("ReviewOutcome", active.review_outcome)
    last = _el("LastReview", active.last_review)
    later = (
        _el("ReviewDraft", active.review_draft)
        + _el("PhaseTransferDueDate", active.phase_transfer_due)
        + _el("PhaseTransferFinalDate", active.phase_transfer_final)
    )
    head = [_el("TransferLA", active.transfer_la), *placements]
    if year == 2023:
        children = [*head, *needs, last]
    elif year == 2024:
        children = [*head, *needs, meeting, outcome, last]
    elif year == 2025:
        children = [*head, *needs, meeting, last, outcome, later]
    else:
        children = [*head, *needs, meeting, outcome, later, last]
    if shuffle:
        children.reverse()
    return "<ActivePlans>" + "".join(children) + "</ActivePlans>"


# Blade CSV export --------------------------------------------------------------------------------------------

BLADE_MODULES = (
    "sen2",
    "person",
    "requests",
    "assessment",
    "namedplan",
    "plandetail",
    "activeplans",
    "placementdetail",
    "senneed",
)


def blade_date(day: date | None) -> str:
    """A date as the Blade export writes it: `2022-Sep-28 00:00:00`."""
    if day is None:
        return ""
    return f"{day.year}-{_MONTHS[day.month - 1]}-{day.day:02d} 00:00:00"


def write_blade_zip(
    header: Header,
    people: Iterable[Person],
    *,
    export_date: date | None = None,
    booleans: tuple[str, str] = ("true", "false"),
) -> bytes:
    """Return the return as a ZIP of Blade CSV module files (`Blade-Export_<DD-MM-YYYY>_<module>.csv`).

    `booleans` is how yes and no are written ([U] in the reference: true/false or 1/0; importers take both).
    """
    tables = _blade_tables(header, people, booleans)
    day = export_date or header.reference_date
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for module, (columns, rows) in tables.items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(columns)
            writer.writerows(rows)
            archive.writestr(f"Blade-Export_{day:%d-%m-%Y}_{module}.csv", text.getvalue())
    return buffer.getvalue()


def _blade_tables(
    header: Header, people: Iterable[Person], booleans: tuple[str, str]
) -> dict[str, tuple[list[str], list[list[str]]]]:
    yes, no = booleans

    def cell(value: object) -> str:
        if value is None:
            return ""
        if value is True or value is False:
            return yes if value else no
        if isinstance(value, date):
            return blade_date(value)
        return str(value)

    tables: dict[str, tuple[list[str], list[list[str]]]] = {}
    counters = dict.fromkeys(BLADE_MODULES, 0)

    def add(module: str, parent: tuple[str, int] | None, values: dict[str, object]) -> int:
        counters[module] += 1
        key = counters[module]
        columns = [f"{module}tableid", *([f"{parent[0]}tableid"] if parent else []), *values]
        row = [str(key), *([str(parent[1])] if parent else []), *(cell(v) for v in values.values())]
        if module not in tables:
            tables[module] = (columns, [])
        tables[module][1].append(row)
        return key

    add(
        "sen2",
        None,
        {
            "collection": header.collection,
            "year": header.year,
            "referencedate": header.reference_date,
            "sourcelevel": header.source_level,
            "lea": header.lea,
            "softwarecode": header.software,
            "release": header.release,
            "serialno": header.serial,
            "dmo": header.dmo,
            "dco": header.dco,
            "dsco": header.dsco if header.year >= 2025 else None,
        },
    )
    for person in people:
        person_id = add(
            "person",
            ("sen2", 1),
            {
                "surname": person.surname,
                "forename": person.forename,
                "personbirthdate": person.birth_date,
                "sex" if header.year >= 2024 else "gendercurrent": person.sex,
                "ethnicity": person.ethnicity,
                "postcode": person.postcode,
                "upn": person.upn,
                "uniquelearnernumber": person.uln,
                "upnunknown": person.upn_unknown,
            },
        )
        for request in person.requests:
            _blade_request(add, person_id, request)
    return tables


_Add = Callable[[str, tuple[str, int] | None, dict[str, object]], int]


def _blade_request(add: _Add, person_id: int, request: Request) -> None:
    request_id = add(
        "requests",
        ("person", person_id),
        {
            "receiveddate": request.received,
            "requestsource": request.source,
            "rya": request.rya,
            "requestoutcomedate": request.outcome_date,
            "requestoutcome": request.outcome,
            "requestmediation": request.mediation,
            "requesttribunal": request.tribunal,
            "exported": request.exported,
        },
    )
    assessment = request.assessment
    if assessment is not None:
        assessment_id = add(
            "assessment",
            ("requests", request_id),
            {
                "assessmentoutcome": assessment.outcome,
                "assessmentoutcomedate": assessment.outcome_date,
                "assessmentmediation": assessment.mediation,
                "assessmenttribunal": assessment.tribunal,
                "othermediation": assessment.other_mediation,
                "othertribunal": assessment.other_tribunal,
                "week20": assessment.week20,
            },
        )
        plan = assessment.plan
        if plan is not None:
            plan_id = add(
                "namedplan",
                ("assessment", assessment_id),
                {
                    "startdate": plan.start_date,
                    "pb": plan.personal_budget,
                    "ceasedate": plan.cease_date,
                    "ceasereason": plan.cease_reason,
                },
            )
            for setting in plan.settings:
                add("plandetail", ("namedplan", plan_id), _blade_setting(setting, placement=False))
    active = request.active_plan
    if active is not None:
        active_id = add(
            "activeplans",
            ("requests", request_id),
            {
                "transferla": active.transfer_la,
                "reviewmeeting": active.review_meeting,
                "reviewoutcome": active.review_outcome,
                "reviewdraft": active.review_draft,
                "phasetransferduedate": active.phase_transfer_due,
                "phasetransferfinaldate": active.phase_transfer_final,
                "lastreview": active.last_review,
            },
        )
        for setting in active.placements:
            add("placementdetail", ("activeplans", active_id), _blade_setting(setting, placement=True))
        for kind, rank in active.needs:
            add("senneed", ("activeplans", active_id), {"sentype": kind, "sentyperank": rank})


def _blade_setting(setting: Setting, *, placement: bool) -> dict[str, object]:
    values: dict[str, object] = {
        "urn": setting.urn,
        "ukprn": setting.ukprn,
        "sensetting": setting.sen_setting,
        "placementrank": setting.rank,
    }
    if placement:
        values.update(entrydate=setting.entry_date, leavingdate=setting.leaving_date)
    values.update(senunitindicator=setting.sen_unit, resourcedprovisionindicator=setting.resourced_provision)
    return values


def count_requests(people: Iterable[Person]) -> int:
    """How many requests the people hold."""
    return sum(len(person.requests) for person in people)


def iter_requests(people: Iterable[Person]) -> Iterator[tuple[Person, Request]]:
    """Every (person, request) pair, in file order."""
    for person in people:
        for request in person.requests:
            yield person, request
