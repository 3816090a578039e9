"""One organization seeded richly, for the state crawler: a person with every calling feature on, each with
rules naming personal and location schedules that have events (weekly, crossing midnight, one-off, holidays,
yearly), contacts, speed dials, voicemail greetings; an executive with assistants; administrators of each
role; a partner administrator who manages the organization and has chosen it.

The world has the shape of tests/security/conftest.py's, so that the route samples of every area
(tests/<area>/route_samples.py) fill the URLs: ``employee`` is the richly seeded person."""

from __future__ import annotations

import dataclasses
import io
import wave
from dataclasses import dataclass
from datetime import date, time
from typing import Any

import pytest

from tests.conftest import STRONG_PASSWORD, sign_in
from tests.security.conftest import World
from userhub.extensions import db

# Who crawls, and the administrator role each has in the organization (None: not an administrator).
ROLES: dict[str, str | None] = {
    "anonymous": None, "employee": None, "executive": None, "assistant": None,
    "read_only": "read_only", "user": "user", "full": "full", "partner": "full",
}

FORWARD = "+33612345678"  # numbers outside the organization, one per setting
MOBILE = "+33612345679"


@dataclass
class CrawlWorld(World):
    """``employee``: the person with everything on (also an executive's assistant); ``executive`` is the
    employee's own executive; ``assistant`` assists the employee."""

    executive: Any = None
    assistant: Any = None
    new_york: Any = None

    def role_of(self, person: str) -> str | None:
        return ROLES[person]

    def account(self, person: str | None) -> Any:
        people = {**self.admins, "partner": self.partner, "executive": self.executive, "assistant": self.assistant}
        return people.get(person or "employee") or self.employee


def _wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 8000)
    return buffer.getvalue()


def _personal_schedules(person: Any) -> list[Any]:
    from userhub.schedules import services
    from userhub.schedules.services import EventInput

    evenings = services.create_schedule(person, "Evenings", "business_hours", [
        # crossing midnight, on weekdays: 18:00 to 08:00 the next morning
        EventInput("Nights", date(2026, 1, 5), date(2026, 1, 6), start_time=time(18), end_time=time(8),
                   recurrence="weekly", weekdays=("MO", "TU", "WE", "TH", "FR")),
        # across the clock changes of both zones, every day, with an exception
        EventInput("Small hours", date(2026, 3, 1), date(2026, 3, 1), start_time=time(1, 30), end_time=time(3, 30),
                   recurrence="daily", exdates=(date(2026, 12, 25),)),
    ])
    away = services.create_schedule(person, "Away", "holidays", [
        EventInput("New Year", date(2026, 12, 31), date(2027, 1, 1), all_day=True),  # one-off, across the year
        EventInput("Leap day", date(2028, 2, 29), date(2028, 2, 29), all_day=True),
        EventInput("Seminar", date(2027, 3, 28), date(2027, 3, 28), start_time=time(2, 15), end_time=time(4)),
    ])
    return [evenings, away]


def _location_schedules(location: Any) -> list[Any]:
    from userhub.schedules import services
    from userhub.schedules.services import EventInput

    hours = services.create_schedule(location, "Office hours", "business_hours", [
        EventInput("Open", date(2026, 1, 5), date(2026, 1, 5), start_time=time(9), end_time=time(18),
                   recurrence="weekly", weekdays=("MO", "TU", "WE", "TH", "FR")),
        EventInput("Sunday night shift", date(2026, 1, 4), date(2026, 1, 5), start_time=time(22), end_time=time(6),
                   recurrence="weekly", weekdays=("SU",)),
    ])
    holidays = services.create_schedule(location, "Bank holidays", "holidays", [
        EventInput("Christmas", date(2026, 12, 25), date(2026, 12, 25), all_day=True, recurrence="yearly_by_date"),
        EventInput("New Year's Eve", date(2026, 12, 31), date(2026, 12, 31), start_time=time(20),
                   end_time=time(23, 59), recurrence="yearly_by_date"),
        EventInput("Last Monday of May", date(2027, 5, 31), date(2027, 5, 31), all_day=True,
                   recurrence="yearly_by_day", week_of_month=-1),
    ])
    return [hours, holidays]


