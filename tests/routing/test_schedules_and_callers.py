"""Schedules at their boundaries (the minute before, at, after), DST in Europe/Paris, unusual callers."""

from __future__ import annotations

from datetime import datetime, timedelta, UTC

import pytest

from userhub.routing.evaluate import evaluate
from userhub.routing.inputs import (
    ANONYMOUS,
    UNAVAILABLE,
    CallsFrom,
    Criterion,
    IncomingCall,
    IntervalSchedule,
    RoutingSettings,
    Schedule,
    Screening,
    SelectiveForward,
)
from userhub.routing.route import Feature, Match, Outcome

from .builders import MOTHER, PARIS, at, call, numbers_rule, office_hours

FORWARD_OUT_OF_HOURS = RoutingSettings(selective_forward=SelectiveForward(
    True, "+33612345678", criteria=(Criterion("Hors bureau", schedule=office_hours(), positive=False),
                                    Criterion("Toujours"))))


@pytest.mark.parametrize(("when", "forwarded"), [
    ("2026-11-23 08:59", True), ("2026-11-23 09:00", False), ("2026-11-23 09:01", False),
    ("2026-11-23 17:59", False), ("2026-11-23 18:00", True), ("2026-11-23 18:01", True),
])
def test_a_schedule_starts_and_ends_on_the_minute(when: str, forwarded: bool) -> None:
    route = evaluate(FORWARD_OUT_OF_HOURS, call(when=when))
    assert (route.final.outcome is Outcome.FORWARDED) is forwarded


def _lunch_intervals(day: str) -> IntervalSchedule:
    start = at(f"{day} 12:00")
    return IntervalSchedule.of([(start, start + timedelta(hours=1))])


@pytest.mark.parametrize(("when", "rejected"), [("12:59", False), ("13:00", True), ("13:01", True), ("11:59", True),
                                                ("12:00", False)])
def test_interval_schedules_include_the_start_and_exclude_the_end(when: str, rejected: bool) -> None:
    lunch = Schedule("Déjeuner", _lunch_intervals("2026-11-23"))
    reject_but_at_lunch = Screening(True, (Criterion("Pas au déjeuner", positive=False, schedule=lunch),
                                           Criterion("Tout")))
    route = evaluate(RoutingSettings(selective_reject=reject_but_at_lunch), call(when=f"2026-11-23 {when}"))
    assert (route.final.outcome is Outcome.REJECTED) is rejected


def test_office_hours_follow_local_time_across_the_spring_dst_change() -> None:
    # 29 March 2026: Paris goes from UTC+1 to UTC+2 at 02:00 local. A Monday at 09:00 local is 07:00 UTC
    # after the change, 08:00 UTC before; the evaluator reads the user's wall clock, not UTC.
    before = datetime(2026, 3, 23, 8, 0, tzinfo=UTC).astimezone(PARIS)
    after = datetime(2026, 3, 30, 7, 0, tzinfo=UTC).astimezone(PARIS)
    assert (before.hour, after.hour) == (9, 9)
    for moment in (before, after):
        route = evaluate(FORWARD_OUT_OF_HOURS, IncomingCall(moment, MOTHER))
        assert route.final.outcome is Outcome.UNANSWERED
    minute_before = evaluate(FORWARD_OUT_OF_HOURS, IncomingCall(after - timedelta(minutes=1), MOTHER))
    assert minute_before.final.outcome is Outcome.FORWARDED


def test_an_interval_set_spanning_the_autumn_dst_change_keeps_its_real_length() -> None:
    # 25 October 2026, 03:00 summer time becomes 02:00 winter time: 00:00-06:00 local lasts 7 hours.
    night = IntervalSchedule.of([(at("2026-10-25 00:00"), at("2026-10-25 06:00"))])
    end = datetime(2026, 10, 25, 5, 0, tzinfo=UTC)  # 06:00 winter time
    assert night(end - timedelta(minutes=1)) and not night(end)
    assert night(datetime(2026, 10, 24, 22, 0, tzinfo=UTC))  # 00:00 summer time


def test_a_naive_call_time_is_refused() -> None:
    with pytest.raises(ValueError):
        IncomingCall(datetime(2026, 11, 23, 10, 0), MOTHER)


@pytest.mark.parametrize(("caller", "match"), [(ANONYMOUS, Match.ANONYMOUS), (UNAVAILABLE, Match.UNAVAILABLE)])
def test_hidden_callers_match_only_rules_that_name_them(caller: str, match: Match) -> None:
    naming = Screening(True, (numbers_rule("Masqués", anonymous=True, unavailable=True),))
    route = evaluate(RoutingSettings(selective_reject=naming), call(caller))
    assert route.final.outcome is Outcome.REJECTED and route.final.reason.match is match
    numbers_only = Screening(True, (numbers_rule("Liste", MOTHER),))
    assert evaluate(RoutingSettings(selective_reject=numbers_only), call(caller)).final.outcome is Outcome.UNANSWERED


def test_any_number_rules_include_anonymous_callers() -> None:
    route = evaluate(RoutingSettings(selective_reject=Screening(True, (Criterion("Tout"),))), call(ANONYMOUS))
    assert route.final.reason.match is Match.ANY


def test_internal_external_and_forwarded_sources() -> None:
    colleagues = Criterion("Collègues", calls_from=CallsFrom.INTERNAL)
    internal_forward = SelectiveForward(True, "+33612345678", criteria=(colleagues,))
    settings = RoutingSettings(selective_forward=internal_forward)
    assert evaluate(settings, call(internal=True)).final.feature is Feature.SELECTIVE_FORWARD
    assert evaluate(settings, call(internal=False)).final.outcome is Outcome.UNANSWERED
    external = RoutingSettings(selective_forward=SelectiveForward(
        True, "+33612345678", criteria=(Criterion("Extérieur", calls_from=CallsFrom.EXTERNAL),)))
    assert evaluate(external, call(internal=False)).final.reason.match is Match.EXTERNAL
    forwarded_rule = Criterion("Renvoyés", calls_from=CallsFrom.FORWARDED)
    forwarded = RoutingSettings(selective_reject=Screening(True, (forwarded_rule,)))
    assert evaluate(forwarded, call(forwarded=True)).final.outcome is Outcome.REJECTED
    assert evaluate(forwarded, call()).final.outcome is Outcome.UNANSWERED
