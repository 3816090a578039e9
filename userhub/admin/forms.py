"""Forms of the admin pages (the wizard's rows are parsed in wizard.py: their number varies)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import options
from ..i18n import lazy_gettext as _l, zone_choices


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class LocationForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_strip], validators=[DataRequired(_l("Enter a name.")), Length(max=80)])
    country = StringField(_l("Country (two-letter code, e.g. FR)"), filters=[_strip],
                          validators=[DataRequired(_l("Enter a country code.")), Length(min=2, max=2)])
    time_zone = SelectField(_l("Time zone"), default="Europe/Paris")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone.choices = options(zone_choices())  # named in the reader's language, not as ids


class NumbersForm(FlaskForm):
    first = StringField(_l("Phone number (or first number of a range)"), filters=[_strip],
                        validators=[DataRequired(_l("Enter a phone number."))])
    last = StringField(_l("Last number of the range (optional)"), filters=[_strip], validators=[Optional()])


class UserCallingForm(FlaskForm):
    package = SelectField(_l("Package"), coerce=str)
    location = SelectField(_l("Location"), coerce=str, validators=[DataRequired(_l("Choose a location."))])
    number = SelectField(_l("Phone number"), coerce=str, validate_choice=False)
    extension = StringField(_l("Extension"), filters=[_strip], validators=[Length(max=10)])


class SettingsForm(FlaskForm):
    activation_emails = RadioField(
        _l("Activation emails"),
        choices=options([("automatic", _l("Automatic: sent when a user is created")),
                         ("manual", _l("Manual: I send them with “Send invitations”"))]),
    )


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: it changes nothing

    start = DateField(_l("First day"), validators=[DataRequired()])
    end = DateField(_l("Last day"), validators=[DataRequired()])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or Excel file"), validators=[FileRequired(_l("Choose a CSV file."))])


class ConfirmForm(FlaskForm):
    """A confirmation button alone (CSRF token only)."""
