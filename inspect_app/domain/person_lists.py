"""The Ofsted/CQC area SEND person-level lists: the template as data, and every rule a list must pass.

In the first days after notification a local area sends inspectors its lists of the children and young people
with an EHC plan (List 1) and on SEN support (List 2) in Ofsted and CQC's template (reference
sen2-and-person-level-lists.md Part B). The template's columns and allowed values are data
(`frameworks/person-level-lists/*.yml`), because the June 2025 revision is not yet confirmed [U]; the rules
are code, numbered as Data to Insight's validator numbers them (101a … 109 for List 1, 2xx for List 2) where
they come from it, and with our own codes otherwise.

Nothing here keeps a value from a list: an `Issue` names the list, the spreadsheet row, the column and the rule,
never the cell's content, so the validation summary can be stored and logged without personal data. The
checked rows (values normalised: codes in the template's spelling, dates as dates) live only in the
`CheckResult` the caller holds in memory to write the clean file.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "frameworks" / "person-level-lists"
DEFAULT_TEMPLATE = TEMPLATES_DIR / "annex-a-2023.yml"
KINDS = ("text", "upn", "uln", "date", "code", "urn", "count", "percent")
ERROR, QUERY = "error", "query"

EHC_PLANS_BEGAN = date(2014, 9, 1)  # Children and Families Act 2014 Part 3 in force: no EHC plan is older
REVIEW_PERIOD_DAYS = 366  # a plan's review is due within 12 months of the last one (CFA 2014 s.44)
WINDOW_MONTHS = 6  # suspensions, exclusions and absence cover the 6 months before the request (B4)


# --- The template as data -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    key: str
    name: str  # the exact header, en dashes and all
    kind: str
    values: tuple[str, ...] = ()
    required: bool = False
    status: str = "C"


@dataclass(frozen=True, slots=True)
class ListSpec:
    id: str
    number: int
    title: str
    sheet_names: tuple[str, ...]
    status: str
    columns: tuple[ColumnSpec, ...]

    @property
    def sheet_name(self) -> str:
        """The sheet name the clean file uses."""
        return self.sheet_names[0]

    def column(self, key: str) -> ColumnSpec | None:
        return next((column for column in self.columns if column.key == key), None)


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    id: str
    title: str
    status: str
    note: str
    lists: tuple[ListSpec, ...]

    def list(self, list_id: str) -> ListSpec:
        return next(spec for spec in self.lists if spec.id == list_id)


def load_template(path: Path = DEFAULT_TEMPLATE) -> TemplateSpec:
    """Read a person-level list template file; raise ValueError naming what is wrong with it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return template_from_dict(data)


def template_from_dict(data: dict[str, Any]) -> TemplateSpec:
    """Build a template from its parsed YAML, checking that every column names a known kind and value set."""
    value_sets = {key: tuple(str(v) for v in entry["values"]) for key, entry in data["value_sets"].items()}
    lists = []
    for item in data["lists"]:
        columns = []
        for column in item["columns"]:
            if column["kind"] not in KINDS:
                raise ValueError(f"{item['id']}: column {column['name']!r} has an unknown kind {column['kind']!r}")
            values: tuple[str, ...] = ()
            if column["kind"] == "code":
                if column.get("values") not in value_sets:
                    raise ValueError(f"{item['id']}: column {column['name']!r} names no known value set")
                values = value_sets[column["values"]]
            columns.append(
                ColumnSpec(
                    key=column["key"],
                    name=str(column["name"]),
                    kind=column["kind"],
                    values=values,
                    required=bool(column.get("required", False)),
                    status=column.get("status", "C"),
                )
            )
        lists.append(
            ListSpec(
                id=item["id"],
                number=int(item["number"]),
                title=item["title"],
                sheet_names=tuple(str(name) for name in item["sheet_names"]),
                status=item.get("status", "C"),
                columns=tuple(columns),
            )
        )
    return TemplateSpec(
        id=data["id"], title=data["title"], status=data["status"], note=data.get("note", ""), lists=tuple(lists)
    )


# --- The rules --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: str
    description: str  # one sentence, no values: it is stored and shown as it is
    fixed_in_output: bool = False


