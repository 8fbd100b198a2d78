"""The audit log's filters: a GET form, so a bad date is shown as an error rather than silently ignored."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from inspect_app.forms.base import GovDateField, SearchForm
from inspect_app.services.audit import AuditFilter


class AuditFilterForm(SearchForm):
    action = SelectField("Action", widget=GovSelect(), validators=[Optional()], validate_choice=False)
    actor = StringField(
        "Who",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message="Who must be 200 characters or fewer")],
    )
    date_from = GovDateField("From", validators=[Optional()], description="For example, 1 9 2026")
    date_to = GovDateField("To", validators=[Optional()], description="For example, 30 9 2026")
    submit = SubmitField("Filter", widget=GovSubmitInput())

    def __init__(self, *args, actions: list[str], **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.action.choices = [SelectChoice("", "All actions"), *(SelectChoice(a, a) for a in actions)]

    def validate_date_to(self, field: GovDateField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The ‘to’ date must be the same as or after the ‘from’ date")

    def details(self, *, action_prefix: str | None = None) -> AuditFilter:
        """The filter the fields ask for, leaving out any field with an error."""
        date_from = self.date_from.data if not self.date_from.errors else None
        date_to = self.date_to.data if not self.date_to.errors else None
        return AuditFilter(
            action=self.action.data or None,
            action_prefix=action_prefix,
            actor=(self.actor.data or None) if not self.actor.errors else None,
            date_from=datetime.combine(date_from, time()) if date_from else None,
            date_to=datetime.combine(date_to, time()) + timedelta(days=1) if date_to else None,
        )
