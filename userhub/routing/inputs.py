"""Plain input and output of the routing evaluator, independent of the database models.

The calling, schedules and voicemail areas store settings their own way; a mapper (see
``userhub/routing/MAPPING.md``) copies what routing needs into these frozen dataclasses, so that
``evaluate`` stays a pure, fast function that tests can drive without a database.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from ..timeutil import require_aware

ANONYMOUS = "anonymous"  # the caller withheld their number
UNAVAILABLE = "unavailable"  # the network did not deliver a number
SOME_NUMBER = "some-number"  # a caller with a number that no rule lists ("a call from outside, now")


class ActiveAt(Protocol):
    """Whether a schedule is in effect at an aware datetime (``schedules.in_effect`` bound to one schedule)."""

    def __call__(self, at: datetime, /) -> bool: ...


@dataclass(frozen=True)
class IntervalSchedule:
    """A schedule precomputed as sorted, non-overlapping [start, end) intervals of aware datetimes.

    Lookup is a binary search, so a schedule with yearly and weekly rules expanded over a year costs
    microseconds to test."""

    intervals: tuple[tuple[datetime, datetime], ...]
    _starts: tuple[datetime, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.intervals))
        object.__setattr__(self, "intervals", ordered)
        object.__setattr__(self, "_starts", tuple(start for start, _ in ordered))

    @classmethod
    def of(cls, intervals: Iterable[tuple[datetime, datetime]]) -> IntervalSchedule:
        return cls(tuple(intervals))

    def __call__(self, at: datetime, /) -> bool:
        index = bisect.bisect_right(self._starts, at) - 1
        return index >= 0 and at < self.intervals[index][1]

    def in_effect_after(self, moment: datetime) -> bool:
        """Whether any interval is still to come (or running) at ``moment``."""
        return any(start < end and end > moment for start, end in self.intervals)


@dataclass(frozen=True)
class Schedule:
    """A named schedule a criterion refers to. ``ever_in_effect`` is filled by the mapper when the
    schedules area can tell (None: unknown, the loop/warning check then samples ``active_at``)."""

    name: str
    active_at: ActiveAt | Callable[[datetime], bool]
    ever_in_effect: bool | None = None


class CallsFrom(StrEnum):
    ANY = "any"  # ANY_PHONE_NUMBER
    SELECTED = "selected"  # SELECT_PHONE_NUMBERS (+ anonymous / unavailable flags)
    FORWARDED = "forwarded"  # selective reject only: calls forwarded to the user
    INTERNAL = "internal"  # ANY_INTERNAL (selective forward)
    EXTERNAL = "external"  # ANY_EXTERNAL (selective forward)


@dataclass(frozen=True)
class Criterion:
    """One rule of a criteria-based feature. ``positive=False`` is a "Don't ..." rule.
    ``schedule=None`` means "Every Day All Day"."""

    name: str
    positive: bool = True
    calls_from: CallsFrom = CallsFrom.ANY
    numbers: frozenset[str] = frozenset()
    anonymous: bool = False
    unavailable: bool = False
    schedule: Schedule | None = None
    forward_to: str | None = None  # selective forward: None = the feature's default number
    forward_to_voicemail: bool = False


@dataclass(frozen=True)
class Forwarding:
    """Call forwarding always / busy / business continuity, and no answer (with ``rings``)."""

    enabled: bool = False
    destination: str = ""
    to_voicemail: bool = False  # destinationVoicemailEnabled: the destination's mailbox
    rings: int = 3  # no answer only (2-20)

    @property
    def active(self) -> bool:
        return self.enabled and bool(self.destination)


@dataclass(frozen=True)
class RingNumber:
    number: str
    name: str = ""
    rings: int = 3  # sequential ring only (2-20)
    enabled: bool = True  # single number reach entries can be switched off one by one


@dataclass(frozen=True)
class SelectiveForward:
    enabled: bool = False
    default_destination: str = ""
    to_voicemail: bool = False
    criteria: tuple[Criterion, ...] = ()


@dataclass(frozen=True)
class SimultaneousRing:
    enabled: bool = False
    numbers: tuple[RingNumber, ...] = ()
    do_not_ring_if_on_call: bool = False
    apply_criteria: bool = False  # criteriasEnabled ("Apply Schedules"); off = every call
    criteria: tuple[Criterion, ...] = ()


@dataclass(frozen=True)
class SequentialRing:
    enabled: bool = False
    ring_base_first: bool = True
    base_rings: int = 3
    continue_if_base_busy: bool = False
    numbers: tuple[RingNumber, ...] = ()
    criteria: tuple[Criterion, ...] = ()


@dataclass(frozen=True)
class Voicemail:
    enabled: bool = False
    send_all: bool = False
    send_busy: bool = False
    send_unanswered: bool = False
    rings: int = 3


@dataclass(frozen=True)
class Screening:
    """A criteria-only feature: selective accept / reject, priority alert, call notify."""

    enabled: bool = False
    criteria: tuple[Criterion, ...] = ()


class FilterType(StrEnum):
    ALL = "all"  # ALL_CALLS
    INTERNAL = "internal"  # ALL_INTERNAL_CALLS
    EXTERNAL = "external"  # ALL_EXTERNAL_CALLS
    CUSTOM = "custom"  # CUSTOM_CALL_FILTERS: the criteria decide


class Rollover(StrEnum):
    NONE = "none"  # rollover timer off: the assistants ring until someone answers or the caller hangs up
    VOICEMAIL = "voicemail"  # VOICE_MESSAGING
    NO_ANSWER = "no_answer"  # NO_ANSWER_PROCESSING: the executive's own no-answer handling
    FORWARD = "forward"


@dataclass(frozen=True)
class ExecutiveFiltering:
    """Executive call filtering: filtered calls go to the executive's (opted-in) assistants."""

    enabled: bool = False
    filter_type: FilterType = FilterType.ALL
    criteria: tuple[Criterion, ...] = ()  # CUSTOM only; filterEnabled=false is a "Don't filter" rule
    assistants: tuple[RingNumber, ...] = ()  # opted-in assistants, in alert order
    sequential: bool = False  # alertingMode SEQUENTIAL (each assistant ``next_assistant_rings``)
    next_assistant_rings: int = 3
    rollover: Rollover = Rollover.NONE
    rollover_destination: str = ""
    rollover_seconds: int = 30


