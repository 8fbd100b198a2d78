"""The inspection framework as versioned data: read, check and serialise one framework version.

A version is a folder `frameworks/<framework-id>/<version>/` of YAML files (frameworks/README.md describes them),
each checked against its JSON Schema in `frameworks/schema/` and then against the others (every id a criterion
names must be defined, and so on). Checking reports every problem at once, so an administrator fixes a new
version in one pass. A loaded version is a tree of frozen dataclasses with a content hash, so the app can refuse
a version folder whose content changed under the same version number.

YAML is read with two departures from PyYAML's defaults, because both silently change what an author wrote:
dates stay text (they are checked against the schema's date format and parsed here), and only true/false are
booleans (`requested_at_notification: no` stays the word "no").
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from inspect_app.domain.errors import NotFound, ValidationFailed

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "frameworks" / "schema"
STATUSES = ("C", "P", "U")  # confirmed from a source, partly confirmed, unconfirmed
CONFIRMED = "C"

# file name -> (schema file, the collections it holds); every version holds all of these plus criteria/*.yml
FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "framework.yml": ("framework.schema.json", ()),
    "outcomes.yml": ("outcomes.schema.json", ("outcomes",)),
    "sections.yml": ("sections.schema.json", ("sections",)),
    "evidence-types.yml": ("evidence-types.schema.json", ("evidence_types",)),
    "measures.yml": ("measures.schema.json", ("measures",)),
    "survey-items.yml": ("survey-items.schema.json", ("survey_items",)),
    "statutory-rules.yml": ("statutory-rules.schema.json", ("statutory_exceptions", "statutory_rules")),
}
CRITERIA_DIR = "criteria"
CRITERION_SCHEMA = "criterion.schema.json"

# collection -> the noun used in messages
_NOUNS = {
    "outcomes": "outcome",
    "sections": "section",
    "criteria": "criterion",
    "evidence_types": "evidence type",
    "measures": "measure",
    "survey_items": "survey item",
    "statutory_exceptions": "statutory exception",
    "statutory_rules": "statutory rule",
}


# --- The model -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a framework version: the file (relative to the version folder), where, and what."""

    file: str
    path: str  # JSON-pointer-like: collection entries by id, lists by index, e.g. "criteria/EXP1/measures/2"
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}" if self.path else f"{self.file}: {self.message}"


class FrameworkInvalid(ValidationFailed):
    """A framework version failed validation; `problems` lists everything found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        super().__init__([str(problem) for problem in self.problems])


@dataclass(frozen=True, slots=True)
class Licence:
    name: str
    url: str
    attribution: str


@dataclass(frozen=True, slots=True)
class FollowUp:
    """What follows an inspection outcome."""

    description: str
    engagement_meetings: str
    next_full_inspection_within_years: int | None
    monitoring_inspection_after_months: int | None
    priority_action_plan_required: bool
    report_lists: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    label: str
    statement: str
    follow_up: FollowUp
    status: str


@dataclass(frozen=True, slots=True)
class Indicator:
    """One thing inspectors look for under a criterion, in our own words."""

    text: str
    status: str


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    section_id: str
    title: str
    status: str
    indicators: tuple[Indicator, ...]
    evidence_types: tuple[str, ...]
    measures: tuple[str, ...]
    survey_items: tuple[str, ...]
    keywords: tuple[str, ...]
    replaces: tuple[str, ...]  # ids of criteria in an older version that this one continues


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    description: str
    status: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class EvidenceType:
    id: str
    title: str
    description: str
    requested_at_notification: str  # yes | likely | no
    since: date | None
    template: str | None
    status: str


@dataclass(frozen=True, slots=True)
class DfeColumns:
    """Columns of a DfE file: numerator/denominator columns are summed; `value` is the figure itself."""

    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    value: str | None = None
    percent: str | None = None


@dataclass(frozen=True, slots=True)
class DfeComparator:
    dataset: str
    columns: DfeColumns
    legacy: DfeColumns | None  # the older aggregate files' names for the same columns
    earlier: DfeColumns | None = None  # the previous long-file release's names, where they differ


@dataclass(frozen=True, slots=True)
class MeasureDefinition:
    id: str
    title: str
    definition: str
    numerator: str | None
    denominator: str | None
    unit: str  # percent | count | weeks | rate | score
    period: str
    source: str  # case_data | dfe_publication | local_return | health_data | survey
    higher_is_better: bool | None
    rule: str | None  # the statutory rule the measure counts against
    dfe_comparator: DfeComparator | None
    status: str
    # A time limit in law (DESIGN.md "Readiness"): scored against the law, comparators are context only.
    duty: bool = False
    basis: str | None = None  # the law that sets it, e.g. "SEND Regulations 2014 reg 13(2)"


@dataclass(frozen=True, slots=True)
class SurveyItem:
    id: str
    audience: str  # parents_carers | children_young_people | practitioners
    statement: str
    criterion_id: str
    status: str


@dataclass(frozen=True, slots=True)
class Period:
    unit: str  # days | weeks | months
    length: int


@dataclass(frozen=True, slots=True)
class FixedDate:
    """A day in the calendar year of the rule's start event (15 February of the year of transfer)."""

    month: int
    day: int


