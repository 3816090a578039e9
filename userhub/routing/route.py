"""What the evaluator returns: the ordered steps a call goes through, as structured data.

Texts are produced separately (``messages.py``) so that the same route can be shown in any language,
drawn as a panel, or compared in tests."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

RING_SECONDS = 6  # one ring cycle (2 s tone + 4 s silence in most of Europe and North America)


class Feature(StrEnum):
    SELECTIVE_REJECT = "selective_reject"
    SELECTIVE_ACCEPT = "selective_accept"
    ANONYMOUS_REJECTION = "anonymous_rejection"
    SELECTIVE_FORWARD = "selective_forward"
    CALL_NOTIFY = "call_notify"
    FORWARD_ALWAYS = "forward_always"
    VOICEMAIL_ALL = "voicemail_all"
    EXECUTIVE_FILTERING = "executive_filtering"
    DO_NOT_DISTURB = "do_not_disturb"
    BUSINESS_CONTINUITY = "business_continuity"
    SEQUENTIAL_RING = "sequential_ring"
    SIMULTANEOUS_RING = "simultaneous_ring"
    SINGLE_NUMBER_REACH = "single_number_reach"
    PRIORITY_ALERT = "priority_alert"
    CALL_WAITING = "call_waiting"
    RINGING = "ringing"  # the user's own phones
    FORWARD_BUSY = "forward_busy"
    FORWARD_NO_ANSWER = "forward_no_answer"
    VOICEMAIL = "voicemail"
    END = "end"  # nothing more is configured


class Outcome(StrEnum):
    # steps the call passes through
    PASSED = "passed"  # the feature looked at the call and let it continue
    SKIPPED = "skipped"  # the feature is on but does not apply to this call (the reason says why)
    NOTIFIED = "notified"
    ALERTED = "alerted"  # distinctive ring
    RINGS = "rings"
    BUSY = "busy"  # the line is busy: busy handling follows
    # terminal outcomes: exactly one, always last
    REJECTED = "rejected"
    FORWARDED = "forwarded"
    VOICEMAIL = "voicemail"
    BUSY_TONE = "busy_tone"  # the caller hears busy, nothing else is configured
    UNANSWERED = "unanswered"  # rings until the caller hangs up


TERMINAL = frozenset({Outcome.REJECTED, Outcome.FORWARDED, Outcome.VOICEMAIL, Outcome.BUSY_TONE, Outcome.UNANSWERED})


class Why(StrEnum):
    RULE = "rule"  # a positive criterion matched
    DONT_RULE = "dont_rule"  # a "Don't ..." criterion matched
    NO_RULE = "no_rule"  # rules exist, none matched this call
    ENABLED = "enabled"  # the setting is on, unconditionally
    ANONYMOUS = "anonymous"
    ACCEPTED = "accepted"  # selective accept let this caller through the screening features
    DND = "dnd"
    ON_CALL = "on_call"  # on a call, call waiting off
    CALL_WAITING = "call_waiting"  # on a call, call waiting on
    ON_CALL_NO_RING = "on_call_no_ring"  # simultaneous ring: "don't ring if on a call"
    UNREACHABLE = "unreachable"
    SEQUENTIAL_WINS = "sequential_wins"  # simultaneous ring set aside by sequential ring
    NO_ANSWER = "no_answer"
    NOTHING_ELSE = "nothing_else"


class Match(StrEnum):
    ANY = "any"
    NUMBER = "number"
    ANONYMOUS = "anonymous"
    UNAVAILABLE = "unavailable"
    INTERNAL = "internal"
    EXTERNAL = "external"
    FORWARDED = "forwarded"


class TargetKind(StrEnum):
    OWN_PHONES = "own_phones"
    NUMBER = "number"
    VOICEMAIL = "voicemail"  # the user's own mailbox
    DESTINATION_VOICEMAIL = "destination_voicemail"  # the mailbox of ``number``


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    number: str = ""
    name: str = ""
    rings: int | None = None  # sequential ring: rings at this target before moving on


@dataclass(frozen=True)
class Reason:
    why: Why
    rule: str = ""  # criterion name when a rule decided
    match: Match | None = None  # what in the call matched the rule
    schedule: str = ""  # the rule's schedule, when it has one


@dataclass(frozen=True)
class Step:
    feature: Feature
    outcome: Outcome
    reason: Reason
    targets: tuple[Target, ...] = ()
    rings: int | None = None  # ring steps: how many rings before the next step (None: until hang-up)
    after_seconds: int = 0  # seconds since the call arrived when this step starts
    seconds: int | None = None  # ring steps ended by a timer (executive rollover) rather than rings

    @property
    def terminal(self) -> bool:
        return self.outcome in TERMINAL


@dataclass(frozen=True)
class Route:
    steps: tuple[Step, ...]

    @property
    def final(self) -> Step:
        return self.steps[-1]

    def features(self) -> list[Feature]:
        return [step.feature for step in self.steps]
