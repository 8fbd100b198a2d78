"""Family feedback: the answer scale, survey column mappings, imported responses and their analysis.

A survey export has one column per question (or per row of a grid question). A `SurveyMapping`, confirmed by
a person, says what each column is: a Likert item (linked to a survey item of the question bank and/or a
framework criterion), free text, a group question (role, age band, need, setting), or something to ignore.
Answers are matched to the five-point agree scale by their wording; "don't know" and "not applicable" are
kept apart from the scale, and an answer the mapping does not know is an error, never a guess.

Analysis is exact: percentages are `Decimal` ratios, rounded half up to one decimal only for display, and
the confidence interval is Wilson's score interval at 95% (z = 1.959964) computed with `Decimal`.
Breakdowns by group suppress any group or cell with fewer than `min_n` responses: the figure is None and
`suppressed` is set, and the count is never shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, localcontext
from typing import Any

import yaml

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.numbers import ratio_percentage, round_half_up

# Who a survey asks. Parents and carers, and children and young people, are family voice; practitioners are not.
AUDIENCES = {
    "parents_carers": "Parents and carers",
    "children_young_people": "Children and young people",
    "practitioners": "Practitioners",
}

SCALE = ("strongly_agree", "agree", "neither", "disagree", "strongly_disagree")
OFF_SCALE = ("dont_know", "not_applicable")
POINTS = SCALE + OFF_SCALE
AGREE = ("strongly_agree", "agree")
DISAGREE = ("disagree", "strongly_disagree")
POINT_LABELS = {
    "strongly_agree": "Strongly agree",
    "agree": "Agree",
    "neither": "Neither agree nor disagree",
    "disagree": "Disagree",
    "strongly_disagree": "Strongly disagree",
    "dont_know": "Don't know",
    "not_applicable": "Not applicable",
}

ROLES = ("likert", "free_text", "group", "ignore")
GROUP_KINDS = ("role", "age_band", "need", "setting")
MAPPING_VERSION = 1
Z_95 = Decimal("1.959964")
DEFAULT_MIN_N = 5

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def normalise_answer(text: str) -> str:
    """Return answer wording in comparable form: straight apostrophes, case-folded, single spaces."""
    return " ".join(str(text).translate(_APOSTROPHES).casefold().split())


# Wordings every survey tool offers by default. Anything else ("Somewhat agree", "Mostly") must be added to a
# mapping by a person: guessing where it sits on the scale would change the figures inspectors see.
DEFAULT_ANSWERS: dict[str, str] = {
    normalise_answer(text): point
    for text, point in (
        ("Strongly agree", "strongly_agree"),
        ("Agree", "agree"),
        ("Neither agree nor disagree", "neither"),
        ("Neither agree or disagree", "neither"),
        ("Neutral", "neither"),  # Microsoft Forms' default Likert wording
        ("Disagree", "disagree"),
        ("Strongly disagree", "strongly_disagree"),
        ("Don't know", "dont_know"),
        ("Dont know", "dont_know"),
        ("Do not know", "dont_know"),
        ("N/A", "not_applicable"),
        ("NA", "not_applicable"),
        ("Not applicable", "not_applicable"),
    )
}


# --- Mapping -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnRole:
    """What one column of a survey export holds."""

    role: str  # one of ROLES
    survey_item: str | None = None  # likert only: question bank id, e.g. fam_needs_identified_early
    criterion: str | None = None  # likert or free_text: framework criterion id, e.g. EXP1
    group_kind: str | None = None  # group only: one of GROUP_KINDS

    @classmethod
    def likert(cls, survey_item: str | None = None, criterion: str | None = None) -> ColumnRole:
        """A Likert item answered on the agree scale."""
        return cls("likert", survey_item=survey_item, criterion=criterion)

    @classmethod
    def free_text(cls, criterion: str | None = None) -> ColumnRole:
        """A free-text answer, redacted on import."""
        return cls("free_text", criterion=criterion)

    @classmethod
    def group(cls, group_kind: str) -> ColumnRole:
        """A question that puts respondents in groups (role, age band, need or setting)."""
        return cls("group", group_kind=group_kind)

    @classmethod
    def ignore(cls) -> ColumnRole:
        """A column that is not imported."""
        return cls("ignore")


@dataclass(frozen=True)
class SurveyMapping:
    """Column roles for one survey, plus answer wordings beyond (or overriding) `DEFAULT_ANSWERS`.

    Answer keys are normalised (case, spaces, apostrophes) on construction; construction validates the
    whole mapping and raises `ValidationFailed` listing every problem.
    """

    columns: dict[str, ColumnRole]
    answers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        merged = dict(DEFAULT_ANSWERS)
        merged.update({normalise_answer(text): point for text, point in self.answers.items()})
        object.__setattr__(self, "answers", merged)
        object.__setattr__(self, "columns", dict(self.columns))
        problems = _mapping_problems(self)
        if problems:
            raise ValidationFailed(problems)

    def point_for(self, answer: str) -> str | None:
        """Return the scale point for an answer's wording, or None when the mapping does not know it."""
        return self.answers.get(normalise_answer(answer))

    def columns_with_role(self, role: str) -> list[str]:
        """Return the names of the columns with a role, in mapping order."""
        return [name for name, column in self.columns.items() if column.role == role]