def _d2i(number: str, severity: str, description: str) -> dict[str, Rule]:
    """The same Data to Insight rule for List 1 (1xx) and List 2 (2xx)."""
    return {f"{list_no}{number}": Rule(f"{list_no}{number}", severity, description) for list_no in "12"}


RULES: dict[str, Rule] = {
    "L01": Rule("L01", ERROR, "No sheet or file could be recognised as one of the template's lists"),
    "L02": Rule("L02", ERROR, "The same list was given twice"),
    "C01": Rule("C01", ERROR, "A column the template requires is missing"),
    "C02": Rule("C02", QUERY, "The column's name differs from the template's exact wording", True),
    "C03": Rule("C03", QUERY, "The column is not in the template and is left out of the clean file", True),
    "C04": Rule("C04", QUERY, "The columns are not in the template's order", True),
    "V01": Rule("V01", ERROR, "The value is not one of the template's allowed values"),
    "V02": Rule("V02", QUERY, "The value is written without the template's letter", True),
    "F01": Rule("F01", ERROR, "The date is not a real date written as DD/MM/YYYY"),
    "F02": Rule("F02", ERROR, "A URN is 6 digits"),
    "F03": Rule("F03", ERROR, "A UPN is 13 characters: a letter, 11 digits, then a digit or a letter"),
    "F04": Rule("F04", ERROR, "The UPN's check letter does not match its other characters"),
    "F05": Rule("F05", ERROR, "A ULN is 10 digits whose last digit is a check digit"),
    "F06": Rule("F06", ERROR, "Enter a whole number of 0 or more"),
    "F07": Rule("F07", ERROR, "Enter the absence as a percentage from 0 to 100"),
    "W01": Rule("W01", ERROR, "An EHC plan cannot have been issued before 1 September 2014"),
    "W02": Rule("W02", QUERY, "The plan was last reviewed more than 12 months before the check date"),
    "D01": Rule("D01", ERROR, "The Unique ID appears more than once in the list"),
    "D02": Rule("D02", ERROR, "The child or young person is in both List 1 and List 2"),
    "X01": Rule("X01", ERROR, "A social care team is given for someone not known to children's social care"),
    "X02": Rule("X02", QUERY, "Known to children's social care, but no team is given"),
    "X03": Rule("X03", QUERY, "Electively home educated, but a main establishment URN is given"),
    "X04": Rule("X04", QUERY, "The main establishment has a URN without a phase, or a phase without a URN"),
    "X05": Rule("X05", QUERY, "No Unique ID: inspectors use it to ask about a child"),
    **_d2i("01a", ERROR, "Date of birth is missing"),
    **_d2i("01b", ERROR, "Gender is missing"),
    **_d2i("01c", ERROR, "Ethnicity is missing"),
    **_d2i("01d", ERROR, "SEN primary need is missing"),
    **_d2i("02a", QUERY, "Aged exactly 25: check the plan or support is still current"),
    **_d2i("02b", ERROR, "Aged 26 or over: too old to be on the list"),
    **_d2i("03", ERROR, "Disability status is missing"),
    "105a": Rule("105a", ERROR, "Date of birth is in the future"),
    "105b": Rule("105b", ERROR, "Date initial EHC plan issued is in the future"),
    "105c": Rule("105c", ERROR, "Date updated EHC plan issued is in the future"),
    "105d": Rule("105d", ERROR, "Date EHC plan last reviewed is in the future"),
    "205a": Rule("205a", ERROR, "Date of birth is in the future"),
    "106a": Rule("106a", ERROR, "The initial plan is dated after the updated plan"),
    "106b": Rule("106b", ERROR, "The initial plan is dated after the last review"),
    **_d2i("07", ERROR, "Aged 6 or over with neither a UPN nor a ULN"),
    **_d2i("08a", ERROR, "Aged 5 to 16 with no main or subsidiary education establishment"),
    **_d2i("08b", ERROR, "A subsidiary establishment is given but no main establishment"),
    **_d2i("09", ERROR, "The UPN appears more than once in the list"),
}

