from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from inspect_app.forms.base import BaseForm


class UploadFrameworkForm(BaseForm):
    archive = FileField(
        "Framework version (ZIP file)",
        widget=GovFileInput(),
        description="A ZIP of one version folder: framework.yml, the other YAML files and criteria/*.yml",
        validators=[FileRequired(message="Select a ZIP file"), FileAllowed(["zip"], message="The file must be a ZIP")],
    )
    submit = SubmitField("Check and load", widget=GovSubmitInput())


class ChooseVersionForm(BaseForm):
    version_id = RadioField(
        "Version to move to",
        widget=GovRadioInput(),
        coerce=int,
        validators=[InputRequired(message="Select the version to move to")],
    )
    submit = SubmitField("Show what would change", widget=GovSubmitInput())


class ConfirmMoveForm(BaseForm):
    submit = SubmitField("Move to this version", widget=GovSubmitInput())