def _mapping_problems(mapping: SurveyMapping) -> list[str]:
    problems: list[str] = []
    kinds_seen: dict[str, str] = {}
    for name, column in mapping.columns.items():
        if not isinstance(column, ColumnRole):
            problems.append(f"Column {name!r}: the role must be a ColumnRole")
            continue
        problems.extend(_column_problems(name, column))
        if column.role == "group" and column.group_kind in GROUP_KINDS:
            if column.group_kind in kinds_seen:
                problems.append(
                    f"Columns {kinds_seen[column.group_kind]!r} and {name!r} are both mapped to group "
                    f"{column.group_kind!r}: map only one"
                )
            else:
                kinds_seen[column.group_kind] = name
    for text, point in mapping.answers.items():
        if point not in POINTS:
            problems.append(f"Answer {text!r} maps to {point!r}, which is not one of {', '.join(POINTS)}")
    return problems


def _column_problems(name: str, column: ColumnRole) -> list[str]:
    if not str(name).strip():
        return ["A column in the mapping has no name"]
    if column.role not in ROLES:
        return [f"Column {name!r}: the role must be one of {', '.join(ROLES)} (found {column.role!r})"]
    problems = []
    for attribute in ("survey_item", "criterion", "group_kind"):
        value = getattr(column, attribute)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problems.append(f"Column {name!r}: {attribute} must be text")
    if column.role == "likert" and column.survey_item is None and column.criterion is None:
        problems.append(f"Column {name!r} is a likert column: give it a survey_item, a criterion or both")
    if column.role != "likert" and column.survey_item is not None:
        problems.append(f"Column {name!r}: only likert columns have a survey_item")
    if column.role in ("group", "ignore") and column.criterion is not None:
        problems.append(f"Column {name!r}: only likert and free_text columns have a criterion")
    if column.role == "group" and column.group_kind not in GROUP_KINDS:
        problems.append(f"Column {name!r} is a group column: its group must be one of {', '.join(GROUP_KINDS)}")
    if column.role != "group" and column.group_kind is not None:
        problems.append(f"Column {name!r}: only group columns have a group")
    return problems


_COLUMN_KEYS = {"column", "role", "survey_item", "criterion", "group"}
_TOP_KEYS = {"version", "columns", "answers"}


def mapping_to_yaml(mapping: SurveyMapping) -> str:
    """Write a mapping as YAML a person can read and edit (columns in order, then every answer wording)."""
    columns = []
    for name, column in mapping.columns.items():
        entry: dict[str, str] = {"column": name, "role": column.role}
        if column.survey_item is not None:
            entry["survey_item"] = column.survey_item
        if column.criterion is not None:
            entry["criterion"] = column.criterion
        if column.group_kind is not None:
            entry["group"] = column.group_kind
        columns.append(entry)
    document = {"version": MAPPING_VERSION, "columns": columns, "answers": dict(mapping.answers)}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1000)


