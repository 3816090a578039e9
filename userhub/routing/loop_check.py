"""The loop check when a calling feature that sends calls elsewhere is saved, and the edges it follows.

Plugged into calling's save flow at app set-up (``init_app``): ``guard`` runs before anything is
written and raises ``SaveWouldLoop`` (a ``loops.ForwardingLoop`` and a ``calling.hooks.SaveRefused``)
with the path in names and numbers, which the page shows next to the destination field
(``placed_on``, through ``errors.show_on``). Once the setting is written, ``after_save`` replaces the user's edges of that
feature in the ``calling_edges`` table (same transaction): the graph the next checks read. Both use
the destinations of the values being saved, computed once per save.

The graph is read from that table a breadth-first round at a time, from both ends: forwards from the new
destinations (the edges of the people just reached, with their destinations' owners) and backwards from
the saver (who leads to the people just reached, by the index on the edges' owners), one indexed query
per round, always the smaller side, until they meet (a loop) or one side has nobody new (none); past
``MAX_ROUNDS`` rounds or ``MAX_ROUND_ROWS`` edges read, one query reads who leads to whom in the whole
organization and the search goes on in memory from where the rounds stopped (``graph_sql``). Each edge
stores its destination's owner, kept right by the database (``owner_sql``): no read looks one up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from wtforms import FieldList, FormField

from ..accounts.models import User, name_for_display
from ..calling import hooks
from ..calling.saved_criteria import Criterion as SavedCriterion
from ..calling.numbers import CallingNumberField, display_number, region_of
from ..extensions import db
from ..i18n import gettext as _
from . import graph_sql
from .loops import Destination, ForwardingLoop, Hop, destinations, find_loop
from .mapper import Owners, Saved, resolve_targets, settings_of
from .messages import loop_text
from .models import EDGE_KINDS
from .route import Feature

# Features whose settings are edges of the graph (executive: its rollover forward; its assistants are
# not followed, see MAPPING.md "Limits").
EDGE_FEATURES = tuple(EDGE_KINDS)
CHECKED_AT_SAVE = frozenset(EDGE_FEATURES)
# Breadth-first rounds (one indexed query each, forwards or backwards) before the whole graph is read at
# once. Searching from both ends, a round expands the smaller side: a save reaching nobody who leads back,
# or made by someone nobody leads to, ends in a round or two, and a loop closed at the end of a chain
# through the whole organization of 10,000 is met in the middle in 6 rounds. What rounds cannot make cheap
# is a save where both sides are large and do not meet (the bench's "half the organization": 5,000 people
# lead to the saver, 5,000 are reachable from the destination). The worst case is then the rounds spent
# before giving up plus the whole graph. With the owners stored (issue 16) a round costs about 0.5 ms of
# work on PostgreSQL and the whole graph with its search about 15 ms, so the rounds are kept where they
# were; measured with bench_loop_check.py's cases (work median, ms, PostgreSQL / SQLite):
#   rounds        loop refused       loop at the chain's end   half the org   both wide
#   0 (none)      19.1 / 12.6         19.5 / 12.9            18.7 / 13.7    22.0 / 15.7
#   4             20.1 / 13.0         20.4 / 13.2            19.8 / 14.2    23.4 / 15.8
#   6             10.5 /  2.8         10.4 /  3.1            21.5 / 14.5    23.9 / 15.7
#   8              8.1 /  2.9          8.3 /  3.1            22.5 / 14.8    25.0 / 16.2
# (The two loops take the same rounds under 6 and 8: their difference there is the machine's.) Fewer than 6
# send those loops to the whole graph (twice the work) for 2 ms off the worst case; more add 1 ms to it.
# 1,000 or 2,000 edges read made no difference in these cases (371 at most).
MAX_ROUNDS = 6
MAX_ROUND_ROWS = 2000
# The form field a loop's first hop is shown on, by feature (else the number field holding the target).
FIELD_OF_FEATURE = {Feature.FORWARD_ALWAYS: "always_destination", Feature.FORWARD_BUSY: "busy_destination",
                    Feature.FORWARD_NO_ANSWER: "no_answer_destination",
                    Feature.BUSINESS_CONTINUITY: "business_continuity_destination",
                    Feature.SELECTIVE_FORWARD: "default_destination"}


class SaveWouldLoop(ForwardingLoop, hooks.SaveRefused):
    """``message``: "Calls would go round in a circle: Jane Doe (3200) → forward all calls → ..."."""

    def __init__(self, path: tuple[Hop, ...], message: str) -> None:
        hooks.SaveRefused.__init__(self, message)
        self.path = path

    def placed_on(self, form: Any) -> dict[str, list[Any]]:
        field = field_of_loop(form, self)
        return {field.name: [self.message]} if field is not None else {}


def proposed_destinations(feature: Any, values: Any, criteria: Sequence[SavedCriterion]) -> list[Destination]:
    """The edges the feature being saved would create (its other features are not part of this save)."""
    return destinations(settings_of("", Saved({feature.key: values}, {feature.key: list(criteria)})))


def save_edges(owner: Any, feature: Any, values: Any, criteria: Sequence[SavedCriterion],
               proposed: Sequence[Destination] | None = None) -> None:
    """Replace the owner's edges of ``feature`` with those of the values being saved (a destination's
    voicemail is none: the call stops in the mailbox). In the caller's transaction, with the setting.
    ``proposed``: the values' destinations, when the caller has them already."""
    kinds = EDGE_KINDS.get(feature.key)
    if kinds is None:
        return
    if proposed is None:
        proposed = proposed_destinations(feature, values, criteria)
    edges = dict.fromkeys(edge for edge in proposed if not edge.to_voicemail)
    graph_sql.replace_edges(owner.organization_id, owner.id, kinds, edges)


