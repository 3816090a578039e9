"""Short localized texts for a route, a loop and the overview warnings.

Each step becomes three parts (which feature, why, what happens) so that the panel can lay them out,
and ``step_text`` joins them into one line such as
"Selective reject: rule 'Démarcheurs' matches +33 1 23 45 67 89 → rejected"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..texts import gettext as _, lazy_gettext as _l, ngettext
from ..phones import format_number
from .loops import DeadEnd, Hop, IdleSchedule
from .route import Feature, Match, Outcome, Reason, Step, Target, TargetKind, Why

FEATURES = {
    Feature.SELECTIVE_REJECT: _l("Selective reject"),
    Feature.SELECTIVE_ACCEPT: _l("Selective accept"),
    Feature.ANONYMOUS_REJECTION: _l("Anonymous call rejection"),
    Feature.SELECTIVE_FORWARD: _l("Selective forward"),
    Feature.CALL_NOTIFY: _l("Call notify"),
    Feature.FORWARD_ALWAYS: _l("Forward all calls"),
    Feature.VOICEMAIL_ALL: _l("Send all calls to voicemail"),
    Feature.EXECUTIVE_FILTERING: _l("Executive call filtering"),
    Feature.DO_NOT_DISTURB: _l("Do not disturb"),
    Feature.BUSINESS_CONTINUITY: _l("Business continuity"),
    Feature.SEQUENTIAL_RING: _l("Sequential ring"),
    Feature.SIMULTANEOUS_RING: _l("Simultaneous ring"),
    Feature.SINGLE_NUMBER_REACH: _l("Single number reach"),
    Feature.PRIORITY_ALERT: _l("Priority alert"),
    Feature.CALL_WAITING: _l("Call waiting"),
    Feature.RINGING: _l("Your phones"),
    Feature.FORWARD_BUSY: _l("Forward when busy"),
    Feature.FORWARD_NO_ANSWER: _l("Forward when no answer"),
    Feature.VOICEMAIL: _l("Voicemail"),
    Feature.END: _l("End"),
}

WHY = {
    Why.NO_RULE: _l("no rule matches"),
    Why.ANONYMOUS: _l("the caller hides their number"),
    Why.ACCEPTED: _l("number accepted by selective accept"),
    Why.DND: _l("do not disturb is on"),
    Why.ON_CALL: _l("on a call, call waiting off"),
    Why.CALL_WAITING: _l("on a call, call waiting on"),
    Why.ON_CALL_NO_RING: _l("not while you are on a call"),
    Why.UNREACHABLE: _l("your phone is not reachable"),
    Why.SEQUENTIAL_WINS: _l("sequential ring takes precedence"),
    Why.NO_ANSWER: _l("no answer"),
    Why.NOTHING_ELSE: _l("nothing else is set"),
}

OUTCOMES = {
    Outcome.PASSED: _l("let through"),
    Outcome.SKIPPED: _l("not used"),
    Outcome.NOTIFIED: _l("e-mail notification"),
    Outcome.ALERTED: _l("distinctive ring"),
    Outcome.BUSY: _l("busy"),
    Outcome.REJECTED: _l("rejected"),
    Outcome.BUSY_TONE: _l("the caller hears the busy tone"),
    Outcome.UNANSWERED: _l("rings until the caller hangs up"),
}


@dataclass(frozen=True)
class StepText:
    feature: str
    reason: str
    outcome: str


def _match_text(match: Match | None, caller: str, region: str | None) -> str:
    if match is Match.NUMBER:
        return format_number(caller, region)
    return {
        Match.ANONYMOUS: _("anonymous callers"), Match.UNAVAILABLE: _("callers with no number"),
        Match.INTERNAL: _("internal callers"), Match.EXTERNAL: _("external callers"),
        Match.FORWARDED: _("forwarded calls"),
    }.get(match, _("every caller")) if match is not None else ""


def reason_text(reason: Reason, caller: str, region: str | None, owner: str | None = None) -> str:
    if reason.why in (Why.RULE, Why.DONT_RULE):
        values = {"rule": reason.rule, "who": _match_text(reason.match, caller, region)}
        if reason.why is Why.RULE:
            text = _("rule '%(rule)s' matches %(who)s", **values)
        else:
            text = _("\"don't\" rule '%(rule)s' matches %(who)s", **values)
        if reason.schedule:
            text = _("%(text)s (schedule '%(schedule)s' in effect)", text=text, schedule=reason.schedule)
        return text
    if reason.why is Why.ENABLED and reason.match is not None:
        return _match_text(reason.match, caller, region)
    if owner and reason.why is Why.ON_CALL_NO_RING:
        return _("not while %(name)s is on a call", name=owner)
    if owner and reason.why is Why.UNREACHABLE:
        return _("the phone of %(name)s is not reachable", name=owner)
    label = WHY.get(reason.why)
    return str(label) if label is not None else ""


def target_text(target: Target, region: str | None, owner: str | None = None) -> str:
    if target.kind is TargetKind.OWN_PHONES:
        return _("the phones of %(name)s", name=owner) if owner else _("your phones")
    if target.kind is TargetKind.VOICEMAIL:
        return _("the voicemail of %(name)s", name=owner) if owner else _("your voicemail")
    number = format_number(target.number, region)
    if target.kind is TargetKind.DESTINATION_VOICEMAIL:
        return _("the voicemail of %(number)s", number=number)
    return _("%(name)s (%(number)s)", name=target.name, number=number) if target.name else number


def rings_text(rings: int) -> str:
    return ngettext("%(num)d ring", "%(num)d rings", rings)


def outcome_text(step: Step, region: str | None, owner: str | None = None) -> str:
    targets = [target_text(target, region, owner) for target in step.targets]
    if step.outcome is Outcome.RINGS:
        if step.seconds is not None:
            return _("%(targets)s ring for %(seconds)d s", targets=_(" and ").join(targets), seconds=step.seconds)
        if any(target.rings is not None for target in step.targets):  # sequential ring: one after the other
            parts = [_("%(target)s %(rings)s", target=text, rings=rings_text(target.rings or 0))
                     for text, target in zip(targets, step.targets, strict=True)]
            return _(", then ").join(parts)
        together = _(" and ").join(targets)
        if step.rings is None:
            return _("%(targets)s ring", targets=together)
        return _("%(targets)s ring, %(rings)s", targets=together, rings=rings_text(step.rings))
    if step.outcome is Outcome.FORWARDED:
        return _("forwarded to %(target)s", target=targets[0])
    if step.outcome is Outcome.VOICEMAIL:
        if step.after_seconds:
            return _("voicemail after %(seconds)d s", seconds=step.after_seconds)
        return _("voicemail")
    return str(OUTCOMES[step.outcome])


def describe(step: Step, caller: str, region: str | None, owner: str | None = None) -> StepText:
    """``owner``: the person's name when someone else (an administrator) reads their route."""
    feature = str(FEATURES[step.feature])
    if owner and step.feature is Feature.RINGING:
        feature = _("Phones of %(name)s", name=owner)
    return StepText(feature, reason_text(step.reason, caller, region, owner), outcome_text(step, region, owner))


def step_text(step: Step, caller: str, region: str | None, owner: str | None = None) -> str:
    text = describe(step, caller, region, owner)
    if text.reason:
        return _("%(feature)s: %(reason)s → %(outcome)s", feature=text.feature, reason=text.reason,
                 outcome=text.outcome)
    return _("%(feature)s → %(outcome)s", feature=text.feature, outcome=text.outcome)


def loop_text(path: tuple[Hop, ...], names: Mapping[int, str]) -> str:
    """"Alice → forward all calls → Bob → sequential ring → Alice"."""
    parts = [names.get(path[0].user_id, str(path[0].user_id))]
    for hop in path:
        parts += [str(FEATURES[hop.feature]).lower(), names.get(hop.to_user_id, hop.target)]
    return _("Calls would go round in a circle: %(path)s", path=" → ".join(parts))


def warning_text(warning: DeadEnd | IdleSchedule, region: str | None) -> str:
    if isinstance(warning, DeadEnd):
        return _("%(feature)s: %(target)s no longer exists", feature=FEATURES[warning.feature],
                 target=format_number(warning.target, region))
    return _("Schedule '%(name)s' is never in effect: the rules that use it never apply", name=warning.name)