def mapping_from_yaml(text: str) -> SurveyMapping:
    """Read a mapping written by `mapping_to_yaml` (or by hand); raise `ValidationFailed` saying what is wrong."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationFailed(f"The mapping is not valid YAML: {exc}") from exc
    if not isinstance(document, dict) or "columns" not in document:
        raise ValidationFailed("The mapping must be a YAML mapping with a 'columns' list")
    problems = [f"Unknown key {key!r} in the mapping" for key in document if key not in _TOP_KEYS]
    if document.get("version", MAPPING_VERSION) != MAPPING_VERSION:
        problems.append(f"The mapping version must be {MAPPING_VERSION} (found {document.get('version')!r})")
    columns = _columns_from_yaml(document["columns"], problems)
    answers = _answers_from_yaml(document.get("answers") or {}, problems)
    if problems:
        raise ValidationFailed(problems)
    return SurveyMapping(columns=columns, answers=answers)


def _columns_from_yaml(entries: Any, problems: list[str]) -> dict[str, ColumnRole]:
    if not isinstance(entries, list):
        problems.append("'columns' must be a list of entries, each with a column and a role")
        return {}
    columns: dict[str, ColumnRole] = {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(f"Column entry {number} must be a mapping with a column and a role")
            continue
        name = entry.get("column")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"Column entry {number} has no column name")
            continue
        problems.extend(f"Column {name!r}: unknown key {key!r}" for key in entry if key not in _COLUMN_KEYS)
        if name in columns:
            problems.append(f"Column {name!r} appears more than once in the mapping")
            continue
        columns[name] = ColumnRole(
            role=entry.get("role"),  # type: ignore[arg-type]  # validated by SurveyMapping
            survey_item=_text_or_none(entry.get("survey_item")),
            criterion=_text_or_none(entry.get("criterion")),
            group_kind=_text_or_none(entry.get("group")),
        )
    return columns


def _answers_from_yaml(answers: Any, problems: list[str]) -> dict[str, str]:
    if not isinstance(answers, dict):
        problems.append("'answers' must map answer wordings to scale points")
        return {}
    result = {}
    for text, point in answers.items():
        if not isinstance(text, str) or not isinstance(point, str):
            problems.append(f"Answer {text!r}: both the wording and the scale point must be text")
            continue
        result[text] = point
    return result


def _text_or_none(value: Any) -> Any:
    """Keep text as text and leave other values for validation to reject (YAML reads `1` as a number)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip()
    return value


# --- Imported responses ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyItem:
    """A question of the survey question bank (framework `survey_question_bank`)."""

    id: str
    criterion: str | None = None
    text: str = ""
    audience: str = ""


@dataclass(frozen=True)
class LikertAnswer:
    """One answer on the agree scale (or don't know / not applicable)."""

    column: str
    survey_item: str | None
    criterion: str | None
    point: str  # one of POINTS

    @property
    def item_key(self) -> str:
        """The survey item id, or the column name when the mapping gives no item id."""
        return self.survey_item or self.column


@dataclass(frozen=True)
class Comment:
    """One free-text answer with personal details already removed."""

    column: str
    criterion: str | None
    text_redacted: str


@dataclass(frozen=True)
class FeedbackResponse:
    """One respondent's answers. No name or email: the key is a hash of the survey tool's response id."""

    respondent_key: str
    submitted_at: datetime | None
    groups: dict[str, str]  # group kind -> answer, only for answered group questions
    answers: tuple[LikertAnswer, ...] = ()
    comments: tuple[Comment, ...] = ()


# --- Analysis ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreeStats:
    """Counts on the agree scale with % agree and its Wilson 95% interval.

    `n` counts answers on the five-point scale; don't know and not applicable are counted apart and are not
    in `n`. Exact percentages are `Decimal`; `agree_pct`, `ci_low` and `ci_high` are rounded half up to one
    decimal for display (None when n is 0).
    """

    n: int
    counts: dict[str, int]  # every point of SCALE
    dont_know: int
    not_applicable: int
    agree: int
    disagree: int
    agree_pct_exact: Decimal | None
    ci_low_exact: Decimal | None
    ci_high_exact: Decimal | None
    agree_pct: float | None
    ci_low: float | None
    ci_high: float | None

    @property
    def answered(self) -> int:
        """Every Likert answer, on the scale or not (n + don't know + not applicable)."""
        return self.n + self.dont_know + self.not_applicable


