"""Schedules: who sees which, creating and changing them with their rules, and the API other areas use.

Other areas (calling criteria, routing) call `schedules_for_user`, `get_schedule_for_user` and `in_effect`,
and register with `register_schedule_usage` a function telling where a schedule is used, so that a schedule
in use is never deleted. They link schedules by id: renaming keeps the links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..extensions import db
from ..i18n import gettext as _
from ..organizations.models import Location
from ..timeutil import utcnow
from . import engine
from .models import Schedule, ScheduleEvent, ScheduleException, ScheduleType, person_time_zone
from .validation import EventInput, ScheduleInvalid, check_event, check_schedule

__all__ = [
    "EventInput", "ScheduleInUse", "ScheduleInvalid", "add_event", "create_schedule", "delete_event",
    "delete_schedule", "get_schedule_for_user", "in_effect", "location_schedules", "personal_schedule",
    "register_schedule_usage", "schedule_uses", "schedules_for_user", "unregister_schedule_usage",
    "update_event", "update_schedule",
]

MAX_SCHEDULES = 100  # per owner; the reference names no limit, this keeps pages and checks bounded
MAX_EVENTS = 100  # per schedule

UsageCallback = Callable[[Schedule], list[str]]
_usage_callbacks: list[UsageCallback] = []


class ScheduleInUse(Exception):
    def __init__(self, uses: list[str]) -> None:
        super().__init__(", ".join(uses))
        self.uses = uses


# --- the API of other areas -------------------------------------------------------------------------


def in_effect(schedule: Schedule, at: datetime) -> bool:
    """Whether the schedule is in effect at the aware instant ``at``."""
    return engine.in_effect(schedule, at)


def schedules_for_user(user: User) -> list[Schedule]:
    """The person's own schedules, then their location's, each by name."""
    owners = [Schedule.user_id == user.id]
    if user.location_id is not None:
        owners.append(Schedule.location_id == user.location_id)
    query = select(Schedule).where(or_(*owners)).order_by(Schedule.location_id.is_not(None), Schedule.name)
    return list(db.session.scalars(query))


def get_schedule_for_user(user: User, schedule_id: int) -> Schedule | None:
    """One of the person's schedules or of their location's; None for anybody else's."""
    schedule = db.session.get(Schedule, schedule_id)
    if schedule is None:
        return None
    if schedule.user_id == user.id or (user.location_id is not None and schedule.location_id == user.location_id):
        return schedule
    return None


def personal_schedule(user: User, schedule_id: int) -> Schedule | None:
    """One of the person's own schedules (which they may change)."""
    schedule = db.session.get(Schedule, schedule_id)
    return schedule if schedule is not None and schedule.user_id == user.id else None


def location_schedules(location: Location) -> list[Schedule]:
    return list(db.session.scalars(select(Schedule).where(Schedule.location_id == location.id).order_by(Schedule.name)))


def register_schedule_usage(callback: UsageCallback) -> UsageCallback:
    """Add a function ``callback(schedule) -> [human-readable use, ...]`` consulted before deleting a schedule."""
    if callback not in _usage_callbacks:
        _usage_callbacks.append(callback)
    return callback


def unregister_schedule_usage(callback: UsageCallback) -> None:
    if callback in _usage_callbacks:
        _usage_callbacks.remove(callback)


def schedule_uses(schedule: Schedule) -> list[str]:
    return [use for callback in list(_usage_callbacks) for use in callback(schedule)]


# --- changes ----------------------------------------------------------------------------------------


def _owner_filter(owner: User | Location):  # type: ignore[no-untyped-def]
    return Schedule.user_id == owner.id if isinstance(owner, User) else Schedule.location_id == owner.id


def _name_taken(owner: User | Location, name: str, ignore: Schedule | None = None) -> bool:
    query = select(Schedule.id).where(_owner_filter(owner), Schedule.name == name)
    if ignore is not None:
        query = query.where(Schedule.id != ignore.id)
    return db.session.scalar(query) is not None


@contextmanager
def _flushed_or_name_taken(field: str) -> Iterator[None]:
    """The block's changes are flushed in a savepoint: two requests racing past the checks meet the unique
    constraints; only this change is undone, and it is said like the check would."""
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError:
        raise ScheduleInvalid({field: [_("This name is already used. Choose another one.")]}) from None


