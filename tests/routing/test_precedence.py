"""The order of precedence, rule by rule (see the docstring of userhub.routing.evaluate)."""

from __future__ import annotations

from userhub.routing.evaluate import evaluate
from userhub.routing.inputs import (
    ANONYMOUS,
    Forwarding,
    RingNumber,
    RoutingSettings,
    Screening,
    SelectiveForward,
    SequentialRing,
    SimultaneousRing,
    Voicemail,
)
from userhub.routing.route import Feature, Outcome, TargetKind, Why

from .builders import BOSS, CANVASSER, MOTHER, any_rule, call, numbers_rule

VOICEMAIL = Voicemail(enabled=True, send_busy=True, send_unanswered=True, rings=4)
REJECT_CANVASSERS = Screening(True, (numbers_rule("Démarcheurs", CANVASSER),))


def test_a_plain_line_rings_then_goes_to_voicemail() -> None:
    route = evaluate(RoutingSettings(voicemail=VOICEMAIL), call())
    assert [(s.feature, s.outcome) for s in route.steps] == [
        (Feature.RINGING, Outcome.RINGS), (Feature.VOICEMAIL, Outcome.VOICEMAIL)]
    assert route.steps[0].rings == 4
    assert route.final.after_seconds == 24


def test_selective_reject_rejects_a_matching_caller() -> None:
    route = evaluate(RoutingSettings(selective_reject=REJECT_CANVASSERS), call(CANVASSER))
    assert route.final.outcome is Outcome.REJECTED
    assert route.final.reason.rule == "Démarcheurs"


def test_selective_reject_comes_before_selective_accept() -> None:
    settings = RoutingSettings(selective_reject=REJECT_CANVASSERS,
                               selective_accept=Screening(True, (numbers_rule("Clients", CANVASSER),)))
    route = evaluate(settings, call(CANVASSER))
    assert route.features() == [Feature.SELECTIVE_REJECT]
    assert route.final.outcome is Outcome.REJECTED


def test_dont_reject_wins_over_reject_whatever_the_order() -> None:
    rules = (any_rule("Tout rejeter"), numbers_rule("Maman", MOTHER, positive=False))
    route = evaluate(RoutingSettings(selective_reject=Screening(True, rules)), call(MOTHER))
    assert route.steps[0].outcome is Outcome.PASSED
    assert route.steps[0].reason.why is Why.DONT_RULE
    assert route.final.outcome is Outcome.UNANSWERED


def test_selective_accept_rejects_callers_no_rule_accepts() -> None:
    settings = RoutingSettings(selective_accept=Screening(True, (numbers_rule("Famille", MOTHER),)))
    assert evaluate(settings, call(MOTHER)).steps[0].outcome is Outcome.PASSED
    refused = evaluate(settings, call(BOSS)).final
    assert (refused.feature, refused.outcome, refused.reason.why) == (
        Feature.SELECTIVE_ACCEPT, Outcome.REJECTED, Why.NO_RULE)


def test_dont_accept_wins_over_accept() -> None:
    rules = (any_rule("Tout le monde"), numbers_rule("Pas lui", BOSS, positive=False))
    route = evaluate(RoutingSettings(selective_accept=Screening(True, rules)), call(BOSS))
    assert route.final.outcome is Outcome.REJECTED
    assert route.final.reason.why is Why.DONT_RULE


def test_selective_accept_without_accept_rules_filters_nothing() -> None:
    rules = (numbers_rule("Pas lui", BOSS, positive=False),)
    route = evaluate(RoutingSettings(selective_accept=Screening(True, rules)), call(MOTHER))
    assert route.final.outcome is Outcome.UNANSWERED


def test_an_accepted_number_still_gets_through_do_not_disturb() -> None:
    settings = RoutingSettings(do_not_disturb=True, voicemail=VOICEMAIL,
                               selective_accept=Screening(True, (numbers_rule("Maman", MOTHER),)))
    accepted = evaluate(settings, call(MOTHER))
    assert [(s.feature, s.outcome) for s in accepted.steps[:3]] == [
        (Feature.SELECTIVE_ACCEPT, Outcome.PASSED), (Feature.DO_NOT_DISTURB, Outcome.SKIPPED),
        (Feature.RINGING, Outcome.RINGS)]
    assert evaluate(settings, call(BOSS)).final.outcome is Outcome.REJECTED


def test_anonymous_callers_are_rejected_but_unavailable_ones_are_not() -> None:
    settings = RoutingSettings(anonymous_rejection=True)
    assert evaluate(settings, call(ANONYMOUS)).final.reason.why is Why.ANONYMOUS
    assert evaluate(settings, call("unavailable")).final.outcome is Outcome.UNANSWERED
    assert evaluate(settings, call(MOTHER)).final.outcome is Outcome.UNANSWERED


