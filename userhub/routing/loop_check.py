"""The loop check when a calling feature that sends calls elsewhere is saved, and the edges it follows.

Plugged into calling's save flow at app set-up (``init_app``): ``guard`` runs before anything is
written and raises ``SaveWouldLoop`` (a ``loops.ForwardingLoop`` and a ``calling.hooks.SaveRefused``)
with the path in names and numbers, which the page shows next to the destination field
(``show_on_form``). Once the setting is written, ``after_save`` replaces the user's edges of that
feature in the ``calling_edges`` table (same transaction): the graph the next checks read. Both use
the destinations of the values being saved, computed once per save.

The graph is read from that table a breadth-first round at a time (one indexed query per round: the
edges of the people just reached, with their destinations' owners), so that the check reads only what
the new destinations lead to and stops as soon as the saver is reached; past ``MAX_ROUNDS`` one
recursive query over the same table finishes the search inside the database (``graph_sql``).
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
# Breadth-first rounds of one indexed query each before the recursive query takes over. Rounds stop as
# soon as the saver is reached; the recursive query cannot (bench_loop_check.py with MAX_ROUNDS = 0: a loop
# refused took 26 ms instead of 6 on PostgreSQL), but spares a round trip per person of a long chain (a
# chain of 200 people: 19 ms with 30 rounds, 32 ms with 200; 2,000 people: about 0.3 s; PostgreSQL, measured).
MAX_ROUNDS = 30
# The form field a loop's first hop is shown on, by feature (else the number field holding the target).
FIELD_OF_FEATURE = {Feature.FORWARD_ALWAYS: "always_destination", Feature.FORWARD_BUSY: "busy_destination",
                    Feature.FORWARD_NO_ANSWER: "no_answer_destination",
                    Feature.BUSINESS_CONTINUITY: "business_continuity_destination",
                    Feature.SELECTIVE_FORWARD: "default_destination"}


class SaveWouldLoop(ForwardingLoop, hooks.SaveRefused):
    """``message``: "Calls would go round in a circle: Jane Doe (3200) → forward all calls → ..."."""

    def __init__(self, path: tuple[Hop, ...], message: str) -> None:
        super().__init__(path)
        self.message = message

    def show_on(self, form: Any) -> None:
        show_on_form(form, self)


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
    is; after ``MAX_ROUNDS`` the database finishes the search in one recursive query. The rows become a
    graph only when the saver was reached (most saves close no loop)."""
    org = owner.organization_id
    targets = sorted({edge.target for edge in proposed if not edge.to_voicemail})
    found = resolve_targets(org, targets)
    seeds = {found.owners[t] for t in targets if t in found.owners}
    rows: list[graph_sql.Row] = []
    frontier, expanded = set(seeds), {owner.id}
    for _round in range(MAX_ROUNDS):
        if owner.id in frontier:
            break  # the loop closes with what is read
        frontier -= expanded
        if not frontier:
            return None  # nobody new, and the saver was never reached: no loop
        expanded |= frontier
        read = graph_sql.edges_of(org, sorted(frontier))
        rows.extend(read)
        frontier = {to_user for *_edge, to_user in read if to_user is not None}
    else:  # a long way still to go: let the database search the rest, from the start
        rows = graph_sql.reached_edges(org, owner.id, seeds)
        if owner.id not in seeds and all(to_user != owner.id for *_edge, to_user in rows):
            return None
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


def show_on_form(form: Any, loop: SaveWouldLoop) -> None:
    """Tie the message to the field that holds the loop's first destination (the feature's field when
    two fields hold the same number), else to the first number field of the form."""
    first = loop.path[0]
    candidates = [f for f in _number_fields(form) if f.data == first.target]
    preferred = FIELD_OF_FEATURE.get(first.feature)
    chosen = next((f for f in candidates if f.short_name == preferred), None) or next(iter(candidates), None)
    if chosen is None:
        chosen = next(iter(_number_fields(form)))
    chosen.errors = [*chosen.errors, loop.message]


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
