"""Redact personal details from free text before it is stored.

Families write phone numbers, email addresses, postcodes and their child's NHS number or UPN into comment
boxes. None of that may be kept, so every free-text answer passes through `redact` on import. Patterns are
deliberately generous: removing a reference number that was not personal costs little, keeping one that
was costs a lot. Names cannot be found by pattern; `names` removes the ones the survey tool itself recorded
for the respondent (for example Microsoft Forms' Name column).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# kind -> replacement text; the order is the order patterns run (an email address holds digits a phone
# pattern could take, a UPN holds digits an NHS number pattern could take).
REPLACEMENTS: dict[str, str] = {
    "email": "[email removed]",
    "upn": "[UPN removed]",
    "ni_number": "[National Insurance number removed]",
    "phone": "[phone number removed]",
    "nhs_number": "[NHS number removed]",
    "postcode": "[postcode removed]",
    "name": "[name removed]",
}
REDACTION_KINDS = tuple(REPLACEMENTS)

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Unique pupil number: check letter (never I, O or S), LA code, establishment, year, serial; a temporary
# UPN ends in a letter.
_UPN = re.compile(r"\b[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]\b", re.IGNORECASE)
# National Insurance number: any two letters (HMRC's own specimen, QQ, is not a valid prefix but is what
# people copy), six digits, A to D.
_NI_NUMBER = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)
# UK numbers: +44 / 0044 (optionally "(0)") or a leading 0, then 9 or 10 national digits in groups.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+44|0044)\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)",
)
_NHS_NUMBER = re.compile(r"(?<![\w+])\d{3}[\s-]?\d{3}[\s-]?\d{4}(?!\d)")
# The inward code's letters never include C, I, K, M, O or V.
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)


@dataclass(frozen=True)
class Redacted:
    """Text with personal details replaced, and how many of each kind were replaced."""

    text: str
    counts: dict[str, int] = field(default_factory=dict)


def redact(text: str, *, names: Iterable[str] = ()) -> Redacted:
    """Replace emails, UK phone numbers, postcodes, NHS numbers, UPNs, NI numbers and the given names."""
    counts: dict[str, int] = {}
    result = text
    for kind, pattern, accept in _PATTERNS:
        result = _substitute(result, kind, pattern, accept, counts)
    name_pattern = _names_pattern(names)
    if name_pattern is not None:
        result = _substitute(result, "name", name_pattern, None, counts)
    return Redacted(text=result, counts=counts)


def merge_counts(total: dict[str, int], counts: dict[str, int]) -> None:
    """Add one text's redaction counts into a running total."""
    for kind, count in counts.items():
        total[kind] = total.get(kind, 0) + count


def _substitute(
    text: str,
    kind: str,
    pattern: re.Pattern[str],
    accept: Callable[[str], bool] | None,
    counts: dict[str, int],
) -> str:
    def replace(match: re.Match[str]) -> str:
        if accept is not None and not accept(match.group(0)):
            return match.group(0)
        counts[kind] = counts.get(kind, 0) + 1
        return REPLACEMENTS[kind]

    return pattern.sub(replace, text)


def _is_uk_phone(candidate: str) -> bool:
    """A UK number has 9 or 10 digits after the trunk 0 or the +44 country code."""
    digits = re.sub(r"\D", "", candidate)
    if digits.startswith("0044"):
        national = digits[4:]
    elif digits.startswith("44") and candidate.lstrip().startswith("+"):
        national = digits[2:]
    else:
        national = digits[1:]
    national = national.removeprefix("0")  # the "(0)" some people write after +44
    return len(national) in (9, 10)


def _is_postcode(candidate: str) -> bool:
    """Refuse "Y6 2nd" and "KS2 3rd": a lower-case ordinal is a school year, not an inward code."""
    return candidate[-2:] not in ("st", "nd", "rd", "th")


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Match any of the given names (whole names first, then each part of two letters or more) as words."""
    wanted: set[str] = set()
    for name in names:
        cleaned = " ".join(name.split())
        if not cleaned or "@" in cleaned or cleaned.casefold() == "anonymous":
            continue
        wanted.add(cleaned)
        wanted.update(part for part in re.split(r"[\s,]+", cleaned) if len(part) >= 2)
    if not wanted:
        return None
    alternatives = "|".join(re.escape(name) for name in sorted(wanted, key=lambda n: (-len(n), n)))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


_PATTERNS: tuple[tuple[str, re.Pattern[str], Callable[[str], bool] | None], ...] = (
    ("email", _EMAIL, None),
    ("upn", _UPN, None),
    ("ni_number", _NI_NUMBER, None),
    ("phone", _PHONE, _is_uk_phone),
    ("nhs_number", _NHS_NUMBER, None),
    ("postcode", _POSTCODE, _is_postcode),
)
