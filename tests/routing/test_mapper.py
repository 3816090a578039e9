"""What is saved in Settings > Calling, Voicemail and Schedules is what the evaluator answers: the
mapper reads the database into ``RoutingSettings`` (MAPPING.md) in a constant number of queries."""

from __future__ import annotations

import pytest

from datetime import date, time

from sqlalchemy import event

from userhub.calling.saved_criteria import Criterion as Rule
from userhub.extensions import db
from userhub.routing.evaluate import evaluate
from userhub.routing.loops import destinations, overview_warnings
from userhub.routing.mapper import resolve_targets, routing_settings_for
from userhub.routing.inputs import ANONYMOUS, SOME_NUMBER, RingNumber
from userhub.routing.route import Feature, Outcome, TargetKind

from .builders import BOSS, CANVASSER, MOTHER, call

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")


def office_hours(owner, name: str = "Heures de bureau"):  # type: ignore[no-untyped-def]
    """A personal schedule: Monday to Friday, 09:00 to 18:00 in Paris."""
    from userhub.schedules.services import EventInput, create_schedule

    return create_schedule(owner, name, "business_hours", [EventInput(
        "Semaine", date(2026, 1, 5), date(2026, 1, 5), start_time=time(9), end_time=time(18),
        recurrence="weekly", weekdays=WEEKDAYS)])


def rule(name: str, *numbers: str, schedule=None, **kwargs):  # type: ignore[no-untyped-def]
    if schedule is not None:
        kwargs |= {"schedule_id": schedule.id, "schedule_level": "personal", "schedule_type": schedule.type}
    if numbers or kwargs.get("anonymous_callers"):
        kwargs |= {"calls_from": "select", "phone_numbers": list(numbers)}
    return Rule(name, **kwargs)


def route(user, caller: str = SOME_NUMBER, when: str = "2026-11-23 10:00", **flags: bool):  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return evaluate(routing_settings_for(user), call(caller, when, **flags))


def test_forwarding_always_to_a_number_forwards_every_call_there(jane, set_feature):
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination=MOTHER)
    final = route(jane).final
    assert (final.feature, final.outcome) == (Feature.FORWARD_ALWAYS, Outcome.FORWARDED)
    assert final.targets[0].number == MOTHER and final.targets[0].kind is TargetKind.NUMBER


def test_forwarding_to_the_destination_voicemail_says_so(jane, john, set_feature):
    set_feature(jane, "call-forwarding", always_enabled=True, always_destination="3201", always_to_voicemail=True)
    target = route(jane).final.targets[0]
    assert (target.kind, target.number) == (TargetKind.DESTINATION_VOICEMAIL, "3201")


def test_a_new_user_rings_then_reaches_voicemail_after_the_default_rings(jane):
    steps = route(jane).steps
    assert [s.feature for s in steps] == [Feature.RINGING, Feature.VOICEMAIL]
    assert steps[0].rings == 3 and steps[-1].outcome is Outcome.VOICEMAIL


def test_do_not_disturb_with_selective_accept_lets_only_the_accepted_number_ring(jane, set_feature):
    set_feature(jane, "do-not-disturb", enabled=True)
    set_feature(jane, "selective-accept", [rule("Maman", MOTHER)], enabled=True)
    assert route(jane, MOTHER).features()[:3] == [Feature.SELECTIVE_ACCEPT, Feature.DO_NOT_DISTURB, Feature.RINGING]
    assert route(jane, BOSS).final.outcome is Outcome.REJECTED


def test_a_rule_with_a_schedule_applies_only_while_the_schedule_is_in_effect(jane, set_feature):
    hours = office_hours(jane)
    set_feature(jane, "selective-reject", [rule("Démarcheurs", CANVASSER, schedule=hours)], enabled=True)
    monday = route(jane, CANVASSER, "2026-11-23 10:00").steps[0]
    assert (monday.outcome, monday.reason.rule, monday.reason.schedule) == (
        Outcome.REJECTED, "Démarcheurs", "Heures de bureau")
    assert route(jane, CANVASSER, "2026-11-22 10:00").final.outcome is not Outcome.REJECTED  # a Sunday
    assert route(jane, CANVASSER, "2026-11-23 18:30").final.outcome is not Outcome.REJECTED  # after hours


def test_a_dont_rule_is_mapped_as_negative_and_wins(jane, set_feature):
    set_feature(jane, "selective-forward", [rule("Tout", forward_to=BOSS), rule("Maman", MOTHER, enabled=False)],
                enabled=True, default_destination=BOSS)
    assert route(jane, MOTHER).steps[0].outcome is Outcome.PASSED
    forwarded = route(jane, CANVASSER).final
    assert (forwarded.feature, forwarded.targets[0].number) == (Feature.SELECTIVE_FORWARD, BOSS)


def test_anonymous_rejection_and_call_waiting(jane, set_feature):
    set_feature(jane, "anonymous-call-rejection", enabled=True)
    set_feature(jane, "call-waiting", enabled=False)
    set_feature(jane, "call-forwarding", busy_enabled=True, busy_destination=BOSS)
    assert route(jane, ANONYMOUS).final.outcome is Outcome.REJECTED
    busy = route(jane, MOTHER, on_call=True).final
    assert (busy.feature, busy.targets[0].number) == (Feature.FORWARD_BUSY, BOSS)


