"""Loops and dead ends among the users of one organization, checked when a setting is saved.

Every setting that sends or rings a call elsewhere is an edge from the user to the owner of the
destination (forwarding always / busy / no answer / business continuity, selective forward, sequential
and simultaneous ring, single number reach). Saving a change is refused when, from the new
destinations, the graph leads back to the user. The check is incremental: a depth-first search from
the new destinations looking for the user, so it visits only what those destinations reach.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..phones import is_extension
from ..timeutil import require_aware
from .inputs import Rollover, RoutingSettings, Schedule
from .route import Feature

UserId = int


@dataclass(frozen=True)
class Destination:
    feature: Feature
    target: str  # E.164 number or extension, as saved
    to_voicemail: bool = False  # the destination's mailbox: the call stops there, no further edge


@dataclass(frozen=True)
class Hop:
    user_id: UserId
    feature: Feature
    target: str
    to_user_id: UserId


@dataclass(frozen=True)
class Directory:
    """Who owns which number and extension in the organization, and which numbers it has at all."""

    owners: Mapping[str, UserId]  # E.164 numbers and extensions -> user
    org_numbers: frozenset[str] = frozenset()  # every number of the organization, assigned or free
    names: Mapping[UserId, str] = field(default_factory=dict)

    def owner(self, target: str) -> UserId | None:
        return self.owners.get(target)

    def is_dead_end(self, target: str) -> bool:
        """An extension nobody has, or a number of the organization nobody has any more."""
        if target in self.owners:
            return False
        return is_extension(target) or target in self.org_numbers


Graph = Mapping[UserId, Sequence[Destination]]


def destinations(settings: RoutingSettings) -> list[Destination]:
    """The edges one user's settings create (enabled features with a destination only)."""
    found: list[Destination] = []
    for feature, forward in ((Feature.FORWARD_ALWAYS, settings.forward_always),
                             (Feature.FORWARD_BUSY, settings.forward_busy),
                             (Feature.FORWARD_NO_ANSWER, settings.forward_no_answer),
                             (Feature.BUSINESS_CONTINUITY, settings.business_continuity)):
        if forward.active:
            found.append(Destination(feature, forward.destination, forward.to_voicemail))
    selective = settings.selective_forward
    if selective.enabled:
        if selective.default_destination:
            found.append(Destination(Feature.SELECTIVE_FORWARD, selective.default_destination, selective.to_voicemail))
        found.extend(Destination(Feature.SELECTIVE_FORWARD, rule.forward_to, rule.forward_to_voicemail)
                     for rule in selective.criteria if rule.positive and rule.forward_to)
    executive = settings.executive_filtering
    if executive.enabled:
        found.extend(Destination(Feature.EXECUTIVE_FILTERING, a.number) for a in executive.assistants if a.enabled)
        if executive.rollover is Rollover.FORWARD and executive.rollover_destination:
            found.append(Destination(Feature.EXECUTIVE_FILTERING, executive.rollover_destination))
    for feature, numbers, enabled in (
            (Feature.SEQUENTIAL_RING, settings.sequential_ring.numbers, settings.sequential_ring.enabled),
            (Feature.SIMULTANEOUS_RING, settings.simultaneous_ring.numbers, settings.simultaneous_ring.enabled),
            (Feature.SINGLE_NUMBER_REACH, settings.single_number_reach, True)):
        if enabled:
            found.extend(Destination(feature, n.number) for n in numbers if n.enabled)
    return found


def find_loop(graph: Graph, directory: Directory, user_id: UserId,
              proposed: Sequence[Destination]) -> tuple[Hop, ...] | None:
    """The path by which calls would come back to ``user_id`` if ``proposed`` replaced the user's
    destinations, or None. Iterative DFS; each user is expanded at most once."""
    parent: dict[UserId, Hop] = {}
    stack: list[Hop] = []

    def push(source: UserId, edges: Sequence[Destination]) -> None:
        for edge in edges:
            if edge.to_voicemail:
                continue
            owner = directory.owner(edge.target)
            if owner is not None:
                stack.append(Hop(source, edge.feature, edge.target, owner))

    push(user_id, proposed)
    while stack:
        hop = stack.pop()
        if hop.to_user_id == user_id:
            return _path(parent, hop, user_id)
        if hop.to_user_id in parent:
            continue
        parent[hop.to_user_id] = hop
        push(hop.to_user_id, graph.get(hop.to_user_id, ()))
    return None


def _path(parent: Mapping[UserId, Hop], last: Hop, start: UserId) -> tuple[Hop, ...]:
    path = [last]
    while path[-1].user_id != start:
        path.append(parent[path[-1].user_id])
    return tuple(reversed(path))


def dead_ends(directory: Directory, edges: Iterable[Destination]) -> list[Destination]:
    return [edge for edge in edges if directory.is_dead_end(edge.target)]


def never_in_effect(schedule: Schedule, start: datetime, *, days: int = 366,
                    step: timedelta = timedelta(minutes=15)) -> bool:
    """True when the schedule is in effect at no moment of the coming year. Uses what the schedules
    area knows (``ever_in_effect``, or an interval set); otherwise samples every ``step``."""
    require_aware(start, "start")
    if schedule.ever_in_effect is not None:
        return not schedule.ever_in_effect
    in_effect_after: Callable[[datetime], bool] | None = getattr(schedule.active_at, "in_effect_after", None)
    if in_effect_after is not None:
        return not in_effect_after(start)
    moment, end = start, start + timedelta(days=days)
    while moment < end:
        if schedule.active_at(moment):
            return False
        moment += step
    return True


def schedules_of(settings: RoutingSettings) -> dict[str, Schedule]:
    """Every schedule the user's criteria refer to, by name."""
    features = (settings.selective_reject.criteria, settings.selective_accept.criteria,
                settings.selective_forward.criteria, settings.call_notify.criteria,
                settings.sequential_ring.criteria, settings.simultaneous_ring.criteria,
                settings.priority_alert.criteria)
    return {rule.schedule.name: rule.schedule for rules in features for rule in rules if rule.schedule is not None}


@dataclass(frozen=True)
class DeadEnd:
    """A forwarding or ringing destination that no longer exists."""

    feature: Feature
    target: str


@dataclass(frozen=True)
class IdleSchedule:
    """A schedule a rule relies on that is never in effect: the rule never applies."""

    name: str


def overview_warnings(settings: RoutingSettings, directory: Directory, now: datetime) -> list[DeadEnd | IdleSchedule]:
    """What the Calling overview flags (warnings, not refusals: the user may be fixing things in order)."""
    require_aware(now, "now")
    edges = destinations(settings)
    found: list[DeadEnd | IdleSchedule] = [DeadEnd(e.feature, e.target) for e in dead_ends(directory, edges)]
    found.extend(IdleSchedule(name) for name, schedule in sorted(schedules_of(settings).items())
                 if never_in_effect(schedule, now))
    return found


class ForwardingLoop(ValueError):
    """Saving would send calls round in a circle; ``path`` says through whom (see messages.loop_text)."""

    def __init__(self, path: tuple[Hop, ...]) -> None:
        super().__init__(" -> ".join(f"{hop.user_id}:{hop.feature}" for hop in path))
        self.path = path


def refuse_loop(graph: Graph, directory: Directory, user_id: UserId, proposed: RoutingSettings) -> None:
    """For the calling area's save services: raise ``ForwardingLoop`` before committing a change that
    would close a loop. ``graph`` holds the other users' saved destinations (``destinations(...)``)."""
    path = find_loop(graph, directory, user_id, destinations(proposed))
    if path is not None:
        raise ForwardingLoop(path)
