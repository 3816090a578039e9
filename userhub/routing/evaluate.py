"""``evaluate(settings, call) -> Route``: where one incoming call goes, step by step.

The order of precedence is written once, in ``PIPELINE``. Each stage may add steps; the walk stops at
the first terminal step (rejected, forwarded, voicemail, busy tone, unanswered):

1. Selective reject: a matching "Don't reject" rule lets the call on, a matching reject rule rejects it.
   It comes first: selective reject precedes selective accept, and selective rules precede every other
   setting (reference, section 1c).
2. Selective accept: a matching "Don't accept" rule rejects; a matching accept rule lets the call on;
   when accept rules exist and none matches, the call is rejected. [choice] An accepted call also passes
   the screening settings below (anonymous rejection, Do Not Disturb): selective rules take precedence
   over other settings, so a number the user explicitly accepts still gets through DND. [choice] Enabled
   without any accept rule, it filters nothing rather than refusing every call.
3. Selective forward: a "Don't forward" rule lets the call on, a forward rule forwards it (to the rule's
   number or the default one). Selective forward precedes regular call forwarding.
4. Anonymous call rejection (only callers who withheld their number, not "unavailable" ones). It comes
   after the selective rules, which take precedence over other settings and may name anonymous callers.
5. Call notify: [choice] an e-mail for matching calls that reach the user's own call handling (not for
   rejected or selectively forwarded calls), wherever they go next.
6. Call forwarding always. It wins over sequential ring and over Do Not Disturb.
7. Voicemail "send all calls": [choice] an always-forward to the mailbox, after the explicit forward always.
8. Executive call filtering: filtered calls ring the executive's assistants, then roll over (voicemail,
   forward, or the executive's no-answer handling). [choice] The reference gives no order: it comes after
   the two "always" settings (an executive who sends everything elsewhere is away) and before sequential
   ring and DND (assistants exist to take the calls the executive is not to be disturbed by).
9. Sequential ring when it applies (its rules; "Don't ring" first). It wins over simultaneous ring and
   over forwarding when busy: the user's phones ring first (when chosen), or are skipped when busy (DND,
   on a call without call waiting, unreachable) if "continue if busy" is on; then each number in order;
   then no-answer handling.
10. The line state: DND, or unreachable (no device registered), or on a call with call waiting off make
    the line busy (reference, section 3).
11. Busy handling: [choice] business continuity first when the phone is unreachable (it exists for that
    case), then forward when busy, voicemail for busy calls, else the caller hears busy.
12. Ringing: own phones with single number reach numbers and, when it applies, simultaneous ring numbers
    (not while on a call if "don't ring if on a call"); priority alert marks a distinctive ring first.
    [choice] DND and busy lines ring neither simultaneous ring nor single number reach numbers.
13. No-answer handling: forward when no answer, then voicemail for unanswered calls (voicemail last),
    else the phones ring until the caller hangs up.

"[choice]" marks where the reference is silent and the order is what a careful product does. Within one
feature, a matching "Don't" rule always wins; among positive rules the first in list order decides.

The function is pure: no database, no clock; schedules come in as callables or interval sets.
"""

from __future__ import annotations

from collections.abc import Callable

from .matching import decide, has_positive_rule
from .executive import executive_filtering
from .inputs import ANONYMOUS, IncomingCall, RoutingSettings
from .route import Feature, Outcome, Reason, Route, Target, TargetKind, Why
from .walk import Walk

Stage = Callable[[Walk], bool]  # True when the call reached its terminal step


def evaluate(settings: RoutingSettings, call: IncomingCall) -> Route:
    walk = Walk(settings, call)
    for stage in PIPELINE:
        if stage(walk):
            return Route(tuple(walk.steps))
    raise AssertionError("the last stage always ends the route")  # pragma: no cover


def _forward_target(destination: str, to_voicemail: bool) -> tuple[Target, ...]:
    kind = TargetKind.DESTINATION_VOICEMAIL if to_voicemail else TargetKind.NUMBER
    return (Target(kind, destination),)


def selective_reject(walk: Walk) -> bool:
    feature = walk.settings.selective_reject
    if not feature.enabled:
        return False
    decision = decide(feature.criteria, walk.call, without_rules_applies=False)
    if decision.reason.why is Why.DONT_RULE:
        return walk.add(Feature.SELECTIVE_REJECT, Outcome.PASSED, decision.reason)
    if decision.applies:
        return walk.add(Feature.SELECTIVE_REJECT, Outcome.REJECTED, decision.reason)
    return False


