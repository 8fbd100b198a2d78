"""The SEN2 return importer: every layout year, XML and Blade, every state, hand-worked clocks and measures.

The returns are built by code (tests/sen2_data.py); the expected numbers are worked out in the comments from the
dates there (P is the calendar year before the collection year; requests mostly arrive on 6 January of P).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import time
import zipfile
from datetime import date

import pytest

from inspect_app.domain.clocks import case_clocks
from inspect_app.domain.measures import compute_annual_measures
from inspect_app.domain.sen2_returns import (
    ActivePlan,
    Assessment,
    Header,
    NamedPlan,
    Request,
    write_blade_zip,
    write_xml,
)
from inspect_app.importers.common import FileRejected
from inspect_app.importers.sen2 import describe_error, read_sen2
from tests.sen2_data import LEA, SECRET, TODAY, every_state, person

YEARS = (2023, 2024, 2025, 2026)


def read(data: bytes, **options):
    options.setdefault("today", TODAY)
    options.setdefault("secret", SECRET)
    options.setdefault("la_code", LEA)
    return read_sen2(data, **options)


def imported(year: int, form: str = "xml"):
    header, people, labels = every_state(year)
    data = write_xml(header, people) if form == "xml" else write_blade_zip(header, people)
    result = read(data)
    assert result.errors == [], [describe_error(error) for error in result.errors[:5]]
    assert len(result.rows) == len(labels)
    return result, dict(zip(labels, result.rows, strict=True))


def expected_ref(key: str, anchor: str) -> str:
    return "S2-" + hmac.new(SECRET, f"{key}|{anchor}".encode(), hashlib.sha256).hexdigest()[:20]


# Every layout year, both forms: the states come through


@pytest.mark.parametrize("form", ["xml", "blade"])
@pytest.mark.parametrize("year", YEARS)
def test_every_state_imports_without_error_in_each_layout_year(year, form):
    result, cases = imported(year, form)
    p = year - 1
    assert result.collection_year == year and result.la_code == LEA
    assert result.source_format == ("XML" if form == "xml" else "Blade CSV")
    assert cases["withdrawn"].decision == "withdrawn"
    assert cases["assessment_withdrawn"].assessment_outcome == "withdrawn"
    assert cases["undecided"].decision is None
    assert cases["moved_out"].moved_out_to == "936"
    overturned = cases["overturned_refusal"]
    assert (overturned.decision, overturned.request_tribunal, overturned.assessment_outcome) == (
        "not_assess",
        True,
        "plan",
    )
    assert cases["exception"].exception is True
    assert cases["mediation"].assessment_mediation is True
    historical = cases["historical"]
    assert (historical.request_date, historical.decision, historical.assessment_outcome) == (
        None,
        "historical",
        "historical",
    )
    assert historical.final_plan_date == date(2019, 3, 1)
    assert cases["reassessment"].request_type == "reassessment"
    assert cases["plan_day_140"].request_type == "initial"
    assert cases["transferred_in"].transferred_in_from == "936"
    assert (cases["ceased"].cease_date, cases["ceased"].cease_reason) == (date(p, 10, 1), "2")
    assert cases["plan_day_140"].primary_need == "ASD"
    assert historical.primary_need == ("DS" if year >= 2025 else "SLCN")
    later = year >= 2025
    assert historical.phase_transfer_due_date == (date(year, 2, 15) if later else None)
    assert historical.person_ref == cases["reassessment"].person_ref


@pytest.mark.parametrize("year", YEARS)
def test_overturned_refusal_withdrawal_and_move_out_leave_no_open_clock(year):
    # The plan that followed the overturned refusal has its own annual review clock, which is not the request's.
    result, cases = imported(year)
    for label in ("overturned_refusal", "withdrawn", "assessment_withdrawn", "moved_out"):
        case = cases[label]
        reviews = [review for review in result.reviews if review.case_ref == case.case_ref]
        clocks = case_clocks(case, reviews, TODAY)
        assert [c for c in clocks if c.is_open and c.rule_id != "annual_review_12m"] == [], label


def test_case_references_are_hmacs_of_the_identifiers_and_the_received_date_and_never_the_identifiers():
    result, cases = imported(2026)
    assert cases["plan_day_140"].case_ref == expected_ref("UPN:A000000000001", "2025-01-06")
    assert cases["transferred_in"].case_ref == expected_ref("ULN:1234567890", "H:2024-09-01")  # no received date
    born = date(2012, 5, 2).toordinal() + 17
    ceased_key = f"NAME:surname17|forename17|{date.fromordinal(born).isoformat()}"
    assert cases["ceased"].case_ref == expected_ref(ceased_key, "2024-02-01")
    stored = repr(result.rows) + repr(result.reviews)
    for secret_value in ("A000000000001", "1234567890", "Surname17", "Forename1", "2012-05-"):
        assert secret_value not in stored


@pytest.mark.parametrize("secret", [bytes(range(32)), b"k" * 64, b"a key longer than a block " * 4, b""])
def test_pseudonyms_are_hmac_sha256_for_keys_of_any_length(secret):
    header, people, labels = every_state(2026)
    result = read(write_xml(header, people), secret=secret)
    case = dict(zip(labels, result.rows, strict=True))["plan_day_140"]
    digest = hmac.new(secret, b"UPN:A000000000001|2025-01-06", hashlib.sha256).hexdigest()[:20]
    assert case.case_ref == f"S2-{digest}"
    assert case.person_ref == "P-" + hmac.new(secret, b"UPN:A000000000001", hashlib.sha256).hexdigest()[:20]


def test_the_same_return_gives_the_same_references_and_another_secret_other_references():
    first, again = imported(2026)[0], imported(2026)[0]
    header, people, _labels = every_state(2026)
    other = read(write_xml(header, people), secret=b"another partnership's secret")
    assert [case.case_ref for case in first.rows] == [case.case_ref for case in again.rows]
    assert not {case.case_ref for case in first.rows} & {case.case_ref for case in other.rows}


def test_personal_data_is_named_as_dropped():
    result, _cases = imported(2026)
    assert result.dropped_columns == [
        "Surname",
        "Forename",
        "PersonBirthDate",
        "Sex",
        "Ethnicity",
        "PostCode",
        "UPN",
        "UniqueLearnerNumber",
    ]
    assert "GenderCurrent" in read(write_xml(*every_state(2023)[:2])).dropped_columns


# Clocks and measures, worked out by hand for the 2026 return (P = 2025)


def by_measure(result, year: int) -> dict[str, tuple[int, int]]:
    values = compute_annual_measures(result.rows, result.reviews, TODAY)
    return {v.measure_id: (v.numerator, v.denominator) for v in values if v.period == str(year)}


@pytest.mark.parametrize("form", ["xml", "blade"])
@pytest.mark.parametrize("year", YEARS)
def test_measures_of_the_period_match_hand_worked_numbers(year, form):
    result, _cases = imported(year, form)
    p = year - 1
    got = by_measure(result, p)
    # Requests received in P (initial, not historical): every request of January P and the one of 20 December
    # (12); the re-assessment is not an initial request.
    assert got["requests_received"] == (12, 12)
    # Decisions dated in P: days 42, 40, 30, 30, 30, 31 (the overturned refusal), 30, 30 in time, day 43 late;
    # the child who moved out is left out.
    assert got["decision_6wk"] == (8, 9)
    assert got["decision_16wk_no_plan"] == (1, 2)  # day 112 in time, day 113 late
    # Plans issued in P, no mediation or tribunal: days 140 (in), 141, 364, 365 and 200 (exception).
    assert got["ehcp_20wk_incl"] == (1, 5)
    assert got["ehcp_20wk_excl"] == (1, 4)
    assert got["ehcp_over_52wk_excl"] == (1, 4)  # day 365 only: day 364 is not more than 52 weeks
    # New plans by start date: the five above, the mediation case and the overturned refusal.
    assert got["new_plans"] == (7, 7)
    assert got["reassessment_14wk"] == (1, 1)  # decided 10 April, plan 17 July: day 98
    # The ceased plan (started 31 May P-1) was due a review by 30 May P and had none before it ceased on 1 Oct.
    assert got["annual_review_on_time"] == (0, 1)
    if year >= 2026:
        # Review decisions in P: 19 days after the historical plan's meeting, 27 after the 29 February plan's.
        assert got["review_decision_4wk"] == (2, 2)
        # Plans started before P, not ceased by its end: the 2019, 1 Sept P-1 and 29 Feb 2024 plans; two decided.
        assert got["review_completed_in_year"] == (2, 3)
    else:
        assert got["review_decision_4wk"] == (1, 1)  # the 29 February plan's review is in 2025, after P
        assert got["review_completed_in_year"] == (1, 2)  # the 29 February plan starts after P
    assert got["amended_plan_8wk"] == (0, 0)  # a SEN2 return records no final amended plan


def test_phase_transfer_final_on_14_february_is_on_time_from_the_2025_layout():
    for year in (2025, 2026):
        result, _cases = imported(year)
        assert by_measure(result, year)["phase_transfer_on_time"] == (1, 1)
    result, _cases = imported(2024)
    assert by_measure(result, 2024).get("phase_transfer_on_time", (0, 0)) == (0, 0)


def test_leap_day_plan_review_on_28_february_is_the_last_day_of_its_12_months():
    result, cases = imported(2026)
    case = cases["leap_day_review"]
    reviews = [review for review in result.reviews if review.case_ref == case.case_ref]
    assert [(r.meeting_date, r.decision_date, r.outcome, r.draft_date) for r in reviews] == [
        (date(2025, 2, 28), date(2025, 3, 27), "amend", date(2025, 3, 27))
    ]
    clocks = [c for c in case_clocks(case, reviews, TODAY) if c.rule_id == "annual_review_12m"]
    # History before the data is unknown: the next period starts at the decision, 27 March 2025.
    assert [(c.start, c.due) for c in clocks] == [(date(2025, 3, 27), date(2026, 3, 26))]


def test_2023_layout_review_decision_stands_for_the_meeting_and_says_so():
    result, cases = imported(2023)
    review = next(r for r in result.reviews if r.case_ref == cases["historical"].case_ref)
    assert review.meeting_date == review.decision_date == date(2022, 3, 20)
    assert any("LastReview" in note for note in result.notes)


# Element names in any case, children in any order, true/false and 1/0


def test_element_names_are_matched_without_regard_to_case_and_active_plan_children_in_any_order():
    header, people, labels = every_state(2026)
    text = write_xml(header, people, shuffle_active_plans=True).decode()
    text = text.replace("<ReceivedDate>", "<RECEIVEDDATE>").replace("</ReceivedDate>", "</RECEIVEDDATE>")
    text = text.replace("<Person>", "<person>").replace("</Person>", "</person>")
    text = text.replace("<SENtype>", "<SENType>").replace("</SENtype>", "</SENType>")
    result = read(text.encode())
    assert result.errors == []
    assert [case.case_ref for case in result.rows] == [case.case_ref for case in imported(2026)[0].rows]


def test_person_elements_in_an_unusual_case_are_still_read():
    header, people, _labels = every_state(2026)
    text = write_xml(header, people).decode().replace("<Person>", "<PeRsOn>").replace("</Person>", "</PeRsOn>")
    assert len(read(text.encode()).rows) == len(imported(2026)[0].rows)


def test_blade_booleans_may_be_1_and_0():
    header, people, _labels = every_state(2026)
    result = read(write_blade_zip(header, people, booleans=("1", "0")))
    assert result.errors == []
    assert sum(case.exception for case in result.rows) == 1


# Problems: every one listed by person and element, or module file, row and column; nothing kept


def test_every_problem_is_listed_by_person_and_element_and_nothing_is_kept():
    text = write_xml(
        Header(2026, LEA, date(2026, 1, 15)),
        [
            person(1, Request(date(2025, 2, 28), "Y")),
            person(
                2,
                Request(date(2025, 1, 5), "Q"),
                Request(date(2025, 3, 5), "Y", assessment=Assessment("Y", week20=True)),
            ),
            person(3, Request(None, "Y")),
            person(4, Request(date(2025, 1, 5), "Y", exported="9999")),
        ],
    ).decode()
    text = text.replace("<ReceivedDate>2025-02-28</ReceivedDate>", "<ReceivedDate>2025-02-30</ReceivedDate>")
    text = text.replace("<Week20>1</Week20>", "<Week20>maybe</Week20>")
    result = read(text.encode())
    assert [describe_error(error) for error in result.errors] == [
        "Person 1, Requests 1 › ReceivedDate (value '2025-02-30'): Enter a real date as year-month-day, "
        "for example 2025-02-03",
        "Person 2, Requests 1 › RequestOutcome (value 'Q'): Enter one of the 2026 codes: Y, N, W, A or H",
        "Person 2, Requests 2 › Assessment › Week20 (value 'maybe'): Enter 1 for yes or 0 for no",
        "Person 3, Requests 1 › ReceivedDate: Enter the date the request was received (only H may leave it out)",
        "Person 4, Requests 1 › Exported (value '9999'): Enter the council's 3-digit DfE code, like 805, "
        "or XXX when not known",
    ]
    assert result.rows == [] and result.reviews == []


def test_blade_problems_name_the_module_file_row_and_column():
    data = write_blade_zip(Header(2026, LEA, date(2026, 1, 15)), [person(1, Request(date(2025, 1, 5), "Q"))])
    result = read(data)
    (error,) = result.errors
    assert describe_error(error) == (
        "Blade-Export_15-01-2026_requests.csv, row 2, column requestoutcome (value 'Q'): "
        "Enter one of the 2026 codes: Y, N, W, A or H"
    )


def test_personal_data_is_never_repeated_in_an_error():
    data = write_xml(Header(2026, LEA, date(2026, 1, 15)), [person(1, Request(date(2025, 1, 5), "Y"))]).decode()
    data = data.replace(
        "<PersonBirthDate>2012-05-03</PersonBirthDate>", "<PersonBirthDate>2012-13-45</PersonBirthDate>"
    )
    (error,) = read(data.encode()).errors
    assert error.value == "" and "2012-13-45" not in describe_error(error)


def test_ds_is_refused_before_the_2025_collection():
    request = Request(date(2023, 1, 5), "Y", active_plan=ActivePlan(needs=[("DS", 1)]))
    result = read(write_xml(Header(2024, LEA, date(2024, 1, 18)), [person(1, request)]))
    assert [error.message for error in result.errors] == [
        "Enter one of the 2024 need codes (DS is a code only from the 2025 collection): "
        "SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, OTH"
    ]


def test_two_requests_of_one_person_on_the_same_day_are_refused():
    request = Request(date(2025, 1, 5), "A")
    result = read(write_xml(Header(2026, LEA, date(2026, 1, 15)), [person(1, request, Request(date(2025, 1, 5), "W"))]))
    assert [describe_error(e) for e in result.errors] == [
        "Person 1, Requests 2 › ReceivedDate: The same person has another request received on 2025-01-05 (person 1)"
    ]


def test_a_person_without_any_identifier_is_refused():
    nameless = person(1, Request(date(2025, 1, 5), "A"), upn=None)
    nameless.surname = ""
    result = read(write_xml(Header(2026, LEA, date(2026, 1, 15)), [nameless]))
    assert "no UPN, no ULN" in result.errors[0].message


# The whole file refused


def test_a_return_for_another_council_is_refused():
    header, people, _labels = every_state(2026)
    header.lea = "806"
    with pytest.raises(FileRejected, match="local authority 806 .* this partnership's local authority is 805"):
        read(write_xml(header, people))


def test_a_pilot_return_and_a_return_without_a_header_are_refused():
    header, people, _labels = every_state(2026)
    header.year = 2022
    with pytest.raises(FileRejected, match="2022 collection"):
        read(write_xml(header, people))
    with pytest.raises(FileRejected, match="no header"):
        read(b"<Message><Persons><Person><UPN>A1</UPN></Person></Persons></Message>")


@pytest.mark.parametrize(
    "data",
    [b"", b"not xml at all", b"<Message><Persons><Person>", b"<Other/>"],
)
def test_files_that_are_not_sen2_xml_are_refused(data):
    with pytest.raises(FileRejected):
        read(data)


def test_a_zip_without_the_person_or_requests_module_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Blade-Export_15-01-2026_sen2.csv", "sen2tableid,year,lea\r\n1,2026,805\r\n")
    with pytest.raises(FileRejected, match="no person or requests module file"):
        read(buffer.getvalue())


# Malicious XML: refused quickly, with a clear message


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">'
    b'<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">'
    b'<!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]>'
    b"<Message><Header><CollectionDetails><Collection>SEN2</Collection><Year>2026</Year></CollectionDetails>"
    b"<Source><LEA>805</LEA></Source></Header><Persons><Person><Surname>&i;</Surname></Person></Persons></Message>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<Message><Persons><Person><Surname>&x;</Surname></Person></Persons></Message>"
)


class DeepNesting(io.RawIOBase):
    """A file of 1 GB of opening tags, made up as it is read: nothing that big is ever built."""

    def __init__(self, size: int = 1 << 30) -> None:
        self.left = size
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.left)
        chunk = (b"<a>" * (count // 3 + 1))[:count]
        buffer[:count] = chunk
        self.left -= count
        self.served += count
        return count


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["entity-expansion", "external-entity"])
def test_a_document_type_declaration_is_refused_before_any_entity_is_expanded(data):
    started = time.perf_counter()
    with pytest.raises(FileRejected, match="declares a document type"):
        read(data)
    assert time.perf_counter() - started < 5  # nothing was expanded (a generous bound for a loaded machine)


def test_a_gigabyte_of_nesting_is_refused_after_reading_a_few_kilobytes():
    stream = DeepNesting()
    with pytest.raises(FileRejected, match="nested far deeper"):
        read(io.BufferedReader(stream), max_bytes=2 << 30)
    assert stream.served < 1 << 20


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "return.xml"
    path.write_bytes(write_xml(*every_state(2026)[:2]))
    with pytest.raises(FileRejected, match="too large"):
        read_sen2(path, today=TODAY, secret=SECRET, la_code=LEA, max_bytes=1000)
    with pytest.raises(FileRejected, match="too large"):
        read(io.BufferedReader(DeepNesting(5000)), max_bytes=1000)


def test_a_zip_that_inflates_past_the_limit_is_refused_before_inflating():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Blade-Export_15-01-2026_person.csv", "persontableid\r\n" + "1\r\n" * 2_000_000)
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(FileRejected, match="unpacked"):
        read(buffer.getvalue(), max_bytes=1_000_000)


def test_a_return_read_from_a_path_streams_and_gives_the_same_cases(tmp_path):
    header, people, _labels = every_state(2026)
    path = tmp_path / "return.xml"
    path.write_bytes(write_xml(header, people))
    from_path = read_sen2(path, today=TODAY, secret=SECRET, la_code=LEA)
    assert from_path.rows == imported(2026)[0].rows


def test_plan_named_without_a_start_uses_its_outcome_date_for_the_20_week_clock():
    request = Request(
        date(2025, 1, 6), "Y", date(2025, 2, 1), assessment=Assessment("Y", date(2025, 5, 26), plan=NamedPlan(None))
    )
    (case,) = read(write_xml(Header(2026, LEA, date(2026, 1, 15)), [person(1, request)])).rows
    assert (case.assessment_outcome_date, case.final_plan_date) == (date(2025, 5, 26), None)
