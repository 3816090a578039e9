"""Forms of the voicemail pages. Syntax only; the service checks the rules and parses numbers and addresses."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, IntegerField, PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length, NumberRange

from ..forms import options
from ..i18n import lazy_gettext as _l
from .models import MAX_RINGS, MIN_RINGS
from .pin_policy import MAX_LENGTH


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


WAV_TYPES = ".wav,audio/wav,audio/x-wav"
GREETING_CHOICES = options([("default", _l("Default greeting")), ("custom", _l("Custom greeting"))])


class VoicemailSettingsForm(FlaskForm):
    version = HiddenField()
    enabled = BooleanField(_l("Voicemail"))
    send_all_calls = BooleanField(_l("Send all calls to voicemail"))
    send_busy_calls = BooleanField(_l("Send busy calls to voicemail"))
    busy_greeting = RadioField(_l("Busy greeting"), choices=GREETING_CHOICES, default="default")
    send_unanswered_calls = BooleanField(_l("Send unanswered calls to voicemail"))
    unanswered_rings = IntegerField(
        _l("Number of rings before voicemail"),
        validators=[InputRequired(_l("Enter a number of rings.")),
                    NumberRange(MIN_RINGS, MAX_RINGS, _l("Choose between %(min)s and %(max)s rings."))],
        render_kw={"min": MIN_RINGS, "max": MAX_RINGS, "inputmode": "numeric"},
    )
    no_answer_greeting = RadioField(_l("No answer greeting"), choices=GREETING_CHOICES, default="default")
    # The greetings' files come with the rest of the settings (one form, one save): each control is named
    # after its greeting, so that the two are told apart by ear and by label.
    busy_greeting_file = FileField(_l("“Busy” greeting"), render_kw={"accept": WAV_TYPES})
    no_answer_greeting_file = FileField(_l("“No answer” greeting"), render_kw={"accept": WAV_TYPES})
    notifications_enabled = BooleanField(_l("Notify me of new messages by email"))
    notification_email = StringField(_l("Notification email address"), filters=[_strip],
                                     validators=[Length(max=254)], render_kw={"autocomplete": "email"})
    email_copy_enabled = BooleanField(_l("Email a copy of each message"))
    email_copy_address = StringField(_l("Email address for the copy"), filters=[_strip],
                                     validators=[Length(max=254)], render_kw={"autocomplete": "email"})
    transfer_enabled = BooleanField(_l("Transfer to another number when the caller presses 0"))
    transfer_number = StringField(_l("Number to transfer to"), filters=[_strip], validators=[Length(max=40)],
                                  render_kw={"autocomplete": "tel", "inputmode": "tel"})
    storage = RadioField(_l("Message storage"), default="internal", choices=options([
        ("internal", _l("Keep messages in my mailbox (phone and User Hub)")),
        ("external", _l("Send every message to an email address")),
    ]))
    external_email = StringField(_l("Email address for messages"), filters=[_strip], validators=[Length(max=254)],
                                 render_kw={"autocomplete": "email"})
    fax_enabled = BooleanField(_l("Receive faxes"))
    fax_number = StringField(_l("Fax number"), filters=[_strip], validators=[Length(max=40)],
                             render_kw={"inputmode": "tel"})
    fax_extension = StringField(_l("Fax extension (optional)"), filters=[_strip], validators=[Length(max=10)],
                                render_kw={"inputmode": "numeric"})
    submit = SubmitField(_l("Save"))


class PinForm(FlaskForm):
    pin = PasswordField(
        _l("New access code"),
        validators=[InputRequired(_l("Enter an access code.")), Length(max=MAX_LENGTH * 4)],
        render_kw={"autocomplete": "new-password", "inputmode": "numeric"},
    )
    confirm = PasswordField(
        _l("Confirm the access code"),
        validators=[InputRequired(_l("Type the access code again.")),
                    EqualTo("pin", _l("The two access codes are different."))],
        render_kw={"autocomplete": "new-password", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Save"))


class FaxMessagingForm(FlaskForm):
    """The organization's switch on Administration > Voicemail (full administrators only)."""

    fax_messaging_allowed = BooleanField(_l("Allow fax messaging"))
    submit = SubmitField(_l("Save"))