def selective_accept(walk: Walk) -> bool:
    feature = walk.settings.selective_accept
    # Enabled without any accept rule, the feature would refuse every call; a careful product treats
    # that as "nothing to filter yet" (the user is still adding rules) rather than silently dropping calls.
    if not feature.enabled or not has_positive_rule(feature.criteria):
        return False
    decision = decide(feature.criteria, walk.call, without_rules_applies=False)
    if decision.applies:
        walk.accepted = True
        return walk.add(Feature.SELECTIVE_ACCEPT, Outcome.PASSED, decision.reason)
    return walk.add(Feature.SELECTIVE_ACCEPT, Outcome.REJECTED, decision.reason)


def anonymous_rejection(walk: Walk) -> bool:
    if not walk.settings.anonymous_rejection or walk.call.caller != ANONYMOUS:
        return False
    if walk.accepted:
        return walk.add(Feature.ANONYMOUS_REJECTION, Outcome.SKIPPED, Reason(Why.ACCEPTED))
    return walk.add(Feature.ANONYMOUS_REJECTION, Outcome.REJECTED, Reason(Why.ANONYMOUS))


def call_notify(walk: Walk) -> bool:
    feature = walk.settings.call_notify
    if feature.enabled:
        decision = decide(feature.criteria, walk.call, without_rules_applies=False)
        if decision.applies:
            walk.add(Feature.CALL_NOTIFY, Outcome.NOTIFIED, decision.reason)
    return False


def selective_forward(walk: Walk) -> bool:
    feature = walk.settings.selective_forward
    if not feature.enabled:
        return False
    decision = decide(feature.criteria, walk.call, without_rules_applies=False)
    if decision.reason.why is Why.DONT_RULE:
        return walk.add(Feature.SELECTIVE_FORWARD, Outcome.PASSED, decision.reason)
    if not decision.applies or decision.criterion is None:
        return False
    rule = decision.criterion
    destination = rule.forward_to or feature.default_destination
    if not destination:  # a rule without any destination cannot forward; the settings form refuses it
        return False
    to_voicemail = rule.forward_to_voicemail if rule.forward_to else feature.to_voicemail
    return walk.add(Feature.SELECTIVE_FORWARD, Outcome.FORWARDED, decision.reason,
                    _forward_target(destination, to_voicemail))


def forward_always(walk: Walk) -> bool:
    forward = walk.settings.forward_always
    if not forward.active:
        return False
    return walk.add(Feature.FORWARD_ALWAYS, Outcome.FORWARDED, Reason(Why.ENABLED),
                    _forward_target(forward.destination, forward.to_voicemail))


def voicemail_all(walk: Walk) -> bool:
    voicemail = walk.settings.voicemail
    if not (voicemail.enabled and voicemail.send_all):
        return False
    return walk.add(Feature.VOICEMAIL_ALL, Outcome.VOICEMAIL, Reason(Why.ENABLED), (Target(TargetKind.VOICEMAIL),))


def _line_busy(walk: Walk) -> Why | None:
    """Why the user's own phones cannot take the call, if they cannot."""
    if walk.settings.do_not_disturb and not walk.accepted:
        return Why.DND
    if not walk.call.reachable:
        return Why.UNREACHABLE
    if walk.call.on_call and not walk.settings.call_waiting:
        return Why.ON_CALL
    return None


def sequential_ring(walk: Walk) -> bool:
    feature = walk.settings.sequential_ring
    numbers = tuple(number for number in feature.numbers if number.enabled)
    if not feature.enabled or not numbers:
        return False
    decision = decide(feature.criteria, walk.call, without_rules_applies=True)
    if not decision.applies:
        walk.add(Feature.SEQUENTIAL_RING, Outcome.SKIPPED, decision.reason)
        return False
    if feature.ring_base_first:
        busy = _line_busy(walk)
        if busy is not None and not feature.continue_if_base_busy:
            return False  # the busy line is handled by the next stages, as without sequential ring
        if busy is not None:
            walk.add(Feature.SEQUENTIAL_RING, Outcome.SKIPPED, Reason(busy))
        else:
            _ring_own_phones(walk, Feature.SEQUENTIAL_RING, decision.reason, feature.base_rings)
    targets = tuple(Target(TargetKind.NUMBER, n.number, n.name, n.rings) for n in numbers)
    walk.add(Feature.SEQUENTIAL_RING, Outcome.RINGS, decision.reason, targets, sum(n.rings for n in numbers))
    if walk.settings.simultaneous_ring.enabled:
        walk.add(Feature.SIMULTANEOUS_RING, Outcome.SKIPPED, Reason(Why.SEQUENTIAL_WINS))
    walk.rang = True
    return False


