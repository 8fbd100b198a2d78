from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, StopValidation, ValidationError

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.schedules import (
    CADENCES,
    LAST_DAY,
    MAX_DAY_OF_MONTH,
    MAX_KEEP_LAST,
    WEEKDAYS,
    parse_time_of_day,
)
from inspect_app.forms.base import BaseForm
from inspect_app.services.exports import ScheduleDetails, check_destination
from inspect_app.services.report_kinds import report_choices

WEEKDAY_CHOICES = [SelectChoice("", "Choose a day"), *(SelectChoice(str(i), d) for i, d in enumerate(WEEKDAYS))]
DAY_CHOICES = [
    SelectChoice("", "Choose a day"),
    *(SelectChoice(str(d), str(d)) for d in range(1, MAX_DAY_OF_MONTH + 1)),
    SelectChoice(str(LAST_DAY), "Last day of the month"),
]


def _needed_for(cadence: str, message: str):  # type: ignore[no-untyped-def]
    def check(form: ScheduleForm, field: SelectField) -> None:
        if form.cadence.data == cadence and not field.data:
            raise StopValidation(message)

    return check


def _time(form: ScheduleForm, field: StringField) -> None:
    if not field.data:
        raise StopValidation("Enter the time the export runs, like 06:30")
    try:
        parse_time_of_day(field.data)
    except ValueError as error:
        raise StopValidation(str(error)) from None


def _folder(form: ScheduleForm, field: StringField) -> None:
    try:
        check_destination(field.data)
    except ValidationFailed as error:
        raise ValidationError(error.messages[0]) from None


def _keep(form: ScheduleForm, field: StringField) -> None:
    if not field.data:
        raise StopValidation("Enter how many files to keep")
    if not field.data.isdigit() or not 1 <= int(field.data) <= MAX_KEEP_LAST:
        raise StopValidation(f"The number of files to keep must be a whole number from 1 to {MAX_KEEP_LAST}")


class ScheduleForm(BaseForm):
    report = RadioField(
        "Report",
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select a report")],
    )
    cadence = RadioField(
        "How often",
        choices=[SelectChoice(key, label) for key, label in CADENCES.items()],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select how often the export runs")],
    )
    weekday = SelectField(
        "Day of the week (weekly exports)",
        choices=WEEKDAY_CHOICES,
        widget=GovSelect(),
        validators=[_needed_for("weekly", "Select the day of the week"), Optional()],
    )
    day_of_month = SelectField(
        "Day of the month (monthly exports)",
        choices=DAY_CHOICES,
        widget=GovSelect(),
        description="Days 29 to 31 are not in every month: choose the last day instead.",
        validators=[_needed_for("monthly", "Select the day of the month"), Optional()],
    )
    time_of_day = StringField(
        "Time",
        widget=GovTextInput(),
        validators=[_time],
        description="UK time on the 24-hour clock, like 06:30. The export runs at the first check after this time.",
    )
    destination = StringField(
        "Folder (optional)",
        widget=GovTextInput(),
        validators=[_folder],
        description="A folder inside this partnership's export folder, like weekly/audit. Leave it blank to use "
        "the partnership's export folder itself.",
    )
    keep_last = StringField(
        "How many files to keep",
        widget=GovTextInput(),
        validators=[_keep],
        description="When there are more, the oldest files this schedule made are deleted.",
    )
    submit = SubmitField("Save schedule", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.report.choices = [SelectChoice(value, label) for value, label in report_choices()]

    def details(self) -> ScheduleDetails:
        kind, _, fmt = self.report.data.partition(":")
        return ScheduleDetails(
            report_kind=kind,
            format=fmt,
            cadence=self.cadence.data,
            time_of_day=parse_time_of_day(self.time_of_day.data),
            weekday=int(self.weekday.data) if self.cadence.data == "weekly" else None,
            day_of_month=int(self.day_of_month.data) if self.cadence.data == "monthly" else None,
            destination=self.destination.data or "",
            keep_last=int(self.keep_last.data),
        )

    @classmethod
    def data_for(cls, details: ScheduleDetails) -> dict:
        """Return form data that shows an existing schedule."""
        return {
            "report": f"{details.report_kind}:{details.format}",
            "cadence": details.cadence,
            "weekday": "" if details.weekday is None else str(details.weekday),
            "day_of_month": "" if details.day_of_month is None else str(details.day_of_month),
            "time_of_day": details.time_of_day.strftime("%H:%M"),
            "destination": details.destination,
            "keep_last": str(details.keep_last),
        }


class ConfirmDisableForm(BaseForm):
    submit = SubmitField("Turn off this export", widget=GovSubmitInput())


class EnableForm(BaseForm):
    submit = SubmitField("Turn this export back on", widget=GovSubmitInput())