def test_an_explicitly_accepted_anonymous_caller_passes_anonymous_rejection() -> None:
    accept = Screening(True, (numbers_rule("Numéros masqués", anonymous=True),))
    route = evaluate(RoutingSettings(anonymous_rejection=True, selective_accept=accept), call(ANONYMOUS))
    assert (Feature.ANONYMOUS_REJECTION, Outcome.SKIPPED) in [(s.feature, s.outcome) for s in route.steps]
    assert route.final.outcome is Outcome.UNANSWERED


def test_selective_forward_comes_before_forward_always() -> None:
    settings = RoutingSettings(
        selective_forward=SelectiveForward(True, "+33612345678", criteria=(numbers_rule("Patron", BOSS),)),
        forward_always=Forwarding(True, "+33698765432"))
    route = evaluate(settings, call(BOSS))
    assert route.final.feature is Feature.SELECTIVE_FORWARD
    assert route.final.targets[0].number == "+33612345678"
    assert evaluate(settings, call(MOTHER)).final.feature is Feature.FORWARD_ALWAYS


def test_selective_forward_rule_destination_and_dont_forward() -> None:
    # the first matching positive rule in list order decides; "Don't" rules win wherever they are
    rules = (numbers_rule("Patron", BOSS, forward_to="+33611111111", forward_to_voicemail=True),
             any_rule("Tous"), numbers_rule("Maman", MOTHER, positive=False))
    settings = RoutingSettings(selective_forward=SelectiveForward(True, "+33612345678", criteria=rules))
    boss = evaluate(settings, call(BOSS)).final
    assert (boss.targets[0].kind, boss.targets[0].number) == (TargetKind.DESTINATION_VOICEMAIL, "+33611111111")
    assert evaluate(settings, call(CANVASSER)).final.targets[0].number == "+33612345678"
    mother = evaluate(settings, call(MOTHER))
    assert mother.steps[0].outcome is Outcome.PASSED and mother.final.outcome is Outcome.UNANSWERED


def test_forward_always_wins_over_do_not_disturb_and_sequential_ring() -> None:
    settings = RoutingSettings(forward_always=Forwarding(True, "+33698765432"), do_not_disturb=True,
                               sequential_ring=SequentialRing(True, numbers=(RingNumber("+33611111111"),)))
    route = evaluate(settings, call())
    assert route.features() == [Feature.FORWARD_ALWAYS]


def test_forward_always_without_a_destination_does_nothing() -> None:
    route = evaluate(RoutingSettings(forward_always=Forwarding(True, "")), call())
    assert route.final.outcome is Outcome.UNANSWERED


def test_send_all_calls_to_voicemail_comes_after_forward_always() -> None:
    all_to_voicemail = Voicemail(enabled=True, send_all=True)
    assert evaluate(RoutingSettings(voicemail=all_to_voicemail), call()).features() == [Feature.VOICEMAIL_ALL]
    both = RoutingSettings(voicemail=all_to_voicemail, forward_always=Forwarding(True, "+33698765432"))
    assert evaluate(both, call()).features() == [Feature.FORWARD_ALWAYS]


def test_do_not_disturb_gives_busy_handling() -> None:
    settings = RoutingSettings(do_not_disturb=True, voicemail=VOICEMAIL,
                               forward_no_answer=Forwarding(True, "+33611111111", rings=5))
    route = evaluate(settings, call())
    assert [(s.feature, s.outcome) for s in route.steps] == [
        (Feature.DO_NOT_DISTURB, Outcome.BUSY), (Feature.VOICEMAIL, Outcome.VOICEMAIL)]
    with_forward = RoutingSettings(do_not_disturb=True, forward_busy=Forwarding(True, "+33622222222"))
    assert evaluate(with_forward, call()).final.feature is Feature.FORWARD_BUSY
    assert evaluate(RoutingSettings(do_not_disturb=True), call()).final.outcome is Outcome.BUSY_TONE


def test_on_a_call_busy_only_without_call_waiting() -> None:
    busy = RoutingSettings(call_waiting=False, forward_busy=Forwarding(True, "+33622222222"))
    route = evaluate(busy, call(on_call=True))
    assert route.steps[0].reason.why is Why.ON_CALL and route.final.feature is Feature.FORWARD_BUSY
    waiting = evaluate(RoutingSettings(call_waiting=True, voicemail=VOICEMAIL), call(on_call=True))
    assert waiting.steps[0].reason.why is Why.CALL_WAITING and waiting.final.outcome is Outcome.VOICEMAIL


def test_unreachable_phone_uses_business_continuity_before_forward_busy() -> None:
    settings = RoutingSettings(business_continuity=Forwarding(True, "+33633333333"),
                               forward_busy=Forwarding(True, "+33622222222"))
    assert evaluate(settings, call(reachable=False)).final.feature is Feature.BUSINESS_CONTINUITY
    assert evaluate(settings, call(on_call=True)).final.outcome is Outcome.UNANSWERED  # call waiting is on
    no_continuity = RoutingSettings(forward_busy=Forwarding(True, "+33622222222"))
    assert evaluate(no_continuity, call(reachable=False)).final.feature is Feature.FORWARD_BUSY


