import pytest

from inspect_app.domain.redaction import REDACTION_KINDS, REPLACEMENTS, merge_counts, redact


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "07700 900 123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "0117 496 0123",
        "(0117) 496 0123",
        "0117-496-0123",
        "020 7946 0958",
        "01632 960001",
    ],
)
def test_redact_removes_a_uk_phone_number_when_written_in_any_common_format(number):
    result = redact(f"Please ring {number} after 3pm.")

    assert result.text == "Please ring [phone number removed] after 3pm."
    assert result.counts == {"phone": 1}


@pytest.mark.parametrize("address", ["jane.parent@example.com", "a.b+send@example.co.uk", "o'neil@example.org"])
def test_redact_removes_an_email_address_when_present(address):
    result = redact(f"Email {address}, thanks")

    assert result.text == "Email [email removed], thanks"
    assert result.counts == {"email": 1}


@pytest.mark.parametrize("postcode", ["BS1 4DJ", "bs1 4dj", "SW1A 1AA", "M13 9PL", "LS62QW", "EC1A 1BB"])
def test_redact_removes_a_postcode_when_upper_or_lower_case(postcode):
    result = redact(f"We live at {postcode}.")

    assert result.text == "We live at [postcode removed]."
    assert result.counts == {"postcode": 1}


@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "943-476-5919"])
def test_redact_removes_an_nhs_number_when_grouped_or_not(number):
    result = redact(f"NHS number {number}.")

    assert result.text == "NHS number [NHS number removed]."
    assert result.counts == {"nhs_number": 1}


@pytest.mark.parametrize("upn", ["A805200123456", "A80520012345B", "h805200123456"])
def test_redact_removes_a_upn_when_permanent_or_temporary(upn):
    result = redact(f"UPN {upn} on the plan")

    assert result.text == "UPN [UPN removed] on the plan"
    assert result.counts == {"upn": 1}


def test_redact_removes_a_national_insurance_number_when_spaced_or_not():
    result = redact("NI QQ 12 34 56 C and qq123456c")

    assert result.text == "NI [National Insurance number removed] and [National Insurance number removed]"
    assert result.counts == {"ni_number": 2}


def test_redact_counts_each_kind_when_a_comment_holds_several():
    text = "I'm at jo@example.com or 07700 900123 (home 0117 496 0123), BS1 4DJ. NHS 943 476 5919, UPN A805200123456."

    result = redact(text)

    assert result.text == (
        "I'm at [email removed] or [phone number removed] (home [phone number removed]), [postcode removed]. "
        "NHS [NHS number removed], UPN [UPN removed]."
    )
    assert result.counts == {"email": 1, "upn": 1, "phone": 2, "nhs_number": 1, "postcode": 1}


@pytest.mark.parametrize(
    "text",
    [
        "In Y6 2nd term and KS2 3rd year nothing happened.",
        "It took 52 weeks and 3 days; the plan was issued on 12/03/2024.",
        "We paid £1500 and rang 111 and 999.",
        "Ages 16-25, 20 weeks, ref 12345, in 2024.",
        "Nobody listened to us.",
    ],
)
def test_redact_leaves_text_unchanged_when_nothing_personal_is_in_it(text):
    result = redact(text)

    assert result.text == text
    assert result.counts == {}


def test_redact_stops_a_phone_number_at_its_last_digit_when_more_numbers_follow():
    assert redact("call 07700 900123 2 times").text == "call [phone number removed] 2 times"


def test_redact_removes_the_given_names_as_whole_words_when_any_case():
    result = redact(
        "Siobhan here (siobhan's mum). The Kerrigan family. Siobhanna is someone else.",
        names=["Siobhan Kerrigan", "anonymous", "s.k@example.com", ""],
    )

    assert result.text == (
        "[name removed] here ([name removed]'s mum). The [name removed] family. Siobhanna is someone else."
    )
    assert result.counts == {"name": 3}


def test_redact_ignores_anonymous_and_email_values_when_given_as_names():
    result = redact("Anonymous feedback is welcome", names=["anonymous", "x@example.com"])

    assert result.text == "Anonymous feedback is welcome"
    assert result.counts == {}


def test_merge_counts_adds_into_a_running_total():
    total = {"email": 1}

    merge_counts(total, {"email": 2, "phone": 1})

    assert total == {"email": 3, "phone": 1}


def test_every_kind_has_a_replacement_text():
    assert set(REDACTION_KINDS) == set(REPLACEMENTS)
    assert all(text.startswith("[") and text.endswith(" removed]") for text in REPLACEMENTS.values())
