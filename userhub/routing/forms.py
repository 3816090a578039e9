"""The "try another call" form of the panel, and turning it into an ``IncomingCall``.

The form is sent with GET (it changes nothing), so it needs no CSRF token and its address can be
bookmarked. Every field has a default, so an empty query string means "a call from outside, now"."""

from __future__ import annotations

from datetime import datetime, UTC
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, StringField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from ..i18n import lazy_gettext as _l
from ..phones import InvalidPhoneNumber, parse_number
from ..security.bounds import FIRST_DAY, LAST_DAY
from ..timeutil import require_aware
from .inputs import ANONYMOUS, SOME_NUMBER, UNAVAILABLE, IncomingCall

NUMBER, HIDDEN, NONE = "number", ANONYMOUS, UNAVAILABLE


class TryCallForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only computes an answer

    day = DateField(_l("Date"), validators=[Optional()])
    time = TimeField(_l("Time"), validators=[Optional()])
    caller_kind = RadioField(_l("Caller"), default=NUMBER, choices=[
        SelectChoice(NUMBER, _l("This number")), SelectChoice(HIDDEN, _l("Anonymous (hidden number)")),
        SelectChoice(NONE, _l("Number unavailable"))])
    caller = StringField(_l("Caller's number"), validators=[Optional(), Length(max=40)])
    origin = RadioField(_l("The call comes from"), default="external", choices=[
        SelectChoice("external", _l("Outside the organization")),
        SelectChoice("internal", _l("A colleague (internal call)"))])
    on_call = BooleanField(_l("I am already on a call"))
    unreachable = BooleanField(_l("My phone is off or disconnected"))

    def __init__(self, *args: object, region: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.region = region
        self.caller_e164 = ""

    def validate_day(self, field: DateField) -> None:
        # Far days overflow once moved to UTC (0001-01-01 in Paris is in year 0 there).
        if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
            raise ValidationError(_l("Choose a day between 2000 and 2100."))

    def validate_caller(self, field: StringField) -> None:
        if self.caller_kind.data != NUMBER or not field.data:
            return  # empty: a number that no rule lists, as for "right now"
        try:
            self.caller_e164 = parse_number(field.data, self.region)
        except InvalidPhoneNumber as exc:
            raise ValidationError(_l("This is not a valid phone number.")) from exc


def incoming_call(form: TryCallForm, time_zone: str, now: datetime) -> IncomingCall | None:
    """The call the form describes (empty date/time: ``now``), or None with errors set on the form.

    Called on a form that was not submitted, it describes "a call from outside, right now"."""
    require_aware(now, "now")  # a naive one would be read in the server's own zone by astimezone()
    submitted = bool(form.day.raw_data or form.time.raw_data or form.caller.raw_data or form.caller_kind.raw_data)
    if submitted and not form.validate():
        return None
    zone = ZoneInfo(time_zone)
    local_now = now.astimezone(zone)
    day = form.day.data or local_now.date()
    moment_of_day = form.time.data or local_now.time().replace(second=0, microsecond=0)
    at = datetime.combine(day, moment_of_day, tzinfo=zone)
    if at.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != at.replace(tzinfo=None):
        form.time.errors = [*form.time.errors, _l("This time does not exist on that day: the clocks change.")]
        return None
    if form.caller_kind.data in (HIDDEN, NONE):
        caller = form.caller_kind.data
    else:
        caller = form.caller_e164 or SOME_NUMBER
    return IncomingCall(at=at, caller=caller, internal=form.origin.data == "internal",
                        on_call=bool(form.on_call.data), reachable=not form.unreachable.data)