@dataclass(frozen=True)
class RoutingSettings:
    """Everything about one user that decides where their incoming calls go."""

    user_name: str = ""
    selective_reject: Screening = Screening()
    selective_accept: Screening = Screening()
    anonymous_rejection: bool = False
    selective_forward: SelectiveForward = SelectiveForward()
    call_notify: Screening = Screening()
    forward_always: Forwarding = Forwarding()
    forward_busy: Forwarding = Forwarding()
    forward_no_answer: Forwarding = Forwarding()
    business_continuity: Forwarding = Forwarding()
    do_not_disturb: bool = False
    call_waiting: bool = True
    sequential_ring: SequentialRing = SequentialRing()
    simultaneous_ring: SimultaneousRing = SimultaneousRing()
    single_number_reach: tuple[RingNumber, ...] = ()  # only when SNR is enabled
    priority_alert: Screening = Screening()
    voicemail: Voicemail = Voicemail()
    executive_filtering: ExecutiveFiltering = ExecutiveFiltering()


@dataclass(frozen=True)
class IncomingCall:
    """A hypothetical call: ``at`` is aware, in the user's time zone; ``caller`` is E.164,
    ``ANONYMOUS``, ``UNAVAILABLE`` or ``SOME_NUMBER``."""

    at: datetime
    caller: str
    internal: bool = False
    on_call: bool = False
    reachable: bool = True
    forwarded: bool = False  # reached the user through someone else's forwarding

    def __post_init__(self) -> None:
        require_aware(self.at, "IncomingCall.at")
