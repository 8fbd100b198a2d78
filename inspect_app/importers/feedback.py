"""Read family feedback survey exports (Microsoft Forms, Google Forms, SurveyMonkey, SmartSurvey).

The files are read as each tool exports them:

- Microsoft Forms (XLSX): ID, Start time, Completion time, Email, Name, [Last modified time], then one
  column per question headed by its text; a Likert question has one column per statement.
- Google Forms (CSV or XLSX): Timestamp, [Email address], then one column per question; a grid question
  has one column per row, headed "Question [Row]".
- SurveyMonkey (CSV or XLSX): two header rows. Row 1 holds the question text, blank (or merged) over the
  question's further columns; row 2 holds "Response", "Open-Ended Response" or the sub-question/option.
  The two are combined into one name per column: "Question" for a single answer, "Question [Row]" for a
  matrix row or option. Respondent ID, Collector ID, Start Date, End Date, IP Address, Email Address,
  First Name, Last Name and Custom Data columns come first.
- SmartSurvey (CSV or XLSX): UserID, IP Address, Started, Ended, then questions; grids as "Question: Row".

Column names are matched to a `SurveyMapping` ignoring case, spacing and curly apostrophes; a name that
occurs twice gets " (2)" after it. Names, email addresses, IP addresses and the tool's other personal
columns are never read into a response: the respondent is known only by a hash of the tool's response id
(Google Forms has none, so its timestamp stands in), and free text is redacted (domain/redaction.py).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import pandas as pd

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.feedback import (
    DEFAULT_ANSWERS,
    POINT_LABELS,
    SCALE,
    ColumnRole,
    Comment,
    FeedbackResponse,
    LikertAnswer,
    SurveyItem,
    SurveyMapping,
    normalise_answer,
)
from inspect_app.domain.redaction import REDACTION_KINDS, merge_counts, redact
from inspect_app.importers.common import (
    FileRejected,
    ImportResult,
    RowError,
    is_xlsx,
    normalise_header,
    read_bytes,
    read_table,
)

Source = str | Path | IO[bytes] | bytes


@dataclass(frozen=True)
class SourceLayout:
    """What identifies one survey tool's export and which of its own columns it adds."""

    id: str
    label: str
    identifying: frozenset[str]  # normalised headers that together identify the tool
    respondent_id: str | None  # normalised header of the tool's response id
    submitted: str  # normalised header of the submission time
    metadata: frozenset[str]  # normalised headers of the tool's own columns (never answers)
    header_rows: int = 1


LAYOUTS: tuple[SourceLayout, ...] = (
    SourceLayout(
        id="surveymonkey",
        label="SurveyMonkey",
        identifying=frozenset({"respondent_id", "collector_id"}),
        respondent_id="respondent_id",
        submitted="end_date",
        metadata=frozenset(
            {
                "respondent_id",
                "collector_id",
                "start_date",
                "end_date",
                "ip_address",
                "email_address",
                "first_name",
                "last_name",
                "custom_data",
                "custom_data_1",
                "custom_data_2",
                "custom_data_3",
            }
        ),
        header_rows=2,
    ),
    SourceLayout(
        id="smartsurvey",
        label="SmartSurvey",
        identifying=frozenset({"userid", "started", "ended"}),
        respondent_id="userid",
        submitted="ended",
        metadata=frozenset(
            {"userid", "userno", "ip_address", "started", "ended", "name", "email", "unique_id", "tracking_link"}
        ),
    ),
    SourceLayout(
        id="microsoft_forms",
        label="Microsoft Forms",
        identifying=frozenset({"id", "start_time", "completion_time"}),
        respondent_id="id",
        submitted="completion_time",
        metadata=frozenset({"id", "start_time", "completion_time", "email", "name", "last_modified_time"}),
    ),
    SourceLayout(
        id="google_forms",
        label="Google Forms",
        identifying=frozenset({"timestamp"}),
        respondent_id=None,
        submitted="timestamp",
        metadata=frozenset({"timestamp", "email_address", "score"}),
    ),
)
LAYOUTS_BY_ID = {layout.id: layout for layout in LAYOUTS}
SOURCES = tuple(layout.id for layout in LAYOUTS)

