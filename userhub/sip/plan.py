"""From the evaluator's routes to the compact plan a SIP proxy applies (kamailio/README.md reads it).

The routes come from ``routing.evaluate.evaluate``, the function the "Where will my call go?" panel
draws (``routing.panel.panel_for_call``), on the settings the panel reads (``routing.mapper``): this
module only translates steps into SIP terms, it decides nothing about precedence.

A plan is a JSON object:

    {"action": "reject", "code": 486, "reason": "Busy Here"}
    {"action": "forward", "target": "U:bob", "diversion": "unconditional"}
    {"action": "ring", "user": "alice", "alert": "", "legs": [{"targets": ["L:alice", "G:+33612345678"], "seconds": 18}],
     "then": {...}, "busy": {...}, "unreachable": {...}}
    {"action": "end"}  (nothing more is configured: the proxy relays the last failure)

A plan may also hold ``"private": 1`` (block caller ID for forwarded calls): when the proxy forwards this
person's call, the answers the caller gets say ``Privacy: id`` and carry no identity of who took it.

Targets: ``L:<sip user>`` the registered phones of that person, ``U:<sip user>`` that person's own call
handling (the proxy asks again, with a Diversion header), ``G:<number>`` the gateway to the public
network, ``V:<sip user>`` that person's mailbox on the voicemail server.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..routing.inputs import ANONYMOUS
from ..routing.route import Feature, Outcome, Route, Step, TargetKind, Why

PRIORITY_ALERT = "<urn:alert:priority:high>"  # RFC 7462

# RFC 5806 Diversion reasons, by the feature that forwards
_DIVERSION = {
    Feature.FORWARD_ALWAYS: "unconditional",
    Feature.SELECTIVE_FORWARD: "unconditional",
    Feature.VOICEMAIL_ALL: "unconditional",
    Feature.FORWARD_BUSY: "user-busy",
    Feature.FORWARD_NO_ANSWER: "no-answer",
    Feature.BUSINESS_CONTINUITY: "unavailable",
    Feature.EXECUTIVE_FILTERING: "no-answer",
}
_DIVERSION_BY_WHY = {Why.DND: "do-not-disturb", Why.ON_CALL: "user-busy", Why.UNREACHABLE: "unavailable",
                     Why.NO_ANSWER: "no-answer"}

Plan = dict[str, Any]


@dataclass(frozen=True)
class Targets:
    """How the numbers a route names become proxy targets (the service looks the owners up)."""

    own: str  # the called person's SIP user name
    ring: Callable[[str], str | None]  # a number or extension to ring: L:... or G:..., None if nobody
    forward: Callable[[str], str | None]  # a forwarding destination: U:... or G:..., None if nobody
    mailbox: Callable[[str], str | None]  # the mailbox of a destination: V:..., None if it has none


def reject(code: int, reason: str) -> Plan:
    return {"action": "reject", "code": code, "reason": reason}


def terminal(step: Step, targets: Targets) -> Plan:
    """The last step of a route as what the proxy does."""
    if step.outcome is Outcome.REJECTED:
        if step.reason.why is Why.ANONYMOUS:
            return reject(433, "Anonymity Disallowed")
        return reject(603, "Decline")
    if step.outcome is Outcome.BUSY_TONE:
        return reject(486, "Busy Here")
    diversion = _DIVERSION.get(step.feature) or _DIVERSION_BY_WHY.get(step.reason.why, "unconditional")
    if step.outcome is Outcome.VOICEMAIL:
        return {"action": "forward", "target": f"V:{targets.own}", "diversion": diversion}
    if step.outcome is Outcome.FORWARDED:
        target = step.targets[0]
        if target.kind is TargetKind.DESTINATION_VOICEMAIL:
            found = targets.mailbox(target.number)
        else:
            found = targets.forward(target.number)
        if found is None:
            return reject(404, "Not Found")
        return {"action": "forward", "target": found, "diversion": diversion}
    return {"action": "end"}


def _legs(step: Step, ring_seconds: int, targets: Targets) -> list[Plan]:
    def one(kind: TargetKind, number: str) -> str | None:
        return f"L:{targets.own}" if kind is TargetKind.OWN_PHONES else targets.ring(number)

    found = [(t, one(t.kind, t.number)) for t in step.targets]
    # Sequential ring and sequential assistants: each target rings alone for its own rings.
    if step.targets and all(t.rings is not None for t in step.targets):
        return [{"targets": [uri], "seconds": (t.rings or 0) * ring_seconds} for t, uri in found if uri]
    if step.seconds is not None:
        seconds = step.seconds
    else:
        seconds = (step.rings or 0) * ring_seconds  # 0: until the caller hangs up
    uris = [uri for _t, uri in found if uri]
    return [{"targets": uris, "seconds": seconds}] if uris else []


def plan_of(route: Route, targets: Targets, ring_seconds: int, busy: Route | None = None,
            unreachable: Route | None = None) -> Plan:
    """``route``: the call as it is; ``busy`` and ``unreachable``: the same call if the person's phones
    answer busy or turn out not to be registered (the evaluator's own answer for those states), given
    as whole plans when the person's phones ring."""
    legs: list[Plan] = []
    alert = ""
    for step in route.steps:
        if step.outcome is Outcome.ALERTED:
            alert = PRIORITY_ALERT
        elif step.outcome is Outcome.RINGS:
            legs.extend(_legs(step, ring_seconds, targets))
    final = terminal(route.final, targets)
    if not legs:
        return final
    plan: Plan = {"action": "ring", "user": targets.own, "alert": alert, "legs": legs, "then": final}
    if any(f"L:{targets.own}" in leg["targets"] for leg in legs):
        if busy is not None:
            plan["busy"] = plan_of(busy, targets, ring_seconds)
        if unreachable is not None:
            plan["unreachable"] = plan_of(unreachable, targets, ring_seconds)
    return plan


def caller_of(value: str) -> str:
    """The caller as the evaluator knows it: E.164, or anonymous."""
    return ANONYMOUS if value.lower() in ("", "anonymous") else value
