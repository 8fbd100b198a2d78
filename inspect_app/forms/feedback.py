"""Forms for family feedback: surveys, uploads, the column mapping, comments and "you said, we did"."""

from __future__ import annotations

from collections.abc import Sequence

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from inspect_app.domain.feedback import AUDIENCES, GROUP_KINDS, POINT_LABELS, POINTS
from inspect_app.forms.base import BaseForm, GovDateField, SearchForm

AUDIENCE_CHOICES = [SelectChoice(value, label) for value, label in AUDIENCES.items()]
ROLE_CHOICES = [
    SelectChoice("likert", "Agree scale (a statement answered Strongly agree to Strongly disagree)"),
    SelectChoice("free_text", "Free text (a comment)"),
    SelectChoice("group", "Group (who the respondent is)"),
    SelectChoice("ignore", "Do not import"),
]
GROUP_CHOICES = [
    SelectChoice("", "Not a group question"),
    *(
        SelectChoice(kind, label)
        for kind, label in zip(GROUP_KINDS, ("Role", "Age band", "Need", "Setting"), strict=True)
    ),
]
ANSWER_CHOICES = [
    SelectChoice("", "Choose where this answer sits"),
    *(SelectChoice(point, POINT_LABELS[point]) for point in POINTS),
]
MAX_TEXT = 2000


def _closing_not_before_opening(form: SurveyForm, field: GovDateField) -> None:
    if field.data and form.opened_on.data and field.data < form.opened_on.data:
        raise ValidationError("The closing date must be the same as or after the opening date")


class SurveyForm(BaseForm):
    name = StringField(
        "Survey name",
        widget=GovTextInput(),
        description="For example, Parent carer forum annual survey. Each wave you import is added to it.",
        validators=[
            InputRequired(message="Enter the survey's name"),
            Length(max=200, message="Survey name must be 200 characters or fewer"),
        ],
    )
    audience = RadioField(
        "Who is the survey for?",
        choices=AUDIENCE_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select who the survey is for")],
    )
    opened_on = GovDateField(
        "Date the survey opened (optional)", validators=[Optional()], description="For example, 3 6 2026"
    )
    closed_on = GovDateField(
        "Date the survey closed (optional)",
        validators=[Optional(), _closing_not_before_opening],
        description="For example, 30 6 2026",
    )
    submit = SubmitField("Save survey", widget=GovSubmitInput())


class UploadResponsesForm(BaseForm):
    export = FileField(
        "Survey export (CSV or Excel)",
        widget=GovFileInput(),
        description=(
            "The responses as Microsoft Forms, Google Forms, SurveyMonkey or SmartSurvey export them, with the "
            "column headings unchanged"
        ),
        validators=[
            FileRequired(message="Select the survey export"),
            FileAllowed(["csv", "xlsx"], message="The selected file must be a CSV or XLSX file"),
        ],
    )
    label = StringField(
        "Wave name (optional)",
        widget=GovTextInput(),
        description="For example, Spring 2026. Leave blank to name it after the months the responses came in.",
        validators=[Optional(), Length(max=100, message="Wave name must be 100 characters or fewer")],
    )
    mapping = FileField(
        "Column mapping file (optional)",
        widget=GovFileInput(),
        description="A YAML mapping saved from an earlier import. Without one, the survey's saved mapping is used.",
        validators=[Optional(), FileAllowed(["yml", "yaml"], message="The mapping file must be a YAML file")],
    )
    submit = SubmitField("Upload and check", widget=GovSubmitInput())


class MappingForm(BaseForm):
    """Fields are added per column and per unknown answer by `build_mapping_form`."""

    submit = SubmitField("Import responses", widget=GovSubmitInput())

    column_names: list[str]
    answer_wordings: list[str]

    def column_fields(self, index: int) -> tuple[SelectField, SelectField, SelectField]:
        return self[f"role_{index}"], self[f"link_{index}"], self[f"group_{index}"]

    def choices(self) -> list[tuple[str, str, str, str]]:
        """Return (column, role, link, group kind) for every column, as chosen."""
        chosen = []
        for index, name in enumerate(self.column_names):
            role, link, group = self.column_fields(index)
            chosen.append((name, role.data or "ignore", link.data or "", group.data or ""))
        return chosen

    def answers(self) -> dict[str, str]:
        """Return the answer wordings a person placed on the scale."""
        return {
            wording: self[f"answer_{index}"].data
            for index, wording in enumerate(self.answer_wordings)
            if self[f"answer_{index}"].data
        }

    def validate_columns(self) -> bool:
        """Check each column's choices fit together; put the message on the field to fix."""
        ok = True
        kinds: dict[str, str] = {}
        for index, name in enumerate(self.column_names):
            role, link, group = self.column_fields(index)
            if role.data == "group" and not group.data:
                group.errors = [f"Select which group {name} gives"]
                ok = False
            elif role.data == "group" and group.data in kinds:
                group.errors = [f"{kinds[group.data]} already gives this group: choose another or Not a group question"]
                ok = False
            elif role.data == "group":
                kinds[group.data] = name
            elif role.data != "group" and group.data:
                group.errors = [f"Only a group column gives a group: choose Not a group question for {name}"]
                ok = False
            elif role.data not in ("likert", "free_text") and link.data:
                link.errors = [f"Only agree-scale and free-text columns speak to the framework: unlink {name}"]
                ok = False
        return ok