# Required columns: the D2I code for a blank cell, by list number and column key.
_MISSING = {"date_of_birth": "01a", "gender": "01b", "ethnicity": "01c", "primary_need": "01d", "disability": "03"}
_FUTURE = {"date_of_birth": "a", "initial_plan_date": "b", "updated_plan_date": "c", "last_review_date": "d"}


# --- Input and results ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SheetInput:
    """One sheet (or one CSV file) as read: its name, header cells and data rows, cells as text or dates."""

    source: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    first_row: int = 2  # spreadsheet row number of rows[0]


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem: which list, row (as the spreadsheet numbers it) and column, and the rule. Never a value."""

    code: str
    list_id: str | None
    row: int | None
    column: str

    @property
    def rule(self) -> Rule:
        return RULES[self.code]

    @property
    def severity(self) -> str:
        return self.rule.severity

    @property
    def message(self) -> str:
        return self.rule.description


@dataclass
class CheckedList:
    """A list as checked: its template, where it came from, and each row's normalised values by column key."""

    spec: ListSpec
    source: str
    rows: list[dict[str, object]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)


@dataclass
class CheckResult:
    template: TemplateSpec
    as_of: date
    lists: list[CheckedList] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == ERROR]

    @property
    def queries(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == QUERY]

    @property
    def ok(self) -> bool:
        """True when nothing must be fixed before the lists are sent (queries may remain)."""
        return not self.errors

    def checked(self, list_id: str) -> CheckedList | None:
        return next((checked for checked in self.lists if checked.spec.id == list_id), None)

    def summary(self) -> dict[str, Any]:
        """The validation summary that may be stored: counts, rule codes and row numbers, nothing personal."""
        grouped: dict[tuple[str, str | None, str], list[int]] = defaultdict(list)
        for issue in self.issues:
            rows = grouped[(issue.code, issue.list_id, issue.column)]
            if issue.row is not None:
                rows.append(issue.row)
        rules = [
            {
                "code": code,
                "severity": RULES[code].severity,
                "list": list_id,
                "column": column,
                "count": max(len(rows), 1),
                "rows": sorted(rows),
            }
            for (code, list_id, column), rows in grouped.items()
        ]
        rules.sort(key=lambda item: (item["severity"] != ERROR, item["list"] or "", _code_key(item["code"])))
        return {
            "template": self.template.id,
            "as_of": self.as_of.isoformat(),
            "lists": [{"list": c.spec.id, "source": c.spec.sheet_name, "rows": len(c.rows)} for c in self.lists],
            "errors": len(self.errors),
            "queries": len(self.queries),
            "rules": rules,
        }


def _code_key(code: str) -> tuple[str, str]:
    return (code[:1].isdigit() and "0" or code[:1], code)


