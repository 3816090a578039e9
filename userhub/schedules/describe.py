"""Events told in words, in the reader's language: the schedule page lists them so."""

from __future__ import annotations

from datetime import datetime

from babel.dates import get_day_names
from flask_babel import format_date, format_time, get_locale

from ..i18n import gettext as _
from .forms import WEEK_CHOICES
from .models import WEEKDAYS, ScheduleEvent


def describe_when(event: ScheduleEvent) -> str:
    start, end = format_date(event.start_date, "medium"), format_date(event.end_date, "medium")
    if event.all_day:
        if event.start_date == event.end_date:
            return _("%(date)s, all day", date=start)
        return _("%(start)s to %(end)s, all day", start=start, end=end)
    start_time = format_time(datetime.combine(event.start_date, event.start_time), "short", rebase=False)  # type: ignore[arg-type]
    end_time = format_time(datetime.combine(event.end_date, event.end_time), "short", rebase=False)  # type: ignore[arg-type]
    return _("%(start_date)s %(start_time)s to %(end_date)s %(end_time)s", start_date=start, start_time=start_time,
             end_date=end, end_time=end_time)


def _ending(event: ScheduleEvent) -> str:
    if event.until:
        return _("until %(date)s", date=format_date(event.until, "medium"))
    if event.count:
        return _("%(count)d times", count=event.count)
    return _("forever")


def describe_repeat(event: ScheduleEvent) -> str:
    kind = event.recurrence
    if kind == "none":
        return _("Does not repeat")
    if kind == "daily":
        text = _("Every day") if event.interval == 1 else _("Every %(n)d days", n=event.interval)
    elif kind == "weekly":
        names = get_day_names("wide", locale=get_locale())
        days = ", ".join(names[WEEKDAYS.index(d)] for d in event.weekdays)
        text = (_("Every week on %(days)s", days=days) if event.interval == 1
                else _("Every %(n)d weeks on %(days)s", n=event.interval, days=days))
    elif kind == "yearly_by_date":
        text = _("Every year on %(date)s", date=format_date(event.start_date, "d MMMM"))
    else:
        week = str(dict(WEEK_CHOICES)[str(event.week_of_month)]).lower()
        day = format_date(event.start_date, "EEEE")
        text = _("Every year on the %(week)s %(day)s of %(month)s", week=week, day=day,
                 month=format_date(event.start_date, "MMMM"))
    return f"{text}, {_ending(event)}"
