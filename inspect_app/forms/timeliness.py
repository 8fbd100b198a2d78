from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from inspect_app.forms.base import BaseForm

KIND_CHOICES = [
    SelectChoice("sen2", "A SEN2 return: the XML as submitted to DfE, or a ZIP of its Blade CSV files"),
    SelectChoice("cases", "Cases: one row for each request for an EHC needs assessment"),
    SelectChoice("reviews", "Annual reviews: one row for each review meeting"),
]


class UploadImportForm(BaseForm):
    kind = RadioField(
        "What does the file hold?",
        choices=KIND_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select what the file holds")],
    )
    upload = FileField(
        "Upload a file",
        widget=GovFileInput(),
        description="A SEN2 return (XML or ZIP), or a CSV file (UTF-8, or as Excel saves it) or Excel workbook (XLSX)",
        validators=[
            FileRequired(message="Select a file"),
            FileAllowed(
                ["csv", "xlsx", "xml", "zip"], message="The selected file must be an XML, ZIP, CSV or XLSX file"
            ),
        ],
    )
    submit = SubmitField("Upload and import", widget=GovSubmitInput())
