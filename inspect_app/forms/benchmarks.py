"""Uploading DfE's published statistics and the statistical neighbours (site administrators)."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import Length, Optional

from inspect_app.forms.base import BaseForm

TABLE_FILES = ["csv", "xlsx"]


class UploadBenchmarksForm(BaseForm):
    file = FileField(
        "DfE statistics file (CSV or Excel)",
        widget=GovFileInput(),
        description=(
            'A data file from DfE\'s "Education, health and care plans" release, for example sen2_mi.csv, '
            "timeliness_20_week.csv, requests.csv or annual_reviews.csv. It is recognised from its columns."
        ),
        validators=[
            FileRequired(message="Select a DfE statistics file"),
            FileAllowed(TABLE_FILES, message="The file must be a CSV or an Excel (.xlsx) file"),
        ],
    )
    release = StringField(
        "Release (optional)",
        widget=GovTextInput(),
        description="The reporting year of the release, like 2025. Leave it blank to use the year after the file's "
        "latest figures.",
        validators=[Optional(), Length(max=60, message="Release must be 60 characters or fewer")],
    )
    submit = SubmitField("Check and import", widget=GovSubmitInput())


class UploadNeighboursForm(BaseForm):
    file = FileField(
        "Statistical neighbours file (CSV or Excel)",
        widget=GovFileInput(),
        description=(
            "One row per local authority with its ten neighbours (like Provider_data_lookup.csv), or one row per "
            "neighbour (la_code, SN, SN_code). It replaces the neighbours held now."
        ),
        validators=[
            FileRequired(message="Select a statistical neighbours file"),
            FileAllowed(TABLE_FILES, message="The file must be a CSV or an Excel (.xlsx) file"),
        ],
    )
    model = StringField(
        "Name of the neighbour model (optional)",
        widget=GovTextInput(),
        description="For example LAIT 2025. Leave it blank to use the file name.",
        validators=[Optional(), Length(max=120, message="Name must be 120 characters or fewer")],
    )
    submit = SubmitField("Check and import", widget=GovSubmitInput())