# Headers (normalised) that hold a person's details whatever the tool, including the parts of
# SurveyMonkey's "Contact information" question. Never imported.
PERSONAL_HEADERS = frozenset(
    {
        "name",
        "full_name",
        "your_name",
        "first_name",
        "last_name",
        "surname",
        "forename",
        "email",
        "e_mail",
        "email_address",
        "your_email_address",
        "phone",
        "phone_number",
        "telephone",
        "telephone_number",
        "mobile",
        "mobile_number",
        "contact_number",
        "address",
        "address_2",
        "home_address",
        "city_town",
        "state_province",
        "zip_postal_code",
        "postcode",
        "post_code",
        "company",
        "date_of_birth",
        "dob",
        "upn",
        "nhs_number",
        "ip_address",
    }
)
NAME_HEADERS = frozenset({"name", "full_name", "your_name", "first_name", "last_name", "surname", "forename"})

SURVEYMONKEY_SINGLE_ANSWER = frozenset({"response", "open_ended_response"})
LONG_TEXT = 60  # characters: answers longer than this are free text, not a choice
GROUP_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("role", re.compile(r"\b(role|describes? you|are you an?|you are an?|relationship|capacity)\b")),
    ("age_band", re.compile(r"\b(age|ages|aged|how old|age band|age group)\b")),
    ("need", re.compile(r"\b(needs?|diagnos\w*|condition|disabilit\w*)\b")),
    ("setting", re.compile(r"\b(setting|school|college|nursery|education|provision)\b")),
)


@dataclass
class SurveyExport:
    """A survey export as one DataFrame: one column name per column, index = spreadsheet row number."""

    source: str
    frame: pd.DataFrame


@dataclass
class FeedbackImportResult(ImportResult[FeedbackResponse]):
    """Responses plus row errors; `redactions` counts what was removed from free text, per kind."""

    source: str = ""
    redactions: dict[str, int] = field(default_factory=dict)

    @property
    def respondents(self) -> int:
        return len(self.rows)


def detect_source(frame: pd.DataFrame) -> str:
    """Name the survey tool that exported the frame, from its header; raise FileRejected if none fits."""
    headers = {normalise_header(str(column)) for column in frame.columns}
    for layout in LAYOUTS:
        if layout.identifying <= headers:
            return layout.id
    labels = [layout.label for layout in LAYOUTS]
    tools = ", ".join(labels[:-1]) + " or " + labels[-1]
    raise FileRejected(
        f"The file is not a survey export this service can read. Export the responses from {tools} "
        "without changing the column headings"
    )


def read_survey_export(source: Source) -> SurveyExport:
    """Read a survey export, detect its tool and give each column one unique name."""
    raw = _read_table(source)
    raw.columns = _unmangle(list(raw.columns))
    tool = detect_source(raw)
    layout = LAYOUTS_BY_ID[tool]
    if layout.header_rows == 2:
        if raw.empty:
            raise FileRejected("The file has only one header row: a SurveyMonkey export has two")
        names = combine_surveymonkey_headers(list(raw.columns), [_cell_text(v) for v in raw.iloc[0]])
        frame = raw.iloc[1:].copy()
    else:
        names = [" ".join(str(name).split()) for name in raw.columns]
        frame = raw.copy()
    frame.columns = _unique(names)
    first_row = 1 + layout.header_rows
    frame.index = range(first_row, first_row + len(frame))
    frame = frame.loc[[any(_cell_text(v) for v in row) for row in frame.itertuples(index=False)]]
    frame = frame[[c for c in frame.columns if not (c.startswith("Unnamed column ") and _blank(frame[c]))]]
    if frame.empty:
        raise FileRejected("The file has no responses")
    return SurveyExport(source=tool, frame=frame)


