"""The person-level lists check: the file(s), the date the lists are as at, and what to do when they pass."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice

from inspect_app.forms.base import BaseForm, GovDateField
from inspect_app.forms.inspections import required_date

OUTPUTS = {
    "check": "Check only",
    "xlsx": "Check, and if nothing must be fixed download the lists in the template's layout (Excel)",
    "ods": "Check, and if nothing must be fixed download the lists in the template's layout (OpenDocument)",
}


class CheckListsForm(BaseForm):
    file = FileField(
        "The lists (XLSX, ODS or CSV)",
        widget=GovFileInput(),
        description="One workbook with a sheet per list, or a CSV file of one list.",
        validators=[
            FileRequired(message="Select the file with the lists"),
            FileAllowed(["xlsx", "ods", "csv"], message="The lists must be an XLSX, ODS or CSV file"),
        ],
    )
    as_of = GovDateField(
        "Date the lists are as at",
        validators=[required_date("Enter the date the lists are as at")],
        description="Usually the day inspectors asked for them. Ages and date windows count from it.",
    )
    output = RadioField(
        "What to do",
        choices=[SelectChoice(key, label) for key, label in OUTPUTS.items()],
        default="check",
        widget=GovRadioInput(),
        validators=[],
    )
    submit = SubmitField("Check the lists", widget=GovSubmitInput())