@dataclass(frozen=True, slots=True)
class Clock:
    start: str
    period: Period


@dataclass(frozen=True, slots=True)
class StatutoryException:
    id: str
    title: str
    description: str
    basis: str
    status: str


@dataclass(frozen=True, slots=True)
class StatutoryRule:
    id: str
    title: str
    description: str
    start: str  # the event the clock runs from
    period: Period | None
    direction: str  # after | before the start event
    fixed_date: FixedDate | None
    or_if_later: Clock | None  # a second clock; the deadline is whichever ends later
    basis: str
    exceptions: tuple[str, ...]
    status: str


@dataclass(frozen=True, slots=True)
class ProvisionalItem:
    """An item whose wording or fact is not confirmed (status P or U)."""

    path: str
    kind: str
    status: str
    text: str


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    version: str
    title: str
    owners: tuple[str, ...]
    in_force_from: date
    source_url: str
    licence: Licence
    status: str
    outcomes: tuple[Outcome, ...]
    sections: tuple[Section, ...]
    evidence_types: tuple[EvidenceType, ...]
    measures: tuple[MeasureDefinition, ...]
    survey_items: tuple[SurveyItem, ...]
    statutory_exceptions: tuple[StatutoryException, ...]
    statutory_rules: tuple[StatutoryRule, ...]
    content_hash: str = field(default="")

    @property
    def label(self) -> str:
        """Name the version, e.g. "area-send 2025-06-06"."""
        return f"{self.id} {self.version}"

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """Return every criterion, in section order."""
        return tuple(criterion for section in self.sections for criterion in section.criteria)

    def criterion(self, criterion_id: str) -> Criterion:
        """Return the criterion with this id, or raise NotFound."""
        return _find(self.criteria, criterion_id, "criterion", self.label)

    def section(self, section_id: str) -> Section:
        """Return the section with this id, or raise NotFound."""
        return _find(self.sections, section_id, "section", self.label)

    def outcome(self, outcome_id: str) -> Outcome:
        """Return the outcome with this id, or raise NotFound."""
        return _find(self.outcomes, outcome_id, "outcome", self.label)

    def evidence_type(self, evidence_type_id: str) -> EvidenceType:
        """Return the evidence type with this id, or raise NotFound."""
        return _find(self.evidence_types, evidence_type_id, "evidence type", self.label)

    def measure(self, measure_id: str) -> MeasureDefinition:
        """Return the measure with this id, or raise NotFound."""
        return _find(self.measures, measure_id, "measure", self.label)

    def survey_item(self, survey_item_id: str) -> SurveyItem:
        """Return the survey item with this id, or raise NotFound."""
        return _find(self.survey_items, survey_item_id, "survey item", self.label)

    def statutory_rule(self, rule_id: str) -> StatutoryRule:
        """Return the statutory rule with this id, or raise NotFound."""
        return _find(self.statutory_rules, rule_id, "statutory rule", self.label)

    @property
    def provisional(self) -> tuple[ProvisionalItem, ...]:
        """Return every item whose status is not confirmed, in file order."""
        items: list[ProvisionalItem] = []
        if self.status != CONFIRMED:
            items.append(ProvisionalItem("framework", "framework", self.status, self.title))
        items.extend(_provisional("outcomes", "outcome", self.outcomes, lambda item: item.label))
        items.extend(_provisional("sections", "section", self.sections, lambda item: item.title))
        for criterion in self.criteria:
            items.extend(_provisional("criteria", "criterion", [criterion], lambda item: item.title))
            items.extend(
                ProvisionalItem(
                    f"criteria/{criterion.id}/indicators/{index}", "indicator", indicator.status, indicator.text
                )
                for index, indicator in enumerate(criterion.indicators)
                if indicator.status != CONFIRMED
            )
        items.extend(_provisional("evidence_types", "evidence_type", self.evidence_types, lambda item: item.title))
        items.extend(_provisional("measures", "measure", self.measures, lambda item: item.title))
        items.extend(_provisional("survey_items", "survey_item", self.survey_items, lambda item: item.statement))
        items.extend(
            _provisional(
                "statutory_exceptions", "statutory_exception", self.statutory_exceptions, lambda item: item.title
            )
        )
        items.extend(_provisional("statutory_rules", "statutory_rule", self.statutory_rules, lambda item: item.title))
        return tuple(items)