def _read_table(source: Source) -> pd.DataFrame:
    """Read CSV with the shared reader, and XLSX here so that "N/A" and "NA" answers stay as written.

    `common.read_table` lets pandas turn XLSX cells reading N/A, NA, null or None into blanks, which would
    silently drop every "N/A" answer from a workbook export.
    """
    data = read_bytes(source)
    if not is_xlsx(data):
        return read_table(data)
    try:
        frame = pd.read_excel(io.BytesIO(data), dtype=object, header=0, engine="openpyxl", keep_default_na=False)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise FileRejected("The file looks like an Excel workbook but could not be read") from exc
    if frame.columns.empty:
        raise FileRejected("The file is empty")
    frame.columns = [str(column) for column in frame.columns]
    return frame.map(_xlsx_value)


def _xlsx_value(value: Any) -> Any:
    """Keep dates as dates, show whole-number floats without '.0', everything else as text."""
    value = _plain(value)
    if value is None or isinstance(value, datetime | date):
        return "" if value is None else value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def combine_surveymonkey_headers(questions: list[str], subs: list[str]) -> list[str]:
    """Combine SurveyMonkey's question row and sub-question row into one name per column.

    The question carries over blank (merged) cells; "Response" and "Open-Ended Response" add nothing;
    any other second-row text (a matrix row, an option, "Other (please specify)") is added in brackets.
    """
    names = []
    question = ""
    for index, (head, sub) in enumerate(zip(questions, subs, strict=True)):
        head = " ".join(str(head).split())
        sub = " ".join(str(sub).split())
        if head:
            question = head
        if not sub or normalise_header(sub) in SURVEYMONKEY_SINGLE_ANSWER:
            names.append(question or f"Unnamed column {index + 1}")
        else:
            names.append(f"{question} [{sub}]" if question else sub)
    return names


def suggest_mapping_for_file(
    source: Source, survey_items: Iterable[SurveyItem | Mapping[str, Any]] = ()
) -> tuple[str, SurveyMapping]:
    """Read an export and return its tool and a first mapping, for callers that keep away from pandas."""
    export = read_survey_export(source)
    return export.source, suggest_mapping(export.frame, survey_items)


def read_feedback(source: Source | SurveyExport, mapping: SurveyMapping) -> FeedbackImportResult:
    """Read a survey export with a confirmed mapping into responses, redacting free text.

    Raises FileRejected when the file is empty, from an unknown tool or lacks a mapped column, and
    ValidationFailed when the mapping would import a personal column. Every answer the mapping cannot
    place on the scale is a RowError; callers store nothing unless `result.ok`.
    """
    export = source if isinstance(source, SurveyExport) else read_survey_export(source)
    layout = LAYOUTS_BY_ID[export.source]
    frame = export.frame
    mapped = _resolve_columns(frame, mapping)
    _refuse_personal_columns(layout, mapped)
    result = FeedbackImportResult(source=export.source, redactions=dict.fromkeys(REDACTION_KINDS, 0))
    submitted = _find_column(frame, layout.submitted)
    used = {column for column, role in mapped.items() if role.role != "ignore"} | {submitted}
    result.dropped_columns = [column for column in frame.columns if column not in used]
    unmapped = [column for column in frame.columns if column not in mapped and not _is_tool_column(layout, column)]
    if unmapped:
        result.notes.append(
            f"{len(unmapped)} column(s) are not in the mapping and were not imported: " + "; ".join(unmapped)
        )
    reader = _RowReader(layout, frame, mapped, mapping, result)
    for row_number, record in zip(frame.index, frame.to_dict("records"), strict=True):
        row = {column: _plain(value) for column, value in record.items()}
        response = reader.read(int(row_number), row)
        if response is not None:
            result.rows.append(response)
    reader.finish()
    return result


