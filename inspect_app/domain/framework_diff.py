"""What changed between two versions of a framework, and where each old criterion went.

A criterion in the new version continues an old one when it has the same id or lists the old id in `replaces`
(a rename, a split or a merge). That one rule drives both the diff an administrator reads before loading a new
version and the mapping that moves a partnership's self-evaluation and evidence links across.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from inspect_app.domain.frameworks import Criterion, Framework, framework_to_dict

# Framework fields compared as metadata; the version always differs, so it is reported separately.
_METADATA_FIELDS = ("id", "title", "owners", "in_force_from", "source_url", "licence", "status")


@dataclass(frozen=True, slots=True)
class CriterionMapping:
    """Old criterion id -> the new criteria that continue it; `unmapped` old ids have none."""

    targets: dict[str, tuple[str, ...]]
    unmapped: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the mapping as JSON-ready data."""
        return {"targets": {old: list(new) for old, new in self.targets.items()}, "unmapped": list(self.unmapped)}


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any  # JSON-ready values, as framework_to_dict gives them
    new: Any

    def to_dict(self) -> dict[str, Any]:
        """Return the change as JSON-ready data."""
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True, slots=True)
class ItemChange:
    id: str
    fields: tuple[FieldChange, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the change as JSON-ready data."""
        return {"id": self.id, "fields": [change.to_dict() for change in self.fields]}


@dataclass(frozen=True, slots=True)
class CollectionDiff:
    """Items of one collection (outcomes, evidence types, ...) added, removed or changed, matched by id."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[ItemChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Say whether nothing changed."""
        return not (self.added or self.removed or self.changed)

    def to_dict(self) -> dict[str, Any]:
        """Return the diff as JSON-ready data."""
        return {
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": [change.to_dict() for change in self.changed],
        }


@dataclass(frozen=True, slots=True)
class Replacement:
    """An old criterion continued under other ids: renamed, split or merged."""

    old_id: str
    new_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the replacement as JSON-ready data."""
        return {"old_id": self.old_id, "new_ids": list(self.new_ids)}


@dataclass(frozen=True, slots=True)
class Reworded:
    old_id: str
    new_id: str
    old_title: str
    new_title: str

    def to_dict(self) -> dict[str, Any]:
        """Return the rewording as JSON-ready data."""
        return {"old_id": self.old_id, "new_id": self.new_id, "old_title": self.old_title, "new_title": self.new_title}


@dataclass(frozen=True, slots=True)
class CriterionChange:
    """How a new criterion differs from an old one it continues (other than its title)."""

    old_id: str
    new_id: str
    section: tuple[str, str] | None = None  # (old, new) when it moved
    status: tuple[str, str] | None = None  # (old, new) when it changed
    evidence_types_added: tuple[str, ...] = ()
    evidence_types_removed: tuple[str, ...] = ()
    measures_added: tuple[str, ...] = ()
    measures_removed: tuple[str, ...] = ()
    survey_items_added: tuple[str, ...] = ()
    survey_items_removed: tuple[str, ...] = ()
    indicators_added: tuple[str, ...] = ()  # indicator texts
    indicators_removed: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Say whether nothing but the ids differ."""
        return self == CriterionChange(self.old_id, self.new_id)

    def to_dict(self) -> dict[str, Any]:
        """Return the change as JSON-ready data."""
        return {
            "old_id": self.old_id,
            "new_id": self.new_id,
            "section": list(self.section) if self.section else None,
            "status": list(self.status) if self.status else None,
            "evidence_types": {"added": list(self.evidence_types_added), "removed": list(self.evidence_types_removed)},
            "measures": {"added": list(self.measures_added), "removed": list(self.measures_removed)},
            "survey_items": {"added": list(self.survey_items_added), "removed": list(self.survey_items_removed)},
            "indicators": {"added": list(self.indicators_added), "removed": list(self.indicators_removed)},
        }


@dataclass(frozen=True, slots=True)
class FrameworkDiff:
    old_version: str
    new_version: str
    metadata: tuple[FieldChange, ...]
    added: tuple[str, ...]  # new criteria that continue no old one
    removed: tuple[str, ...]  # old criteria that no new one continues
    replaced: tuple[Replacement, ...]
    reworded: tuple[Reworded, ...]
    changed: tuple[CriterionChange, ...]
    sections: CollectionDiff
    outcomes: CollectionDiff
    evidence_types: CollectionDiff
    measures: CollectionDiff

    @property
    def is_empty(self) -> bool:
        """Say whether the two versions have the same content (apart from the version itself)."""
        collections = (self.sections, self.outcomes, self.evidence_types, self.measures)
        criteria = (self.metadata, self.added, self.removed, self.replaced, self.reworded, self.changed)
        return not any(criteria) and all(collection.is_empty for collection in collections)

    def to_dict(self) -> dict[str, Any]:
        """Return the diff as JSON-ready data."""
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "metadata": [change.to_dict() for change in self.metadata],
            "criteria": {
                "added": list(self.added),
                "removed": list(self.removed),
                "replaced": [replacement.to_dict() for replacement in self.replaced],
                "reworded": [reworded.to_dict() for reworded in self.reworded],
                "changed": [change.to_dict() for change in self.changed],
            },
            "sections": self.sections.to_dict(),
            "outcomes": self.outcomes.to_dict(),
            "evidence_types": self.evidence_types.to_dict(),
            "measures": self.measures.to_dict(),
        }


