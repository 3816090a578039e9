"""Executive call filtering: filtered calls ring the assistants, then roll over."""

from __future__ import annotations

from userhub.routing.evaluate import evaluate
from userhub.routing.loops import destinations
from userhub.routing.inputs import (
    ExecutiveFiltering,
    FilterType,
    Forwarding,
    RingNumber,
    Rollover,
    RoutingSettings,
    Voicemail,
)
from userhub.routing.route import Feature, Outcome, Why

from .builders import BOSS, MOTHER, call, numbers_rule

ASSISTANTS = (RingNumber("201", "Alice"), RingNumber("202", "Bob"), RingNumber("203", "Carol", enabled=False))
VOICEMAIL = Voicemail(True, send_busy=True, send_unanswered=True)


def executive(**kwargs: object) -> RoutingSettings:
    filtering = ExecutiveFiltering(True, assistants=ASSISTANTS, **kwargs)  # type: ignore[arg-type]
    return RoutingSettings(executive_filtering=filtering, voicemail=VOICEMAIL, do_not_disturb=True)


def test_filtered_calls_reach_the_assistants_even_in_do_not_disturb() -> None:
    route = evaluate(executive(rollover=Rollover.VOICEMAIL, rollover_seconds=20), call())
    ringing, final = route.steps
    assert [t.number for t in ringing.targets] == ["201", "202"]  # Carol opted out
    assert (ringing.seconds, final.outcome, final.after_seconds) == (20, Outcome.VOICEMAIL, 20)


def test_sequential_alerting_rings_each_assistant_in_turn_then_the_no_answer_handling() -> None:
    settings = RoutingSettings(
        executive_filtering=ExecutiveFiltering(True, assistants=ASSISTANTS, sequential=True, next_assistant_rings=2,
                                               rollover=Rollover.NO_ANSWER, rollover_seconds=30),
        forward_no_answer=Forwarding(True, "+33611111111"))
    route = evaluate(settings, call())
    assert [(s.feature, s.outcome) for s in route.steps] == [
        (Feature.EXECUTIVE_FILTERING, Outcome.RINGS), (Feature.FORWARD_NO_ANSWER, Outcome.FORWARDED)]
    assert [t.rings for t in route.steps[0].targets] == [2, 2]


def test_only_the_chosen_kind_of_calls_is_filtered() -> None:
    internal_only = executive(filter_type=FilterType.INTERNAL, rollover=Rollover.FORWARD,
                              rollover_destination="+33622222222")
    assert evaluate(internal_only, call(internal=True)).final.feature is Feature.EXECUTIVE_FILTERING
    assert evaluate(internal_only, call(internal=False)).steps[0].reason.why is Why.DND


def test_dont_filter_rules_win_in_custom_filters() -> None:
    custom = executive(filter_type=FilterType.CUSTOM, criteria=(
        numbers_rule("Tous les clients", MOTHER, BOSS), numbers_rule("Pas le patron", BOSS, positive=False)))
    assert evaluate(custom, call(MOTHER)).steps[0].feature is Feature.EXECUTIVE_FILTERING
    boss = evaluate(custom, call(BOSS))
    assert (boss.steps[0].outcome, boss.steps[0].reason.why) == (Outcome.SKIPPED, Why.DONT_RULE)
    assert boss.final.outcome is Outcome.VOICEMAIL  # DND: busy handling


def test_forward_always_wins_and_assistants_are_loop_edges() -> None:
    settings = RoutingSettings(forward_always=Forwarding(True, "+33633333333"),
                               executive_filtering=ExecutiveFiltering(True, assistants=ASSISTANTS))
    assert evaluate(settings, call()).features() == [Feature.FORWARD_ALWAYS]
    assert [(d.feature, d.target) for d in destinations(settings)][1:] == [
        (Feature.EXECUTIVE_FILTERING, "201"), (Feature.EXECUTIVE_FILTERING, "202")]