class _RowReader:
    """Turns one row at a time into a response, collecting errors, redaction counts and notes."""

    def __init__(
        self,
        layout: SourceLayout,
        frame: pd.DataFrame,
        mapped: dict[str, ColumnRole],
        mapping: SurveyMapping,
        result: FeedbackImportResult,
    ) -> None:
        self.layout = layout
        self.mapped = mapped
        self.mapping = mapping
        self.result = result
        by_header = {normalise_header(column): column for column in frame.columns}
        self.id_column = by_header.get(layout.respondent_id) if layout.respondent_id else None
        self.submitted_column = by_header.get(layout.submitted)
        self.name_columns = [column for column in frame.columns if _is_name_column(column)]
        self.seen_ids: dict[str, int] = {}
        self.timestamp_occurrences: dict[str, int] = {}
        self.unreadable_times: list[int] = []
        self.skipped_empty = 0
        # Answers repeat (a handful of scale wordings, group answers): each distinct text is placed or
        # redacted once. 20,000 responses would otherwise mean 200,000 look-ups and regex passes.
        self._points: dict[str, str | None] = {}
        self._redacted: dict[tuple[str, tuple[str, ...]], Any] = {}

    def read(self, row_number: int, row: dict[str, Any]) -> FeedbackResponse | None:
        submitted_at = self._submitted_at(row_number, row)
        key = self._respondent_key(row_number, row, submitted_at)
        names = [_cell_text(row[column]) for column in self.name_columns]
        groups: dict[str, str] = {}
        answers: list[LikertAnswer] = []
        comments: list[Comment] = []
        answered = False
        for column, role in self.mapped.items():
            value = _cell_text(row[column])
            if not value or role.role == "ignore":
                continue
            answered = True
            if role.role == "likert":
                answer = self._likert(row_number, column, role, value, names)
                if answer is not None:
                    answers.append(answer)
            elif role.role == "free_text":
                comments.append(
                    Comment(column=column, criterion=role.criterion, text_redacted=self._redact(value, names))
                )
            elif role.role == "group":
                groups[role.group_kind] = self._redact(value, names)  # type: ignore[index]
        if not answered:
            self.skipped_empty += 1
            return None
        if key is None or not (groups or answers or comments):
            return None  # the row's errors say why
        return FeedbackResponse(
            respondent_key=key,
            submitted_at=submitted_at,
            groups=groups,
            answers=tuple(answers),
            comments=tuple(comments),
        )

    def finish(self) -> None:
        if self.skipped_empty:
            self.result.notes.append(f"{self.skipped_empty} response(s) had no answers and were skipped")
        if self.unreadable_times:
            rows = ", ".join(str(row) for row in self.unreadable_times)
            self.result.notes.append(
                f"The submission time could not be read in {len(self.unreadable_times)} row(s) ({rows}); "
                "those responses are imported without one"
            )

    def _respondent_key(self, row_number: int, row: dict[str, Any], submitted_at: datetime | None) -> str | None:
        if self.id_column is None:
            # Google Forms has no response id: its timestamp (with a counter for equal ones) is stable
            # between exports of the same form, as CSV or as XLSX.
            raw = _cell_text(row[self.submitted_column]) if self.submitted_column else ""
            stamp = submitted_at.replace(microsecond=0).isoformat() if submitted_at else raw
            if not stamp:
                self._error(row_number, self.submitted_column or "Timestamp", "", "The response has no timestamp")
                return None
            occurrence = self.timestamp_occurrences.get(stamp, 0) + 1
            self.timestamp_occurrences[stamp] = occurrence
            return respondent_key(self.layout.id, f"{stamp}#{occurrence}")
        identifier = _cell_text(row[self.id_column])
        if not identifier:
            self._error(row_number, self.id_column, "", f"The response has no {self.id_column}")
            return None
        if identifier in self.seen_ids:
            self._error(
                row_number,
                self.id_column,
                identifier,
                f"This {self.id_column} is also in row {self.seen_ids[identifier]}: each response must appear once",
            )
            return None
        self.seen_ids[identifier] = row_number
        return respondent_key(self.layout.id, identifier)

    def _submitted_at(self, row_number: int, row: dict[str, Any]) -> datetime | None:
        if self.submitted_column is None:
            return None
        try:
            return parse_timestamp(row[self.submitted_column], self.layout.id)
        except ValueError:
            self.unreadable_times.append(row_number)
            return None

    def _likert(
        self, row_number: int, column: str, role: ColumnRole, value: str, names: list[str]
    ) -> LikertAnswer | None:
        point = self._points.get(value, "")
        if point == "":
            point = self._points[value] = self.mapping.point_for(value)
        if point is None:
            # Errors are shown and downloaded: a comment mapped as a Likert item by mistake must not leak.
            shown = redact(value, names=names).text
            self._error(
                row_number,
                column,
                shown,
                f"This answer is not on the agree scale. Add {shown!r} to the mapping's answers with the scale "
                f"point it means ({', '.join(POINT_LABELS[p] for p in SCALE)}, Don't know or Not applicable)",
            )
            return None
        return LikertAnswer(column=column, survey_item=role.survey_item, criterion=role.criterion, point=point)

    def _redact(self, value: str, names: list[str]) -> str:
        key = (value, tuple(names))
        redacted = self._redacted.get(key)
        if redacted is None:
            redacted = self._redacted[key] = redact(value, names=names)
        merge_counts(self.result.redactions, redacted.counts)
        return redacted.text.strip()

    def _error(self, row: int, column: str, value: str, message: str) -> None:
        self.result.errors.append(RowError(row=row, column=column, value=value, message=message))