@dataclass(frozen=True)
class ItemSummary:
    """The answers to one survey item (or one unlinked column)."""

    key: str  # survey item id, or the column name
    survey_item: str | None
    criterion: str | None
    columns: tuple[str, ...]
    stats: AgreeStats


@dataclass(frozen=True)
class CriterionSummary:
    """Every Likert answer and comment linked to one criterion.

    `stats` pools answers across the criterion's items, so `n` counts answers, not people; `respondents`
    counts the people who gave at least one of them. The interval treats pooled answers as independent.
    """

    criterion: str
    items: tuple[str, ...]
    respondents: int
    comments: int
    stats: AgreeStats

    @property
    def key(self) -> str:
        return self.criterion


@dataclass(frozen=True)
class GroupFigure:
    """One item's or criterion's figures within a group; `stats` is None when suppressed."""

    key: str
    suppressed: bool
    stats: AgreeStats | None


@dataclass(frozen=True)
class GroupSummary:
    """One group's figures; a suppressed group shows neither its size nor any figure."""

    kind: str
    group: str | None  # None: respondents who did not answer the group question
    suppressed: bool
    respondents: int | None
    items: tuple[GroupFigure, ...]
    criteria: tuple[GroupFigure, ...]


@dataclass(frozen=True)
class WaveChange:
    """Change in % agree for one item or criterion between two survey waves (percentage points)."""

    key: str
    previous_n: int
    current_n: int
    previous_pct: float | None
    current_pct: float | None
    change_exact: Decimal | None
    change: float | None


@dataclass(frozen=True)
class WaveComparison:
    """Changes per item and per criterion."""

    items: tuple[WaveChange, ...]
    criteria: tuple[WaveChange, ...]


@dataclass(frozen=True)
class DivergingBars:
    """Column-wise data for a diverging bar chart: disagree negative (left), agree positive (right).

    Values are percentages of n (don't know and not applicable excluded), half up to one decimal.
    "Neither" is given apart so that the chart decides where to draw it.
    """

    labels: list[str]
    n: list[int]
    strongly_disagree: list[float]
    disagree: list[float]
    neither: list[float]
    agree: list[float]
    strongly_agree: list[float]


def wilson_interval(successes: int, n: int, z: Decimal = Z_95) -> tuple[Decimal, Decimal] | None:
    """Return Wilson's score interval for a proportion as exact-as-Decimal (low, high), or None when n is 0.

    Uses (2x + z² ± z·√(z² + 4x(n−x)/n)) / (2(n + z²)), which gives exactly 0 at x = 0 and 1 at x = n.
    """
    if n == 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be between 0 and n ({successes} of {n})")
    with localcontext() as context:
        context.prec = 50
        x = Decimal(successes)
        total = Decimal(n)
        z_squared = z * z
        root = (z_squared + 4 * x * (total - x) / total).sqrt()
        denominator = 2 * (total + z_squared)
        low = (2 * x + z_squared - z * root) / denominator
        high = (2 * x + z_squared + z * root) / denominator
    return max(low, Decimal(0)), min(high, Decimal(1))


def agree_stats(points: Iterable[str]) -> AgreeStats:
    """Count answers (scale points) and compute % agree with its interval."""
    counts = dict.fromkeys(POINTS, 0)
    for point in points:
        if point not in counts:
            raise ValueError(f"{point!r} is not a scale point")
        counts[point] += 1
    return agree_stats_from_counts(counts)


