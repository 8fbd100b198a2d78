"""The evidence pack's choice of extras: a GET form (it changes nothing), one checkbox per item of the list."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput
from wtforms import HiddenField, SelectMultipleField, SubmitField

from inspect_app.forms.base import SearchForm


class PackContentsForm(SearchForm):
    """Which of the listed items to add to the pack; nothing outside the list can be chosen."""

    include = SelectMultipleField(
        "What to add to the pack",
        widget=GovCheckboxesInput(),
        description="Approved evidence and the signed-off self-evaluation are always in the pack. Nothing else "
        "can be added.",
    )
    chosen = HiddenField(default="1")
    submit = SubmitField("Preview the pack", widget=GovSubmitInput())

    def set_extras(self, extras: list[tuple[str, str]]) -> None:
        self.include.choices = extras
