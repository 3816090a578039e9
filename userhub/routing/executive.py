"""Executive call filtering, one stage of the evaluator's pipeline (see evaluate.py for its place)."""

from __future__ import annotations

from .matching import Decision, decide
from .inputs import ExecutiveFiltering, FilterType, IncomingCall, Rollover
from .route import Feature, Match, Outcome, Reason, Target, TargetKind, Why
from .walk import Walk


def filters(feature: ExecutiveFiltering, call: IncomingCall) -> Decision:
    """Whether the call is filtered to the assistants (custom filters: "Don't filter" rules first)."""
    if feature.filter_type is FilterType.CUSTOM:
        return decide(feature.criteria, call, without_rules_applies=False)
    if feature.filter_type is FilterType.INTERNAL:
        return Decision(call.internal, Reason(Why.ENABLED, match=Match.INTERNAL))
    if feature.filter_type is FilterType.EXTERNAL:
        return Decision(not call.internal, Reason(Why.ENABLED, match=Match.EXTERNAL))
    return Decision(True, Reason(Why.ENABLED, match=Match.ANY))


def executive_filtering(walk: Walk) -> bool:
    feature = walk.settings.executive_filtering
    assistants = tuple(assistant for assistant in feature.assistants if assistant.enabled)
    if not feature.enabled or not assistants:
        return False
    decision = filters(feature, walk.call)
    if not decision.applies:
        if decision.reason.why is Why.DONT_RULE:
            walk.add(Feature.EXECUTIVE_FILTERING, Outcome.SKIPPED, decision.reason)
        return False
    each = feature.next_assistant_rings if feature.sequential else None
    targets = tuple(Target(TargetKind.NUMBER, a.number, a.name, each) for a in assistants)
    timer = feature.rollover_seconds if feature.rollover is not Rollover.NONE else None
    rings = each * len(assistants) if each is not None and timer is None else None
    walk.add(Feature.EXECUTIVE_FILTERING, Outcome.RINGS, decision.reason, targets, rings, timer)
    rolled = Reason(Why.NO_ANSWER)
    if feature.rollover is Rollover.NO_ANSWER:
        walk.rang = True  # the executive's forward when no answer / voicemail stages decide
        return False
    if feature.rollover is Rollover.VOICEMAIL and walk.settings.voicemail.enabled:
        return walk.add(Feature.EXECUTIVE_FILTERING, Outcome.VOICEMAIL, rolled, (Target(TargetKind.VOICEMAIL),))
    if feature.rollover is Rollover.FORWARD and feature.rollover_destination:
        return walk.add(Feature.EXECUTIVE_FILTERING, Outcome.FORWARDED, rolled,
                        (Target(TargetKind.NUMBER, feature.rollover_destination),))
    return walk.add(Feature.END, Outcome.UNANSWERED, Reason(Why.NOTHING_ELSE))