def _find(items: Iterable[Any], item_id: str, noun: str, label: str) -> Any:
    for item in items:
        if item.id == item_id:
            return item
    raise NotFound(f"There is no {noun} '{item_id}' in {label}")


def _provisional(
    collection: str, kind: str, items: Iterable[Any], text: Callable[[Any], str]
) -> Iterator[ProvisionalItem]:
    for item in items:
        if item.status != CONFIRMED:
            yield ProvisionalItem(f"{collection}/{item.id}", kind, item.status, text(item))


# --- Public functions ------------------------------------------------------------------------------------------


def discover_frameworks(root: Path) -> list[Path]:
    """List the version folders under root (root/<framework-id>/<version>/), sorted by framework id and version."""
    return sorted(path.parent for path in root.glob("*/*/framework.yml"))


def validate_framework(path: Path, *, schema_dir: Path = SCHEMA_DIR) -> list[Problem]:
    """Check a framework version folder and return every problem found, sorted by file and path."""
    problems, _ = _read_version(Path(path), schema_dir)
    return problems


def load_framework(path: Path, *, schema_dir: Path = SCHEMA_DIR) -> Framework:
    """Load a framework version folder, or raise FrameworkInvalid listing every problem."""
    problems, content = _read_version(Path(path), schema_dir)
    if problems:
        raise FrameworkInvalid(problems)
    return _build(content)


def framework_to_dict(fw: Framework) -> dict[str, Any]:
    """Return the framework as JSON-ready data, with its content hash."""
    return {**_content(fw), "content_hash": fw.content_hash}


def framework_from_dict(data: dict[str, Any]) -> Framework:
    """Rebuild a framework from framework_to_dict output; raise ValueError if its content hash does not match."""
    fw = _build(data)
    stored = data.get("content_hash")
    if stored is not None and stored != fw.content_hash:
        raise ValueError(f"The content of {fw.label} does not match its content hash")
    return fw


