"""Forms of the accounts pages. Labels are lazy strings: they are translated when shown."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from .. import i18n
from ..i18n import lazy_gettext as _l
from .emails import InvalidEmail, normalise_email


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class EmailAddress:
    """Validate with email-validator and replace the data with the normalised address."""

    def __call__(self, form: FlaskForm, field: EmailField) -> None:
        try:
            field.data = normalise_email(field.data or "")
        except InvalidEmail as exc:
            raise ValidationError(str(exc)) from exc


class SignInEmailForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254), EmailAddress()],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    submit = SubmitField(_l("Sign in"))


class SignInPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password", "autofocus": True},
    )
    submit = SubmitField(_l("Sign in"))


class NewPasswordForm(FlaskForm):
    """Create a password (activation) or choose a new one (reset). The policy is checked by the service."""

    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter a password.")), Length(max=1024, message=_l("Between 8 and 256 characters"))],
        render_kw={"autocomplete": "new-password", "autofocus": True, "data-password-policy": "true"},
    )
    confirm = PasswordField(
        _l("Confirm the password"),
        validators=[
            InputRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords are different.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Create"))


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your current password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Save"))


class DisplayNameForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the name people will see.")),
            Length(min=1, max=80, message=_l("Between 1 and 80 characters.")),
        ],
        render_kw={"autocomplete": "name", "autofocus": True},
    )
    submit = SubmitField(_l("Enter"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254), EmailAddress()],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    submit = SubmitField(_l("Send me a link"))


class LanguageForm(FlaskForm):
    locale = HiddenField(validators=[DataRequired()])
    next = HiddenField()

    def validate_locale(self, field: HiddenField) -> None:
        if field.data not in i18n.LANGUAGES:
            raise ValidationError(_l("Unknown language."))


class SignOutForm(FlaskForm):
    submit = SubmitField(_l("Sign out"))