@dataclass(frozen=True)
class ColumnPreview:
    """One column of an export as the mapping page shows it: never a personal column's values."""

    name: str
    protected: bool  # the survey tool's own column or a person's details: can only be ignored
    answered: int  # rows with an answer in this column
    distinct: int
    samples: tuple[str, ...]  # up to three distinct answers, redacted and shortened


SAMPLE_LENGTH = 80


def preview_columns(export: SurveyExport, samples: int = 3) -> list[ColumnPreview]:
    """Describe each column for the mapping page: how many answered, and a few redacted sample answers."""
    layout = LAYOUTS_BY_ID[export.source]
    previews = []
    for column in export.frame.columns:
        protected = _is_tool_column(layout, column) or _is_personal(column)
        values = [text for text in (_cell_text(v) for v in export.frame[column]) if text]
        distinct = list(dict.fromkeys(values))
        shown: tuple[str, ...] = ()
        if not protected:
            shown = tuple(_shorten(redact(value).text) for value in distinct[:samples])
        previews.append(
            ColumnPreview(name=column, protected=protected, answered=len(values), distinct=len(distinct), samples=shown)
        )
    return previews


def unknown_answers(export: SurveyExport, mapping: SurveyMapping) -> dict[str, int]:
    """Return the answer wordings in the mapping's Likert columns that it cannot place, with how often each occurs.

    Wordings are returned as first written (redacted, in case free text was mapped as a Likert item by mistake),
    most frequent first, so a person can say where each sits on the scale.
    """
    mapped = _resolve_columns_present(export.frame, mapping)
    counts: dict[str, int] = {}
    shown: dict[str, str] = {}
    for column, role in mapped.items():
        if role.role != "likert":
            continue
        for value in export.frame[column]:
            text = _cell_text(value)
            if not text or mapping.point_for(text) is not None:
                continue
            key = normalise_answer(text)
            shown.setdefault(key, redact(text).text)
            counts[key] = counts.get(key, 0) + 1
    return {shown[key]: count for key, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))}


def missing_columns(export: SurveyExport, mapping: SurveyMapping) -> list[str]:
    """Return the columns the mapping imports that the export does not have."""
    by_key = {_column_key(column) for column in export.frame.columns}
    return [
        name for name, role in mapping.columns.items() if role.role != "ignore" and _column_key(name) not in by_key
    ]


def _resolve_columns_present(frame: pd.DataFrame, mapping: SurveyMapping) -> dict[str, ColumnRole]:
    by_key = {_column_key(column): column for column in frame.columns}
    return {by_key[_column_key(name)]: role for name, role in mapping.columns.items() if _column_key(name) in by_key}


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SAMPLE_LENGTH else text[: SAMPLE_LENGTH - 1].rstrip() + "…"


def respondent_key(source: str, respondent_id: str) -> str:
    """Return a stable, non-reversible key for a survey tool's response id (never a name or email)."""
    return hashlib.sha256(f"{source}\x1f{respondent_id}".encode()).hexdigest()[:32]