def agree_stats_from_counts(counts: Mapping[str, int]) -> AgreeStats:
    """Compute % agree with its interval from counts per scale point (points not given count 0).

    The database can count answers per point (GROUP BY) far faster than Python can walk them one by one.
    """
    unknown = [point for point in counts if point not in POINTS]
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not a scale point")
    counts = {point: int(counts.get(point, 0)) for point in POINTS}
    n = sum(counts[point] for point in SCALE)
    agree = sum(counts[point] for point in AGREE)
    interval = wilson_interval(agree, n)
    low, high = (None, None) if interval is None else (interval[0] * 100, interval[1] * 100)
    exact = ratio_percentage(agree, n)
    return AgreeStats(
        n=n,
        counts={point: counts[point] for point in SCALE},
        dont_know=counts["dont_know"],
        not_applicable=counts["not_applicable"],
        agree=agree,
        disagree=sum(counts[point] for point in DISAGREE),
        agree_pct_exact=exact,
        ci_low_exact=low,
        ci_high_exact=high,
        agree_pct=_display(exact),
        ci_low=_display(low),
        ci_high=_display(high),
    )


def summarise_items(responses: Iterable[FeedbackResponse]) -> list[ItemSummary]:
    """Summarise every survey item, ordered by criterion then item key."""
    points: dict[str, list[str]] = {}
    first: dict[str, LikertAnswer] = {}
    columns: dict[str, list[str]] = {}
    for response in responses:
        for answer in response.answers:
            key = answer.item_key
            points.setdefault(key, []).append(answer.point)
            first.setdefault(key, answer)
            if answer.column not in columns.setdefault(key, []):
                columns[key].append(answer.column)
    summaries = [
        ItemSummary(
            key=key,
            survey_item=first[key].survey_item,
            criterion=first[key].criterion,
            columns=tuple(columns[key]),
            stats=agree_stats(points[key]),
        )
        for key in points
    ]
    return sorted(summaries, key=lambda summary: (summary.criterion or "", summary.key))


def summarise_criteria(responses: Iterable[FeedbackResponse]) -> list[CriterionSummary]:
    """Summarise every criterion that a Likert answer or a comment is linked to, ordered by criterion id."""
    points: dict[str, list[str]] = {}
    items: dict[str, set[str]] = {}
    people: dict[str, set[str]] = {}
    comments: dict[str, int] = {}
    for response in responses:
        for answer in response.answers:
            if answer.criterion is None:
                continue
            points.setdefault(answer.criterion, []).append(answer.point)
            items.setdefault(answer.criterion, set()).add(answer.item_key)
            if answer.point in SCALE:
                people.setdefault(answer.criterion, set()).add(response.respondent_key)
        for comment in response.comments:
            if comment.criterion is not None:
                comments[comment.criterion] = comments.get(comment.criterion, 0) + 1
    return [
        CriterionSummary(
            criterion=criterion,
            items=tuple(sorted(items.get(criterion, ()))),
            respondents=len(people.get(criterion, ())),
            comments=comments.get(criterion, 0),
            stats=agree_stats(points.get(criterion, ())),
        )
        for criterion in sorted(set(points) | set(comments))
    ]


def by_group(responses: Sequence[FeedbackResponse], kind: str, min_n: int = DEFAULT_MIN_N) -> list[GroupSummary]:
    """Break item and criterion figures down by one group question, suppressing anything under `min_n`.

    A group with fewer than `min_n` respondents is suppressed whole (no size, no figures); within a shown
    group, an item or criterion with fewer than `min_n` answers on the scale is suppressed. Every group lists
    the same items and criteria, so what a group answered is not revealed by what is listed. Groups are
    ordered by name, with respondents who did not answer the group question (group None) last.
    """
    if kind not in GROUP_KINDS:
        raise ValueError(f"kind must be one of {', '.join(GROUP_KINDS)}")
    item_keys = [summary.key for summary in summarise_items(responses)]
    criterion_keys = [summary.criterion for summary in summarise_criteria(responses) if summary.stats.answered]
    members: dict[str | None, list[FeedbackResponse]] = {}
    for response in responses:
        members.setdefault(response.groups.get(kind), []).append(response)
    ordered = sorted(members, key=lambda group: (group is None, group or ""))
    return [_group_summary(kind, group, members[group], item_keys, criterion_keys, min_n) for group in ordered]