def test_ring_numbers_keep_their_order_rings_and_switches(jane, set_feature):
    set_feature(jane, "sequential-ring", enabled=True, ring_own_devices_first=True, own_devices_rings=2,
                numbers=[{"phone_number": BOSS, "rings": 4, "answer_confirmation": False},
                         {"phone_number": MOTHER, "rings": 2, "answer_confirmation": False}])
    set_feature(jane, "single-number-reach", enabled=False,
                numbers=[{"phone_number": MOTHER, "name": "Mobile", "enabled": True}])
    settings = routing_settings_for(jane)
    assert settings.sequential_ring.numbers == (RingNumber(BOSS, rings=4), RingNumber(MOTHER, rings=2))
    assert settings.sequential_ring.base_rings == 2 and settings.sequential_ring.ring_base_first
    assert settings.single_number_reach == ()  # switched off: no number rings
    set_feature(jane, "single-number-reach", enabled=True,
                numbers=[{"phone_number": MOTHER, "name": "Mobile", "enabled": False}])
    db.session.expire_all()
    assert routing_settings_for(jane).single_number_reach == (RingNumber(MOTHER, "Mobile", enabled=False),)


def test_voicemail_settings_decide_the_end_of_the_route(jane):
    from userhub.voicemail.models import VoicemailSettings

    db.session.add(VoicemailSettings(user_id=jane.id, enabled=True, send_all_calls=True))
    db.session.commit()
    assert route(jane).final.feature is Feature.VOICEMAIL_ALL


def test_an_executive_filters_calls_to_the_assistants_numbers(jane, john, set_feature):
    set_feature(jane, "executive", enabled=True, assistants=[john.id], filtering_enabled=True, filter_type="external",
                rollover_enabled=True, rollover_action="forward", rollover_forward_to=BOSS)
    steps = route(jane, MOTHER).steps
    assert steps[0].feature is Feature.EXECUTIVE_FILTERING
    assert [(t.number, t.name) for t in steps[0].targets] == [("+33184883201", "John Smith")]
    assert steps[-1].targets[0].number == BOSS
    assert route(jane, MOTHER, internal=True).steps[0].feature is Feature.RINGING  # only external calls


def test_a_schedule_in_use_cannot_be_deleted_even_behind_the_area_s_back(jane, set_feature):
    from sqlalchemy.exc import IntegrityError

    from userhub.schedules.models import Schedule

    hours = office_hours(jane)
    set_feature(jane, "priority-alert", [rule("Patron", BOSS, schedule=hours)], enabled=True)
    with pytest.raises(IntegrityError):  # the foreign key of the rule's schedule, not only the area's check
        db.session.execute(db.delete(Schedule).where(Schedule.id == hours.id))
        db.session.commit()
    db.session.rollback()
    settings = routing_settings_for(jane)
    assert not overview_warnings(settings, resolve_targets(jane.organization_id, ()).directory(), call().at)


def test_forwarding_to_a_colleague_who_left_is_a_dead_end(jane, john, set_feature):
    set_feature(jane, "call-forwarding", busy_enabled=True, busy_destination="3201",
                no_answer_enabled=True, no_answer_destination="+33184883201")
    john.extension = None
    john.phone_number = None
    db.session.commit()
    settings = routing_settings_for(jane)
    directory = resolve_targets(jane.organization_id, (d.target for d in destinations(settings))).directory()
    assert {(w.feature, w.target) for w in overview_warnings(settings, directory, call().at)} == {
        (Feature.FORWARD_BUSY, "3201"), (Feature.FORWARD_NO_ANSWER, "+33184883201")}


def _statements(action) -> int:  # type: ignore[no-untyped-def]
    count = 0

    def count_it(*_args: object, **_kwargs: object) -> None:
        nonlocal count
        count += 1

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", count_it)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", count_it)
    return count


def test_the_number_of_queries_does_not_grow_with_features_rules_and_schedules(jane, john, set_feature):
    """One schedule on one rule, then eight schedules over seven features of ten rules each."""
    first = office_hours(jane, "Planning 0")
    set_feature(jane, "priority-alert", [rule("Patron", BOSS, schedule=first)], enabled=True)
    small = _statements(lambda: routing_settings_for(jane))

    schedules = [first, *(office_hours(jane, f"Planning {i}") for i in range(1, 8))]
    many = [rule(f"Règle {i}", BOSS, MOTHER, schedule=schedules[i % 8]) for i in range(10)]
    for key in ("priority-alert", "selective-accept", "selective-reject", "call-notify", "sequential-ring",
                "simultaneous-ring", "selective-forward"):
        set_feature(jane, key, many, enabled=True, **({"email": "jane@example.com"} if key == "call-notify" else {}),
                    **({"default_destination": BOSS} if key == "selective-forward" else {}))
    set_feature(jane, "executive", enabled=True, assistants=[john.id], filtering_enabled=True)
    large = _statements(lambda: routing_settings_for(jane))
    settings = routing_settings_for(jane)
    assert len(settings.call_notify.criteria) == 10 and settings.call_notify.criteria[9].schedule.name == "Planning 1"
    assert large == small + 1  # the executive's assistants: one query, only for executives
    # the user, settings, criteria, access, assistants, location, voicemail, schedules, events, exceptions
    assert large <= 12