def line_state(walk: Walk) -> bool:
    if walk.rang:
        return False
    if walk.settings.do_not_disturb and walk.accepted:
        walk.add(Feature.DO_NOT_DISTURB, Outcome.SKIPPED, Reason(Why.ACCEPTED))
    walk.busy = _line_busy(walk)
    if walk.busy is Why.DND:
        walk.add(Feature.DO_NOT_DISTURB, Outcome.BUSY, Reason(Why.DND))
    elif walk.busy is not None:
        walk.add(Feature.RINGING, Outcome.BUSY, Reason(walk.busy))
    return False


def busy_handling(walk: Walk) -> bool:
    if walk.busy is None:
        return False
    settings = walk.settings
    reason = Reason(walk.busy)
    # Business continuity exists for phones that lost the network; it answers before the busy rules.
    if walk.busy is Why.UNREACHABLE and settings.business_continuity.active:
        forward = settings.business_continuity
        return walk.add(Feature.BUSINESS_CONTINUITY, Outcome.FORWARDED, reason,
                        _forward_target(forward.destination, forward.to_voicemail))
    if settings.forward_busy.active:
        forward = settings.forward_busy
        return walk.add(Feature.FORWARD_BUSY, Outcome.FORWARDED, reason,
                        _forward_target(forward.destination, forward.to_voicemail))
    if settings.voicemail.enabled and settings.voicemail.send_busy:
        return walk.add(Feature.VOICEMAIL, Outcome.VOICEMAIL, reason, (Target(TargetKind.VOICEMAIL),))
    return walk.add(Feature.END, Outcome.BUSY_TONE, reason)


def _no_answer_rings(settings: RoutingSettings) -> int | None:
    if settings.forward_no_answer.active:
        return settings.forward_no_answer.rings
    if settings.voicemail.enabled and settings.voicemail.send_unanswered:
        return settings.voicemail.rings
    return None


def _ring_own_phones(walk: Walk, feature: Feature, reason: Reason, rings: int | None,
                     extra: tuple[Target, ...] = ()) -> None:
    alert = walk.settings.priority_alert
    if alert.enabled:
        decision = decide(alert.criteria, walk.call, without_rules_applies=False)
        if decision.applies:
            walk.add(Feature.PRIORITY_ALERT, Outcome.ALERTED, decision.reason)
    snr = tuple(Target(TargetKind.NUMBER, n.number, n.name) for n in walk.settings.single_number_reach if n.enabled)
    walk.add(feature, Outcome.RINGS, reason, (Target(TargetKind.OWN_PHONES), *snr, *extra), rings)


def ringing(walk: Walk) -> bool:
    if walk.rang:
        return False
    settings = walk.settings
    reason = Reason(Why.CALL_WAITING) if walk.call.on_call else Reason(Why.ENABLED)
    extra: tuple[Target, ...] = ()
    sim = settings.simultaneous_ring
    sim_numbers = tuple(Target(TargetKind.NUMBER, n.number, n.name) for n in sim.numbers if n.enabled)
    if sim.enabled and sim_numbers:
        decision = decide(sim.criteria if sim.apply_criteria else (), walk.call, without_rules_applies=True)
        if not decision.applies:
            walk.add(Feature.SIMULTANEOUS_RING, Outcome.SKIPPED, decision.reason)
        elif walk.call.on_call and sim.do_not_ring_if_on_call:
            walk.add(Feature.SIMULTANEOUS_RING, Outcome.SKIPPED, Reason(Why.ON_CALL_NO_RING))
        else:
            extra = sim_numbers
    _ring_own_phones(walk, Feature.RINGING, reason, _no_answer_rings(settings), extra)
    walk.rang = True
    return False


def no_answer_handling(walk: Walk) -> bool:
    settings = walk.settings
    reason = Reason(Why.NO_ANSWER)
    if settings.forward_no_answer.active:
        forward = settings.forward_no_answer
        return walk.add(Feature.FORWARD_NO_ANSWER, Outcome.FORWARDED, reason,
                        _forward_target(forward.destination, forward.to_voicemail))
    if settings.voicemail.enabled and settings.voicemail.send_unanswered:
        return walk.add(Feature.VOICEMAIL, Outcome.VOICEMAIL, reason, (Target(TargetKind.VOICEMAIL),))
    return walk.add(Feature.END, Outcome.UNANSWERED, Reason(Why.NOTHING_ELSE))


PIPELINE: tuple[Stage, ...] = (
    selective_reject,
    selective_accept,
    selective_forward,
    anonymous_rejection,
    call_notify,
    forward_always,
    voicemail_all,
    executive_filtering,
    sequential_ring,
    line_state,
    busy_handling,
    ringing,
    no_answer_handling,
)
