"""The route as short texts, in English and French, with numbers in the reader's format."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from hypothesis import HealthCheck, given, settings as hypothesis_settings

from userhub.routing.evaluate import evaluate
from userhub.routing.loops import DeadEnd, Hop, IdleSchedule
from userhub.routing.messages import loop_text, step_text, warning_text
from userhub.routing.inputs import (
    ANONYMOUS,
    Forwarding,
    IncomingCall,
    RingNumber,
    RoutingSettings,
    Screening,
    SequentialRing,
    Voicemail,
)
from userhub.routing.route import Feature

from .builders import CANVASSER, MOTHER, call, numbers_rule, office_hours
from .strategies import all_settings, calls

Language = Callable[[str], AbstractContextManager[None]]
REJECT = RoutingSettings(selective_reject=Screening(True, (numbers_rule("Démarcheurs", CANVASSER),)))
SEQUENTIAL = RoutingSettings(
    sequential_ring=SequentialRing(True, base_rings=3, numbers=(RingNumber("+33634333211", "Mobile", rings=4),)),
    voicemail=Voicemail(True, send_unanswered=True))


def texts(settings: RoutingSettings, caller: str, region: str | None) -> list[str]:
    return [step_text(step, caller, region) for step in evaluate(settings, call(caller)).steps]


def test_selective_reject_in_both_languages(in_language: Language) -> None:
    with in_language("en"):
        assert texts(REJECT, CANVASSER, None) == [
            "Selective reject: rule 'Démarcheurs' matches +33 1 23 45 67 89 → rejected"]
    with in_language("fr"):
        assert texts(REJECT, CANVASSER, "FR") == [
            "Rejeter sélectivement les appels\u00a0: la règle «\u00a0Démarcheurs\u00a0» s’applique à 01 23 45 67 89 → rejeté"]


def test_sequential_ring_then_voicemail(in_language: Language) -> None:
    with in_language("en"):
        assert texts(SEQUENTIAL, MOTHER, None) == [
            "Sequential ring → your phones ring, 3 rings",
            "Sequential ring → Mobile (+33 6 34 33 32 11) 4 rings",
            "Voicemail: no answer → voicemail after 42 s",
        ]
    with in_language("fr"):
        assert texts(SEQUENTIAL, MOTHER, "FR")[1] == "Sonnerie séquentielle → Mobile (06 34 33 32 11) 4 sonneries"


def test_busy_forwarding_says_why(in_language: Language) -> None:
    settings = RoutingSettings(call_waiting=False, forward_busy=Forwarding(True, "+33634333211"))
    with in_language("en"):
        assert texts_on_call(settings) == [
            "Your phones: on a call, call waiting off → busy",
            "Forward when busy: on a call, call waiting off → forwarded to +33 6 34 33 32 11"]


def texts_on_call(settings: RoutingSettings) -> list[str]:
    return [step_text(step, MOTHER, None) for step in evaluate(settings, call(on_call=True)).steps]


def test_scheduled_rule_and_anonymous_caller_are_named(in_language: Language) -> None:
    settings = RoutingSettings(selective_reject=Screening(True, (
        numbers_rule("Masqués", anonymous=True, schedule=office_hours()),)))
    with in_language("en"):
        assert texts(settings, ANONYMOUS, None) == [
            "Selective reject: rule 'Masqués' matches anonymous callers (schedule 'Heures de bureau' in effect)"
            " → rejected"]


def test_loop_and_warnings(in_language: Language) -> None:
    path = (Hop(1, Feature.FORWARD_ALWAYS, "202", 2), Hop(2, Feature.SEQUENTIAL_RING, "203", 3),
            Hop(3, Feature.FORWARD_BUSY, "201", 1))
    names = {1: "Alice", 2: "Bob", 3: "Carol"}
    with in_language("en"):
        assert loop_text(path, names) == ("Calls would go round in a circle: Alice → forward all calls → Bob"
                                          " → sequential ring → Carol → forward when busy → Alice")
    with in_language("fr"):
        assert warning_text(DeadEnd(Feature.FORWARD_BUSY, "299"), "FR") == "Renvoi si occupé\u00a0: 299 n’existe plus"
        assert warning_text(IdleSchedule("Noël"), "FR").startswith("La planification «\u00a0Noël\u00a0» n’est jamais")


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(all_settings, calls)
def test_every_step_of_every_route_has_a_text_in_both_languages(in_language: Language, routing: RoutingSettings,
                                                                incoming: IncomingCall) -> None:
    route = evaluate(routing, incoming)
    for language in ("en", "fr"):
        with in_language(language):
            lines = [step_text(step, incoming.caller, "FR") for step in route.steps]
        assert all(" → " in line and "%(" not in line for line in lines)
