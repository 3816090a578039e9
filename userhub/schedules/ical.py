"""iCalendar (.ics): export a schedule, and read one into events, refusing what a schedule cannot hold.

Import is all-or-nothing: every problem is reported with its line, and no event is kept unless all can be.
Limits: iCalendar gives a DTEND-based event an exact length, while schedules keep the wall-clock length
(18:00 to 08:00 stays so on the nights clocks change); both agree on every other night.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from icalendar import Calendar, Event

from . import engine
from ..errors import DomainError
from ..i18n import gettext as _, lazy_gettext as _l
from ..timeutil import utcnow
from .models import WEEKDAYS, Schedule
from .validation import EventInput, check_event

MAX_ICS_BYTES = 256 * 1024
_FIELD_NAMES = {"event_name": "SUMMARY", "start_date": "DTSTART", "start_time": "DTSTART", "end_date": "DTEND",
                "end_time": "DTEND", "until": "RRULE", "count": "RRULE", "recurrence": "RRULE", "interval": "RRULE",
                "weekdays": "RRULE", "week_of_month": "RRULE", "ends": "RRULE"}
_FREQ = {"DAILY": "daily", "WEEKLY": "weekly", "YEARLY": "yearly"}
_RRULE_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTH", "BYMONTHDAY", "WKST"}


# --- export -----------------------------------------------------------------------------------------


def _rrule_dict(event: Any, first: datetime, tz: Any) -> dict[str, Any] | None:
    kind = event.recurrence
    if kind == "none":
        return None
    rule: dict[str, Any] = {}
    if kind == "daily":
        rule["FREQ"] = "DAILY"
    elif kind == "weekly":
        rule.update(FREQ="WEEKLY", BYDAY=list(event.weekdays), WKST="MO")
    elif kind == "yearly_by_date":
        rule.update(FREQ="YEARLY", BYMONTH=first.month, BYMONTHDAY=first.day)
    else:
        rule.update(FREQ="YEARLY", BYMONTH=first.month, BYDAY=f"{event.week_of_month}{WEEKDAYS[first.weekday()]}")
    if event.interval and event.interval > 1:
        rule["INTERVAL"] = event.interval
    if event.count:
        rule["COUNT"] = event.count
    if event.until:
        if event.all_day:
            rule["UNTIL"] = event.until
        else:  # with a TZID start, UNTIL must be UTC (RFC 5545 3.3.10)
            rule["UNTIL"] = datetime.combine(event.until, time(23, 59, 59)).replace(tzinfo=tz).astimezone(UTC)
    return rule


def export_schedule(schedule: Schedule) -> bytes:
    """The schedule as an iCalendar file: one VEVENT per event, TZID times with their VTIMEZONE."""
    tz = engine.zone(schedule.time_zone)
    calendar = Calendar()
    calendar.add("prodid", "-//userhub//schedules//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", schedule.name)
    calendar.add("x-wr-timezone", schedule.time_zone)
    stamp = utcnow().replace(microsecond=0)
    for event in schedule.events:
        starts = engine.recurrence_rule(event)
        first = next(iter(starts), None)  # DTSTART must be an occurrence of the rule (RFC 5545 3.8.5.3)
        if first is None:
            continue
        length = engine.duration(event)
        item = Event()
        item.add("uid", f"schedule-{schedule.id}-event-{event.id}@userhub")
        item.add("dtstamp", stamp)
        item.add("summary", event.name)
        if event.all_day:
            item.add("dtstart", first.date())
            item.add("dtend", (first + length).date())
        else:
            item.add("dtstart", first.replace(tzinfo=tz))
            item.add("dtend", (first + length).replace(tzinfo=tz))
        rule = _rrule_dict(event, first, tz)
        if rule:
            item.add("rrule", rule)
        if event.exdates:
            if event.all_day:
                item.add("exdate", list(event.exdates))
            else:
                item.add("exdate", [datetime.combine(d, first.time()).replace(tzinfo=tz) for d in event.exdates])
        calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()


# --- import -----------------------------------------------------------------------------------------


@dataclass
class Problem:
    line: int
    message: str


class IcsRejected(DomainError):
    """Nothing of the file is imported; ``problems`` lists each one by line (the page shows them)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(_l("Nothing was imported. Correct the file and try again."), field="file")
        self.problems = problems


@dataclass
class _Block:
    """Where a VEVENT and each of its properties start in the file (first line of a folded property)."""

    line: int
    properties: dict[str, list[int]] = field(default_factory=dict)

    def at(self, name: str) -> int:
        return self.properties.get(name, [self.line])[0]


