from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Optional, ValidationError

from inspect_app.domain.partners import PARTNERS
from inspect_app.domain.roles import ROLE_DESCRIPTIONS, ROLE_LABELS
from inspect_app.forms.base import BaseForm, GovDateField

ROLE_CHOICES = [SelectChoice(role, label) for role, label in ROLE_LABELS.items()]


def _inspector_needs_end_date(form: BaseForm, field: GovDateField) -> None:
    if form.role.data == "inspector" and field.data is None and not field.errors:
        raise ValidationError("Enter the last day of the inspector's access")
    if form.role.data != "inspector" and field.data is not None:
        raise ValidationError("Only inspector access has an end date; leave it blank for other roles")


class RoleFields(BaseForm):
    role = RadioField(
        "Role",
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select a role")],
    )
    organisation = RadioField(
        "Organisation they speak for",
        choices=[SelectChoice("", "None of these")] + [SelectChoice(k, v) for k, v in PARTNERS.items()],
        widget=GovRadioInput(),
        default="",
        validators=[Optional()],
        description="Leads of the council and the ICB sign off the self-evaluation for their organisation.",
    )
    expires_on = GovDateField(
        "Last day of access (inspectors only)",
        validators=[Optional(), _inspector_needs_end_date],
        description="For example, 27 3 2027. Inspector access ends at the end of this day.",
    )

    @staticmethod
    def role_hints() -> dict[str, str]:
        return ROLE_DESCRIPTIONS


class AddMemberForm(RoleFields):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the person's email address"),
            Email(
                message="Enter an email address in the correct format, like name@example.org",
                check_deliverability=False,
            ),
        ],
        description="They need an account already. Ask the site administrator to create one if not.",
    )
    submit = SubmitField("Add member", widget=GovSubmitInput())


class ChangeRoleForm(RoleFields):
    submit = SubmitField("Save role", widget=GovSubmitInput())


class ConfirmForm(BaseForm):
    submit = SubmitField("Yes, remove", widget=GovSubmitInput())
