from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp

from inspect_app.domain.roles import MIN_PASSWORD_LENGTH
from inspect_app.forms.base import BaseForm


class CreatePartnershipForm(BaseForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the partnership's name"), Length(max=200)],
    )
    slug = StringField(
        "Short name for web addresses",
        widget=GovTextInput(),
        description="Lower-case letters, numbers and hyphens, like north-shire",
        validators=[
            InputRequired(message="Enter a short name"),
            Regexp(
                r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$",
                message="Short name must be lower-case letters, numbers and hyphens, like north-shire",
            ),
        ],
    )
    la_code = StringField(
        "DfE local authority code",
        widget=GovTextInput(),
        description="The 3-digit code DfE publishes statistics under, like 805",
        validators=[
            InputRequired(message="Enter the 3-digit LA code"),
            Regexp(r"^\d{3}$", message="LA code must be 3 digits, like 805"),
        ],
    )
    icb_name = StringField("Integrated care board", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    submit = SubmitField("Create partnership", widget=GovSubmitInput())


class CreateUserForm(BaseForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the person's name"), Length(max=200)],
    )
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
    )
    password = PasswordField(
        "Initial password",
        widget=GovPasswordInput(),
        description=f"At least {MIN_PASSWORD_LENGTH} characters. Give it to the person securely.",
        validators=[
            InputRequired(message="Enter an initial password"),
            Length(min=MIN_PASSWORD_LENGTH, message=f"Password must be {MIN_PASSWORD_LENGTH} characters or more"),
        ],
    )
    is_admin = BooleanField("Site administrator", widget=GovCheckboxInput())
    submit = SubmitField("Create account", widget=GovSubmitInput())
