"""The rules a schedule and an event must follow, each broken rule named against its field."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from . import engine
from ..errors import DomainError, Message
from ..i18n import gettext as _
from .models import LOCATION_RECURRENCES, NAME_MAX, PERSONAL_RECURRENCES, WEEKDAYS, ScheduleType

MAX_INTERVAL = 99
MAX_COUNT = 999
MAX_YEARS_AHEAD = 10  # an end date beyond this is most likely a typing mistake


class ScheduleInvalid(DomainError):
    """Broken rules by field name: {"end_time": ["The end must be after the start."]}."""

    def __init__(self, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(fields=errors or {})

    @property
    def errors(self) -> dict[str, list[Message]]:
        return self.field_errors


@dataclass
class EventInput:
    name: str
    start_date: date | None
    end_date: date | None
    all_day: bool = False
    start_time: time | None = None
    end_time: time | None = None
    recurrence: str = "none"
    interval: int = 1
    weekdays: Sequence[str] = ()
    week_of_month: int | None = None
    ends: str = "never"  # never | until | count
    until: date | None = None
    count: int | None = None
    exdates: Sequence[date] = field(default_factory=tuple)


def check_schedule(name: str, kind: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Enter a name for the schedule.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("The name can have at most %(max)d characters.", max=NAME_MAX)]
    if kind not in {t.value for t in ScheduleType}:
        errors["type"] = [_("Choose business hours or holidays.")]
    return errors


def _ordinal_week(day: date) -> set[int]:
    """Which "week of the month" choices describe ``day`` (the 4th Monday can also be the last)."""
    weeks = {(day.day - 1) // 7 + 1}
    if (day + timedelta(days=7)).month != day.month:
        weeks.add(-1)
    return weeks


Fail = Callable[[str, str], None]  # fail(field, message)


def check_event(data: EventInput, personal: bool, other_names: set[str]) -> ScheduleInvalid:
    """Every broken rule by field, as the ``ScheduleInvalid`` to raise (empty, so false, when the event is
    right): the caller may add its own before ``raise_if_any``."""
    return ScheduleInvalid(_event_problems(data, personal, other_names))


def _event_problems(data: EventInput, personal: bool, other_names: set[str]) -> dict[str, list[str]]:
    """Checked in stages, each only once the previous one passed (a missing date is reported alone, not
    with the overlaps it would cause)."""
    errors: dict[str, list[str]] = {}

    def fail(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    _check_filled(data, other_names, fail)
    if errors or data.start_date is None or data.end_date is None:  # missing dates were reported just above
        return errors
    _check_order(data, fail)
    if errors:
        return errors
    allowed = PERSONAL_RECURRENCES if personal else LOCATION_RECURRENCES
    if data.recurrence not in {r.value for r in allowed}:
        fail("recurrence", _("This repetition is not available for this schedule."))
        return errors
    _check_repetition(data, fail)
    if data.recurrence != "none":
        _check_end_of_repetition(data, personal, fail)
    return errors


def _check_filled(data: EventInput, other_names: set[str], fail: Fail) -> None:
    name = (data.name or "").strip()
    if not name:
        fail("event_name", _("Enter a name for the event."))
    elif len(name) > NAME_MAX:
        fail("event_name", _("The name can have at most %(max)d characters.", max=NAME_MAX))
    elif name in other_names:
        fail("event_name", _("Another event of this schedule already has this name."))
    if data.start_date is None:
        fail("start_date", _("Enter the start date."))
    if data.end_date is None:
        fail("end_date", _("Enter the end date."))
    if not data.all_day:
        if data.start_time is None:
            fail("start_time", _("Enter the start time, or choose All day event."))
        if data.end_time is None:
            fail("end_time", _("Enter the end time, or choose All day event."))


def _check_order(data: EventInput, fail: Fail) -> None:
    if data.end_date < data.start_date:  # type: ignore[operator]  # both set: check_event returned otherwise
        fail("end_date", _("The end date cannot be before the start date."))
    elif not data.all_day and (data.end_date, data.end_time) <= (data.start_date, data.start_time):
        fail("end_time", _("The end must be after the start. For an event that ends after midnight, "
                           "choose the next day as end date."))


def _check_repetition(data: EventInput, fail: Fail) -> None:
    length = engine.duration(data)  # type: ignore[arg-type]  # dates set: checked first
    if data.recurrence in ("daily", "weekly") and not 1 <= data.interval <= MAX_INTERVAL:
        fail("interval", _("Enter a number from 1 to %(max)d.", max=MAX_INTERVAL))
    if data.recurrence == "daily" and length > timedelta(days=data.interval):
        fail("end_date", _("Repetitions cannot overlap: the event must be shorter than the time between two starts."))
    if data.recurrence == "weekly":
        if not data.weekdays:
            fail("weekdays", _("Choose at least one day of the week."))
        elif any(day not in WEEKDAYS for day in data.weekdays):
            fail("weekdays", _("Choose days of the week from the list."))
        if length > timedelta(days=7 * data.interval):
            fail("end_date", _("Repetitions cannot overlap: the event must be shorter than the time between two starts."))
    if data.recurrence in ("yearly_by_date", "yearly_by_day") and length > timedelta(days=366):
        fail("end_date", _("Repetitions cannot overlap: the event must be shorter than the time between two starts."))
    if data.recurrence == "yearly_by_day":
        if data.week_of_month not in (1, 2, 3, 4, -1):
            fail("week_of_month", _("Choose which week of the month."))
        elif data.week_of_month not in _ordinal_week(data.start_date):  # type: ignore[arg-type]  # set: checked first
            fail("week_of_month", _("The start date is not on this week of its month. Choose the start date of "
                                    "the first occurrence."))


def _check_end_of_repetition(data: EventInput, personal: bool, fail: Fail) -> None:
    if data.ends not in ("never", "until", "count"):
        fail("ends", _("Choose when the repetition ends."))
    elif data.ends == "until":
        if data.until is None:
            fail("until", _("Enter the date of the last repetition."))
        elif data.until < data.start_date:  # type: ignore[operator]  # set: checked first
            fail("until", _("The repetition cannot end before the start date."))
        elif data.until.year > data.start_date.year + MAX_YEARS_AHEAD:  # type: ignore[union-attr]  # set: checked first
            fail("until", _("Choose an end within %(years)d years of the start.", years=MAX_YEARS_AHEAD))
    elif data.ends == "count":
        if not personal:
            fail("ends", _("Location schedules end on a date or never."))
        elif data.count is None or not 1 <= data.count <= MAX_COUNT:
            fail("count", _("Enter a number of occurrences from 1 to %(max)d.", max=MAX_COUNT))