def _apply(event: ScheduleEvent, data: EventInput) -> None:
    event.name = data.name
    event.start_date, event.end_date = data.start_date, data.end_date  # type: ignore[assignment]
    event.all_day = data.all_day
    event.start_time = None if data.all_day else data.start_time
    event.end_time = None if data.all_day else data.end_time
    event.recurrence = data.recurrence
    event.interval = data.interval if data.recurrence in ("daily", "weekly") else 1
    event.weekdays = data.weekdays if data.recurrence == "weekly" else ()
    event.week_of_month = data.week_of_month if data.recurrence == "yearly_by_day" else None
    repeats = data.recurrence != "none"
    event.until = data.until if repeats and data.ends == "until" else None
    event.count = data.count if repeats and data.ends == "count" else None
    wanted = set(data.exdates)
    event.exceptions = [e for e in event.exceptions if e.day in wanted] + [
        ScheduleException(day=day) for day in sorted(wanted - {e.day for e in event.exceptions})
    ]


def _check_schedule_fields(owner: User | Location, name: str, kind: str, ignore: Schedule | None) -> None:
    errors = check_schedule(name, kind)
    if not errors and _name_taken(owner, name.strip(), ignore):
        errors["name"] = [_("This name is already used. Choose another one.")]
    if errors:
        raise ScheduleInvalid(errors)


def create_schedule(owner: User | Location, name: str, kind: str, events: list[EventInput] = ()) -> Schedule:  # type: ignore[assignment]
    """A new schedule with its events, all checked first: nothing is stored when one thing is wrong."""
    _check_schedule_fields(owner, name, kind, None)
    count = db.session.scalar(select(db.func.count(Schedule.id)).where(_owner_filter(owner))) or 0
    if count >= MAX_SCHEDULES:
        raise ScheduleInvalid({"name": [_("You cannot have more than %(max)d schedules.", max=MAX_SCHEDULES)]})
    personal = isinstance(owner, User)
    problems = ScheduleInvalid()
    names: set[str] = set()
    for data in events:
        problems.merge(check_event(data, personal, names))
        names.add(data.name.strip())
    if len(events) > MAX_EVENTS:
        problems.add("name", _("A schedule has at most %(max)d events.", max=MAX_EVENTS))
    problems.raise_if_any()
    schedule = Schedule(name=name.strip(), type=kind, **({"user": owner} if personal else {"location": owner}))
    for data in events:
        event = ScheduleEvent()
        _apply(event, data)
        schedule.events.append(event)
    with _flushed_or_name_taken("name"):
        db.session.add(schedule)
    return schedule


def update_schedule(schedule: Schedule, name: str, kind: str) -> None:
    """Rename or retype; links from other settings hold the id, so they follow."""
    owner = schedule.user if schedule.is_personal else schedule.location
    _check_schedule_fields(owner, name, kind, schedule)  # type: ignore[arg-type]
    with _flushed_or_name_taken("name"):
        schedule.name, schedule.type = name.strip(), kind


def delete_schedule(schedule: Schedule) -> None:
    uses = schedule_uses(schedule)
    if uses:
        raise ScheduleInUse(uses)
    db.session.delete(schedule)


def _other_names(schedule: Schedule, ignore: ScheduleEvent | None) -> set[str]:
    return {e.name for e in schedule.events if e is not ignore}


def add_event(schedule: Schedule, data: EventInput) -> ScheduleEvent:
    problems = check_event(data, schedule.is_personal, _other_names(schedule, None))
    if len(schedule.events) >= MAX_EVENTS:
        problems.add("name", _("A schedule has at most %(max)d events.", max=MAX_EVENTS))
    problems.raise_if_any()
    event = ScheduleEvent()
    _apply(event, data)
    with _flushed_or_name_taken("name"):
        schedule.events.append(event)
    return event


def update_event(event: ScheduleEvent, data: EventInput) -> None:
    check_event(data, event.schedule.is_personal, _other_names(event.schedule, event)).raise_if_any()
    with _flushed_or_name_taken("name"):
        _apply(event, data)


def delete_event(event: ScheduleEvent) -> None:
    db.session.delete(event)


def event_input(event: ScheduleEvent) -> EventInput:
    """The stored event in the shape forms and checks use."""
    ends = "until" if event.until else "count" if event.count else "never"
    return EventInput(
        name=event.name, start_date=event.start_date, end_date=event.end_date, all_day=event.all_day,
        start_time=event.start_time, end_time=event.end_time, recurrence=event.recurrence, interval=event.interval,
        weekdays=event.weekdays, week_of_month=event.week_of_month, ends=ends, until=event.until,
        count=event.count, exdates=event.exdates,
    )


def type_label(kind: str) -> str:
    return _("Business hours") if kind == ScheduleType.BUSINESS_HOURS else _("Holidays")


def owner_time_zone(owner: User | Location) -> str:
    """The zone a new schedule of this owner reads its times in (see Schedule.time_zone)."""
    if isinstance(owner, Location):
        location: Location = owner  # mypy would read a User-and-Location intersection's time_zone as User's
        return location.time_zone
    return person_time_zone(owner)


def today_in(time_zone: str) -> date:
    return utcnow().astimezone(engine.zone(time_zone)).date()

