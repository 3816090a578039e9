"""The loop check when a calling feature that sends calls elsewhere is saved, and the edges it follows.

Plugged into calling's save flow at app set-up (``init_app``): ``guard`` runs before anything is
written and raises ``SaveWouldLoop`` (a ``loops.ForwardingLoop`` and a ``calling.hooks.SaveRefused``)
with the path in names and numbers, which the page shows next to the destination field
(``placed_on``, through ``errors.show_on``). Once the setting is written, ``after_save`` replaces the user's edges of that
feature in the ``calling_edges`` table (same transaction): the graph the next checks read. Both use
the destinations of the values being saved, computed once per save.

The graph is read from that table a breadth-first round at a time (one indexed query per round: the
edges of the people just reached, with their destinations' owners), so that the check reads only what
the new destinations lead to and stops as soon as the saver is reached; past ``MAX_ROUNDS`` rounds or
``MAX_ROUND_ROWS`` edges read, one query reads who leads to whom in the whole organization and the search
goes on in memory from where the rounds stopped (``graph_sql``).
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
# Breadth-first rounds of one indexed query each before the whole graph is read at once. Rounds stop as
# soon as the saver is reached and read only what the destinations lead to: 2 to 5 ms, 9 to 15 ms for
# 992 people reached in 19 rounds. Reading who leads to whom in an organization of 10,000 people (30,000
# edges) costs the same whatever the reach, where rounds grow with it (a chain of 10,000 people: 10,000
# rounds). A round's row costs a few times an edge of that read (owners looked up edge by edge, rows
# fetched): past 2,000 rows (6,000 before) the rounds cost more than they may still save, and a full reach
# paid both (10,000 people: 6,000 rows of rounds, then the whole graph). A round also costs a round trip
# (about 1 ms of work on PostgreSQL), but 15 rounds sent the 992 people of the bench's wide reach (19
# rounds, 9 ms) to the whole graph (70 ms under a load of 24): 30 rounds. Measured with bench_loop_check.py.
MAX_ROUNDS = 30
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

    Breadth-first rounds from the new destinations, one query each (the edges of the people just
    reached, with the owners of their destinations), stopping when the saver is reached or nobody new
    is; past ``MAX_ROUNDS`` rounds or ``MAX_ROUND_ROWS`` edges, who leads to whom in the whole organization
    is read in one query and the search goes on in memory from the same frontier, then the edges of the
    people on the way found are read to name it. The rows become a graph only when the saver was reached
    (most saves close no loop)."""
    org = owner.organization_id
    targets = sorted({edge.target for edge in proposed if not edge.to_voicemail})
    found = resolve_targets(org, targets)
    seeds = {found.owners[t] for t in targets if t in found.owners}
    rows: list[graph_sql.Row] = []
    frontier, expanded = set(seeds), {owner.id}
    rounds = 0
    while owner.id not in frontier:  # else the loop closes with what is read
        frontier -= expanded
        if not frontier:
            return None  # nobody new, and the saver was never reached: no loop
        if rounds >= MAX_ROUNDS or len(rows) > MAX_ROUND_ROWS:
            path_users = _path_in_organization(org, owner.id, frontier, expanded)
            if path_users is None:
                return None
            rows.extend(graph_sql.edges_of(org, sorted(path_users)))  # the loop's edges, to name them
            break
        expanded |= frontier
        rounds += 1
        read = graph_sql.edges_of(org, sorted(frontier))
        rows.extend(read)
        frontier = {to_user for *_edge, to_user in read if to_user is not None}
    graph: dict[int, list[Destination]] = {}
    for user_id, feature, target, to_user in rows:
        graph.setdefault(user_id, []).append(Destination(Feature(feature), target))
        if to_user is not None:
            found.owners[target] = to_user
    path = find_loop(graph, found.directory(), owner.id, proposed)
    if path is None:
        return None
    found.names.update(_names({hop.to_user_id for hop in path}))
    return path, found


def _path_in_organization(org: int, saver: int, frontier: set[int], expanded: set[int]) -> set[int] | None:
    """Go on from the rounds' ``frontier`` over the organization's whole graph (one query, in memory):
    the people on a way from the frontier to ``saver`` (the saver excluded), or None when there is none.
    ``expanded``: those the rounds have read already (their edges are in hand)."""
    hops = graph_sql.organization_hops(org)
    parent: dict[int, int | None] = dict.fromkeys(frontier)
    seen = expanded | frontier
    queue = list(frontier)
    for user in queue:  # breadth-first; the list grows as it is read
        for to_user in hops.get(user, ()):
            if to_user == saver:
                on_path = set()
                step: int | None = user
                while step is not None:
                    on_path.add(step)
                    step = parent[step]
                return on_path
            if to_user not in seen:
                seen.add(to_user)
                parent[to_user] = user
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