def content_hash(content: dict[str, Any]) -> str:
    """Return the sha256 of content as canonical JSON (sorted keys, no spaces), so formatting never changes it."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- Reading YAML ----------------------------------------------------------------------------------------------

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_BOOL_TAG = "tag:yaml.org,2002:bool"


# libyaml's parser when PyYAML was built with it (about five times faster); both report the same lines and columns.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """Safe loader that keeps dates as text, treats only true/false as booleans and records duplicate keys."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.duplicate_keys: list[tuple[str, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.duplicate_keys.append((key_node.value, key_node.start_mark.line + 1))
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in entries if tag not in (_TIMESTAMP_TAG, _BOOL_TAG)]
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _read_yaml(path: Path, file: str) -> tuple[Any, list[Problem], bool]:
    """Parse one YAML file; return (data, problems, parsed)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(file, "", "File is not UTF-8 text")], False
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return None, [Problem(file, "", f"YAML syntax error{where}: {error.problem or error.context}")], False
    except yaml.YAMLError as error:
        return None, [Problem(file, "", f"YAML syntax error: {error}")], False
    finally:
        loader.dispose()
    problems = [Problem(file, "", f"Duplicate key '{key}' at line {line}") for key, line in loader.duplicate_keys]
    return data, problems, True


# --- Reading and checking a version folder ---------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    """One item of a collection, with the file it came from and its logical path."""

    file: str
    path: str
    item: Any


@dataclass(slots=True)
class _Version:
    """What was read from a version folder, before it is checked across files."""

    metadata: Any = None
    entries: dict[str, list[_Entry]] = field(default_factory=lambda: {name: [] for name in _NOUNS})
    # ids defined in files that could not be read; referring to them is not reported as "unknown"
    unreadable_ids: dict[str, set[str]] = field(default_factory=lambda: {name: set() for name in _NOUNS})
    unreadable: set[str] = field(default_factory=set)  # collections whose whole file could not be read


def _read_version(version_dir: Path, schema_dir: Path) -> tuple[list[Problem], dict[str, Any]]:
    validators = _validators(schema_dir)
    version = _Version()
    problems: list[Problem] = []
    if not version_dir.is_dir():
        return [Problem(str(version_dir), "", "Framework version folder not found")], {}
    for name, (schema_name, collections) in FILES.items():
        problems.extend(_read_top_file(version_dir, name, validators[schema_name], collections, version))
    problems.extend(_read_criteria(version_dir, validators[CRITERION_SCHEMA], version))
    problems.extend(_unexpected_files(version_dir))
    problems.extend(_check_folder_names(version_dir, version.metadata))
    problems.extend(_check_consistency(version))
    problems.sort(key=lambda problem: (_natural(problem.file), _natural(problem.path), problem.message))
    return problems, _assemble(version)


def _read_top_file(
    version_dir: Path, name: str, validator: Draft202012Validator, collections: tuple[str, ...], version: _Version
) -> list[Problem]:
    path = version_dir / name
    if not path.is_file():
        version.unreadable.update(collections)
        return [Problem(name, "", "File is missing")]
    data, problems, parsed = _read_yaml(path, name)
    if not parsed:
        version.unreadable.update(collections)
        return problems
    if not collections:
        problems.extend(_schema_problems(validator, data, name, lambda parts: _join("framework", *parts)))
        version.metadata = data if isinstance(data, dict) else None
        return problems
    problems.extend(_schema_problems(validator, data, name, lambda parts: _collection_path(data, parts)))
    for collection in collections:
        items = data.get(collection) if isinstance(data, dict) else None
        if not isinstance(items, list):
            version.unreadable.add(collection)
            continue
        for index, item in enumerate(items):
            version.entries[collection].append(_Entry(name, _join(collection, _item_key(item, index)), item))
    return problems


def _read_criteria(version_dir: Path, validator: Draft202012Validator, version: _Version) -> list[Problem]:
    folder = version_dir / CRITERIA_DIR
    files = sorted(folder.glob("*.yml"), key=lambda file_path: _natural(file_path.name)) if folder.is_dir() else []
    if not files:
        version.unreadable.add("criteria")
        return [Problem(CRITERIA_DIR, "", "No criterion files found (criteria/<ID>.yml)")]
    problems: list[Problem] = []
    for file_path in files:
        name = f"{CRITERIA_DIR}/{file_path.name}"
        data, file_problems, parsed = _read_yaml(file_path, name)
        problems.extend(file_problems)
        if not parsed:
            # assume the file defines the criterion it is named after, so references to it are not "unknown"
            version.unreadable_ids["criteria"].add(file_path.stem)
            continue
        prefix = _join("criteria", _item_key(data, file_path.stem))
        problems.extend(_schema_problems(validator, data, name, lambda parts, prefix=prefix: _join(prefix, *parts)))
        version.entries["criteria"].append(_Entry(name, prefix, data))
    return problems


def _unexpected_files(version_dir: Path) -> list[Problem]:
    found = [path.name for path in version_dir.iterdir() if path.suffix in (".yml", ".yaml") and path.is_file()]
    return [
        Problem(name, "", "Unexpected file: see frameworks/README.md for the files a version holds")
        for name in found
        if name not in FILES
    ]


def _check_folder_names(version_dir: Path, metadata: Any) -> list[Problem]:
    if not isinstance(metadata, dict):
        return []
    problems = []
    framework_id, version = metadata.get("id"), metadata.get("version")
    if isinstance(framework_id, str) and framework_id != version_dir.parent.name:
        problems.append(
            Problem(
                "framework.yml",
                "framework/id",
                f"Framework id '{framework_id}' does not match its folder name '{version_dir.parent.name}'",
            )
        )
    if isinstance(version, str) and version != version_dir.name:
        problems.append(
            Problem(
                "framework.yml",
                "framework/version",
                f"Version '{version}' does not match its folder name '{version_dir.name}'",
            )
        )
    return problems


def _join(*parts: object) -> str:
    return "/".join(str(part) for part in parts)


def _item_key(item: Any, fallback: object) -> object:
    """Address an item by its id when it has a usable one, else by its index or file name."""
    if isinstance(item, dict):
        item_id = item.get("id")
        if isinstance(item_id, str) and item_id and "/" not in item_id:
            return item_id
    return fallback


def _collection_path(data: Any, parts: Sequence[object]) -> str:
    if len(parts) >= 2 and isinstance(data, dict) and isinstance(parts[1], int):
        items = data.get(parts[0])
        if isinstance(items, list) and parts[1] < len(items):
            return _join(parts[0], _item_key(items[parts[1]], parts[1]), *parts[2:])
    return _join(*parts)


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts EXP2 before EXP10 and measures/2 before measures/10."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part)


# --- Schema checks ---------------------------------------------------------------------------------------------


def _validators(schema_dir: Path) -> dict[str, Draft202012Validator]:
    schemas = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in schema_dir.glob("*.schema.json")}
    registry: Registry[Any] = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
    )
    return {
        name: Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for name, schema in schemas.items()
    }


def _schema_problems(
    validator: Draft202012Validator, data: Any, file: str, locate: Callable[[Sequence[object]], str]
) -> list[Problem]:
    problems = []
    for error in validator.iter_errors(data):
        for parts, message in _describe(error):
            problems.append(Problem(file, locate(parts), message))
    return problems


_TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of names to values",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _describe(error: ValidationError) -> list[tuple[list[object], str]]:
    """Turn a JSON Schema error into (path parts, sentence) pairs a framework author can act on."""
    parts: list[object] = list(error.absolute_path)
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "required":
        name = re.sub(r"^'(.*)' is a required property$", r"\1", error.message)
        return [([*parts, name], f"Missing required field '{name}'")]
    if kind == "additionalProperties":
        allowed = error.schema.get("properties", {})
        return [([*parts, key], f"Unknown field '{key}'") for key in value if key not in allowed]
    messages: dict[str, Callable[[], str]] = {
        "type": lambda: "Must be " + " or ".join(_TYPE_NAMES[name] for name in _as_list(expected)),
        "enum": lambda: f"Must be one of {', '.join(str(option) for option in expected)} (got {_show(value)})",
        "pattern": lambda: f"{_show(value)} is not {error.schema.get('description', 'in the expected form')}",
        "format": lambda: f"{_show(value)} is not a real date written YYYY-MM-DD",
        "minLength": lambda: "Must not be empty",
        "minItems": lambda: f"Must list at least {expected} item{'' if expected == 1 else 's'}",
        "uniqueItems": lambda: f"Lists {_show(_first_repeat(value))} more than once",
        "minProperties": lambda: f"Must give one of {', '.join(error.schema.get('properties', {}))}",
        "maxProperties": lambda: f"Must give only one of {', '.join(error.schema.get('properties', {}))}",
        "minimum": lambda: f"Must be at least {expected}",
        "maximum": lambda: f"Must be at most {expected}",
    }
    describe = messages.get(kind)
    return [(parts, describe() if describe else error.message)]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else json.dumps(value)


def _first_repeat(values: list[Any]) -> Any:
    seen: list[Any] = []
    for value in values:
        if value in seen:
            return value
        seen.append(value)
    return None


# --- Checks across files ---------------------------------------------------------------------------------------


class _Index:
    """The ids each collection defines, with the entry that first defined each."""

    def __init__(self, version: _Version):
        self.version = version
        self.first: dict[str, dict[str, _Entry]] = {name: {} for name in _NOUNS}
        self.duplicates: list[Problem] = []
        for collection, entries in version.entries.items():
            for entry in entries:
                item_id = entry.item.get("id") if isinstance(entry.item, dict) else None
                if not isinstance(item_id, str):
                    continue
                first = self.first[collection].get(item_id)
                if first is None:
                    self.first[collection][item_id] = entry
                else:
                    message = f"Duplicate {_NOUNS[collection]} id '{item_id}': already defined in {first.file}"
                    self.duplicates.append(Problem(entry.file, f"{entry.path}/id", message))

    def knows(self, collection: str, item_id: str) -> bool:
        """Say whether the id is defined, or may be defined in a file that could not be read."""
        return (
            collection in self.version.unreadable
            or item_id in self.first[collection]
            or item_id in self.version.unreadable_ids[collection]
        )

    def entries(self, collection: str) -> Iterator[tuple[_Entry, dict[str, Any]]]:
        """Yield each entry of a collection whose item is a mapping."""
        for entry in self.version.entries[collection]:
            if isinstance(entry.item, dict):
                yield entry, entry.item


def _check_consistency(version: _Version) -> list[Problem]:
    index = _Index(version)
    problems = list(index.duplicates)
    for check in (_check_sections, _check_criteria, _check_survey_items, _check_measures, _check_rules):
        problems.extend(check(index))
    return problems


def _strings(value: Any) -> list[tuple[int, str]]:
    """Return the (index, text) pairs of a list, skipping anything the schema check already reported."""
    if not isinstance(value, list):
        return []
    return [(position, text) for position, text in enumerate(value) if isinstance(text, str)]


def _references(index: _Index, entry: _Entry, item: dict[str, Any], key: str, collection: str) -> list[Problem]:
    return [
        Problem(entry.file, f"{entry.path}/{key}/{position}", f"Unknown {_NOUNS[collection]} '{ref}'")
        for position, ref in _strings(item.get(key))
        if not index.knows(collection, ref)
    ]


def _check_sections(index: _Index) -> list[Problem]:
    problems = []
    for entry, section in index.entries("sections"):
        # a criterion listed twice in one section is the schema's uniqueItems; twice across sections is caught here
        for position, criterion_id in _strings(section.get("criteria")):
            where = f"{entry.path}/criteria/{position}"
            criterion = index.first["criteria"].get(criterion_id)
            if not index.knows("criteria", criterion_id):
                problems.append(Problem(entry.file, where, f"Unknown criterion '{criterion_id}'"))
            elif criterion is not None and _get(criterion.item, "section") not in (None, section.get("id")):
                message = f"Criterion '{criterion_id}' belongs to section '{_get(criterion.item, 'section')}'"
                problems.append(Problem(entry.file, where, message))
    return problems


def _check_criteria(index: _Index) -> list[Problem]:
    problems = []
    for entry, criterion in index.entries("criteria"):
        section_id = criterion.get("section")
        if isinstance(section_id, str):
            section = index.first["sections"].get(section_id)
            if not index.knows("sections", section_id):
                problems.append(Problem(entry.file, f"{entry.path}/section", f"Unknown section '{section_id}'"))
            elif section is not None and criterion.get("id") not in _as_list(_get(section.item, "criteria")):
                message = f"Section '{section_id}' does not list criterion '{criterion.get('id')}'"
                problems.append(Problem(entry.file, f"{entry.path}/section", message))
        for key, collection in (
            ("evidence_types", "evidence_types"),
            ("measures", "measures"),
            ("survey_items", "survey_items"),
        ):
            problems.extend(_references(index, entry, criterion, key, collection))
    return problems


def _check_survey_items(index: _Index) -> list[Problem]:
    problems = []
    for entry, survey_item in index.entries("survey_items"):
        criterion_id = survey_item.get("criterion")
        if not isinstance(criterion_id, str):
            continue
        criterion = index.first["criteria"].get(criterion_id)
        if not index.knows("criteria", criterion_id):
            problems.append(Problem(entry.file, f"{entry.path}/criterion", f"Unknown criterion '{criterion_id}'"))
        elif criterion is not None and survey_item.get("id") not in _as_list(_get(criterion.item, "survey_items")):
            message = f"Criterion '{criterion_id}' does not list survey item '{survey_item.get('id')}'"
            problems.append(Problem(entry.file, f"{entry.path}/criterion", message))
    return problems


def _check_measures(index: _Index) -> list[Problem]:
    problems = []
    for entry, measure in index.entries("measures"):
        rule = measure.get("rule")
        if isinstance(rule, str) and not index.knows("statutory_rules", rule):
            problems.append(Problem(entry.file, f"{entry.path}/rule", f"Unknown statutory rule '{rule}'"))
        comparator = measure.get("dfe_comparator")
        if isinstance(comparator, dict):
            problems.extend(_check_columns(entry, f"{entry.path}/dfe_comparator", comparator))
            for older in ("legacy", "earlier"):
                if isinstance(comparator.get(older), dict):
                    problems.extend(_check_columns(entry, f"{entry.path}/dfe_comparator/{older}", comparator[older]))
    return problems


def _check_columns(entry: _Entry, path: str, columns: dict[str, Any]) -> list[Problem]:
    if ("numerator" in columns) != ("denominator" in columns):
        return [Problem(entry.file, path, "Give both numerator and denominator columns, or neither")]
    if not any(key in columns for key in ("numerator", "value", "percent")):
        return [Problem(entry.file, path, "Name the columns to compare: numerator and denominator, value or percent")]
    return []


def _check_rules(index: _Index) -> list[Problem]:
    problems = []
    for entry, rule in index.entries("statutory_rules"):
        has_period, fixed = "period" in rule, rule.get("fixed_date")
        if has_period == ("fixed_date" in rule):
            message = "Give a period or a fixed date, not both" if has_period else "Give a period or a fixed date"
            problems.append(Problem(entry.file, entry.path, message))
        if isinstance(fixed, dict) and isinstance(fixed.get("month"), int) and isinstance(fixed.get("day"), int):
            try:
                date(2024, fixed["month"], fixed["day"])  # a leap year, so 29 February is allowed
            except ValueError:
                message = f"There is no day {fixed['day']} in month {fixed['month']}"
                problems.append(Problem(entry.file, f"{entry.path}/fixed_date", message))
        problems.extend(_references(index, entry, rule, "exceptions", "statutory_exceptions"))
    return problems


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else None


# --- Building the model and serialising it ---------------------------------------------------------------------


def _assemble(version: _Version) -> dict[str, Any]:
    """Gather what was read into the shape framework_to_dict returns (only used once it has no problems)."""
    content: dict[str, Any] = dict(version.metadata or {})
    for collection in _NOUNS:
        content[collection] = [entry.item for entry in version.entries[collection]]
    order = {
        criterion_id: position
        for position, criterion_id in enumerate(
            ref for section in content["sections"] if isinstance(section, dict) for ref in section.get("criteria", [])
        )
    }
    content["criteria"].sort(key=lambda item: order.get(item.get("id") if isinstance(item, dict) else None, 0))
    return content


def _build(content: dict[str, Any]) -> Framework:
    criteria = {item["id"]: _criterion(item) for item in content["criteria"]}
    fw = Framework(
        id=content["id"],
        version=content["version"],
        title=content["title"],
        owners=tuple(content["owners"]),
        in_force_from=date.fromisoformat(content["in_force_from"]),
        source_url=content["source_url"],
        licence=Licence(**content["licence"]),
        status=content["status"],
        outcomes=tuple(_outcome(item) for item in content["outcomes"]),
        sections=tuple(
            Section(
                id=item["id"],
                title=item["title"],
                description=item["description"],
                status=item["status"],
                criteria=tuple(criteria[criterion_id] for criterion_id in item["criteria"]),
            )
            for item in content["sections"]
        ),
        evidence_types=tuple(_evidence_type(item) for item in content["evidence_types"]),
        measures=tuple(_measure(item) for item in content["measures"]),
        survey_items=tuple(
            SurveyItem(item["id"], item["audience"], item["statement"], item["criterion"], item["status"])
            for item in content["survey_items"]
        ),
        statutory_exceptions=tuple(StatutoryException(**item) for item in content["statutory_exceptions"]),
        statutory_rules=tuple(_rule(item) for item in content["statutory_rules"]),
    )
    return replace(fw, content_hash=content_hash(_content(fw)))


def _outcome(item: dict[str, Any]) -> Outcome:
    follow_up = item["follow_up"]
    return Outcome(
        id=item["id"],
        label=item["label"],
        statement=item["statement"],
        follow_up=FollowUp(
            description=follow_up["description"],
            engagement_meetings=follow_up["engagement_meetings"],
            next_full_inspection_within_years=follow_up["next_full_inspection_within_years"],
            monitoring_inspection_after_months=follow_up["monitoring_inspection_after_months"],
            priority_action_plan_required=follow_up["priority_action_plan_required"],
            report_lists=tuple(follow_up["report_lists"]),
        ),
        status=item["status"],
    )


def _criterion(item: dict[str, Any]) -> Criterion:
    return Criterion(
        id=item["id"],
        section_id=item["section"],
        title=item["title"],
        status=item["status"],
        indicators=tuple(Indicator(indicator["text"], indicator["status"]) for indicator in item["indicators"]),
        evidence_types=tuple(item["evidence_types"]),
        measures=tuple(item["measures"]),
        survey_items=tuple(item["survey_items"]),
        keywords=tuple(item["keywords"]),
        replaces=tuple(item["replaces"]),
    )


def _evidence_type(item: dict[str, Any]) -> EvidenceType:
    since = item.get("since")
    return EvidenceType(
        id=item["id"],
        title=item["title"],
        description=item["description"],
        requested_at_notification=item["requested_at_notification"],
        since=date.fromisoformat(since) if since else None,
        template=item.get("template"),
        status=item["status"],
    )


def _columns(item: dict[str, Any]) -> DfeColumns:
    return DfeColumns(
        numerator=tuple(item.get("numerator") or ()),
        denominator=tuple(item.get("denominator") or ()),
        value=item.get("value"),
        percent=item.get("percent"),
    )


def _measure(item: dict[str, Any]) -> MeasureDefinition:
    comparator = item.get("dfe_comparator")
    return MeasureDefinition(
        id=item["id"],
        title=item["title"],
        definition=item["definition"],
        numerator=item.get("numerator"),
        denominator=item.get("denominator"),
        unit=item["unit"],
        period=item["period"],
        source=item["source"],
        higher_is_better=item["higher_is_better"],
        rule=item.get("rule"),
        dfe_comparator=None
        if comparator is None
        else DfeComparator(
            dataset=comparator["dataset"],
            columns=_columns(comparator),
            legacy=_columns(comparator["legacy"]) if comparator.get("legacy") else None,
            earlier=_columns(comparator["earlier"]) if comparator.get("earlier") else None,
        ),
        status=item["status"],
        duty=bool(item.get("duty", False)),
        basis=item.get("basis"),
    )


def _period(item: dict[str, int] | None) -> Period | None:
    if not item:
        return None
    ((unit, length),) = item.items()
    return Period(unit, length)


def _rule(item: dict[str, Any]) -> StatutoryRule:
    fixed, later = item.get("fixed_date"), item.get("or_if_later")
    later_period = _period(later["period"]) if later else None
    return StatutoryRule(
        id=item["id"],
        title=item["title"],
        description=item["description"],
        start=item["start"],
        period=_period(item.get("period")),
        direction=item.get("direction") or "after",
        fixed_date=FixedDate(fixed["month"], fixed["day"]) if fixed else None,
        or_if_later=Clock(later["start"], later_period) if later and later_period else None,
        basis=item["basis"],
        exceptions=tuple(item.get("exceptions") or ()),
        status=item["status"],
    )


def _content(fw: Framework) -> dict[str, Any]:
    """Return the framework's content as JSON-ready data: the same shape the YAML files have, merged."""
    return {
        "id": fw.id,
        "version": fw.version,
        "title": fw.title,
        "owners": list(fw.owners),
        "in_force_from": fw.in_force_from.isoformat(),
        "source_url": fw.source_url,
        "licence": {"name": fw.licence.name, "url": fw.licence.url, "attribution": fw.licence.attribution},
        "status": fw.status,
        "outcomes": [_outcome_dict(outcome) for outcome in fw.outcomes],
        "sections": [
            {
                "id": section.id,
                "title": section.title,
                "description": section.description,
                "status": section.status,
                "criteria": [criterion.id for criterion in section.criteria],
            }
            for section in fw.sections
        ],
        "criteria": [_criterion_dict(criterion) for criterion in fw.criteria],
        "evidence_types": [_evidence_type_dict(evidence_type) for evidence_type in fw.evidence_types],
        "measures": [_measure_dict(measure) for measure in fw.measures],
        "survey_items": [
            {
                "id": item.id,
                "audience": item.audience,
                "statement": item.statement,
                "criterion": item.criterion_id,
                "status": item.status,
            }
            for item in fw.survey_items
        ],
        "statutory_exceptions": [
            {
                "id": item.id,
                "title": item.title,
                "description": item.description,
                "basis": item.basis,
                "status": item.status,
            }
            for item in fw.statutory_exceptions
        ],
        "statutory_rules": [_rule_dict(rule) for rule in fw.statutory_rules],
    }


