"""Loops through users of an organization are found at save time; dead ends and idle schedules are flagged."""

from __future__ import annotations

import pytest

from userhub.routing.loops import (
    DeadEnd,
    Destination,
    Directory,
    ForwardingLoop,
    IdleSchedule,
    destinations,
    find_loop,
    overview_warnings,
    refuse_loop,
)
from userhub.routing.inputs import (
    Criterion,
    Forwarding,
    IntervalSchedule,
    RingNumber,
    RoutingSettings,
    Schedule,
    SequentialRing,
    SimultaneousRing,
)
from userhub.routing.route import Feature

from .builders import at, office_hours

ALICE, BOB, CAROL = 1, 2, 3
DIRECTORY = Directory(
    owners={"+33184883201": ALICE, "201": ALICE, "+33184883202": BOB, "202": BOB,
            "+33184883203": CAROL, "203": CAROL},
    org_numbers=frozenset({"+33184883201", "+33184883202", "+33184883203", "+33184883209"}),
    names={ALICE: "Alice", BOB: "Bob", CAROL: "Carol"})


def test_a_loop_through_three_users_is_found_with_its_path() -> None:
    graph = {
        BOB: [Destination(Feature.SEQUENTIAL_RING, "+33184883203")],
        CAROL: [Destination(Feature.FORWARD_BUSY, "201")],
    }
    loop = find_loop(graph, DIRECTORY, ALICE, [Destination(Feature.FORWARD_ALWAYS, "202")])
    assert loop is not None
    assert [(hop.user_id, hop.feature, hop.to_user_id) for hop in loop] == [
        (ALICE, Feature.FORWARD_ALWAYS, BOB), (BOB, Feature.SEQUENTIAL_RING, CAROL),
        (CAROL, Feature.FORWARD_BUSY, ALICE)]


def test_no_loop_when_the_chain_leaves_the_organization_or_ends_in_a_mailbox() -> None:
    graph = {
        BOB: [Destination(Feature.SIMULTANEOUS_RING, "+33612345678"), Destination(Feature.FORWARD_ALWAYS, "203")],
        CAROL: [Destination(Feature.FORWARD_NO_ANSWER, "201", to_voicemail=True)],
    }
    assert find_loop(graph, DIRECTORY, ALICE, [Destination(Feature.SINGLE_NUMBER_REACH, "202")]) is None


def test_the_proposed_destinations_replace_the_saved_ones() -> None:
    graph = {ALICE: [Destination(Feature.FORWARD_ALWAYS, "202")], BOB: [Destination(Feature.FORWARD_ALWAYS, "201")]}
    assert find_loop(graph, DIRECTORY, ALICE, []) is None  # Alice removes her forwarding: no loop any more
    loop = find_loop(graph, DIRECTORY, ALICE, [Destination(Feature.SELECTIVE_FORWARD, "+33184883202")])
    assert loop is not None and [hop.to_user_id for hop in loop] == [BOB, ALICE]


def test_a_user_forwarding_to_themself_is_a_loop() -> None:
    loop = find_loop({}, DIRECTORY, ALICE, [Destination(Feature.FORWARD_NO_ANSWER, "201")])
    assert loop is not None and len(loop) == 1


def test_cycles_that_do_not_come_back_to_the_user_do_not_block_the_search() -> None:
    graph = {BOB: [Destination(Feature.FORWARD_ALWAYS, "203")], CAROL: [Destination(Feature.FORWARD_ALWAYS, "202")]}
    assert find_loop(graph, DIRECTORY, ALICE, [Destination(Feature.FORWARD_ALWAYS, "202")]) is None


def test_every_feature_that_sends_calls_elsewhere_is_an_edge() -> None:
    settings = RoutingSettings(
        forward_busy=Forwarding(True, "202"), forward_always=Forwarding(False, "203"),
        sequential_ring=SequentialRing(True, numbers=(RingNumber("+33184883203"), RingNumber("204", enabled=False))),
        simultaneous_ring=SimultaneousRing(False, (RingNumber("205"),)),
        single_number_reach=(RingNumber("+33612345678"),))
    assert [(d.feature, d.target) for d in destinations(settings)] == [
        (Feature.FORWARD_BUSY, "202"), (Feature.SEQUENTIAL_RING, "+33184883203"),
        (Feature.SINGLE_NUMBER_REACH, "+33612345678")]


def test_dead_ends_and_schedules_never_in_effect_are_flagged() -> None:
    never = Schedule("Jamais", lambda moment: False)
    past = Schedule("Été 2025", IntervalSchedule.of([(at("2025-07-01 00:00"), at("2025-09-01 00:00"))]))
    settings = RoutingSettings(
        forward_busy=Forwarding(True, "299"), forward_no_answer=Forwarding(True, "+33184883209"),
        business_continuity=Forwarding(True, "+33612345678"),
        sequential_ring=SequentialRing(True, numbers=(RingNumber("202"),), criteria=(
            Criterion("Bureau", schedule=office_hours()), Criterion("Nuit", schedule=never),
            Criterion("Vacances", schedule=past))))
    warnings = overview_warnings(settings, DIRECTORY, at("2026-11-23 10:00"))
    assert warnings == [DeadEnd(Feature.FORWARD_BUSY, "299"), DeadEnd(Feature.FORWARD_NO_ANSWER, "+33184883209"),
                        IdleSchedule("Jamais"), IdleSchedule("Été 2025")]


def test_saving_settings_that_close_a_loop_is_refused_with_the_path() -> None:
    graph = {BOB: [Destination(Feature.FORWARD_ALWAYS, "+33184883201")]}
    proposed = RoutingSettings(simultaneous_ring=SimultaneousRing(True, (RingNumber("202"),)))
    with pytest.raises(ForwardingLoop) as refused:
        refuse_loop(graph, DIRECTORY, ALICE, proposed)
    assert [(hop.feature, hop.to_user_id) for hop in refused.value.path] == [
        (Feature.SIMULTANEOUS_RING, BOB), (Feature.FORWARD_ALWAYS, ALICE)]
    refuse_loop(graph, DIRECTORY, CAROL, proposed)  # Carol ringing Bob is fine: Bob forwards to Alice