_ZONE_SUFFIX = re.compile(r"\s+(?:GMT|UTC|BST)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?$", re.IGNORECASE)
_TEXT_FORMATS = (
    "%Y/%m/%d %I:%M:%S %p",  # Google Forms download: 2024/06/03 9:15:02 am GMT+1
    "%Y/%m/%d %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",  # SmartSurvey, Google Sheets (UK), Excel (UK): day first
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %I:%M:%S %p",
    "%d/%m/%Y",
)
_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{1,2}):(\d{1,2})")
# SurveyMonkey writes US dates with a 12-hour clock; elsewhere a slash date is always read day first.
_SURVEYMONKEY_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p")


def parse_timestamp(value: Any, source: str) -> datetime | None:
    """Read a submission time as the tool wrote it (wall-clock time; a zone label is dropped).

    Raises ValueError for text in no known format rather than guessing between day and month first.
    """
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = _ZONE_SUFFIX.sub("", str(value).strip())
    if not text:
        return None
    if source != "surveymonkey":
        # The common day-first shape without strptime (slow: it checks the locale on every call); this is
        # exactly what "%d/%m/%Y %H:%M:%S", the first format that could match it, would give.
        match = _DAY_FIRST.fullmatch(text)
        if match:
            day, month, year, hour, minute, second = (int(part) for part in match.groups())
            try:
                return datetime(year, month, day, hour, minute, second)
            except ValueError:
                pass
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        pass
    formats = (_SURVEYMONKEY_FORMATS if source == "surveymonkey" else ()) + _TEXT_FORMATS
    for pattern in formats:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ValueError(f"unreadable timestamp {text!r}")


def suggest_mapping(frame: pd.DataFrame, survey_items: Iterable[SurveyItem | Mapping[str, Any]] = ()) -> SurveyMapping:
    """Propose a first mapping for a person to confirm.

    Tool and personal columns are ignored; a column whose answers are all on the default scale is a
    Likert item (linked to the survey item whose id or wording its header contains, otherwise to an item
    id made from the header); long or varied text is free text; a short-answer column whose header reads
    like role, age, need or setting is a group; anything else is ignored.
    """
    items = [_as_survey_item(item) for item in survey_items]
    try:
        layout: SourceLayout | None = LAYOUTS_BY_ID[detect_source(frame)]
    except FileRejected:
        layout = None
    columns: dict[str, ColumnRole] = {}
    kinds_used: set[str] = set()
    for column in frame.columns:
        name = str(column)
        values = [text for text in (_cell_text(v) for v in frame[column]) if text]
        role = _suggest_role(name, values, layout, items, kinds_used)
        if role.role == "group":
            kinds_used.add(role.group_kind)  # type: ignore[arg-type]
        columns[name] = role
    return SurveyMapping(columns=columns)


def _suggest_role(
    name: str, values: list[str], layout: SourceLayout | None, items: list[SurveyItem], kinds_used: set[str]
) -> ColumnRole:
    if (layout is not None and _is_tool_column(layout, name)) or _is_personal(name):
        return ColumnRole.ignore()
    on_scale = sum(normalise_answer(value) in DEFAULT_ANSWERS for value in values)
    if on_scale and on_scale * 2 >= len(values):
        # Mostly scale wordings: a Likert item. The odd wording ("Somewhat agree") becomes a row error on
        # import for a person to place on the scale, never a guess here.
        return _likert_for(name, items)
    distinct = set(values)
    if any(len(value) > LONG_TEXT for value in values) or (len(distinct) > 12 and len(distinct) * 2 > len(values)):
        return ColumnRole.free_text()
    lowered = normalise_answer(name)
    for kind, pattern in GROUP_PATTERNS:
        if kind not in kinds_used and pattern.search(lowered):
            return ColumnRole.group(kind)
    return ColumnRole.ignore()


def _likert_for(name: str, items: list[SurveyItem]) -> ColumnRole:
    header_key = normalise_header(name)
    wording = normalise_answer(name)
    for item in items:
        if item.id and item.id.casefold() in header_key:
            return ColumnRole.likert(item.id, item.criterion)
        if item.text and normalise_answer(item.text).rstrip(".!? ") in wording:
            return ColumnRole.likert(item.id, item.criterion)
    return ColumnRole.likert(survey_item=header_key[:80] or "item")