def _outcome_dict(outcome: Outcome) -> dict[str, Any]:
    follow_up = outcome.follow_up
    return {
        "id": outcome.id,
        "label": outcome.label,
        "statement": outcome.statement,
        "follow_up": {
            "description": follow_up.description,
            "engagement_meetings": follow_up.engagement_meetings,
            "next_full_inspection_within_years": follow_up.next_full_inspection_within_years,
            "monitoring_inspection_after_months": follow_up.monitoring_inspection_after_months,
            "priority_action_plan_required": follow_up.priority_action_plan_required,
            "report_lists": list(follow_up.report_lists),
        },
        "status": outcome.status,
    }


def _criterion_dict(criterion: Criterion) -> dict[str, Any]:
    return {
        "id": criterion.id,
        "section": criterion.section_id,
        "title": criterion.title,
        "status": criterion.status,
        "indicators": [{"text": indicator.text, "status": indicator.status} for indicator in criterion.indicators],
        "evidence_types": list(criterion.evidence_types),
        "measures": list(criterion.measures),
        "survey_items": list(criterion.survey_items),
        "keywords": list(criterion.keywords),
        "replaces": list(criterion.replaces),
    }


def _evidence_type_dict(evidence_type: EvidenceType) -> dict[str, Any]:
    return {
        "id": evidence_type.id,
        "title": evidence_type.title,
        "description": evidence_type.description,
        "requested_at_notification": evidence_type.requested_at_notification,
        "since": evidence_type.since.isoformat() if evidence_type.since else None,
        "template": evidence_type.template,
        "status": evidence_type.status,
    }


