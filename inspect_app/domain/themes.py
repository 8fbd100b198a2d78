"""Suggest which criteria a free-text comment speaks to, from keyword lists.

This is a first sort for a person to check, not classification: a comment is tagged with every criterion
one of whose keywords occurs in it as a whole word (or phrase), ignoring case, with simple English plurals
("school" finds "schools", "therapies" finds "therapy"). The same input always gives the same answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def suggest_themes(text: str, keywords_by_criterion: Mapping[str, Iterable[str]]) -> list[str]:
    """Return the criterion ids (sorted) whose keywords occur in the text."""
    normalised = _normalise(text)
    if not normalised:
        return []
    found = []
    for criterion, keywords in keywords_by_criterion.items():
        pattern = _keyword_pattern(tuple(keywords))
        if pattern is not None and pattern.search(normalised):
            found.append(criterion)
    return sorted(found)


def count_themes(texts: Iterable[str], keywords_by_criterion: Mapping[str, Iterable[str]]) -> dict[str, int]:
    """Count, per criterion id, how many of the texts mention it (every criterion listed, zero included)."""
    counts = dict.fromkeys(sorted(keywords_by_criterion), 0)
    for text in texts:
        for criterion in suggest_themes(text, keywords_by_criterion):
            counts[criterion] += 1
    return counts


def word_forms(word: str) -> set[str]:
    """Return a word with its simple English singular or plural forms (no irregular plurals)."""
    if _looks_plural(word):
        return {word} | _singulars(word)
    return {word, _plural(word)}


def _looks_plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "is", "us"))


def _singulars(word: str) -> set[str]:
    if word.endswith("ies"):
        return {word[:-3] + "y"}
    if word.endswith(("xes", "zes", "ches", "shes")):
        return {word[:-2]}
    if word.endswith("ses"):  # houses, buses, diagnoses
        return {word[:-1], word[:-2], word[:-2] + "is"}
    return {word[:-1]}


def _plural(word: str) -> str:
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith("is") and len(word) > 3:
        return word[:-2] + "es"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def _normalise(text: str) -> str:
    return " ".join(text.translate(_APOSTROPHES).casefold().split())


@lru_cache(maxsize=256)
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for a criterion: any keyword, the last word of a phrase in any simple plural form."""
    alternatives: set[str] = set()
    for keyword in keywords:
        words = _normalise(keyword).split()
        if not words:
            continue
        head = r"\s+".join(re.escape(word) for word in words[:-1])
        tails = sorted(word_forms(words[-1]), key=lambda form: (-len(form), form))
        tail = "(?:" + "|".join(re.escape(form) for form in tails) + ")"
        alternatives.add(head + r"\s+" + tail if head else tail)
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(alternatives)) + r")(?!\w)")
