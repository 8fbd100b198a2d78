"""Self-evaluation rules: what an entry holds, how versions differ, when a version counts as signed off.

An entry is the partnership's evaluation of one criterion. Every save makes a new numbered version (a full
snapshot), so history and diffs are exact. A version is signed off when a lead of every required partner
(council and ICB by default) has signed that version; any later edit makes a new, unsigned version.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

DEFAULT_GRADES = ("strong", "secure", "developing", "weak")
DEFAULT_SIGNOFF_PARTNERS = ("council", "icb")
TEXT_FIELDS = ("strengths", "areas_for_development", "impact")
FIELD_LABELS = {
    "grade": "Grade",
    "strengths": "Strengths",
    "areas_for_development": "Areas for development",
    "impact": "Impact: what has changed for children and young people",
    "next_steps": "Next steps",
    "evidence_ids": "Selected evidence",
}


@dataclass(frozen=True)
class NextStep:
    text: str
    owner: str  # a member's name or role, as the partnership writes it
    due: date | None

    def to_dict(self) -> dict:
        return {"text": self.text, "owner": self.owner, "due": self.due.isoformat() if self.due else None}

    @classmethod
    def from_dict(cls, data: dict) -> NextStep:
        due = data.get("due")
        return cls(text=data.get("text", ""), owner=data.get("owner", ""), due=date.fromisoformat(due) if due else None)


@dataclass(frozen=True)
class EntryContent:
    """What one version of a criterion's self-evaluation says."""

    grade: str | None = None
    strengths: str = ""
    areas_for_development: str = ""
    impact: str = ""
    next_steps: tuple[NextStep, ...] = ()
    evidence_ids: tuple[int, ...] = ()

    @property
    def has_text(self) -> bool:
        return any(getattr(self, name).strip() for name in TEXT_FIELDS)

    @property
    def is_empty(self) -> bool:
        return self.grade is None and not self.has_text and not self.next_steps and not self.evidence_ids

    def to_dict(self) -> dict:
        return {
            "grade": self.grade,
            "strengths": self.strengths,
            "areas_for_development": self.areas_for_development,
            "impact": self.impact,
            "next_steps": [step.to_dict() for step in self.next_steps],
            "evidence_ids": list(self.evidence_ids),
        }

    @classmethod
    def from_dict(cls, data: dict) -> EntryContent:
        return cls(
            grade=data.get("grade"),
            strengths=data.get("strengths", ""),
            areas_for_development=data.get("areas_for_development", ""),
            impact=data.get("impact", ""),
            next_steps=tuple(NextStep.from_dict(step) for step in data.get("next_steps", [])),
            evidence_ids=tuple(int(i) for i in data.get("evidence_ids", [])),
        )


def validate_content(content: EntryContent, grades: Sequence[str]) -> list[str]:
    """Return the problems with an entry, as GOV.UK error sentences (empty when valid)."""
    problems = []
    if content.grade is not None and content.grade not in grades:
        problems.append(f"Select a grade: {', '.join(grades)}")
    for number, step in enumerate(content.next_steps, start=1):
        if not step.text.strip():
            problems.append(f"Enter what next step {number} is, or remove it")
        if not step.owner.strip():
            problems.append(f"Enter who owns next step {number}")
    if content.is_empty:
        problems.append("Enter a grade or some evaluation before saving")
    return problems


@dataclass(frozen=True)
class Signature:
    partner: str
    signer: str
    version: int


@dataclass(frozen=True)
class SignOffStatus:
    version: int
    required: tuple[str, ...]
    signed: dict[str, str] = field(default_factory=dict)  # partner -> signer, for this version only

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(p for p in self.required if p not in self.signed)

    @property
    def complete(self) -> bool:
        return not self.missing


def sign_off_status(version: int, signatures: Iterable[Signature], required: Sequence[str]) -> SignOffStatus:
    """Say which required partners have signed this version (signatures of earlier versions do not count)."""
    signed = {s.partner: s.signer for s in signatures if s.version == version and s.partner in required}
    return SignOffStatus(version=version, required=tuple(required), signed=signed)


@dataclass(frozen=True)
class FieldDiff:
    field: str
    label: str
    before: str
    after: str
    # (kind, text) pieces: kind is "same", "removed" or "added"
    pieces: tuple[tuple[str, str], ...]


def _render(name: str, content: EntryContent) -> str:
    value = getattr(content, name)
    if name == "next_steps":
        return "\n".join(f"{s.text} (owner: {s.owner}{', due ' + s.due.isoformat() if s.due else ''})" for s in value)
    if name == "evidence_ids":
        return ", ".join(f"#{i}" for i in value)
    return value or ""


_TOKEN = re.compile(r"\s+|[^\s]+")


def diff_versions(before: EntryContent, after: EntryContent) -> list[FieldDiff]:
    """Return the changed fields between two versions, word by word."""
    diffs = []
    for name, label in FIELD_LABELS.items():
        old, new = _render(name, before), _render(name, after)
        if old == new:
            continue
        a, b = _TOKEN.findall(old), _TOKEN.findall(new)
        pieces: list[tuple[str, str]] = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if tag == "equal":
                pieces.append(("same", "".join(a[i1:i2])))
            if tag in ("delete", "replace"):
                pieces.append(("removed", "".join(a[i1:i2])))
            if tag in ("insert", "replace"):
                pieces.append(("added", "".join(b[j1:j2])))
        diffs.append(FieldDiff(field=name, label=label, before=old, after=new, pieces=tuple(pieces)))
    return diffs