def _scan(text: str) -> tuple[list[_Block], list[Problem]]:
    blocks: list[_Block] = []
    others: list[Problem] = []
    stack: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw or raw[0] in " \t":
            continue  # a folded continuation belongs to the line above
        name = raw.split(":", 1)[0].split(";", 1)[0].upper()
        value = raw.split(":", 1)[1].strip().upper() if ":" in raw else ""
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT" and stack[:-1] == ["VCALENDAR"]:
                blocks.append(_Block(number))
            elif value in ("VTODO", "VJOURNAL", "VFREEBUSY"):
                others.append(Problem(number, _("%(component)s cannot be represented in a schedule; only events "
                                                "(VEVENT) can.", component=value)))
        elif name == "END":
            if stack:
                stack.pop()
        elif stack[-2:] == ["VCALENDAR", "VEVENT"] and blocks:
            blocks[-1].properties.setdefault(name, []).append(number)
    return blocks, others


def _values(component: Any, name: str) -> list[Any]:
    found = component.get(name)
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


def _wall(value: datetime, target: Any) -> datetime:
    """A datetime as wall-clock time of the schedule's zone (floating times are already so)."""
    return value if value.tzinfo is None else value.astimezone(target).replace(tzinfo=None)


def _same_clock(start: datetime, rule: Any, target: Any) -> bool:
    """Whether every occurrence of the next two years falls at the same wall-clock time in both zones
    (e.g. Europe/Berlin and Europe/Paris); if not, the times would drift when daylight saving changes."""
    if start.tzinfo is None or getattr(start.tzinfo, "key", None) == getattr(target, "key", None):
        return True
    naive = start.replace(tzinfo=None)
    shift = _wall(start, target) - naive
    if _wall(start, target).date() != naive.date():
        return False  # the days named by the rule would change
    horizon = naive + timedelta(days=731)
    starts = rule.between(naive, horizon, inc=True) if rule is not None else [naive]
    return all(_wall(wall.replace(tzinfo=start.tzinfo), target) - wall == shift for wall in starts[:800])


