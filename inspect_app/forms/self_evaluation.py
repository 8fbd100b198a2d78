from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from inspect_app.domain.self_evaluation import EntryContent, NextStep
from inspect_app.forms.base import BaseForm, GovDateField

TEXT_LIMIT = 5000


class NextStepForm(Form):
    text = StringField("What will be done", widget=GovTextInput(), validators=[Length(max=500)])
    owner = StringField("Who owns it", widget=GovTextInput(), validators=[Length(max=200)])
    due = GovDateField("By when", validators=[Optional()])


def _text_area(label: str, hint: str) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovCharacterCount(),
        description=hint,
        validators=[Length(max=TEXT_LIMIT, message=f"{label} must be {TEXT_LIMIT} characters or fewer")],
    )


class EditEntryForm(BaseForm):
    grade = RadioField("Grade", widget=GovRadioInput(), validators=[Optional()], default="")
    strengths = _text_area("Strengths", "What works well, with the evidence that shows it.")
    areas_for_development = _text_area("Areas for development", "What is not yet good enough, honestly.")
    impact = _text_area(
        "Impact: what has changed for children and young people",
        "What is different for children and families because of what the partnership did.",
    )
    next_steps = FieldList(FormField(NextStepForm), min_entries=5, max_entries=5)
    evidence_ids = SelectMultipleField(
        "Evidence that supports this evaluation",
        widget=GovCheckboxesInput(),
        description="Items linked to this criterion in the evidence library. Inspectors see only approved items.",
        coerce=int,
        validators=[Optional()],
    )
    version = HiddenField()
    submit = SubmitField("Save a new version", widget=GovSubmitInput())

    def content(self) -> EntryContent:
        """The evaluation as the form gives it (blank next-step rows left out)."""
        return EntryContent(
            grade=self.grade.data or None,
            strengths=self.strengths.data or "",
            areas_for_development=self.areas_for_development.data or "",
            impact=self.impact.data or "",
            next_steps=tuple(
                NextStep(text=(s.text.data or "").strip(), owner=(s.owner.data or "").strip(), due=s.due.data)
                for s in self.next_steps
                if (s.text.data or "").strip() or (s.owner.data or "").strip() or s.due.data
            ),
            evidence_ids=tuple(self.evidence_ids.data or ()),
        )

    def editing_version(self) -> int:
        """The version the person started editing from (0: none yet)."""
        return int(self.version.data) if (self.version.data or "").isdigit() else 0

    def set_evidence(self, items: list[tuple[int, str]]) -> None:
        self.evidence_ids.choices = items

    def set_grades(self, grades: tuple[str, ...]) -> None:
        self.grade.choices = [SelectChoice("", "Not graded yet")] + [SelectChoice(g, g.capitalize()) for g in grades]


class SignOffForm(BaseForm):
    version = HiddenField()
    submit = SubmitField("Sign off this version", widget=GovSubmitInput())