# --- Reading values -----------------------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_UPN = re.compile(r"[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]")
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S
_ULN = re.compile(r"\d{10}")
_URN = re.compile(r"\d{6}")
_WHOLE = re.compile(r"\d+")
_NUMBER = re.compile(r"\d+(\.\d+)?")


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_date(value: object) -> date | None:
    """A real date cell, or text written DD/MM/YYYY; None if it is neither."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DMY.fullmatch(text) or _DMY.fullmatch(text.split(" ")[0])  # "31/12/2024 00:00" as Excel writes
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def upn_check_letter(upn: str) -> str:
    """The check letter DfE puts first in a UPN: characters 2-13 weighted 2..13, summed, modulo 23."""
    total = 0
    for weight, char in enumerate(upn[1:13], start=2):
        total += weight * (int(char) if char.isdigit() else _UPN_LETTERS.index(char))
    return _UPN_LETTERS[total % 23]


def uln_valid(uln: str) -> bool:
    """A ULN is 10 digits; the last is 10 minus (the first nine weighted 10..2, modulo 11). [P]"""
    if not _ULN.fullmatch(uln):
        return False
    remainder = sum(int(digit) * weight for digit, weight in zip(uln[:9], range(10, 1, -1), strict=True)) % 11
    return remainder != 0 and 10 - remainder == int(uln[9])


def age_on(born: date, day: date) -> int:
    """Age in whole years on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def fold_text(text: str) -> str:
    """Compare-friendly text: NFKC, dashes and curly apostrophes made plain, spaces collapsed, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\u2010-\u2015\u2212-]", "-", text).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split()).lower()


def _without_letter(value: str) -> str:
    match = re.fullmatch(r"[a-z]\)\s*(.*)", value)
    return match.group(1) if match else value


# --- Checking ---------------------------------------------------------------------------------------------


def identify(sheet: SheetInput, template: TemplateSpec) -> ListSpec | None:
    """Which of the template's lists a sheet holds: by its name first, else by the columns only it has."""
    name = fold_text(Path(sheet.source).stem).replace("_", " ").replace("-", " ")
    for spec in template.lists:
        if any(fold_text(candidate).replace("_", " ") in name for candidate in spec.sheet_names):
            return spec
    headers = {fold_text(str(cell)) for cell in sheet.header if not blank(cell)}
    best: ListSpec | None = None
    best_key: tuple[int, int, int] = (0, 0, 0)
    for spec in template.lists:
        names = {fold_text(column.name) for column in spec.columns}
        others = [{fold_text(c.name) for c in other.columns} for other in template.lists if other is not spec]
        own = names.difference(*others)
        matched = len(headers & names)
        if matched < max(3, len(names) // 2) or (own and not headers & own):
            continue  # too few of its columns, or none of the columns only this list has
        key = (len(headers & own), matched, -len(names))
        if best is None or key > best_key:
            best, best_key = spec, key
    return best


def check_lists(sheets: Sequence[SheetInput], *, as_of: date, template: TemplateSpec | None = None) -> CheckResult:
    """Check every sheet against the template; return the issues and the normalised rows."""
    template = template or load_template()
    result = CheckResult(template=template, as_of=as_of)
    seen: dict[str, str] = {}
    for sheet in sheets:
        spec = identify(sheet, template)
        if spec is None:
            if sheet.rows or any(not blank(cell) for cell in sheet.header):
                result.ignored_sheets.append(sheet.source)
            continue
        if spec.id in seen:
            result.issues.append(Issue("L02", spec.id, None, ""))
            continue
        seen[spec.id] = sheet.source
        checked, issues = _check_sheet(sheet, spec, as_of)
        result.lists.append(checked)
        result.issues.extend(issues)
    if not result.lists:
        result.issues.append(Issue("L01", None, None, ""))
    result.issues.extend(_cross_list_issues(result))
    result.lists.sort(key=lambda checked: checked.spec.number)
    return result


def _match_columns(sheet: SheetInput, spec: ListSpec) -> tuple[dict[str, int], list[Issue]]:
    """Map each template column to its index in the sheet; report missing, misnamed, extra and out-of-order."""
    issues: list[Issue] = []
    exact = {str(cell).strip(): index for index, cell in enumerate(sheet.header) if not blank(cell)}
    folded = {fold_text(str(cell)): index for index, cell in enumerate(sheet.header) if not blank(cell)}
    found: dict[str, int] = {}
    for column in spec.columns:
        if column.name in exact:
            found[column.key] = exact[column.name]
        elif fold_text(column.name) in folded:
            found[column.key] = folded[fold_text(column.name)]
            issues.append(Issue("C02", spec.id, 1, column.name))
        else:
            issues.append(Issue("C01", spec.id, 1, column.name))
    used = set(found.values())
    for index, cell in enumerate(sheet.header):
        if not blank(cell) and index not in used:
            issues.append(Issue("C03", spec.id, 1, str(cell).strip()))
    order = [found[column.key] for column in spec.columns if column.key in found]
    if order != sorted(order):
        issues.append(Issue("C04", spec.id, 1, ""))
    return found, issues


def _check_sheet(sheet: SheetInput, spec: ListSpec, as_of: date) -> tuple[CheckedList, list[Issue]]:
    found, issues = _match_columns(sheet, spec)
    checked = CheckedList(spec=spec, source=sheet.source)
    for offset, raw in enumerate(sheet.rows):
        if all(blank(cell) for cell in raw):
            continue
        row_number = sheet.first_row + offset
        values: dict[str, object] = {}
        for column in spec.columns:
            index = found.get(column.key)
            cell = raw[index] if index is not None and index < len(raw) else None
            value, cell_issues = _check_cell(column, cell, spec, row_number)
            values[column.key] = value
            issues.extend(cell_issues)
        issues.extend(_check_row(values, spec, row_number, as_of, found))
        checked.rows.append(values)
        checked.row_numbers.append(row_number)
    issues.extend(_duplicates(checked))
    return checked, issues


def _check_cell(column: ColumnSpec, cell: object, spec: ListSpec, row: int) -> tuple[object, list[Issue]]:
    """Return the cell's normalised value (the text as given if it breaks a rule; None if blank) and its problems."""
    if blank(cell):
        if column.required:
            return None, [Issue(f"{spec.number}{_MISSING[column.key]}", spec.id, row, column.name)]
        return None, []
    if column.kind == "date":
        day = parse_date(cell)
        return (day, []) if day is not None else (cell, [Issue("F01", spec.id, row, column.name)])
    text = cell.strip() if isinstance(cell, str) else str(cell)
    value, code = _READERS[column.kind](column, text)
    return value, [Issue(code, spec.id, row, column.name)] if code else []


def _text(column: ColumnSpec, text: str) -> tuple[object, str | None]:
    return text, None


def _urn(column: ColumnSpec, text: str) -> tuple[object, str | None]:
    return text, None if _URN.fullmatch(text) else "F02"


def _upn(column: ColumnSpec, text: str) -> tuple[object, str | None]:
    upn = text.upper()  # kept even when wrong: duplicates and "has a UPN" still count it
    if not _UPN.fullmatch(upn):
        return upn, "F03"
    return upn, None if upn_check_letter(upn) == upn[0] else "F04"


def _uln(column: ColumnSpec, text: str) -> tuple[object, str | None]:
    return text, None if uln_valid(text) else "F05"


def _count(column: ColumnSpec, text: str) -> tuple[object, str | None]:
    return (int(text), None) if _WHOLE.fullmatch(text) else (text, "F06")


def _percent(column: ColumnSpec, text: str) -> tuple[object, str | None]:
    number = text.rstrip("%").strip()
    if _NUMBER.fullmatch(number) and float(number) <= 100:
        return float(number), None
    return text, "F07"


def _code(column: ColumnSpec, text: str) -> tuple[object, str | None]:
    folded = fold_text(text)
    for allowed in column.values:
        if fold_text(allowed) == folded:
            return allowed, None
    for allowed in column.values:
        if _without_letter(fold_text(allowed)) == folded and fold_text(allowed) != folded:
            return allowed, "V02"
    return text, "V01"


_READERS = {"text": _text, "code": _code, "urn": _urn, "upn": _upn, "uln": _uln, "count": _count, "percent": _percent}


def _row_issue(code: str, spec: ListSpec, row: int, column_key: str) -> Issue:
    column = spec.column(column_key)
    return Issue(code, spec.id, row, column.name if column else "")


def _check_row(values: dict[str, object], spec: ListSpec, row: int, as_of: date, found: dict[str, int]) -> list[Issue]:
    born = values.get("date_of_birth")
    age = age_on(born, as_of) if isinstance(born, date) else None
    issue = _Issues(spec, row)
    _date_rules(values, as_of, age, issue)
    _identity_rules(values, age, found, issue)
    _establishment_rules(values, age, issue)
    _social_care_rules(values, issue)
    return issue.found


class _Issues:
    """Collects one row's issues, naming each by its column key."""

    def __init__(self, spec: ListSpec, row: int) -> None:
        self.spec = spec
        self.row = row
        self.found: list[Issue] = []

    def __call__(self, code: str, column_key: str) -> None:
        if code in RULES:
            self.found.append(_row_issue(code, self.spec, self.row, column_key))


def _date_rules(values: dict[str, object], as_of: date, age: int | None, issue: _Issues) -> None:
    n = issue.spec.number
    for key, letter in _FUTURE.items():
        day = values.get(key)
        if isinstance(day, date) and day > as_of:
            issue(f"{n}05{letter}", key)
    if age is not None and age == 25:
        issue(f"{n}02a", "date_of_birth")
    elif age is not None and age >= 26:
        issue(f"{n}02b", "date_of_birth")
    initial, updated, reviewed = (values.get(k) for k in ("initial_plan_date", "updated_plan_date", "last_review_date"))
    if isinstance(initial, date):
        if initial < EHC_PLANS_BEGAN:
            issue("W01", "initial_plan_date")
        if isinstance(updated, date) and initial > updated:
            issue("106a", "updated_plan_date")
        if isinstance(reviewed, date) and initial > reviewed:
            issue("106b", "last_review_date")
    if isinstance(reviewed, date) and reviewed <= as_of and (as_of - reviewed).days > REVIEW_PERIOD_DAYS:
        issue("W02", "last_review_date")


def _identity_rules(values: dict[str, object], age: int | None, found: dict[str, int], issue: _Issues) -> None:
    has_identifier = not blank(values.get("upn")) or not blank(values.get("uln"))
    if age is not None and age >= 6 and not has_identifier and {"upn", "uln"} <= set(found):
        issue(f"{issue.spec.number}07", "upn")
    if "unique_id" in found and blank(values.get("unique_id")):
        issue("X05", "unique_id")


def _establishment_rules(values: dict[str, object], age: int | None, issue: _Issues) -> None:
    n = issue.spec.number
    main = not blank(values.get("main_urn")) or not blank(values.get("main_phase"))
    subsidiary = not blank(values.get("subsidiary_phase"))
    home_educated = values.get("elective_home_education") == "a) Yes"
    if age is not None and 5 <= age <= 16 and not main and not subsidiary and not home_educated:
        issue(f"{n}08a", "main_urn")
    if subsidiary and not main:
        issue(f"{n}08b", "subsidiary_phase")
    if home_educated and not blank(values.get("main_urn")):
        issue("X03", "main_urn")
    if blank(values.get("main_urn")) != blank(values.get("main_phase")) and not home_educated:
        issue("X04", "main_phase" if blank(values.get("main_phase")) else "main_urn")


def _social_care_rules(values: dict[str, object], issue: _Issues) -> None:
    known, team = values.get("known_to_social_care"), values.get("social_care_team")
    if known == "b) No" and not blank(team):
        issue("X01", "social_care_team")
    if known == "a) Yes" and blank(team):
        issue("X02", "social_care_team")


def _duplicates(checked: CheckedList) -> list[Issue]:
    """Every row after the first with the same Unique ID or UPN (D2I 109 keeps only one; we point at each)."""
    spec = checked.spec
    issues = []
    for key, code in (("unique_id", "D01"), ("upn", f"{spec.number}09")):
        counts = Counter(_identity(values.get(key)) for values in checked.rows if not blank(values.get(key)))
        for values, row in zip(checked.rows, checked.row_numbers, strict=True):
            if not blank(values.get(key)) and counts[_identity(values.get(key))] > 1:
                issues.append(_row_issue(code, spec, row, key))
    return issues


def _identity(value: object) -> str:
    return str(value).strip().upper()


def _cross_list_issues(result: CheckResult) -> list[Issue]:
    """Someone with an EHC plan is not on SEN support: flag List 2 rows whose UPN or Unique ID is in List 1."""
    first, second = result.checked("list_1"), result.checked("list_2")
    if first is None or second is None:
        return []
    keys = {
        (key, _identity(values.get(key)))
        for values in first.rows
        for key in ("upn", "unique_id")
        if not blank(values.get(key))
    }
    issues = []
    for values, row in zip(second.rows, second.row_numbers, strict=True):
        for key in ("upn", "unique_id"):
            if not blank(values.get(key)) and (key, _identity(values.get(key))) in keys:
                issues.append(_row_issue("D02", second.spec, row, key))
                break
    return issues


# --- Cross-check with the partnership's own case data -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseCounts:
    """What the partnership's case data says, for the same date and window as the lists."""

    as_of: date
    window_start: date
    cases: int
    earliest_request: date | None
    plans_issued: int  # requests whose plan was issued on or before as_of
    plans_issued_in_window: int
    requests_in_window: int
    requests_in_window_with_plan: int


@dataclass(frozen=True, slots=True)
class CrossCheckLine:
    key: str
    label: str
    list_count: int | None
    case_count: int
    explanation: str

    @property
    def difference(self) -> int | None:
        return None if self.list_count is None else self.list_count - self.case_count


def window_start(as_of: date, months: int = WINDOW_MONTHS) -> date:
    """The first day of the window of `months` months ending on `as_of` (same day of the month, or the last)."""
    year, month = divmod(as_of.year * 12 + as_of.month - 1 - months, 12)
    month += 1
    for day in (as_of.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def cross_check(result: CheckResult, counts: CaseCounts) -> tuple[CrossCheckLine, ...]:
    """Compare the lists' counts with the case data's, each difference with the likely reasons in plain words."""
    if counts.cases == 0:
        return ()
    first = result.checked("list_1")
    list_plans = len(first.rows) if first else None
    in_window = None
    if first is not None:
        days = [values.get("initial_plan_date") for values in first.rows]
        in_window = sum(1 for day in days if isinstance(day, date) and counts.window_start <= day <= counts.as_of)
    since = ""
    if counts.earliest_request:
        since = f" (the case data starts with requests made on {counts.earliest_request:%d/%m/%Y})"
    lines = [
        CrossCheckLine(
            "active_plans",
            "Children and young people with an EHC plan",
            list_plans,
            counts.plans_issued,
            _explain_active(list_plans, counts.plans_issued, since),
        ),
        CrossCheckLine(
            "new_plans_in_window",
            f"EHC plans first issued since {counts.window_start:%d/%m/%Y}",
            in_window,
            counts.plans_issued_in_window,
            _explain_new(in_window, counts.plans_issued_in_window),
        ),
        CrossCheckLine(
            "requests_in_window",
            f"Requests for an assessment since {counts.window_start:%d/%m/%Y}",
            None,
            counts.requests_in_window,
            f"{counts.requests_in_window_with_plan:,} of these requests have led to a plan so far; each of those "
            "children should be in List 1. The rest are still being assessed, were refused or withdrawn, and "
            "belong in neither list unless they are on SEN support (List 2).",
        ),
    ]
    return tuple(lines)


def _explain_active(list_count: int | None, case_count: int, since: str) -> str:
    if list_count is None:
        return "No List 1 was checked, so there is nothing to compare."
    if list_count == case_count:
        return "The counts agree."
    if list_count > case_count:
        return (
            f"The list has {list_count - case_count:,} more. Plans issued from requests made before the case data "
            f"begins are in the list but not in the case data{since}, as are children who moved into the area "
            "with a plan. If neither explains it, check the list for children whose plan has ended."
        )
    return (
        f"The list has {case_count - list_count:,} fewer. The case data counts every plan it has seen issued, "
        "including plans since ceased or transferred to another area, which the list rightly leaves out. If "
        "those do not explain it, children with a plan may be missing from the list."
    )


def _explain_new(list_count: int | None, case_count: int) -> str:
    if list_count is None:
        return "No List 1 was checked, so there is nothing to compare."
    if list_count == case_count:
        return "The counts agree."
    return (
        f"A difference of {abs(list_count - case_count):,}. The list dates each child's first plan; the case data "
        "dates plans issued after a request to this area. Children who arrived with a plan made elsewhere, "
        "re-assessments that issued a new plan, and plans since ceased explain most differences; otherwise check "
        "the dates in both."
    )


def issues_by_rule(issues: Iterable[Issue]) -> list[tuple[Rule, str | None, str, list[int]]]:
    """Group issues for display: each rule, list and column once, with its rows in order."""
    grouped: dict[tuple[str, str | None, str], list[int]] = defaultdict(list)
    for issue in issues:
        rows = grouped[(issue.code, issue.list_id, issue.column)]
        if issue.row is not None:
            rows.append(issue.row)
    ordered = sorted(
        grouped.items(), key=lambda item: (RULES[item[0][0]].severity != ERROR, item[0][1] or "", item[0][0])
    )
    return [(RULES[code], list_id, column, sorted(rows)) for (code, list_id, column), rows in ordered]
