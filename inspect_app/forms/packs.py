"""The evidence pack's one form: a button (with its CSRF token) that starts the download."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from inspect_app.forms.base import BaseForm


class PrepareEvidencePackForm(BaseForm):
    submit = SubmitField("Prepare evidence pack", widget=GovSubmitInput())