def map_criteria(old: Framework, new: Framework) -> CriterionMapping:
    """Map each old criterion id to the new criteria that continue it (same id first, then those replacing it)."""
    targets: dict[str, tuple[str, ...]] = {}
    unmapped: list[str] = []
    new_ids = {criterion.id for criterion in new.criteria}
    for criterion in old.criteria:
        same = (criterion.id,) if criterion.id in new_ids else ()
        replacing = tuple(
            successor.id
            for successor in new.criteria
            if criterion.id in successor.replaces and successor.id != criterion.id
        )
        if same or replacing:
            targets[criterion.id] = same + replacing
        else:
            unmapped.append(criterion.id)
    return CriterionMapping(targets, tuple(unmapped))


def diff_frameworks(old: Framework, new: Framework) -> FrameworkDiff:
    """Compare two framework versions, criterion by criterion and collection by collection."""
    mapping = map_criteria(old, new)
    old_criteria = {criterion.id: criterion for criterion in old.criteria}
    continued = {new_id for new_ids in mapping.targets.values() for new_id in new_ids}
    pairs = [
        (old_criteria[old_id], successor)
        for successor in new.criteria
        for old_id, new_ids in mapping.targets.items()
        if successor.id in new_ids
    ]
    changes = [_criterion_change(before, after) for before, after in pairs]
    old_dict, new_dict = framework_to_dict(old), framework_to_dict(new)
    return FrameworkDiff(
        old_version=old.version,
        new_version=new.version,
        metadata=tuple(
            FieldChange(name, old_dict[name], new_dict[name])
            for name in _METADATA_FIELDS
            if old_dict[name] != new_dict[name]
        ),
        added=tuple(criterion.id for criterion in new.criteria if criterion.id not in continued),
        removed=mapping.unmapped,
        replaced=tuple(
            Replacement(old_id, new_ids) for old_id, new_ids in mapping.targets.items() if new_ids != (old_id,)
        ),
        reworded=tuple(
            Reworded(before.id, after.id, before.title, after.title)
            for before, after in pairs
            if before.title != after.title
        ),
        changed=tuple(change for change in changes if not change.is_empty),
        sections=_diff_collection(old_dict["sections"], new_dict["sections"]),
        outcomes=_diff_collection(old_dict["outcomes"], new_dict["outcomes"]),
        evidence_types=_diff_collection(old_dict["evidence_types"], new_dict["evidence_types"]),
        measures=_diff_collection(old_dict["measures"], new_dict["measures"]),
    )


def _criterion_change(before: Criterion, after: Criterion) -> CriterionChange:
    old_indicators = [indicator.text for indicator in before.indicators]
    new_indicators = [indicator.text for indicator in after.indicators]
    return CriterionChange(
        old_id=before.id,
        new_id=after.id,
        section=(before.section_id, after.section_id) if before.section_id != after.section_id else None,
        status=(before.status, after.status) if before.status != after.status else None,
        evidence_types_added=_missing(after.evidence_types, before.evidence_types),
        evidence_types_removed=_missing(before.evidence_types, after.evidence_types),
        measures_added=_missing(after.measures, before.measures),
        measures_removed=_missing(before.measures, after.measures),
        survey_items_added=_missing(after.survey_items, before.survey_items),
        survey_items_removed=_missing(before.survey_items, after.survey_items),
        indicators_added=_missing(new_indicators, old_indicators),
        indicators_removed=_missing(old_indicators, new_indicators),
    )


def _missing(items: Sequence[str], other: Sequence[str]) -> tuple[str, ...]:
    """Return the items not in other, in their own order."""
    return tuple(item for item in items if item not in other)


def _diff_collection(old_items: list[dict[str, Any]], new_items: list[dict[str, Any]]) -> CollectionDiff:
    old_by_id = {item["id"]: item for item in old_items}
    new_by_id = {item["id"]: item for item in new_items}
    changed = []
    for item_id, after in new_by_id.items():
        before = old_by_id.get(item_id)
        if before is None or before == after:
            continue
        fields = tuple(
            FieldChange(name, before.get(name), value) for name, value in after.items() if before.get(name) != value
        )
        changed.append(ItemChange(item_id, fields))
    return CollectionDiff(
        added=tuple(item_id for item_id in new_by_id if item_id not in old_by_id),
        removed=tuple(item_id for item_id in old_by_id if item_id not in new_by_id),
        changed=tuple(changed),
    )


