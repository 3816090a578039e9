"""Properties that hold for any settings and any call (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings as hypothesis_settings, strategies as st

from userhub.routing.matching import decide
from userhub.routing.evaluate import evaluate
from userhub.routing.inputs import Criterion, Forwarding, IncomingCall, RoutingSettings, Screening
from userhub.routing.route import Feature, Outcome, Why

from .strategies import all_settings, calls, rules


@hypothesis_settings(max_examples=400, deadline=None)
@given(all_settings, calls)
def test_every_route_ends_in_exactly_one_terminal_step(routing: RoutingSettings, call: IncomingCall) -> None:
    route = evaluate(routing, call)
    assert route.steps[-1].terminal
    assert sum(step.terminal for step in route.steps) == 1
    elapsed = [step.after_seconds for step in route.steps]
    assert elapsed == sorted(elapsed)


@hypothesis_settings(max_examples=300, deadline=None)
@given(rules, calls, st.booleans())
def test_a_matching_dont_rule_always_wins(criteria_list: tuple[Criterion, ...], call: IncomingCall,
                                          without_rules_applies: bool) -> None:
    decision = decide(criteria_list, call, without_rules_applies=without_rules_applies)
    dont_matches = [c for c in criteria_list if not c.positive and decide((c,), call, without_rules_applies=False)
                    .reason.why is Why.DONT_RULE]
    if dont_matches:
        assert not decision.applies and decision.reason.why is Why.DONT_RULE
    # adding a matching "Don't" rule anywhere never turns a "no" into a "yes"
    blocker = Criterion("Bloque", positive=False)
    for position in (0, len(criteria_list)):
        blocked = (*criteria_list[:position], blocker, *criteria_list[position:])
        assert not decide(blocked, call, without_rules_applies=without_rules_applies).applies


@hypothesis_settings(max_examples=200, deadline=None)
@given(all_settings, calls)
def test_forward_always_is_only_beaten_by_the_screening_and_selective_rules(routing: RoutingSettings,
                                                                          call: IncomingCall) -> None:
    routing = RoutingSettings(**{**routing.__dict__, "forward_always": Forwarding(True, "+33622222222")})
    final = evaluate(routing, call).final
    assert final.outcome in (Outcome.FORWARDED, Outcome.REJECTED)


@hypothesis_settings(max_examples=200, deadline=None)
@given(all_settings, calls)
def test_a_matching_dont_reject_rule_means_selective_reject_never_rejects(routing: RoutingSettings,
                                                                         call: IncomingCall) -> None:
    spared = Criterion("Jamais rejeter", positive=False)  # any caller, every day all day
    rules = (*routing.selective_reject.criteria, spared)
    routing = RoutingSettings(**{**routing.__dict__, "selective_reject": Screening(True, rules)})
    route = evaluate(routing, call)
    assert route.steps[0].feature is Feature.SELECTIVE_REJECT and route.steps[0].outcome is Outcome.PASSED
    assert not any(s.feature is Feature.SELECTIVE_REJECT and s.outcome is Outcome.REJECTED for s in route.steps)
