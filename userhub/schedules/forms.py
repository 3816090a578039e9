"""Forms of the schedules pages. They read what was typed; the rules live in validation.py."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TimeField
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import options
from ..i18n import lazy_gettext as _l
from .models import NAME_MAX, WEEKDAYS
from .validation import EventInput


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


TYPE_CHOICES = [("business_hours", _l("Business hours")), ("holidays", _l("Holidays"))]
DAY_LABELS = dict(zip(WEEKDAYS, (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
                                 _l("Saturday"), _l("Sunday")), strict=True))
PERSONAL_REPEATS = [("none", _l("Does not repeat")), ("daily", _l("Daily")), ("weekly", _l("Weekly"))]
LOCATION_REPEATS = [("none", _l("Does not repeat")), ("weekly", _l("Weekly")),
                    ("yearly_by_date", _l("Yearly, on the same date")),
                    ("yearly_by_day", _l("Yearly, on the same weekday of the month"))]
WEEK_CHOICES = [("", _l("Choose")), ("1", _l("First")), ("2", _l("Second")), ("3", _l("Third")),
                ("4", _l("Fourth")), ("-1", _l("Last"))]


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: object) -> None:
        """Unknown values are refused by the service with a sentence; do not refuse them twice here."""


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


class ScheduleForm(FlaskForm):
    name = StringField(_l("Schedule name"), filters=[_strip], render_kw={"maxlength": NAME_MAX, "autocomplete": "off"})
    type = RadioField(_l("Schedule type"), choices=options(TYPE_CHOICES), default="business_hours", validate_choice=False)


class EventFields(FlaskForm):
    event_name = StringField(_l("Event name"), filters=[_strip], render_kw={"maxlength": NAME_MAX, "autocomplete": "off"})
    start_date = DateField(_l("Start date"), validators=[Optional()])
    start_time = TimeField(_l("Start time"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    end_time = TimeField(_l("End time"), validators=[Optional()])
    all_day = BooleanField(_l("All day event"))
    recurrence = SelectField(_l("Repeats"), choices=options(PERSONAL_REPEATS), default="none", validate_choice=False)
    interval = IntegerField(_l("Every (days or weeks)"), default=1,
                            validators=[Optional(), NumberRange(min=1, max=99, message=_l("Enter a number from 1 to 99."))])
    weekdays = CheckboxList(_l("On these days"), choices=options(DAY_LABELS.items()))
    week_of_month = SelectField(_l("Week of the month"), choices=options(WEEK_CHOICES), default="", validate_choice=False)
    ends = RadioField(_l("Ends"), default="never", validate_choice=False,
                      choices=options([("never", _l("Never")), ("until", _l("On a date")),
                                       ("count", _l("After a number of occurrences"))]))
    until = DateField(_l("Last date"), validators=[Optional()])
    count = IntegerField(_l("Number of occurrences"), validators=[Optional()])

    def for_location(self) -> None:
        self.recurrence.choices = options(LOCATION_REPEATS)
        self.ends.choices = self.ends.choices[:2]

    def to_input(self, exdates: tuple = ()) -> EventInput:  # type: ignore[type-arg]
        return EventInput(
            name=self.event_name.data or "", start_date=self.start_date.data, end_date=self.end_date.data,
            all_day=bool(self.all_day.data), start_time=self.start_time.data, end_time=self.end_time.data,
            recurrence=self.recurrence.data or "none", interval=self.interval.data or 1,
            weekdays=tuple(self.weekdays.data or ()), week_of_month=_int_or_none(self.week_of_month.data),
            ends=self.ends.data or "never", until=self.until.data, count=self.count.data, exdates=exdates,
        )

    def fill(self, data: EventInput) -> None:
        self.event_name.data, self.start_date.data, self.end_date.data = data.name, data.start_date, data.end_date
        self.start_time.data, self.end_time.data, self.all_day.data = data.start_time, data.end_time, data.all_day
        self.recurrence.data, self.interval.data, self.weekdays.data = data.recurrence, data.interval, list(data.weekdays)
        self.week_of_month.data = str(data.week_of_month) if data.week_of_month else ""
        self.ends.data, self.until.data, self.count.data = data.ends, data.until, data.count


class EventForm(EventFields):
    pass


class NewScheduleForm(ScheduleForm, EventFields):
    """A schedule and its first event, as in User Hub's form; further events come with "Add event"."""


class ImportForm(FlaskForm):
    name = StringField(_l("Schedule name"), filters=[_strip], render_kw={"maxlength": NAME_MAX, "autocomplete": "off"})
    type = RadioField(_l("Schedule type"), choices=options(TYPE_CHOICES), default="business_hours", validate_choice=False)
    file = FileField(_l("iCalendar file (.ics)"), render_kw={"accept": ".ics,text/calendar"})


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