def _columns_dict(columns: DfeColumns) -> dict[str, Any]:
    return {
        "numerator": list(columns.numerator),
        "denominator": list(columns.denominator),
        "value": columns.value,
        "percent": columns.percent,
    }


def _measure_dict(measure: MeasureDefinition) -> dict[str, Any]:
    comparator = measure.dfe_comparator
    return {
        "id": measure.id,
        "title": measure.title,
        "definition": measure.definition,
        "numerator": measure.numerator,
        "denominator": measure.denominator,
        "unit": measure.unit,
        "period": measure.period,
        "source": measure.source,
        "higher_is_better": measure.higher_is_better,
        "rule": measure.rule,
        "dfe_comparator": None
        if comparator is None
        else {
            "dataset": comparator.dataset,
            **_columns_dict(comparator.columns),
            "legacy": _columns_dict(comparator.legacy) if comparator.legacy else None,
            # Only when set, so versions written before this field keep their content hash.
            **({"earlier": _columns_dict(comparator.earlier)} if comparator.earlier else {}),
        },
        "status": measure.status,
        # Only when set, so versions written before these fields keep their content hash.
        **({"duty": True} if measure.duty else {}),
        **({"basis": measure.basis} if measure.basis else {}),
    }


def _period_dict(period: Period | None) -> dict[str, int] | None:
    return None if period is None else {period.unit: period.length}


def _rule_dict(rule: StatutoryRule) -> dict[str, Any]:
    later = rule.or_if_later
    return {
        "id": rule.id,
        "title": rule.title,
        "description": rule.description,
        "start": rule.start,
        "period": _period_dict(rule.period),
        "direction": rule.direction,
        "fixed_date": None if rule.fixed_date is None else {"month": rule.fixed_date.month, "day": rule.fixed_date.day},
        "or_if_later": None if later is None else {"start": later.start, "period": _period_dict(later.period)},
        "basis": rule.basis,
        "exceptions": list(rule.exceptions),
        "status": rule.status,
    }
