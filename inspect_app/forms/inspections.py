from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, StopValidation

from inspect_app.domain.inspections import INSPECTION_TYPES, MAX_NOTES
from inspect_app.forms.base import BaseForm, GovDateField
from inspect_app.services.inspections import InspectionDetails


def required_date(message: str):  # type: ignore[no-untyped-def]
    """A date is needed; a date that is not real keeps its own message ("must be a real date")."""

    def check(form: BaseForm, field: GovDateField) -> None:
        if field.data is None and not field.errors:
            raise StopValidation(message)

    return check


class InspectionForm(BaseForm):
    inspection_type = RadioField(
        "Type of inspection",
        choices=[SelectChoice(key, label) for key, label in INSPECTION_TYPES.items()],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the type of inspection")],
    )
    notification_date = GovDateField(
        "Date the partnership was notified",
        validators=[required_date("Enter the date the partnership was notified")],
        description="For example, 12 1 2027",
    )
    on_site_week_start = GovDateField(
        "First day of the on-site week (optional)",
        validators=[Optional()],
        description="The Monday inspectors arrive. Leave it blank to use the estimate: 10 working days after the "
        "notification.",
    )
    lead_inspector = StringField(
        "Lead inspector (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message="Lead inspector must be 200 characters or fewer")],
    )
    notes = TextAreaField(
        "Notes (optional)",
        widget=GovTextArea(),
        description="Inspectors with access to the partnership can read these notes.",
        validators=[Length(max=MAX_NOTES, message=f"Notes must be {MAX_NOTES:,} characters or fewer")],
    )
    submit = SubmitField("Save inspection", widget=GovSubmitInput())

    def details(self) -> InspectionDetails:
        return InspectionDetails(
            inspection_type=self.inspection_type.data,
            notification_date=self.notification_date.data,
            on_site_week_start=self.on_site_week_start.data,
            lead_inspector=self.lead_inspector.data,
            notes=self.notes.data or "",
        )


class GrantInspectorAccessForm(BaseForm):
    email = StringField(
        "Inspector's email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the inspector's email address"),
            Email(
                message="Enter an email address in the correct format, like name@example.org",
                check_deliverability=False,
            ),
        ],
        description="They need an account already. If they do not have one, ask the site administrator to create "
        "it, then come back here.",
    )
    expires_on = GovDateField(
        "Last day of access",
        validators=[required_date("Enter the last day of the inspector's access")],
        description="Access ends at the end of this day, by itself.",
    )
    submit = SubmitField("Give access", widget=GovSubmitInput())