def find_saved_loop(owner: Any, proposed: Sequence[Destination]) -> tuple[tuple[Hop, ...], Owners] | None:
    """The loop the proposed edges would close, with who has which number, or None.

    The question is whether the new destinations lead to the saver: a breadth-first search forwards from
    the destinations' owners (``graph_sql.edges_of``: their edges, with the owners of their destinations,
    stored with each edge) and one backwards from the saver (``graph_sql.leads_to``: who leads to them),
    one query per round, always a round of the side with fewer people to expand, until the two meet (a
    loop) or one side has nobody new (none). Saving to someone nobody leads back from, or as someone nobody leads to, costs a
    round or two whatever the organization's size. Past ``MAX_ROUNDS`` rounds or ``MAX_ROUND_ROWS`` edges,
    who leads to whom in the whole organization is read in one query and the forward search goes on in
    memory until it meets the people found backwards. The edges of the people on the way found are then
    read to name it (``find_loop`` over them and the edges the forward rounds read)."""
    org = owner.organization_id
    saver = owner.id
    targets = sorted({edge.target for edge in proposed if not edge.to_voicemail})
    found = resolve_targets(org, targets)
    came_from: dict[int, int | None] = {}  # reached forwards: by whom (None: a new destination's owner)
    goes_to: dict[int, int | None] = {saver: None}  # reached backwards: to whom they lead (None: the saver)
    forward: list[int] = []
    for target in targets:
        seed = found.owners.get(target)
        if seed is not None and seed not in came_from:
            came_from[seed] = None
            forward.append(seed)
    backward = [saver]
    rows: list[graph_sql.Row] = []  # the forward rounds' edges, to name the loop
    expanded: set[int] = set()  # whose edges are in ``rows``
    meeting = next((user for user in forward if user in goes_to), None)
    rounds = read = forward_rounds = 0
    while meeting is None:
        if not forward or not backward:
            return None  # one side has nobody new: the destinations do not lead to the saver
        if rounds >= MAX_ROUNDS or read > MAX_ROUND_ROWS:
            meeting = _meet_in_organization(org, forward, came_from, goes_to)
            if meeting is None:
                return None
            break
        rounds += 1
        # the side with fewer people to expand; on a tie, the side with fewer rounds so far
        if (len(forward), forward_rounds) <= (len(backward), rounds - 1 - forward_rounds):
            forward_rounds += 1
            step = graph_sql.edges_of(org, sorted(forward))
            expanded.update(forward)
            rows.extend(step)
            read += len(step)
            forward = []
            for user_id, _feature, _target, to_user in step:
                if to_user is not None and to_user not in came_from:
                    came_from[to_user] = user_id
                    forward.append(to_user)
                    if to_user in goes_to:
                        meeting = to_user
                        break
        else:
            leading = graph_sql.leads_to(org, sorted(backward))
            read += len(leading)
            backward = []
            for who, whom in leading:
                if who not in goes_to:
                    goes_to[who] = whom
                    backward.append(who)
                    if who in came_from:
                        meeting = who
                        break
    on_path: set[int] = set()
    step_user: int | None = meeting
    while step_user is not None:  # back from where the searches met to a new destination's owner
        on_path.add(step_user)
        step_user = came_from[step_user]
    step_user = goes_to[meeting]
    while step_user is not None:  # on from there to the saver
        on_path.add(step_user)
        step_user = goes_to[step_user]
    on_path.discard(saver)
    missing = on_path - expanded
    if missing:
        rows.extend(graph_sql.edges_of(org, sorted(missing)))  # the loop's edges, to name them
    graph: dict[int, list[Destination]] = {}
    for user_id, feature, target, to_user in rows:
        graph.setdefault(user_id, []).append(Destination(Feature(feature), target))
        if to_user is not None:
            found.owners[target] = to_user
    path = find_loop(graph, found.directory(), saver, proposed)
    if path is None:
        return None  # the way found changed hands between two reads (no lock on SQLite)
    found.names.update(_names({hop.to_user_id for hop in path}))
    return path, found