def test_sequential_ring_wins_over_simultaneous_ring_and_ends_in_no_answer_handling() -> None:
    settings = RoutingSettings(
        sequential_ring=SequentialRing(True, base_rings=3, numbers=(RingNumber("+33611111111", rings=4),)),
        simultaneous_ring=SimultaneousRing(True, (RingNumber("+33622222222"),)),
        voicemail=VOICEMAIL)
    route = evaluate(settings, call())
    assert [(s.feature, s.outcome) for s in route.steps] == [
        (Feature.SEQUENTIAL_RING, Outcome.RINGS), (Feature.SEQUENTIAL_RING, Outcome.RINGS),
        (Feature.SIMULTANEOUS_RING, Outcome.SKIPPED), (Feature.VOICEMAIL, Outcome.VOICEMAIL)]
    assert route.steps[2].reason.why is Why.SEQUENTIAL_WINS
    assert route.final.after_seconds == (3 + 4) * 6


def test_sequential_ring_wins_over_forward_busy_only_when_it_continues_if_busy() -> None:
    numbers = (RingNumber("+33611111111", rings=4),)
    stops = RoutingSettings(do_not_disturb=True, forward_busy=Forwarding(True, "+33622222222"),
                            sequential_ring=SequentialRing(True, numbers=numbers))
    assert evaluate(stops, call()).final.feature is Feature.FORWARD_BUSY
    goes_on = RoutingSettings(do_not_disturb=True, forward_busy=Forwarding(True, "+33622222222"),
                              sequential_ring=SequentialRing(True, continue_if_base_busy=True, numbers=numbers))
    route = evaluate(goes_on, call())
    assert [(s.outcome, s.reason.why) for s in route.steps[:2]] == [
        (Outcome.SKIPPED, Why.DND), (Outcome.RINGS, Why.ENABLED)]
    assert route.final.outcome is Outcome.UNANSWERED


def test_sequential_ring_dont_rule_falls_back_to_simultaneous_ring() -> None:
    settings = RoutingSettings(
        sequential_ring=SequentialRing(True, numbers=(RingNumber("+33611111111"),),
                                       criteria=(numbers_rule("Pas maman", MOTHER, positive=False),)),
        simultaneous_ring=SimultaneousRing(True, (RingNumber("+33622222222"),)))
    route = evaluate(settings, call(MOTHER))
    assert route.steps[0].reason.why is Why.DONT_RULE
    ringing = route.steps[1]
    assert [t.number for t in ringing.targets] == ["", "+33622222222"]


def test_simultaneous_ring_does_not_ring_while_on_a_call_when_asked() -> None:
    settings = RoutingSettings(simultaneous_ring=SimultaneousRing(True, (RingNumber("+33622222222"),),
                                                                  do_not_ring_if_on_call=True))
    route = evaluate(settings, call(on_call=True))
    assert route.steps[0].reason.why is Why.ON_CALL_NO_RING
    assert [t.kind for t in route.steps[1].targets] == [TargetKind.OWN_PHONES]


def test_single_number_reach_rings_with_the_own_phones() -> None:
    settings = RoutingSettings(single_number_reach=(RingNumber("+33644444444", "Mobile"),
                                                    RingNumber("+33655555555", enabled=False)))
    targets = evaluate(settings, call()).steps[0].targets
    assert [(t.kind, t.number) for t in targets] == [(TargetKind.OWN_PHONES, ""), (TargetKind.NUMBER, "+33644444444")]


def test_priority_alert_and_call_notify_mark_the_call_without_changing_its_way() -> None:
    settings = RoutingSettings(priority_alert=Screening(True, (numbers_rule("Patron", BOSS),)),
                               call_notify=Screening(True, (any_rule("Tous"),)), voicemail=VOICEMAIL)
    route = evaluate(settings, call(BOSS))
    assert [s.outcome for s in route.steps] == [Outcome.NOTIFIED, Outcome.ALERTED, Outcome.RINGS, Outcome.VOICEMAIL]
    assert Outcome.ALERTED not in [s.outcome for s in evaluate(settings, call(MOTHER)).steps]


def test_forward_no_answer_comes_before_voicemail() -> None:
    settings = RoutingSettings(forward_no_answer=Forwarding(True, "+33611111111", rings=5), voicemail=VOICEMAIL)
    route = evaluate(settings, call())
    assert route.steps[0].rings == 5
    assert route.final.feature is Feature.FORWARD_NO_ANSWER and route.final.after_seconds == 30


def test_a_selective_forward_rule_naming_anonymous_callers_wins_over_anonymous_rejection() -> None:
    rule = numbers_rule("Masqués vers l'accueil", anonymous=True, forward_to="+33184883200")
    settings = RoutingSettings(anonymous_rejection=True, selective_forward=SelectiveForward(True, criteria=(rule,)))
    assert evaluate(settings, call(ANONYMOUS)).final.feature is Feature.SELECTIVE_FORWARD
    assert evaluate(settings, call(MOTHER)).final.outcome is Outcome.UNANSWERED