class _Reader:
    def __init__(self, personal: bool, time_zone: str) -> None:
        self.personal = personal
        self.tz = engine.zone(time_zone)
        self.problems: list[Problem] = []

    def fail(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def recurrence(self, block: _Block, component: Any, data: EventInput, start: date) -> None:
        rules = _values(component, "RRULE")
        line = block.at("RRULE")
        if not rules:
            return
        if len(rules) > 1:
            self.fail(block.properties["RRULE"][1], _("Only one RRULE per event can be represented."))
            return
        rule = rules[0]
        unknown = sorted(set(rule) - _RRULE_PARTS)
        for part in unknown:
            self.fail(line, _("RRULE: %(part)s cannot be represented.", part=part))
        freq = _FREQ.get(str((rule.get("FREQ") or [""])[0]).upper())
        if freq is None:
            self.fail(line, _("RRULE: only daily, weekly and yearly repetitions can be represented."))
            return
        byday = [str(d).upper() for d in rule.get("BYDAY", [])]
        data.interval = int((rule.get("INTERVAL") or [1])[0])
        if freq == "daily":
            if byday or rule.get("BYMONTH") or rule.get("BYMONTHDAY"):
                self.fail(line, _("RRULE: a daily repetition limited to some days cannot be represented."))
            data.recurrence = "daily"
        elif freq == "weekly":
            if rule.get("BYMONTH") or rule.get("BYMONTHDAY") or any(d not in WEEKDAYS for d in byday):
                self.fail(line, _("RRULE: a weekly repetition can only name days of the week."))
            data.recurrence = "weekly"
            data.weekdays = byday or (WEEKDAYS[start.weekday()],)
        else:
            self._yearly(line, rule, data, start, byday)
        if not unknown:
            self._end(line, rule, data)

    def _yearly(self, line: int, rule: Any, data: EventInput, start: date, byday: list[str]) -> None:
        months = [int(m) for m in rule.get("BYMONTH", [start.month])]
        days = [int(d) for d in rule.get("BYMONTHDAY", [])]
        if data.interval != 1 or months != [start.month]:
            self.fail(line, _("RRULE: a yearly repetition can only repeat every year in the start date's month."))
        elif byday:
            code = byday[0].lstrip("+")
            week, weekday = code[:-2], code[-2:]
            if len(byday) > 1 or days or week not in ("1", "2", "3", "4", "-1") or weekday != WEEKDAYS[start.weekday()]:
                self.fail(line, _("RRULE: a yearly repetition by weekday must name one week (1 to 4 or last) and "
                                  "the start date's weekday."))
            else:
                data.recurrence, data.week_of_month = "yearly_by_day", int(week)
        elif days and days != [start.day]:
            self.fail(line, _("RRULE: a yearly repetition by date must repeat the start date."))
        else:
            data.recurrence = "yearly_by_date"

    def _end(self, line: int, rule: Any, data: EventInput) -> None:
        if rule.get("COUNT"):
            data.ends, data.count = "count", int(rule["COUNT"][0])
        elif rule.get("UNTIL"):
            until = rule["UNTIL"][0]
            data.ends = "until"
            data.until = _wall(until, self.tz).date() if isinstance(until, datetime) else until

    def event(self, block: _Block, component: Any, names: set[str]) -> EventInput | None:
        for unsupported in ("RDATE", "RECURRENCE-ID", "EXRULE"):
            for line in block.properties.get(unsupported, []):
                self.fail(line, _("%(property)s cannot be represented in a schedule.", property=unsupported))
        start_prop = component.get("DTSTART")
        if start_prop is None:
            self.fail(block.line, _("This event has no start (DTSTART)."))
            return None
        start = start_prop.dt
        data = EventInput(name=str(component.get("SUMMARY", "")).strip(), start_date=None, end_date=None)
        if component.get("DTEND") is not None:
            end = component.get("DTEND").dt
        elif component.get("DURATION") is not None:
            end = start + component.get("DURATION").dt
        else:
            end = start + timedelta(days=1) if not isinstance(start, datetime) else start
        if isinstance(start, datetime) != isinstance(end, datetime):
            self.fail(block.at("DTEND"), _("The start and the end must both be dates or both be times."))
            return None
        if isinstance(start, datetime):
            wall_start, wall_end = _wall(start, self.tz), _wall(end, self.tz)
            data.start_date, data.start_time = wall_start.date(), wall_start.time()
            data.end_date, data.end_time = wall_end.date(), wall_end.time()
        else:
            data.all_day = True
            data.start_date, data.end_date = start, end - timedelta(days=1)
        self.recurrence(block, component, data, data.start_date)
        if isinstance(start, datetime) and data.recurrence != "none" and not _same_clock(
                start, engine.recurrence_rule(_source_rule(data, start)), self.tz):
            self.fail(block.at("DTSTART"), _("The repetitions in %(zone)s do not fall at the same times and "
                                             "days in %(target)s, the time zone of the schedule.", zone=getattr(start.tzinfo, "key", "UTC"),
                                             target=self.tz.key))
        exdates = []
        for prop in _values(component, "EXDATE"):
            for value in prop.dts:
                moment = value.dt
                exdates.append(_wall(moment, self.tz).date() if isinstance(moment, datetime) else moment)
        data.exdates = tuple(sorted(set(exdates)))
        for key, messages in check_event(data, self.personal, names).field_errors.items():
            for message in messages:
                self.fail(block.at(_FIELD_NAMES.get(key, "BEGIN")), str(message))
        return data


def _source_rule(data: EventInput, start: datetime) -> engine.EventRule:
    """The event's rule in the source zone's wall clock, to compare both zones occurrence by occurrence."""
    naive = start.replace(tzinfo=None)
    return engine.EventRule(start_date=naive.date(), end_date=naive.date(), start_time=naive.time(),
                            end_time=naive.time(), recurrence=data.recurrence, interval=data.interval,
                            weekdays=data.weekdays, week_of_month=data.week_of_month, count=data.count)


def read_ics(content: bytes, personal: bool, time_zone: str) -> tuple[str, list[EventInput]]:
    """The calendar's name (X-WR-CALNAME) and its events, or IcsRejected listing every problem."""
    if len(content) > MAX_ICS_BYTES:
        raise IcsRejected([Problem(0, _("The file is larger than %(size)d KB.", size=MAX_ICS_BYTES // 1024))])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IcsRejected([Problem(0, _("The file is not UTF-8 text."))]) from None
    blocks, problems = _scan(text)
    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        raise IcsRejected([Problem(0, _("This is not an iCalendar file (%(reason)s).", reason=str(exc)[:200]))]) from None
    components = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    if not components:
        problems.append(Problem(0, _("The file has no event (VEVENT).")))
    reader = _Reader(personal, time_zone)
    reader.problems.extend(problems)
    events: list[EventInput] = []
    names: set[str] = set()
    for block, component in _paired(blocks, components):
        data = reader.event(block, component, names)
        if data is not None:
            names.add(data.name)
            events.append(data)
    if reader.problems:
        raise IcsRejected(sorted(reader.problems, key=lambda p: p.line))
    return str(calendar.get("X-WR-CALNAME", "")).strip(), events


def _paired(blocks: list[_Block], components: list[Any]) -> Iterator[tuple[_Block, Any]]:
    for index, component in enumerate(components):
        yield (blocks[index] if index < len(blocks) else _Block(0)), component