def _meet_in_organization(org: int, forward: list[int], came_from: dict[int, int | None],
                          goes_to: dict[int, int | None]) -> int | None:
    """Go on forwards from the rounds' ``forward`` frontier over the organization's whole graph (one
    query, in memory) until someone found backwards (``goes_to``, the saver included) is reached: that
    person, with ``came_from`` extended to them, or None when nobody is. The search keeps the ids as the
    query wrote them (text) and converts only the way found."""
    hops = graph_sql.organization_hops(org)
    known = {str(user) for user in came_from}  # reached by the rounds
    reached: dict[str, str] = {}  # reached here: by whom
    goals = {str(user) for user in goes_to}
    queue = [str(user) for user in forward]
    for user in queue:  # breadth-first; the list grows as it is read
        owners = hops.get(user)
        if not owners:
            continue
        for to_user in owners.split(","):  # graph_sql.owners_in, inline
            if to_user not in known and to_user not in reached:
                reached[to_user] = user
                if to_user in goals:
                    step = to_user
                    while step not in known:  # the way back to the rounds' frontier
                        came_from[int(step)] = int(reached[step])
                        step = reached[step]
                    return int(to_user)
                queue.append(to_user)
    return None


def _names(user_ids: set[int]) -> dict[int, str]:
    rows = db.session.execute(select(User.id, User.display_name, User.first_name, User.last_name, User.email)
                              .where(User.id.in_(sorted(user_ids))))
    return {row.id: name_for_display(row.display_name, row.first_name, row.last_name, row.email) for row in rows}


def loop_message(path: tuple[Hop, ...], owners: Owners, owner: Any) -> str:
    """Names with the number or extension each hop dials, in the reader's format."""
    region = region_of(owner)
    owners.names.setdefault(owner.id, owner.name_for_display)
    names = {hop.to_user_id: _("%(name)s (%(number)s)", name=owners.names.get(hop.to_user_id, hop.target),
                                  number=display_number(hop.target, region)) for hop in path}
    return loop_text(path, names)


def check_no_loop(owner: Any, feature: Any, values: Any, criteria: Sequence[SavedCriterion] = (),
                  proposed: Sequence[Destination] | None = None) -> None:
    """Raise ``SaveWouldLoop`` when saving ``values`` would send the owner's calls back to them.
    ``proposed``: the values' destinations, when the caller has them already."""
    if feature.key not in CHECKED_AT_SAVE:
        return
    if proposed is None:
        proposed = proposed_destinations(feature, values, criteria)
    if not proposed:
        return  # no destination, no loop
    graph_sql.take_turns(owner.organization_id)
    found = find_saved_loop(owner, proposed)
    if found is not None:
        path, owners = found
        raise SaveWouldLoop(path, loop_message(path, owners, owner))


def _number_fields(fields: Iterable[Any]) -> Iterable[Any]:
    for field in fields:
        if isinstance(field, CallingNumberField):
            yield field
        elif isinstance(field, FormField):
            yield from _number_fields(field.form)
        elif isinstance(field, FieldList):
            yield from _number_fields(field.entries)


def field_of_loop(form: Any, loop: SaveWouldLoop) -> Any:
    """The field the loop's message goes on: the one that holds the loop's first destination (the
    feature's field when two fields hold the same number); None when no field of this form holds it
    (a rule's page saving a loop through the feature's own destination: the view says where)."""
    first = loop.path[0]
    candidates = [f for f in _number_fields(form) if f.data == first.target]
    preferred = FIELD_OF_FEATURE.get(first.feature)
    chosen = next((f for f in candidates if f.short_name == preferred), None) or next(iter(candidates), None)
    return chosen


# --- calling's save flow ---------------------------------------------------------------------------


def _proposed(pending: hooks.PendingSave) -> list[Destination]:
    return pending.once("routing.destinations",
                        lambda: proposed_destinations(pending.feature, pending.values, pending.criteria))


def guard(pending: hooks.PendingSave) -> None:
    """Before anything of the save is written: refuse a save that closes a forwarding loop."""
    if pending.feature.key in CHECKED_AT_SAVE:
        check_no_loop(pending.owner, pending.feature, pending.values, pending.criteria, _proposed(pending))


def after_save(pending: hooks.PendingSave) -> None:
    """Once the setting is written: the forwarding graph the next loop checks follow."""
    if pending.feature.key in EDGE_KINDS:
        save_edges(pending.owner, pending.feature, pending.values, pending.criteria, _proposed(pending))
