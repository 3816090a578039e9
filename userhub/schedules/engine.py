"""When a schedule is in effect: occurrences of events and membership of an instant. Pure, no database.

Events hold wall-clock dates and times of the schedule's time zone. Repetitions are computed on wall clocks
with dateutil's rrule, then each occurrence's start and end become instants in that zone: an event from
18:00 to 08:00 lasts 15 hours on the night clocks go back and 13 hours on the night they go forward. A
wall-clock time that does not exist (02:30 when clocks jump from 02:00 to 03:00) is read with the offset
in force before the jump, i.e. it happens at 03:30, as most calendars do.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from dateutil import rrule

from ..timeutil import require_aware

_WEEKDAY = {"MO": rrule.MO, "TU": rrule.TU, "WE": rrule.WE, "TH": rrule.TH, "FR": rrule.FR, "SA": rrule.SA,
            "SU": rrule.SU}


class EventLike(Protocol):
    """What the engine reads from an event (a ScheduleEvent row or an `EventRule`)."""

    start_date: date
    end_date: date
    all_day: bool
    start_time: time | None
    end_time: time | None
    recurrence: str
    interval: int
    week_of_month: int | None
    until: date | None
    count: int | None

    @property
    def weekdays(self) -> Sequence[str]: ...

    @property
    def exdates(self) -> Sequence[date]: ...


class ScheduleLike(Protocol):
    @property
    def time_zone(self) -> str: ...

    @property
    def events(self) -> Sequence[EventLike]: ...


@dataclass
class EventRule:
    """A free-standing event, for tests, benchmarks and iCalendar import before anything is stored."""

    start_date: date
    end_date: date
    start_time: time | None = None
    end_time: time | None = None
    all_day: bool = False
    recurrence: str = "none"
    interval: int = 1
    weekdays: Sequence[str] = ()
    week_of_month: int | None = None
    until: date | None = None
    count: int | None = None
    exdates: Sequence[date] = ()
    name: str = ""


@dataclass
class ScheduleRule:
    time_zone: str
    events: Sequence[EventLike] = field(default_factory=list)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def wall_start(event: EventLike) -> datetime:
    return datetime.combine(event.start_date, time(0) if event.all_day else event.start_time)  # type: ignore[arg-type]


def wall_end(event: EventLike) -> datetime:
    if event.all_day:
        return datetime.combine(event.end_date + timedelta(days=1), time(0))
    return datetime.combine(event.end_date, event.end_time)  # type: ignore[arg-type]


def duration(event: EventLike) -> timedelta:
    """Wall-clock length of each occurrence."""
    return wall_end(event) - wall_start(event)


def _period_days(event: EventLike) -> int | None:
    if event.recurrence == "daily":
        return event.interval or 1
    if event.recurrence == "weekly":
        return 7 * (event.interval or 1)
    return None


def recurrence_rule(event: EventLike, near: datetime | None = None) -> rrule.rrule:
    """The event's repetition as a dateutil rule over wall-clock start times.

    rrule walks from its first start; with ``near``, an endless or dated daily/weekly rule starts instead
    a whole number of periods later, just before ``near``: the same starts from there on, without walking
    years of past weeks (counted rules keep their first start, since the count runs from it)."""
    start = wall_start(event)
    period = _period_days(event)
    if near is not None and period and not event.count and near - start > timedelta(days=period):
        start += timedelta(days=period * ((near - start).days // period))
    until = datetime.combine(event.until, time.max) if event.until else None
    common = {"dtstart": start, "interval": event.interval or 1, "until": until, "count": event.count}
    kind = event.recurrence
    if kind == "daily":
        return rrule.rrule(rrule.DAILY, **common)
    if kind == "weekly":
        days = [_WEEKDAY[d] for d in event.weekdays] or [_WEEKDAY[list(_WEEKDAY)[start.weekday()]]]
        return rrule.rrule(rrule.WEEKLY, byweekday=days, wkst=rrule.MO, **common)
    if kind == "yearly_by_date":
        return rrule.rrule(rrule.YEARLY, bymonth=start.month, bymonthday=start.day, **common)
    if kind == "yearly_by_day":
        weekday = _WEEKDAY[list(_WEEKDAY)[start.weekday()]]
        return rrule.rrule(rrule.YEARLY, bymonth=start.month, byweekday=weekday(event.week_of_month or 1), **common)
    return rrule.rrule(rrule.DAILY, count=1, dtstart=start)


def _starts_between(event: EventLike, after: datetime, before: datetime) -> Iterator[datetime]:
    """Wall-clock starts in [after, before], skipping exception dates."""
    skipped = set(event.exdates)
    for start in recurrence_rule(event, near=after).between(after, before, inc=True):
        if start.date() not in skipped:
            yield start


def _instant(wall: datetime, tz: ZoneInfo) -> datetime:
    return wall.replace(tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True, order=True)
class Occurrence:
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC
    wall_start: datetime  # naive, in the schedule's zone
    wall_end: datetime


def occurrences(event: EventLike, time_zone: str, start: datetime, end: datetime) -> list[Occurrence]:
    """Occurrences of one event that overlap the window [start, end) (aware datetimes)."""
    require_aware(start, "start")
    require_aware(end, "end")
    tz = zone(time_zone)
    length = duration(event)
    # Wall-clock bounds wide enough for any offset change (a day each side) and for the event's length.
    low = start.astimezone(tz).replace(tzinfo=None) - length - timedelta(days=1)
    high = end.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
    found = []
    for wall in _starts_between(event, low, high):
        occurrence = Occurrence(_instant(wall, tz), _instant(wall + length, tz), wall, wall + length)
        if occurrence.start < end and occurrence.end > start:
            found.append(occurrence)
    return found


def schedule_occurrences(schedule: ScheduleLike, start: datetime, end: datetime) -> list[Occurrence]:
    """Every occurrence of every event of the schedule overlapping [start, end), in time order."""
    require_aware(start, "start")  # here too: a schedule without events would let a naive one through
    require_aware(end, "end")
    return sorted(o for event in schedule.events for o in occurrences(event, schedule.time_zone, start, end))


def event_in_effect(event: EventLike, time_zone: str, at: datetime) -> bool:
    return bool(occurrences(event, time_zone, at, at + timedelta(microseconds=1)))


def in_effect(schedule: ScheduleLike, at: datetime) -> bool:
    """Whether an instant falls inside one of the schedule's occurrences (start included, end excluded)."""
    require_aware(at, "at")
    return any(event_in_effect(event, schedule.time_zone, at) for event in schedule.events)


def merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Overlapping or touching intervals joined, in order."""
    merged: list[tuple[datetime, datetime]] = []
    for low, high in sorted(intervals):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged
