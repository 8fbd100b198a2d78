"""Shared form pieces: whitespace stripping and the GOV.UK date field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField, FieldList, FormField


def strip_whitespace(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """A form whose text inputs are stripped of surrounding whitespace."""

    class Meta:
        def bind_field(self, form, unbound_field, options):  # type: ignore[no-untyped-def]
            if unbound_field.field_class in (FieldList, FormField):
                return unbound_field.bind(form=form, **options)  # their inner fields are stripped themselves
            filters = list(unbound_field.kwargs.get("filters", []))
            if strip_whitespace not in filters:
                filters.append(strip_whitespace)
            return unbound_field.bind(form=form, filters=filters, **options)


class GovDateField(DateField):
    """A day / month / year date input with GOV.UK error wording."""

    widget = GovDateInput()

    def __init__(self, label: str | None = None, validators=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(label, validators, format="%d %m %Y", **kwargs)

    def process(self, formdata, data=None, extra_filters=None):  # type: ignore[no-untyped-def]
        super().process(formdata, data, extra_filters)
        # The GOV.UK widget expects exactly day, month and year; a hand-made request may send fewer.
        if self.raw_data is not None and len(self.raw_data) != 3:
            self.raw_data = (list(self.raw_data) + ["", "", ""])[:3]

    def process_formdata(self, valuelist):  # type: ignore[no-untyped-def]
        if not valuelist or not any(v.strip() for v in valuelist):
            self.data = None
            return
        try:
            super().process_formdata([" ".join(v.strip() for v in valuelist)])
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date, like 27 3 2027") from None


class SearchForm(FlaskForm):
    """GET forms (filters) carry no CSRF token: they change nothing."""

    class Meta:
        csrf = False