def _group_summary(
    kind: str,
    group: str | None,
    responses: list[FeedbackResponse],
    item_keys: list[str],
    criterion_keys: list[str],
    min_n: int,
) -> GroupSummary:
    if len(responses) < min_n:
        return GroupSummary(
            kind=kind,
            group=group,
            suppressed=True,
            respondents=None,
            items=tuple(GroupFigure(key, True, None) for key in item_keys),
            criteria=tuple(GroupFigure(key, True, None) for key in criterion_keys),
        )
    items = {summary.key: summary.stats for summary in summarise_items(responses)}
    criteria = {summary.criterion: summary.stats for summary in summarise_criteria(responses)}
    return GroupSummary(
        kind=kind,
        group=group,
        suppressed=False,
        respondents=len(responses),
        items=tuple(_figure(key, items.get(key), min_n) for key in item_keys),
        criteria=tuple(_figure(key, criteria.get(key), min_n) for key in criterion_keys),
    )


def _figure(key: str, stats: AgreeStats | None, min_n: int) -> GroupFigure:
    if stats is None or stats.n < min_n:
        return GroupFigure(key=key, suppressed=True, stats=None)
    return GroupFigure(key=key, suppressed=False, stats=stats)


def compare_waves(previous: Sequence[FeedbackResponse], current: Sequence[FeedbackResponse]) -> WaveComparison:
    """Compare % agree per item and per criterion between an earlier and a later wave of the same survey."""
    return compare_summaries(
        (summarise_items(previous), summarise_criteria(previous)),
        (summarise_items(current), summarise_criteria(current)),
    )


def compare_summaries(
    previous: tuple[Sequence[ItemSummary], Sequence[CriterionSummary]],
    current: tuple[Sequence[ItemSummary], Sequence[CriterionSummary]],
) -> WaveComparison:
    """Compare two waves already summarised as (items, criteria), as `compare_waves` does from responses."""
    items = _changes({s.key: s.stats for s in previous[0]}, {s.key: s.stats for s in current[0]})
    criteria = _changes(
        {s.criterion: s.stats for s in previous[1] if s.stats.answered},
        {s.criterion: s.stats for s in current[1] if s.stats.answered},
    )
    return WaveComparison(items=items, criteria=criteria)


def _changes(previous: Mapping[str, AgreeStats], current: Mapping[str, AgreeStats]) -> tuple[WaveChange, ...]:
    changes = []
    for key in sorted(set(previous) | set(current)):
        before, after = previous.get(key), current.get(key)
        before_pct = before.agree_pct_exact if before else None
        after_pct = after.agree_pct_exact if after else None
        change = None if before_pct is None or after_pct is None else after_pct - before_pct
        changes.append(
            WaveChange(
                key=key,
                previous_n=before.n if before else 0,
                current_n=after.n if after else 0,
                previous_pct=_display(before_pct),
                current_pct=_display(after_pct),
                change_exact=change,
                change=_display(change),
            )
        )
    return tuple(changes)


def diverging_bars(summaries: Sequence[ItemSummary | CriterionSummary]) -> DivergingBars:
    """Shape summaries for a diverging bar chart (and the table beside it), in the order given."""
    bars = DivergingBars(labels=[], n=[], strongly_disagree=[], disagree=[], neither=[], agree=[], strongly_agree=[])
    for summary in summaries:
        stats = summary.stats
        bars.labels.append(summary.key)
        bars.n.append(stats.n)
        for point, sign in (
            ("strongly_disagree", -1),
            ("disagree", -1),
            ("neither", 1),
            ("agree", 1),
            ("strongly_agree", 1),
        ):
            share = ratio_percentage(stats.counts[point], stats.n)
            value = 0.0 if share is None else float(round_half_up(share, 1)) * sign  # type: ignore[arg-type]
            getattr(bars, point).append(value + 0.0)  # + 0.0 turns -0.0 into 0.0
    return bars


def _display(value: Decimal | None) -> float | None:
    """Round an exact percentage half up to one decimal for display."""
    rounded = round_half_up(value, 1)
    return None if rounded is None else float(rounded)
