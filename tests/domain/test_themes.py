import pytest

from inspect_app.domain.themes import count_themes, suggest_themes, word_forms

KEYWORDS = {
    "EXP3": ["therapy", "waiting list", "CAMHS"],
    "EXP4": ["transition", "college", "next steps"],
    "EXP1": ["diagnosis", "identified"],
    "LEAD6": ["don't listen", "communication"],
}


def test_suggest_themes_returns_sorted_criterion_ids_when_several_match():
    text = "The CAMHS waiting lists are long and the transition to college was rushed. No diagnosis yet."

    assert suggest_themes(text, KEYWORDS) == ["EXP1", "EXP3", "EXP4"]


def test_suggest_themes_ignores_case_and_extra_spaces_when_matching_a_phrase():
    assert suggest_themes("Planning our NEXT   Steps has been good", KEYWORDS) == ["EXP4"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Both therapies stopped", ["EXP3"]),  # keyword singular, text plural
        ("Two transitions in one year", ["EXP4"]),
        ("The colleges were full", ["EXP4"]),
    ],
)
def test_suggest_themes_matches_simple_plurals(text, expected):
    assert suggest_themes(text, KEYWORDS) == expected


def test_suggest_themes_matches_a_singular_when_the_keyword_is_plural():
    assert suggest_themes("one short break", {"EXP5": ["short breaks"]}) == ["EXP5"]


def test_suggest_themes_needs_whole_words_when_a_keyword_is_inside_another_word():
    keywords = {"EXP4": ["school"], "EXP3": ["therapy"]}

    assert suggest_themes("Preschool physiotherapy", keywords) == []
    assert suggest_themes("schoolwork", keywords) == []


def test_suggest_themes_treats_curly_and_straight_apostrophes_alike():
    assert suggest_themes("They don\u2019t listen to parents", KEYWORDS) == ["LEAD6"]


def test_suggest_themes_returns_nothing_when_text_or_keywords_are_empty():
    assert suggest_themes("", KEYWORDS) == []
    assert suggest_themes("   ", KEYWORDS) == []
    assert suggest_themes("therapy", {"EXP3": []}) == []
    assert suggest_themes("therapy", {"EXP3": ["  "]}) == []


def test_suggest_themes_gives_the_same_answer_whatever_the_order_of_criteria():
    text = "communication about therapy and college"
    reversed_keywords = dict(reversed(list(KEYWORDS.items())))

    assert suggest_themes(text, KEYWORDS) == suggest_themes(text, reversed_keywords) == ["EXP3", "EXP4", "LEAD6"]


def test_suggest_themes_escapes_keywords_when_they_hold_regex_characters():
    assert suggest_themes("we use the c++ club (a.k.a. coding)", {"EXP5": ["c++", "a.k.a."]}) == ["EXP5"]
    assert suggest_themes("akaa", {"EXP5": ["a.k.a"]}) == []


@pytest.mark.parametrize(
    ("word", "forms"),
    [
        ("school", {"school", "schools"}),
        ("therapy", {"therapy", "therapies"}),
        ("therapies", {"therapies", "therapy"}),
        ("delay", {"delay", "delays"}),
        ("box", {"box", "boxes"}),
        ("churches", {"churches", "church"}),
        ("class", {"class", "classes"}),
        ("plans", {"plans", "plan"}),
    ],
)
def test_word_forms_gives_singular_and_plural(word, forms):
    assert word_forms(word) == forms


def test_count_themes_counts_texts_per_criterion_including_zero():
    texts = ["therapy delays", "college transition and therapy", "nothing here"]

    assert count_themes(texts, KEYWORDS) == {"EXP1": 0, "EXP3": 2, "EXP4": 1, "LEAD6": 0}