def _as_survey_item(item: SurveyItem | Mapping[str, Any]) -> SurveyItem:
    if isinstance(item, SurveyItem):
        return item
    return SurveyItem(
        id=str(item["id"]),
        criterion=item.get("criterion"),
        text=str(item.get("text") or item.get("statement") or ""),  # frameworks' survey-items.yml: statement
        audience=str(item.get("audience") or ""),
    )


def _resolve_columns(frame: pd.DataFrame, mapping: SurveyMapping) -> dict[str, ColumnRole]:
    """Pair each mapped column with the file's column of the same name (ignoring case and spacing)."""
    by_key = {_column_key(column): column for column in frame.columns}
    resolved: dict[str, ColumnRole] = {}
    missing = []
    for name, role in mapping.columns.items():
        column = by_key.get(_column_key(name))
        if column is None:
            if role.role != "ignore":
                missing.append(name)
            continue
        resolved[column] = role
    if missing:
        raise FileRejected([f"The file has no column {name!r}, which the mapping names" for name in missing])
    return resolved


def _refuse_personal_columns(layout: SourceLayout, mapped: dict[str, ColumnRole]) -> None:
    problems = [
        f"Column {column!r} holds the survey tool's or a person's details and can only be ignored"
        for column, role in mapped.items()
        if role.role != "ignore" and (_is_tool_column(layout, column) or _is_personal(column))
    ]
    if problems:
        raise ValidationFailed(problems)


def _find_column(frame: pd.DataFrame, header: str) -> str | None:
    return next((column for column in frame.columns if normalise_header(column) == header), None)


def _is_tool_column(layout: SourceLayout, column: str) -> bool:
    return normalise_header(column) in layout.metadata


def _is_personal(column: str) -> bool:
    """A personal header on its own, or as the part of a combined name ("Contact information [Email]")."""
    parts = [column]
    bracket = re.fullmatch(r".*\[(.+)\]\s*", column)
    if bracket:
        parts.append(bracket.group(1))
    return any(normalise_header(part) in PERSONAL_HEADERS for part in parts)


def _is_name_column(column: str) -> bool:
    bracket = re.fullmatch(r".*\[(.+)\]\s*", column)
    return normalise_header(bracket.group(1) if bracket else column) in NAME_HEADERS


def _column_key(name: str) -> str:
    return normalise_answer(name)


def _unmangle(columns: list[str]) -> list[str]:
    """Undo pandas' names for blank ("Unnamed: 3") and repeated ("Question.1") header cells."""
    result: list[str] = []
    for index, column in enumerate(columns):
        if column == f"Unnamed: {index}":
            result.append("")
            continue
        match = re.fullmatch(r"(.*)\.(\d+)", column)
        if match and match.group(1) in result:
            result.append(match.group(1))
            continue
        result.append(column)
    return result


def _unique(names: list[str]) -> list[str]:
    """Make names unique (ignoring case and spacing) by adding " (2)", " (3)"; name blank ones by position."""
    seen: dict[str, int] = {}
    result = []
    for index, name in enumerate(names):
        name = name or f"Unnamed column {index + 1}"
        key = _column_key(name)
        seen[key] = seen.get(key, 0) + 1
        result.append(name if seen[key] == 1 else f"{name} ({seen[key]})")
    return result


def _plain(value: Any) -> Any:
    """Turn pandas' date values back into Python ones (a column of XLSX dates comes back as datetime64)."""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if value is pd.NaT:
        return ""
    return value


def _cell_text(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _blank(series: pd.Series) -> bool:
    return not any(_cell_text(value) for value in series)


__all__ = [
    "LAYOUTS",
    "SOURCES",
    "ColumnPreview",
    "FeedbackImportResult",
    "SurveyExport",
    "combine_surveymonkey_headers",
    "detect_source",
    "missing_columns",
    "parse_timestamp",
    "preview_columns",
    "read_feedback",
    "read_survey_export",
    "respondent_key",
    "suggest_mapping",
    "suggest_mapping_for_file",
    "unknown_answers",
]
