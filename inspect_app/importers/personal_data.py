"""Which columns of an imported file hold personal data, so that importers drop them unread.

Cases are stored by case reference only (DESIGN.md, "Personal data"). A column is personal data when its
name (compared with spaces, case and punctuation removed, so `Date of birth`, `date_of_birth` and
`DateOfBirth` are the same) is or contains one of the words below. The list errs on the side of dropping:
a column wrongly dropped is named to the user, a column wrongly kept could not be taken back.

- names: name, forename(s), first/given/middle/last/family/preferred name, surname, and any other
  "… name" except the names of organisations (a setting, school or local authority);
- dates of birth: date of birth, DOB, birth date, SEN2's `personbirthdate`;
- addresses and contact details: address (any line), postcode, email, phone, telephone, mobile;
- identifiers of a person: UPN (unique pupil number), ULN (`uniquelearnernumber`), NHS number;
- characteristics that are special-category data and that no measure here uses: sex, gender, ethnicity.
"""

from __future__ import annotations

import re

from inspect_app.importers.common import normalise_header

_EXACT = frozenset(
    {
        # names
        "name",
        "names",
        "forename",
        "forenames",
        "surname",
        "surnames",
        "knownas",
        "initials",
        # identifiers
        "upn",
        "formerupn",
        "uln",
        "uniquepupilnumber",
        "uniquelearnernumber",
        "nhs",
        "nhsno",
        "nhsnumber",
        "tel",
        # special-category characteristics (SEN2 `sex`, formerly `gendercurrent`)
        "sex",
        "gender",
        "gendercurrent",
        "ethnicity",
        "ethnicgroup",
    }
)
_CONTAINS = (
    "forename",
    "surname",
    "firstname",
    "givenname",
    "middlename",
    "lastname",
    "familyname",
    "fullname",
    "preferredname",
    "dateofbirth",
    "birthdate",
    "address",
    "postcode",
    "postalcode",
    "email",
    "phone",
    "mobile",
    "nhsnumber",
    "uniquepupilnumber",
    "uniquelearnernumber",
)
_DATE_OF_BIRTH = ("dateofbirth", "birthdate", "personbirthdate")
# "… name" columns that name an organisation, not a person.
_ORGANISATION_NAMES = ("setting", "school", "establishment", "provider", "college", "organisation", "la", "authority")
_NOT_A_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9]")


def _compact(header: str) -> str:
    return _NOT_A_LETTER_OR_DIGIT.sub("", normalise_header(header))


def is_date_of_birth(header: str) -> bool:
    """Tell whether a column, named as in the file, holds dates of birth."""
    compact = _compact(header)
    return compact == "dob" or any(word in compact for word in _DATE_OF_BIRTH)


def is_personal_data(header: str) -> bool:
    """Tell whether a column, named as in the file, holds personal data that must never be stored."""
    compact = _compact(header)
    if compact in _EXACT or is_date_of_birth(header) or any(word in compact for word in _CONTAINS):
        return True
    words = normalise_header(header).split("_")
    if words[-1] in ("name", "names") and len(words) > 1:
        return not any(word in _ORGANISATION_NAMES for word in words[:-1])
    return compact.startswith(("upn", "uln"))