def build_mapping_form(
    columns: Sequence[str],
    link_choices: Sequence[SelectChoice],
    answer_wordings: Sequence[str],
    formdata: object = None,
    data: dict[str, str] | None = None,
) -> MappingForm:
    """Make the mapping form for one export: role, link and group selects per column, one select per answer."""

    class _MappingForm(MappingForm):
        pass

    for index, name in enumerate(columns):
        setattr(
            _MappingForm,
            f"role_{index}",
            SelectField(
                "What it holds",
                choices=ROLE_CHOICES,
                widget=GovSelect(),
                validators=[InputRequired(message=f"Select what {name} holds")],
            ),
        )
        setattr(
            _MappingForm,
            f"link_{index}",
            SelectField(
                "Survey item or criterion it speaks to",
                choices=list(link_choices),
                widget=GovSelect(),
                validate_choice=True,
            ),
        )
        setattr(_MappingForm, f"group_{index}", SelectField("Group", choices=GROUP_CHOICES, widget=GovSelect()))
    for index, wording in enumerate(answer_wordings):
        setattr(
            _MappingForm,
            f"answer_{index}",
            SelectField(f"“{wording}”", choices=ANSWER_CHOICES, widget=GovSelect()),
        )
    if formdata is not None:
        form = _MappingForm(formdata=formdata)
    else:
        form = _MappingForm(formdata=None, data=data or {})
    form.column_names = list(columns)
    form.answer_wordings = list(answer_wordings)
    return form


class CommentForm(BaseForm):
    themes = SelectMultipleField(
        "Criteria this comment speaks to",
        widget=GovCheckboxesInput(),
        description="Suggested from the framework's keywords. Confirm them, or change them.",
        validate_choice=True,
    )
    is_quote = BooleanField("Use this comment as a quote in the self-evaluation", widget=GovCheckboxInput())
    quote_note = TextAreaField(
        "Note about the quote (optional)",
        widget=GovCharacterCount(),
        description="For example, why it matters or where it will be used",
        validators=[Optional(), Length(max=500, message="The note must be 500 characters or fewer")],
    )
    submit = SubmitField("Save and confirm themes", widget=GovSubmitInput())


class YouSaidWeDidForm(BaseForm):
    said = TextAreaField(
        "You said",
        widget=GovCharacterCount(),
        description="What families told you, in their words or a fair summary",
        validators=[
            InputRequired(message="Enter what families said"),
            Length(max=MAX_TEXT, message=f"What families said must be {MAX_TEXT} characters or fewer"),
        ],
    )
    did = TextAreaField(
        "We did",
        widget=GovCharacterCount(),
        description="What the partnership changed as a result",
        validators=[
            InputRequired(message="Enter what the partnership did"),
            Length(max=MAX_TEXT, message=f"What the partnership did must be {MAX_TEXT} characters or fewer"),
        ],
    )
    criterion = SelectField("Criterion it speaks to (optional)", widget=GovSelect(), validate_choice=True)
    done_on = GovDateField("Date it was done (optional)", validators=[Optional()], description="For example, 14 3 2026")
    owner = StringField(
        "Owner",
        widget=GovTextInput(),
        description="The person or team responsible, for example SEND service manager",
        validators=[
            InputRequired(message="Enter the owner"),
            Length(max=200, message="Owner must be 200 characters or fewer"),
        ],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class ConfirmDeleteForm(BaseForm):
    submit = SubmitField("Yes, delete", widget=GovSubmitInput())


class CommentFilterForm(SearchForm):
    survey = SelectField("Survey", widget=GovSelect(), validate_choice=False)
    theme = SelectField("Criterion or theme", widget=GovSelect(), validate_choice=False)
    status = SelectField(
        "Themes",
        widget=GovSelect(),
        choices=[
            SelectChoice("", "Suggested or confirmed"),
            SelectChoice("suggested", "Suggested, not yet confirmed"),
            SelectChoice("confirmed", "Confirmed by a person"),
        ],
        validate_choice=False,
    )
    quotes = BooleanField("Quotes only", widget=GovCheckboxInput())
    submit = SubmitField("Filter comments", widget=GovSubmitInput())
