"""From the database to ``RoutingSettings`` (MAPPING.md, field by field).

``routing_settings_for(user)`` reads the saved calling settings (``calling.services.load``), the
voicemail settings and the schedules the criteria refer to, in a constant number of queries whatever
the number of features, criteria and schedules. ``settings_of`` is the pure part: the loop check at
save uses it on raw rows of many users, without schedules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import and_, bindparam, literal, or_, select, union_all

from ..accounts.models import User, name_for_display
from ..calling import registry, services
from ..calling.features.call_forwarding import Values as ForwardingValues
from ..calling.saved_criteria import Criterion as SavedCriterion
from ..extensions import db
from ..i18n import gettext as _
from ..organizations.models import Location, PhoneNumber
from ..phones import is_extension
from ..schedules import engine
from ..schedules.models import Schedule as ScheduleRow, ScheduleEvent, ScheduleException, person_time_zone
from ..voicemail.for_routing import voicemail_for_routing, voicemail_of_row
from .loops import Directory
from .inputs import (
    CallsFrom,
    Criterion,
    ExecutiveFiltering,
    FilterType,
    Forwarding,
    RingNumber,
    Rollover,
    RoutingSettings,
    Schedule,
    Screening,
    SelectiveForward,
    SequentialRing,
    SimultaneousRing,
    Voicemail,
)

CALLS_FROM = {"any": CallsFrom.ANY, "select": CallsFrom.SELECTED, "forwarded": CallsFrom.FORWARDED,
              "internal": CallsFrom.INTERNAL, "external": CallsFrom.EXTERNAL}
FILTER_TYPES = {"all": FilterType.ALL, "internal": FilterType.INTERNAL, "external": FilterType.EXTERNAL,
                "custom": FilterType.CUSTOM}
ROLLOVER = {"voicemail": Rollover.VOICEMAIL, "nothing": Rollover.NO_ANSWER, "forward": Rollover.FORWARD}
YEAR = timedelta(days=366)
# Plain table columns: statements without ORM entities skip the ORM's compile and result machinery (the
# call decision runs them on every call).
_USERS = User.__table__.c
_LOCATIONS = Location.__table__.c


@dataclass(frozen=True)
class Saved:
    """One user's saved calling settings: values (the features' dataclasses) and criteria, by feature key.
    A feature that is missing has its defaults."""

    values: Mapping[str, Any] = field(default_factory=dict)
    criteria: Mapping[str, Sequence[SavedCriterion]] = field(default_factory=dict)

    def of(self, key: str) -> Any:
        found = self.values.get(key)
        if found is not None:
            return found
        return _feature(key).defaults()

    def rules(self, key: str, schedules: Mapping[int, Schedule] | None) -> tuple[Criterion, ...]:
        return tuple(criterion_of(c, schedules) for c in self.criteria.get(key, ()))


@cache
def _feature(key: str) -> Any:
    feature = registry.get(key)
    if feature is None:
        raise LookupError(f"no calling feature {key!r}")
    return feature


# --- schedules --------------------------------------------------------------------------------------


class ScheduleCheck:
    """``active_at`` of a routing ``Schedule``: the schedules engine on a copy of the events, so that it
    never touches the database once built. ``in_effect_after`` answers the "never in effect" warning
    from the occurrences of the coming year instead of sampling every quarter of an hour."""

    def __init__(self, rule: engine.ScheduleRule) -> None:
        self.rule = rule

    def __call__(self, at: datetime, /) -> bool:
        return engine.in_effect(self.rule, at)

    def in_effect_after(self, moment: datetime) -> bool:
        return bool(engine.schedule_occurrences(self.rule, moment, moment + YEAR))


def _never(_at: datetime, /) -> bool:
    return False


def missing_schedule(schedule_id: int) -> Schedule:
    """A criterion whose schedule was deleted (or is no longer the user's): it never applies, and the
    overview says so."""
    return Schedule(_("Deleted schedule (%(id)s)", id=schedule_id), _never, ever_in_effect=False)


_SCHEDULES = ScheduleRow.__table__.c
_EVENTS = ScheduleEvent.__table__.c
_EXCEPTIONS = ScheduleException.__table__.c


@cache
def _schedules_query() -> Any:
    """Schedules among some ids that belong to a person or their location, with their location's zone,
    their events in the schedules area's order and each event's exceptions, as plain rows (one row per
    exception, or per event without any, or per schedule without events). Built once."""
    locations = Location.__table__
    return (select(_SCHEDULES.id, _SCHEDULES.name, _LOCATIONS.time_zone.label("location_time_zone"),
                   _EVENTS.id.label("event_id"), _EVENTS.name.label("event_name"), _EVENTS.start_date,
                   _EVENTS.end_date, _EVENTS.start_time, _EVENTS.end_time, _EVENTS.all_day, _EVENTS.recurrence,
                   _EVENTS.repeat_interval, _EVENTS.weekdays, _EVENTS.week_of_month, _EVENTS.until,
                   _EVENTS["count"], _EXCEPTIONS.day)
            .select_from(ScheduleRow.__table__)
            .outerjoin(locations, _LOCATIONS.id == _SCHEDULES.location_id)
            .outerjoin(ScheduleEvent.__table__, _EVENTS.schedule_id == _SCHEDULES.id)
            .outerjoin(ScheduleException.__table__, _EXCEPTIONS.event_id == _EVENTS.id)
            .where(_SCHEDULES.id.in_(bindparam("ids", expanding=True)),
                   or_(_SCHEDULES.user_id == bindparam("user_id"),
                       and_(_SCHEDULES.location_id.is_not(None), _SCHEDULES.location_id == bindparam("location_id"))))
            .order_by(_SCHEDULES.id, _EVENTS.start_date, _EVENTS.start_time, _EVENTS.id, _EXCEPTIONS.day))


def _event_rule(row: Any, exdates: tuple[Any, ...]) -> engine.EventRule:
    return engine.EventRule(
        start_date=row.start_date, end_date=row.end_date, start_time=row.start_time, end_time=row.end_time,
        all_day=row.all_day, recurrence=row.recurrence, interval=row.repeat_interval,
        weekdays=tuple(day for day in row.weekdays.split(",") if day), week_of_month=row.week_of_month,
        until=row.until, count=row.count, exdates=exdates, name=row.event_name)


def load_schedules(user: Any, ids: Iterable[int]) -> dict[int, Schedule]:
    """The user's own and their location's schedules among ``ids``: one statement of plain rows
    (schedules, their events, the events' exceptions and the locations joined; a call decision runs it
    for every call to a person whose rules have schedules), none when no criterion has a schedule. One
    ``Schedule`` object per schedule, shared by the criteria that use it."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = db.session.execute(_schedules_query(), {"ids": wanted, "user_id": user.id, "location_id": user.location_id})
    named: dict[int, tuple[str, str | None]] = {}  # id: (name, location's zone)
    events: dict[int, list[tuple[Any, list[Any]]]] = {}  # id: [(event row, its exception days)]
    for row in rows:
        named.setdefault(row.id, (row.name, row.location_time_zone))
        found = events.setdefault(row.id, [])
        if row.event_id is None:
            continue
        if not found or found[-1][0].event_id != row.event_id:
            found.append((row, []))
        if row.day is not None:
            found[-1][1].append(row.day)
    schedules: dict[int, Schedule] = {}
    for schedule_id, (name, location_zone) in named.items():
        # a personal schedule is read in its owner's zone, a location's in the location's
        rule_zone = location_zone if location_zone is not None else person_time_zone(user)
        rules = [_event_rule(row, tuple(days)) for row, days in events[schedule_id]]
        schedules[schedule_id] = Schedule(name, ScheduleCheck(engine.ScheduleRule(rule_zone, rules)),
                                          ever_in_effect=False if not rules else None)
    return schedules


def time_zone_of(user: Any) -> str:
    """The user's zone for the panel: their own, else their location's, else the service's default."""
    if user.time_zone:
        return user.time_zone
    if user.location is not None:
        return user.location.time_zone
    return current_app.config.get("BABEL_DEFAULT_TIMEZONE", "UTC") if has_app_context() else "UTC"


# --- pure mapping ----------------------------------------------------------------------------------


def criterion_of(saved: SavedCriterion, schedules: Mapping[int, Schedule] | None) -> Criterion:
    """``schedules=None``: schedules are ignored (the loop check needs destinations only)."""
    schedule = None
    if saved.schedule_id is not None and schedules is not None:
        schedule = schedules.get(saved.schedule_id) or missing_schedule(saved.schedule_id)
    selected = saved.calls_from == "select"
    return Criterion(
        name=saved.name, positive=saved.enabled, calls_from=CALLS_FROM.get(saved.calls_from, CallsFrom.ANY),
        numbers=frozenset(saved.phone_numbers) if selected else frozenset(),
        anonymous=selected and saved.anonymous_callers, unavailable=selected and saved.unavailable_callers,
        schedule=schedule, forward_to=saved.forward_to or None)


def _ring_numbers(rows: Iterable[Mapping[str, Any]], with_rings: bool = False) -> tuple[RingNumber, ...]:
    return tuple(RingNumber(row["phone_number"], str(row.get("name") or ""),
                            int(row.get("rings") or 3) if with_rings else 3, bool(row.get("enabled", True)))
                 for row in rows if row.get("phone_number"))


def settings_of(name: str, saved: Saved, *, schedules: Mapping[int, Schedule] | None = None,
                voicemail: Voicemail = Voicemail(), assistants: Sequence[RingNumber] = ()) -> RoutingSettings:
    """The routing input of one user from their saved calling values (no database)."""
    forwarding: ForwardingValues = saved.of("call-forwarding")
    selective = saved.of("selective-forward")
    sequential = saved.of("sequential-ring")
    simultaneous = saved.of("simultaneous-ring")
    reach = saved.of("single-number-reach")
    executive = saved.of("executive")

    def screening(key: str) -> Screening:
        return Screening(bool(saved.of(key).enabled), saved.rules(key, schedules))

    filtering = ExecutiveFiltering()
    if executive.enabled:  # only an executive filters calls
        filtering = ExecutiveFiltering(
            enabled=bool(executive.filtering_enabled), filter_type=FILTER_TYPES.get(executive.filter_type, FilterType.ALL),
            criteria=saved.rules("executive", schedules), assistants=tuple(assistants),
            sequential=executive.alerting_mode == "sequential", next_assistant_rings=executive.next_assistant_rings,
            rollover=ROLLOVER.get(executive.rollover_action, Rollover.NONE) if executive.rollover_enabled else Rollover.NONE,
            rollover_destination=executive.rollover_forward_to or "", rollover_seconds=executive.rollover_wait_seconds)
    return RoutingSettings(
        user_name=name,
        selective_reject=screening("selective-reject"),
        selective_accept=screening("selective-accept"),
        anonymous_rejection=bool(saved.of("anonymous-call-rejection").enabled),
        selective_forward=SelectiveForward(bool(selective.enabled), selective.default_destination or "",
                                           bool(selective.to_voicemail), saved.rules("selective-forward", schedules)),
        call_notify=screening("call-notify"),
        # the feature's typed values, field by field (a renamed field is a type error, not a silent default)
        forward_always=Forwarding(bool(forwarding.always_enabled), forwarding.always_destination or "",
                                  bool(forwarding.always_to_voicemail)),
        forward_busy=Forwarding(bool(forwarding.busy_enabled), forwarding.busy_destination or "",
                                bool(forwarding.busy_to_voicemail)),
        forward_no_answer=Forwarding(bool(forwarding.no_answer_enabled), forwarding.no_answer_destination or "",
                                     bool(forwarding.no_answer_to_voicemail), int(forwarding.no_answer_rings or 3)),
        business_continuity=Forwarding(bool(forwarding.business_continuity_enabled),
                                       forwarding.business_continuity_destination or "",
                                       bool(forwarding.business_continuity_to_voicemail)),
        do_not_disturb=bool(saved.of("do-not-disturb").enabled),
        call_waiting=bool(saved.of("call-waiting").enabled),
        sequential_ring=SequentialRing(
            bool(sequential.enabled), bool(sequential.ring_own_devices_first), int(sequential.own_devices_rings or 3),
            bool(sequential.continue_if_busy), _ring_numbers(sequential.numbers, with_rings=True),
            saved.rules("sequential-ring", schedules)),
        simultaneous_ring=SimultaneousRing(
            bool(simultaneous.enabled), _ring_numbers(simultaneous.numbers),
            bool(simultaneous.do_not_ring_if_on_call), bool(simultaneous.apply_schedules),
            saved.rules("simultaneous-ring", schedules)),
        single_number_reach=_ring_numbers(reach.numbers) if reach.enabled else (),
        priority_alert=screening("priority-alert"),
        voicemail=voicemail,
        executive_filtering=filtering,
    )


# --- from the database -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Zone:
    time_zone: str


@dataclass(frozen=True)
class Person:
    """A person as the reader needs them, from plain columns (the call decision reads no ``User``
    object): the attributes of ``User`` that ``routing_settings_for``, ``time_zone_of`` and the
    schedules' zone read, with the same names, so that both go through the same reader."""

    id: int
    organization_id: int
    location_id: int | None
    time_zone: str | None
    location: Zone | None  # only its time zone
    name_for_display: str


# What ``person_of`` reads; a statement selects these with ``.outerjoin(Location.__table__, ...)``.
PERSON_COLUMNS: tuple[Any, ...] = (
    _USERS.id, _USERS.organization_id, _USERS.location_id, _USERS.time_zone, _USERS.display_name,
    _USERS.first_name, _USERS.last_name, _USERS.email, _LOCATIONS.time_zone.label("location_time_zone"))


def person_of(row: Any) -> Person:
    """From a row that has ``PERSON_COLUMNS``."""
    return Person(row.id, row.organization_id, row.location_id, row.time_zone,
                  Zone(row.location_time_zone) if row.location_time_zone is not None else None,
                  name_for_display(row.display_name, row.first_name, row.last_name, row.email))


def _assistants(snapshot: Any) -> tuple[RingNumber, ...]:
    """Assigned assistants in table order: their direct number, else their extension (one query)."""
    rows = snapshot.assistants
    if not rows:
        return ()
    people = {r.id: r for r in db.session.execute(
        select(User.id, User.display_name, User.first_name, User.last_name, User.email, User.extension,
               PhoneNumber.e164).outerjoin(PhoneNumber, PhoneNumber.user_id == User.id)
        .where(User.id.in_([row.assistant_id for row in rows])))}
    found = []
    for row in rows:
        person = people.get(row.assistant_id)
        number = person.e164 or person.extension if person is not None else None
        if person is not None and number:
            name = name_for_display(person.display_name, person.first_name, person.last_name, person.email)
            found.append(RingNumber(number, name, enabled=row.opted_in))
    return tuple(found)


UNREAD: Any = object()  # routing_settings_for's voicemail: not read by the caller


def routing_settings_for(user: Any, snapshot: Any = None, voicemail: Any = UNREAD) -> RoutingSettings:
    """Everything that decides where the user's calls go, read from the database: the one reader of the
    "Where will my call go?" panel and of the SIP call decision. ``snapshot``: what
    ``calling.services.load(user)`` returned, when the page has it already (saves its one statement).
    ``voicemail``: the person's ``VoicemailSettings`` row, or None when they have none, when the caller
    read it already (the call decision reads it with the person called); else it is read here.
    Statements: the snapshot's one, voicemail's one, one for schedules when rules have some, one for
    the assistants of an executive."""
    if snapshot is None:
        snapshot = services.load(user)
    saved = Saved({key: state.values for key, state in snapshot.states.items()},
                  {key: state.criteria for key, state in snapshot.states.items()})
    schedules = load_schedules(user, (c.schedule_id for rules in saved.criteria.values() for c in rules
                                      if c.schedule_id is not None))
    executive = saved.of("executive")
    return settings_of(user.name_for_display, saved, schedules=schedules,
                       voicemail=Voicemail(**asdict(voicemail_for_routing(user.id) if voicemail is UNREAD
                                                    else voicemail_of_row(voicemail))),
                       assistants=_assistants(snapshot) if executive.enabled else ())


@dataclass
class Owners:
    """Who has which number or extension among some targets, and what the organization's numbers are."""

    owners: dict[str, int] = field(default_factory=dict)
    org_numbers: set[str] = field(default_factory=set)
    names: dict[int, str] = field(default_factory=dict)

    def directory(self) -> Directory:
        return Directory(self.owners, frozenset(self.org_numbers), self.names)


@cache
def _owners_query(numbers: bool, extensions: bool) -> Any:
    """Who has some numbers and/or extensions of an organization; built once, with bound parameters
    (building it cost about as much as running it)."""
    # plain table columns: no ORM machinery for a statement the call decision runs on many calls
    numbers_t = PhoneNumber.__table__.c
    person = (_USERS.id.label("user_id"), _USERS.display_name, _USERS.first_name, _USERS.last_name, _USERS.email)
    parts: list[Any] = []  # one or two SELECTs of the same columns
    if numbers:
        parts.append(select(numbers_t.e164.label("target"), literal(True).label("org_number"), *person)
                     .select_from(PhoneNumber.__table__)
                     .join(Location.__table__, _LOCATIONS.id == numbers_t.location_id)
                     .outerjoin(User.__table__, _USERS.id == numbers_t.user_id)
                     .where(_LOCATIONS.organization_id == bindparam("organization_id"),
                            numbers_t.e164.in_(bindparam("numbers", expanding=True))))
    if extensions:
        parts.append(select(_USERS.extension.label("target"), literal(False).label("org_number"), *person)
                     .where(_USERS.organization_id == bindparam("organization_id"),
                            _USERS.extension.in_(bindparam("extensions", expanding=True))))
    return parts[0] if len(parts) == 1 else union_all(*parts)


def resolve_targets(organization_id: int, targets: Iterable[str], into: Owners | None = None) -> Owners:
    """Owners of E.164 numbers and extensions within one organization: at most one query, none when
    there is nothing to look up."""
    found = into if into is not None else Owners()
    targets = set(targets)
    numbers = sorted(t for t in targets if t.startswith("+"))
    extensions = sorted(t for t in targets if is_extension(t))
    if not numbers and not extensions:
        return found
    parameters: dict[str, Any] = {"organization_id": organization_id}
    parameters.update({"numbers": numbers} if numbers else {})
    parameters.update({"extensions": extensions} if extensions else {})
    for row in db.session.execute(_owners_query(bool(numbers), bool(extensions)), parameters):
        if row.org_number:
            found.org_numbers.add(row.target)
        if row.user_id is not None:
            found.owners[row.target] = row.user_id
            found.names[row.user_id] = name_for_display(row.display_name, row.first_name, row.last_name, row.email)
    return found
