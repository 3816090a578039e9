"""Matching a call against the criteria of one feature.

The reference rule, for every criteria-based feature: when several criteria match, a "Don't ..."
criterion (``positive=False``) takes precedence over positive ones, whatever their order in the list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .inputs import ANONYMOUS, UNAVAILABLE, CallsFrom, Criterion, IncomingCall
from .route import Match, Reason, Why


def caller_match(criterion: Criterion, call: IncomingCall) -> Match | None:
    """What in the call makes this criterion's "calls from" part match, or None."""
    source = criterion.calls_from
    if source is CallsFrom.ANY:
        return Match.ANY
    if source is CallsFrom.INTERNAL:
        return Match.INTERNAL if call.internal else None
    if source is CallsFrom.EXTERNAL:
        return None if call.internal else Match.EXTERNAL
    if source is CallsFrom.FORWARDED:
        return Match.FORWARDED if call.forwarded else None
    if call.caller == ANONYMOUS:
        return Match.ANONYMOUS if criterion.anonymous else None
    if call.caller == UNAVAILABLE:
        return Match.UNAVAILABLE if criterion.unavailable else None
    return Match.NUMBER if call.caller in criterion.numbers else None


def in_effect(criterion: Criterion, call: IncomingCall) -> bool:
    """No schedule means "Every Day All Day"."""
    return criterion.schedule is None or bool(criterion.schedule.active_at(call.at))


@dataclass(frozen=True)
class Decision:
    applies: bool
    reason: Reason
    criterion: Criterion | None = None


def decide(criteria: Sequence[Criterion], call: IncomingCall, *,
           without_rules_applies: bool) -> Decision:
    """Whether the feature applies to ``call``.

    A matching "Don't" rule in effect answers no; otherwise the first matching positive rule in effect
    (in list order) answers yes. When the feature has no positive rule at all, ``without_rules_applies``
    answers (ring features ring for every call; screening features screen nothing)."""
    hit: tuple[Criterion, Match] | None = None
    has_positive = False
    for criterion in criteria:
        has_positive = has_positive or criterion.positive
        if criterion.positive and hit is not None:
            continue  # one positive hit is enough; only a "Don't" rule can still change the answer
        match = caller_match(criterion, call)
        if match is None or not in_effect(criterion, call):
            continue
        if not criterion.positive:
            return Decision(False, _reason(Why.DONT_RULE, criterion, match), criterion)
        hit = (criterion, match)
    if hit is not None:
        return Decision(True, _reason(Why.RULE, hit[0], hit[1]), hit[0])
    if not has_positive and without_rules_applies:
        return Decision(True, Reason(Why.ENABLED))
    return Decision(False, Reason(Why.NO_RULE))


def has_positive_rule(criteria: Sequence[Criterion]) -> bool:
    return any(criterion.positive for criterion in criteria)


def _reason(why: Why, criterion: Criterion, match: Match) -> Reason:
    schedule = criterion.schedule.name if criterion.schedule is not None else ""
    return Reason(why, rule=criterion.name, match=match, schedule=schedule)
