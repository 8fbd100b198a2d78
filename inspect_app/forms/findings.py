"""Forms for an inspection's outcome, its findings (actions), their progress and the findings import."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from inspect_app.domain.inspection_cycle import ACTION_STATUSES, MAX_TEXT, REGIMES
from inspect_app.forms.base import BaseForm, GovDateField
from inspect_app.forms.inspections import required_date
from inspect_app.services.findings import ActionDetails, OutcomeDetails, ProgressDetails

NOT_YET = "not_yet"


class OutcomeForm(BaseForm):
    regime = RadioField(
        "Inspection framework",
        choices=[SelectChoice(key, regime.label) for key, regime in REGIMES.items()],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the inspection framework")],
    )
    outcome = RadioField(
        "Outcome",
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the outcome, or say it is not known yet")],
        description="As the final report states it.",
    )
    report_published_on = GovDateField(
        "Date the final report was published (optional)", validators=[Optional()], description="For example, 20 2 2027"
    )
    report_url = StringField(
        "Web address of the report (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=2000, message="The web address must be 2,000 characters or fewer")],
        description="The report's page on the Ofsted website.",
    )
    submit = SubmitField("Save outcome", widget=GovSubmitInput())

    def details(self) -> OutcomeDetails:
        outcome = self.outcome.data
        return OutcomeDetails(
            regime=self.regime.data,
            outcome=None if outcome in (None, NOT_YET) else outcome,
            report_published_on=self.report_published_on.data,
            report_url=self.report_url.data or None,
        )


class ActionForm(BaseForm):
    kind = RadioField(
        "Kind of finding",
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whether it is an area for priority action or for improvement")],
    )
    text = TextAreaField(
        "The finding",
        widget=GovTextArea(),
        description="As the report words it.",
        validators=[
            InputRequired(message="Enter the finding as the report words it"),
            Length(max=MAX_TEXT, message=f"The finding must be {MAX_TEXT:,} characters or fewer"),
        ],
    )
    reference = StringField(
        "Reference (optional)",
        widget=GovTextInput(),
        description="Leave blank to number it PA1, PA2 … or AI1, AI2 …",
        validators=[Optional(), Length(max=20, message="The reference must be 20 characters or fewer")],
    )
    owner_id = SelectField("Owner", widget=GovSelect(), coerce=int, description="A lead or contributor.")
    due_on = GovDateField("Due date (optional)", validators=[Optional()], description="For example, 30 6 2027")
    status = RadioField(
        "Status",
        choices=[SelectChoice(key, label) for key, label in ACTION_STATUSES.items()],
        default="on_track",
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select on track, off track or done")],
    )
    criteria = SelectMultipleField(
        "Criteria it bears on (optional)", widget=GovCheckboxesInput(), validators=[Optional()]
    )
    evidence = StringField(
        "Evidence (optional)",
        widget=GovTextInput(),
        description="Evidence references separated by commas, for example EV-0003, EV-0012",
        validators=[Optional()],
    )
    submit = SubmitField("Save finding", widget=GovSubmitInput())

    def details(self) -> ActionDetails:
        evidence = tuple(part.strip() for part in (self.evidence.data or "").split(",") if part.strip())
        return ActionDetails(
            kind=self.kind.data,
            text=self.text.data or "",
            reference=self.reference.data or None,
            owner_id=self.owner_id.data or None,
            due_on=self.due_on.data,
            status=self.status.data,
            criteria=tuple(self.criteria.data or ()),
            evidence=evidence,
        )


class ProgressForm(BaseForm):
    recorded_on = GovDateField(
        "Date of the update",
        validators=[required_date("Enter the date of the update")],
        description="For example, 2 11 2026",
    )
    text = TextAreaField(
        "What has been done",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter what has been done"),
            Length(max=MAX_TEXT, message=f"The update must be {MAX_TEXT:,} characters or fewer"),
        ],
    )
    status = RadioField(
        "Status after this update",
        choices=[SelectChoice(key, label) for key, label in ACTION_STATUSES.items()],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select on track, off track or done")],
    )
    submit = SubmitField("Save update", widget=GovSubmitInput())

    def details(self) -> ProgressDetails:
        return ProgressDetails(recorded_on=self.recorded_on.data, text=self.text.data or "", status=self.status.data)


class ShareProgressForm(BaseForm):
    shared = RadioField(
        "Share this update with inspectors?",
        choices=[SelectChoice("yes", "Share with inspectors"), SelectChoice("no", "Do not share")],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whether to share the update")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class ImportFindingsForm(BaseForm):
    file = FileField(
        "Findings (CSV or XLSX)",
        widget=GovFileInput(),
        validators=[
            FileRequired(message="Select the file of findings"),
            FileAllowed(["csv", "xlsx"], message="The findings must be a CSV or XLSX file"),
        ],
    )
    submit = SubmitField("Import findings", widget=GovSubmitInput())
