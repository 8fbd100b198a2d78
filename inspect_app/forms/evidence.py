"""Forms of the evidence library. Choices that depend on the partnership (types, owners) are set by the view."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from inspect_app.forms.base import BaseForm, GovDateField
from inspect_app.services.evidence import PARTNER_LABELS

KIND_CHOICES = [
    SelectChoice("document", "An uploaded document"),
    SelectChoice("link", "A web link"),
]
PARTNER_CHOICES = [SelectChoice("", "Select a partner"), *(SelectChoice(k, v) for k, v in PARTNER_LABELS.items())]


def _coerce_owner(value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


class EvidenceDetailsForm(BaseForm):
    """Title, type, partner, owner and dates: the fields shared by adding and editing."""

    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a title"),
            Length(max=300, message="Title must be 300 characters or fewer"),
        ],
    )
    description = TextAreaField(
        "Description (optional)",
        widget=GovTextArea(),
        description="What the evidence is and where it comes from",
        validators=[Optional(), Length(max=5000, message="Description must be 5000 characters or fewer")],
    )
    evidence_type = SelectField(
        "Evidence type",
        widget=GovSelect(),
        validate_choice=False,  # the service checks it against the framework, with a GOV.UK message
        description="The kinds of evidence the inspection framework expects",
        validators=[InputRequired(message="Select an evidence type")],
    )
    partner = SelectField(
        "Partner it comes from",
        widget=GovSelect(),
        choices=PARTNER_CHOICES,
        validate_choice=False,
        validators=[InputRequired(message="Select the partner the evidence comes from")],
    )
    owner_id = SelectField(
        "Owner",
        widget=GovSelect(),
        coerce=_coerce_owner,
        validate_choice=False,
        description="The member who keeps it up to date",
        validators=[InputRequired(message="Select an owner")],
    )
    period_from = GovDateField(
        "Start of the period it covers (optional)", validators=[Optional()], description="For example, 1 4 2025"
    )
    period_to = GovDateField(
        "End of the period it covers (optional)", validators=[Optional()], description="For example, 31 3 2026"
    )
    as_at = GovDateField(
        "Data as at (optional)",
        validators=[Optional()],
        description="The date the figures or facts in it were true, for example 31 3 2026",
    )
    review_by = GovDateField(
        "Review by (optional)",
        validators=[Optional()],
        description="Leave blank for 12 months after the as-at date (or after today if there is none)",
    )

    def set_choices(self, evidence_types: list[SelectChoice], owners: list[SelectChoice]) -> None:
        self.evidence_type.choices = [SelectChoice("", "Select an evidence type"), *evidence_types]
        self.owner_id.choices = [SelectChoice("", "Select an owner"), *owners]


def _file_for_documents(form: AddEvidenceForm, field: FileField) -> None:
    if form.kind.data == "document" and not field.data:
        raise ValidationError("Select the document to upload")
    if form.kind.data == "link" and field.data:
        raise ValidationError("A web link has no file: choose an uploaded document, or remove the file")


def _url_for_links(form: AddEvidenceForm, field: StringField) -> None:
    if form.kind.data == "link" and not field.data:
        raise ValidationError("Enter the web address of the evidence")


class AddEvidenceForm(EvidenceDetailsForm):
    kind = RadioField(
        "What are you adding?",
        widget=GovRadioInput(),
        choices=KIND_CHOICES,
        validators=[InputRequired(message="Select whether you are uploading a document or adding a web link")],
    )
    file = FileField(
        "Document (for an uploaded document)",
        widget=GovFileInput(),
        description="PDF, Word, Excel, PowerPoint, OpenDocument, CSV, plain text, PNG or JPEG",
        validators=[_file_for_documents],
    )
    url = StringField(
        "Web address (for a web link)",
        widget=GovTextInput(),
        description="Starting https:// or http://",
        validators=[_url_for_links, Length(max=2000, message="The web address must be 2000 characters or fewer")],
    )
    submit = SubmitField("Add evidence", widget=GovSubmitInput())


class EditEvidenceForm(EvidenceDetailsForm):
    url = StringField(
        "Web address",
        widget=GovTextInput(),
        description="Starting https:// or http://",
        validators=[Optional(), Length(max=2000, message="The web address must be 2000 characters or fewer")],
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class UploadRevisionForm(BaseForm):
    file = FileField(
        "New version of the file",
        widget=GovFileInput(),
        description="PDF, Word, Excel, PowerPoint, OpenDocument, CSV, plain text, PNG or JPEG",
        validators=[FileRequired(message="Select the file to upload")],
    )
    note = TextAreaField(
        "What changed (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=1000, message="What changed must be 1000 characters or fewer")],
    )
    submit = SubmitField("Upload new version", widget=GovSubmitInput())


class LinksForm(BaseForm):
    """Criteria checkboxes; the sentence for each ticked criterion is read from `note_<ID>` by the view."""

    criteria = SelectMultipleField("Criteria this evidence supports", validate_choice=False)
    submit = SubmitField("Save links", widget=GovSubmitInput())


class ReviewForm(BaseForm):
    decision = RadioField(
        "Your decision",
        widget=GovRadioInput(),
        choices=[
            SelectChoice("approve", "Approve it"),
            SelectChoice("return", "Return it to the owner with a reason"),
        ],
        validators=[InputRequired(message="Select whether to approve or return the evidence")],
    )
    reason = TextAreaField(
        "Reason for returning it",
        widget=GovTextArea(),
        description="Say what needs to change. The owner sees this.",
        validators=[Optional(), Length(max=1000, message="The reason must be 1000 characters or fewer")],
    )
    submit = SubmitField("Save decision", widget=GovSubmitInput())

    def validate_reason(self, field: TextAreaField) -> None:
        if self.decision.data == "return" and not (field.data or "").strip():
            raise ValidationError("Enter why you are returning the evidence")


class ReturnApprovedForm(BaseForm):
    reason = TextAreaField(
        "Why are you withdrawing the approval?",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter why you are withdrawing the approval"),
            Length(max=1000, message="The reason must be 1000 characters or fewer"),
        ],
    )
    submit = SubmitField("Return it to the owner", widget=GovSubmitInput())


class SubmitForReviewForm(BaseForm):
    submit = SubmitField("Send for review", widget=GovSubmitInput())


class DeleteEvidenceForm(BaseForm):
    submit = SubmitField("Yes, delete it", widget=GovSubmitInput())


class ImportRegisterForm(BaseForm):
    file = FileField(
        "Evidence register (CSV or XLSX)",
        widget=GovFileInput(),
        validators=[
            FileRequired(message="Select the register to import"),
            FileAllowed(["csv", "xlsx"], message="The register must be a CSV or XLSX file"),
        ],
    )
    submit = SubmitField("Import register", widget=GovSubmitInput())
