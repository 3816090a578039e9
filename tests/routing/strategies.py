"""Hypothesis strategies: any settings a user can save, any call."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import strategies as st

from userhub.routing.inputs import (
    ANONYMOUS,
    SOME_NUMBER,
    UNAVAILABLE,
    CallsFrom,
    Criterion,
    ExecutiveFiltering,
    FilterType,
    Forwarding,
    IncomingCall,
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

from .builders import PARIS

NUMBERS = ["+33123456789", "+33634333211", "+33184883201", "+33699999999"]
callers = st.sampled_from([*NUMBERS, ANONYMOUS, UNAVAILABLE, SOME_NUMBER])
schedules = st.one_of(st.none(), st.sampled_from([
    Schedule("Matin", lambda moment: moment.hour < 12),
    Schedule("Semaine", lambda moment: moment.weekday() < 5),
    Schedule("Jamais", lambda moment: False),
]))
criteria = st.builds(
    Criterion, name=st.sampled_from(["A", "B", "C"]), positive=st.booleans(),
    calls_from=st.sampled_from(list(CallsFrom)), numbers=st.frozensets(st.sampled_from(NUMBERS)),
    anonymous=st.booleans(), unavailable=st.booleans(), schedule=schedules,
    forward_to=st.sampled_from([None, "+33611111111"]), forward_to_voicemail=st.booleans())
rules = st.lists(criteria, max_size=4).map(tuple)
screenings = st.builds(Screening, enabled=st.booleans(), criteria=rules)
destinations = st.sampled_from(["", "+33622222222", "1234"])
forwardings = st.builds(Forwarding, enabled=st.booleans(), destination=destinations, to_voicemail=st.booleans(),
                        rings=st.integers(2, 20))
ring_numbers = st.lists(st.builds(RingNumber, number=st.sampled_from(NUMBERS), rings=st.integers(2, 20),
                                  enabled=st.booleans()), max_size=3).map(tuple)
all_settings = st.builds(
    RoutingSettings,
    selective_reject=screenings, selective_accept=screenings, anonymous_rejection=st.booleans(),
    selective_forward=st.builds(SelectiveForward, enabled=st.booleans(), default_destination=destinations,
                                to_voicemail=st.booleans(), criteria=rules),
    call_notify=screenings, forward_always=forwardings, forward_busy=forwardings, forward_no_answer=forwardings,
    business_continuity=forwardings, do_not_disturb=st.booleans(), call_waiting=st.booleans(),
    sequential_ring=st.builds(SequentialRing, enabled=st.booleans(), ring_base_first=st.booleans(),
                              base_rings=st.integers(2, 20), continue_if_base_busy=st.booleans(),
                              numbers=ring_numbers, criteria=rules),
    simultaneous_ring=st.builds(SimultaneousRing, enabled=st.booleans(), numbers=ring_numbers,
                                do_not_ring_if_on_call=st.booleans(), apply_criteria=st.booleans(), criteria=rules),
    single_number_reach=ring_numbers, priority_alert=screenings,
    executive_filtering=st.builds(ExecutiveFiltering, enabled=st.booleans(),
                                  filter_type=st.sampled_from(list(FilterType)), criteria=rules,
                                  assistants=ring_numbers, sequential=st.booleans(),
                                  next_assistant_rings=st.integers(2, 20), rollover=st.sampled_from(list(Rollover)),
                                  rollover_destination=destinations, rollover_seconds=st.integers(5, 120)),
    voicemail=st.builds(Voicemail, enabled=st.booleans(), send_all=st.booleans(), send_busy=st.booleans(),
                        send_unanswered=st.booleans(), rings=st.integers(2, 20)))
moments = st.integers(0, 365 * 24 * 60).map(
    lambda minutes: datetime(2026, 1, 1, tzinfo=PARIS) + timedelta(minutes=minutes))
calls = st.builds(IncomingCall, at=moments, caller=callers, internal=st.booleans(), on_call=st.booleans(),
                  reachable=st.booleans(), forwarded=st.booleans())