def _rules(personal: list[Any], location: list[Any], forward: bool = False) -> list[Any]:
    """A rule on each schedule (personal and location), one on a number, and a "don't" rule."""
    from userhub.calling.saved_criteria import Criterion

    def on(schedule: Any, level: str, **more: Any) -> Criterion:
        return Criterion(f"On {schedule.name}", schedule.id, level, schedule.type, **more)

    rules = [on(s, "personal") for s in personal] + [on(s, "location") for s in location]
    rules.append(Criterion("Family", calls_from="select", phone_numbers=[MOBILE], anonymous_callers=True))
    rules.append(Criterion("Not at night", personal[0].id, "personal", personal[0].type, enabled=False))
    if forward:
        rules[0] = dataclasses.replace(rules[0], forward_to="+33612345680")
    return rules


def _turn_on(person: Any, key: str, criteria: list[Any] = (), **values: Any) -> None:  # type: ignore[assignment]
    from userhub.calling import registry, services

    feature = registry.get(key)
    state = services.load(person, feature).states[key]
    services.save(person, feature, dataclasses.replace(state.values, **values),
                  list(criteria) if feature.criteria else [], state.version, actor=person)
    db.session.commit()


def seed_everything_on(person: Any, executive: Any, assistants: list[Any], host: Any) -> None:
    """Every calling feature of ``person`` on; fails if a feature stays off (a new one needs its values here)."""
    from userhub.calling import registry, services
    from userhub.contacts import services as contacts
    from userhub.contacts import speed_dials
    from userhub.voicemail import services as voicemail
    from userhub.voicemail.models import GreetingKind

    personal = _personal_schedules(person)
    location = _location_schedules(person.location)
    rules = _rules(personal, location)
    _turn_on(executive, "executive", enabled=True, assistants=[person.id])
    on: dict[str, dict[str, Any]] = {
        "do-not-disturb": {"enabled": True, "ring_reminder": True},
        "call-forwarding": {
            "always_enabled": True, "always_destination": FORWARD, "always_ring_reminder": True,
            "busy_enabled": True, "busy_to_voicemail": True, "no_answer_enabled": True,
            "no_answer_destination": "+33612345681", "no_answer_rings": 5, "business_continuity_enabled": True,
            "business_continuity_destination": "+33612345682"},
        "call-waiting": {"enabled": True},
        "anonymous-call-rejection": {"enabled": True},
        "call-notify": {"enabled": True, "email": person.email},
        "single-number-reach": {"enabled": True, "alert_all_for_click_to_dial": True, "numbers": [
            {"phone_number": "+33612345683", "name": "Mobile", "enabled": True, "answer_confirmation": True,
             "do_not_forward": False}]},
        "simultaneous-ring": {"enabled": True, "apply_schedules": True, "numbers": [
            {"phone_number": "+33612345684", "answer_confirmation": False}]},
        "sequential-ring": {"enabled": True, "ring_own_devices_first": True, "continue_if_busy": True, "numbers": [
            {"phone_number": "+33612345685", "answer_confirmation": True, "rings": 4}]},
        "selective-accept": {"enabled": True},
        "selective-reject": {"enabled": True},
        "selective-forward": {"enabled": True, "default_destination": "+33612345686", "ring_reminder": True},
        "priority-alert": {"enabled": True},
        "barge-in": {"enabled": True},
        "block-caller-id": {"privacy": "all"},
        "hoteling": {"enabled": True, "host_id": str(host.id), "limit_enabled": True, "limit_hours": 8},
        "executive": {"enabled": True, "assistants": [a.id for a in assistants], "alerting_mode": "simultaneous",
                      "rollover_enabled": True, "rollover_action": "forward", "rollover_forward_to": FORWARD,
                      "filtering_enabled": True, "filter_type": "custom", "screening_enabled": True},
        "executive-assistant": {"opted_in": [str(executive.id)], "forward_filtered_calls": True,
                                "forward_to": "+33612345687"},
    }
    for feature in registry.features():
        assert feature.key in on, (f"say how to turn {feature.key} on in tests/crawler/conftest.py "
                                   "(seed_everything_on), so that the crawler sees its pages with data")
        _turn_on(person, feature.key, _rules(personal, location, forward=feature.key == "selective-forward")
                 if feature.criteria else rules, **on[feature.key])
    states = services.load(person).states
    off = [key for key, state in states.items() if not state.feature.is_on(state.values)]
    assert not off, f"still off after seeding: {off}"
    assert all(state.criteria for state in states.values() if state.feature.criteria)
    for name, number in (("Mum", MOBILE), ("Plumber", "+33612345699")):
        contacts.save_contact(person, name, [contacts.NumberInput("mobile", number)])
    speed_dials.add_speed_dial(person, "01", MOBILE, "Mum")
    speed_dials.add_speed_dial(person, "02", "3201", "Colleague")
    for kind in GreetingKind:
        voicemail.upload_greeting(person, kind, f"{kind.value}.wav", _wav())
    db.session.commit()