# --- In words -----------------------------------------------------------------------------------------------

_COLLECTIONS = (
    ("sections", "Sections"),
    ("outcomes", "Outcomes"),
    ("evidence_types", "Evidence types"),
    ("measures", "Measures"),
)
_LONG = 60  # texts longer than this are shown as an old line and a new line


def describe_diff(result: FrameworkDiff, old: Framework, new: Framework) -> list[str]:
    """Return the diff as lines a person reads: names beside ids, old and new text on lines of their own."""
    lines = [f"{new.title}: {result.old_version} -> {result.new_version}"]
    if result.is_empty:
        return [*lines, "No differences."]
    if result.metadata:
        lines += ["", "Framework"]
        for change in result.metadata:
            lines += _field_lines(change.field, change.old, change.new, "  ")
    lines += _criteria_lines(result, old, new)
    for name, heading in _COLLECTIONS:
        collection: CollectionDiff = getattr(result, name)
        if not collection.is_empty:
            lines += ["", heading, *_collection_lines(collection, _titles(old, name), _titles(new, name))]
    return lines


def _titles(framework: Framework, collection: str) -> dict[str, str]:
    items = getattr(framework, collection)
    return {item.id: getattr(item, "title", None) or getattr(item, "label", item.id) for item in items}


def _named(item_id: str, titles: dict[str, str]) -> str:
    title = titles.get(item_id)
    return f"{item_id} ({title})" if title and title != item_id else item_id


def _criteria_lines(result: FrameworkDiff, old: Framework, new: Framework) -> list[str]:
    old_titles = {c.id: c.title for c in old.criteria}
    new_titles = {c.id: c.title for c in new.criteria}
    lines: list[str] = []
    lines += [f"  Added: {_named(cid, new_titles)}" for cid in result.added]
    lines += [f"  Removed: {_named(cid, old_titles)}" for cid in result.removed]
    lines += [f"  Replaced: {r.old_id} -> {', '.join(r.new_ids)}" for r in result.replaced]
    for reworded in result.reworded:
        lines += [f"  Reworded {reworded.new_id}:", f'    - "{reworded.old_title}"', f'    + "{reworded.new_title}"']
    measure_titles = {**_titles(old, "measures"), **_titles(new, "measures")}
    type_titles = {**_titles(old, "evidence_types"), **_titles(new, "evidence_types")}
    for change in result.changed:
        lines.append(f"  Changed {_named(change.new_id, new_titles)}:")
        if change.section:
            lines.append(f"    section: {change.section[0]} -> {change.section[1]}")
        if change.status:
            lines.append(f"    wording status: {change.status[0]} -> {change.status[1]}")
        for label, items, titles in (
            ("measures added", change.measures_added, measure_titles),
            ("measures removed", change.measures_removed, measure_titles),
            ("evidence types added", change.evidence_types_added, type_titles),
            ("evidence types removed", change.evidence_types_removed, type_titles),
            ("survey items added", change.survey_items_added, {}),
            ("survey items removed", change.survey_items_removed, {}),
        ):
            if items:
                lines.append(f"    {label}: {', '.join(_named(i, titles) for i in items)}")
        lines += [f'    indicator added: "{text}"' for text in change.indicators_added]
        lines += [f'    indicator removed: "{text}"' for text in change.indicators_removed]
    return ["", "Criteria", *lines] if lines else []


def _collection_lines(collection: CollectionDiff, old_titles: dict[str, str], new_titles: dict[str, str]) -> list[str]:
    lines = [f"  Added: {_named(item_id, new_titles)}" for item_id in collection.added]
    lines += [f"  Removed: {_named(item_id, old_titles)}" for item_id in collection.removed]
    for change in collection.changed:
        lines.append(f"  Changed {_named(change.id, new_titles)}:")
        for field_change in change.fields:
            lines += _field_lines(field_change.field, field_change.old, field_change.new, "    ")
    return lines


def _flatten(prefix: str, value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(f"{prefix}.{key}", item))
        return flat
    return {prefix: value}


def _field_lines(name: str, old: Any, new: Any, indent: str) -> list[str]:
    """One line per changed field ("duty: not set -> yes"), or an old and a new line for a long text."""
    before, after = _flatten(name, old), _flatten(name, new)
    lines = []
    for key in dict.fromkeys([*before, *after]):
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        was_text, now_text = _value_text(was), _value_text(now)
        if len(was_text) + len(now_text) > _LONG:
            lines += [f"{indent}{key}:", f"{indent}  - {was_text}", f"{indent}  + {now_text}"]
        else:
            lines.append(f"{indent}{key}: {was_text} -> {now_text}")
    return lines


def _value_text(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_value_text(item) for item in value) or "none"
    return str(value)
