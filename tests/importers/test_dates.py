"""Dates as councils and DfE write them: every accepted format, and never month-first."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from inspect_app.importers.dates import (
    ENTER_A_DATE,
    ENTER_DAY_FIRST,
    ENTER_FULL_YEAR,
    ENTER_REAL_DATE,
    DateError,
    distinct,
    parse_date,
    parse_date_column,
    whole_years_between,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-09-28", date(2022, 9, 28)),
        ("2022-9-8", date(2022, 9, 8)),
        ("28/09/2022", date(2022, 9, 28)),
        ("8/9/2022", date(2022, 9, 8)),
        ("08/9/2022", date(2022, 9, 8)),
        ("28-09-2022", date(2022, 9, 28)),
        ("28.09.2022", date(2022, 9, 28)),
        ("2022-Sep-28 00:00:00", date(2022, 9, 28)),
        ("2022-sep-28 00:00:00", date(2022, 9, 28)),
        ("2022-SEP-28", date(2022, 9, 28)),
        ("2022-09-28 00:00:00", date(2022, 9, 28)),
        ("2022-09-28T14:30:05", date(2022, 9, 28)),
        ("2022-09-28 14:30:05.123", date(2022, 9, 28)),
        ("28/09/2022 00:00", date(2022, 9, 28)),
        ("28/09/2022 23:59:59", date(2022, 9, 28)),
        ("28 Sep 2022", date(2022, 9, 28)),
        ("28-Sep-2022", date(2022, 9, 28)),
        ("28 September 2022", date(2022, 9, 28)),
        ("28 Sept 2022", date(2022, 9, 28)),
        ("  28/09/2022  ", date(2022, 9, 28)),
        ("29/02/2024", date(2024, 2, 29)),
    ],
)
def test_parse_date_reads_each_accepted_format(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["01/02/2023", "1/2/2023", "12/11/2023"])
def test_parse_date_reads_an_ambiguous_slash_date_day_first(text):
    day, month, year = (int(part) for part in text.split("/"))
    assert parse_date(text) == date(year, month, day)


@pytest.mark.parametrize("text", ["09/28/2022", "9/28/2022", "12/13/2023", "02/31/2024 00:00"])
def test_parse_date_refuses_a_month_first_date_when_the_second_number_cannot_be_a_month(text):
    with pytest.raises(DateError) as raised:
        parse_date(text)
    assert raised.value.message == ENTER_DAY_FIRST == "Enter the date as day/month/year, for example 31/12/2024"


@pytest.mark.parametrize("text", ["28/09/22", "1/2/23", "28-09-22", "28.09.22", "28 Sep 22", "28/09/22 00:00"])
def test_parse_date_refuses_a_two_digit_year(text):
    with pytest.raises(DateError) as raised:
        parse_date(text)
    assert raised.value.message == ENTER_FULL_YEAR


@pytest.mark.parametrize("text", ["31/02/2023", "29/02/2023", "00/01/2023", "32/13/2023", "2023-02-30", "2023-13-01"])
def test_parse_date_refuses_a_date_that_does_not_exist(text):
    with pytest.raises(DateError) as raised:
        parse_date(text)
    assert raised.value.message == ENTER_REAL_DATE


@pytest.mark.parametrize(
    "text",
    [
        "yesterday",
        "2022/09/28",  # year first with slashes: not a format any export here uses
        "28/09/2022 25:00",
        "2022-Sek-28 00:00:00",
        "44832",  # an Excel serial number saved as text
        "28092022",
        "٢٠٢٢-٠٩-٢٨",  # digits other than 0-9
        "28/09/2022x",
        "N/A",
    ],
)
def test_parse_date_refuses_anything_else_asking_for_the_day_first_format(text):
    with pytest.raises(DateError) as raised:
        parse_date(text)
    assert raised.value.message == ENTER_A_DATE == "Enter a date in the format 31/12/2024"


@pytest.mark.parametrize("blank", ["", "   ", None, float("nan"), pd.NaT])
def test_parse_date_returns_none_for_a_blank_cell(blank):
    assert parse_date(blank) is None


def test_parse_date_takes_real_dates_from_spreadsheet_cells_ignoring_the_time():
    assert parse_date(datetime(2022, 9, 28, 15, 30)) == date(2022, 9, 28)
    assert parse_date(date(2022, 9, 28)) == date(2022, 9, 28)
    assert parse_date(pd.Timestamp("2022-09-28 10:00")) == date(2022, 9, 28)


@pytest.mark.parametrize("number", [44832, 44832.0, True])
def test_parse_date_refuses_a_number_cell(number):
    with pytest.raises(DateError):
        parse_date(number)


def test_parse_date_column_parses_every_row_and_marks_the_wrong_ones():
    column = parse_date_column(
        ["28/09/2022", "", "09/28/2022", "2022-Sep-28 00:00:00", "x", "28/09/2022", datetime(2022, 9, 28, 9, 0)]
    )

    september = date(2022, 9, 28)
    assert column.dates.tolist() == [september, None, None, september, None, september, september]
    assert column.days.dtype == np.dtype("datetime64[D]")
    assert np.isnat(column.days).tolist() == [False, True, True, False, True, False, False]
    assert column.bad.tolist() == [False, False, True, False, True, False, False]
    assert column.blank.tolist() == [False, True, False, False, False, False, False]
    assert column.errors.tolist() == [None, None, ENTER_DAY_FIRST, None, ENTER_A_DATE, None, None]


def test_parse_date_column_parses_each_distinct_value_once_and_shares_the_cache():
    cache: dict[object, object] = {}
    parse_date_column(["01/02/2023", "01/02/2023", "nonsense"], cache)
    parse_date_column(["01/02/2023", "03/02/2023"], cache)

    assert cache == {"01/02/2023": date(2023, 2, 1), "nonsense": ENTER_A_DATE, "03/02/2023": date(2023, 2, 3)}


def test_parse_date_column_reads_an_empty_column():
    column = parse_date_column([])

    assert column.dates.size == column.days.size == column.errors.size == column.bad.size == 0


def test_distinct_turns_missing_cells_into_the_blank_string():
    codes, uniques = distinct(np.array(["a", None, "b", "a", float("nan")], dtype=object))

    assert uniques[codes].tolist() == ["a", "", "b", "a", ""]


def test_whole_years_between_counts_a_birthday_on_the_day_itself():
    born = np.array(["2016-03-02", "2016-03-01", "2012-02-29", "2012-02-29", "NaT"], dtype="datetime64[D]")
    on = np.array(["2024-03-01", "2024-03-01", "2013-02-28", "2013-03-01", "2024-03-01"], dtype="datetime64[D]")

    ages = whole_years_between(born, on)

    assert ages[:4].tolist() == [7, 8, 0, 1]
    assert np.isnan(ages[4])