@pytest.fixture
def crawl_world(app, organization, make_user) -> CrawlWorld:  # type: ignore[no-untyped-def]
    from userhub.accounts.models import AdminRole
    from userhub.accounts.provisioning import create_user
    from userhub.admin.models import PartnerOrganization
    from userhub.organizations.services import (
        add_numbers,
        create_location,
        create_organization,
    )
    from userhub.phones import number_range
    from userhub.security.hashing import hash_password
    from userhub.timeutil import utcnow

    paris = organization.locations[0]
    new_york = create_location(organization, "New York office", "US", "America/New_York")
    add_numbers(new_york, number_range("+1 212 555 0100", "+1 212 555 0109", "US"))
    db.session.commit()
    numbers = paris.phone_numbers

    def person(email: str, first: str, index: int | None, **more: Any) -> Any:
        where = {"location": paris, "phone_number": numbers[index], "extension": f"32{index:02d}"} \
            if index is not None else {}
        return make_user(email, first_name=first, last_name="Crawl", **where, **more)

    employee = person("everything@example.com", "Eve", 0)
    assistants = [person("assistant1@example.com", "Ann", 1), person("assistant2@example.com", "Abel", 2)]
    executive = person("executive@example.com", "Exa", 3)
    host = person("host@example.com", "Hugo", 4)
    make_user("newyork@example.com", first_name="Nina", last_name="York", location=new_york,
              phone_number=new_york.phone_numbers[0], extension="4100")
    _location_schedules(new_york)
    admins = {role.value: make_user(f"{role.value}.admin@example.com", first_name="Adm", last_name=role.value,
                                    admin_role=role) for role in AdminRole}
    seed_everything_on(employee, executive, assistants, host)

    partner_org = create_organization("Initech", "https://initech.example.com")
    create_location(partner_org, "Initech Tower", "US", "America/New_York")
    partner = create_user(partner_org, "partner@initech.example.com", first_name="Paula", last_name="Partner",
                          admin_role=AdminRole.FULL)
    partner.status, partner.activated_at, partner.display_name = "active", utcnow(), "Paula Partner"
    partner.password_hash = hash_password(STRONG_PASSWORD)
    db.session.add(PartnerOrganization(user_id=partner.id, organization_id=organization.id))
    db.session.commit()

    world = CrawlWorld(organization, paris, employee, admins, partner_org, partner, {}, partner, partner_org,
                       executive=executive, assistant=assistants[0], new_york=new_york)
    for who in ROLES:
        client = app.test_client()
        if who != "anonymous":
            assert sign_in(client, world.account(who).email).status_code == 302, f"{who} could not sign in"
        world.clients[who] = client
    chosen = world.clients["partner"].post("/admin/organization", data={"organization": str(organization.id)})
    assert chosen.status_code == 302, "the partner could not choose the organization"
    return world
