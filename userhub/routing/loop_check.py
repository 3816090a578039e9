"""The loop check when a calling feature that sends calls elsewhere is saved.

``calling.services.save`` calls ``check_no_loop(owner, feature, values, criteria)`` before writing
anything; it raises ``SaveWouldLoop`` (a ``loops.ForwardingLoop``) with the path in names and numbers,
which the page shows next to the destination field (``show_on_form``).

Only the part of the organization's forwarding graph that the new destinations reach is read, a
breadth-first round at a time: the owners of the round's numbers and extensions (one query), then
those people's forwarding and ringing settings (two queries: settings, selective-forward rules). A
round stops as soon as the saving user is reached. When the search spreads wide or deep, the rest of
the organization is read at once (four queries) rather than round after round, so that the number of
queries stays bounded (at most ``3 * MAX_ROUNDS + 4``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import FieldList, FormField

from ..calling.criteria import Criterion as SavedCriterion
from ..calling.numbers import CallingNumberField, display_number, region_of
from ..extensions import db
from .loops import Destination, ForwardingLoop, Hop, destinations, find_loop
from .mapper import Owners, Saved, display_name, resolve_targets, settings_of
from .messages import loop_text
from .route import Feature

# Features whose settings are edges of the graph (executive: its rollover forward; its assistants are
# not followed, see MAPPING.md "Limits").
EDGE_FEATURES = ("call-forwarding", "selective-forward", "simultaneous-ring", "sequential-ring",
                 "single-number-reach", "executive")
CHECKED_AT_SAVE = frozenset(EDGE_FEATURES)
MAX_ROUNDS = 6
MAX_FRONTIER = 400  # targets in one round's IN list; beyond, read the whole organization
# The form field a loop's first hop is shown on, by feature (else the number field holding the target).
FIELD_OF_FEATURE = {Feature.FORWARD_ALWAYS: "always_destination", Feature.FORWARD_BUSY: "busy_destination",
                    Feature.FORWARD_NO_ANSWER: "no_answer_destination",
                    Feature.BUSINESS_CONTINUITY: "business_continuity_destination",
                    Feature.SELECTIVE_FORWARD: "default_destination"}


class SaveWouldLoop(ForwardingLoop):
    """``message``: "Calls would go round in a circle: Jane Doe (3200) → forward all calls → ..."."""

    def __init__(self, path: tuple[Hop, ...], message: str) -> None:
        super().__init__(path)
        self.message = message


FORWARD_GROUPS = (("always", Feature.FORWARD_ALWAYS), ("busy", Feature.FORWARD_BUSY),
                  ("no_answer", Feature.FORWARD_NO_ANSWER), ("business_continuity", Feature.BUSINESS_CONTINUITY))
RING_LISTS = {"simultaneous-ring": Feature.SIMULTANEOUS_RING, "sequential-ring": Feature.SEQUENTIAL_RING,
              "single-number-reach": Feature.SINGLE_NUMBER_REACH}


def stored_edges(key: str, stored: dict[str, Any]) -> list[Destination]:
    """The destinations one saved feature (its JSON column) creates: what ``loops.destinations`` reads
    through the mapper, straight from the stored values. The check may read 20,000 rows at once, so it
    skips building whole ``RoutingSettings``; tests hold the two to the same answers."""
    if key == "call-forwarding":
        return [Destination(feature, stored[f"{group}_destination"], bool(stored.get(f"{group}_to_voicemail")))
                for group, feature in FORWARD_GROUPS
                if stored.get(f"{group}_enabled") and stored.get(f"{group}_destination")]
    if not stored.get("enabled"):
        return []
    if key in RING_LISTS:
        reach = key == "single-number-reach"  # its numbers are switched on and off one by one
        return [Destination(RING_LISTS[key], row["phone_number"]) for row in stored.get("numbers") or ()
                if row.get("phone_number") and (not reach or row.get("enabled", True))]
    if key == "selective-forward" and stored.get("default_destination"):
        return [Destination(Feature.SELECTIVE_FORWARD, stored["default_destination"], bool(stored.get("to_voicemail")))]
    if (key == "executive" and stored.get("filtering_enabled") and stored.get("rollover_enabled")
            and stored.get("rollover_action") == "forward" and stored.get("rollover_forward_to")):
        return [Destination(Feature.EXECUTIVE_FILTERING, stored["rollover_forward_to"])]
    return []


def _edges(rows: Iterable[Any], forwards: Iterable[Any]) -> dict[int, list[Destination]]:
    """Destinations of each user from raw settings rows and selective-forward rules."""
    graph: dict[int, list[Destination]] = {}
    forwarding_on: set[int] = set()
    for user_id, key, stored in rows:
        if key == "selective-forward" and stored.get("enabled"):
            forwarding_on.add(user_id)
        found = stored_edges(key, stored)
        if found:
            graph.setdefault(user_id, []).extend(found)
    for user_id, forward_to, enabled in forwards:
        if enabled and user_id in forwarding_on:  # a rule forwards only while the feature is on
            graph.setdefault(user_id, []).append(Destination(Feature.SELECTIVE_FORWARD, forward_to))
    return graph


def _load_edges(user_ids: Sequence[int] | None, organization_id: int) -> dict[int, list[Destination]]:
    """Two queries: the edge features' settings and the selective-forward rules with a number, of
    ``user_ids`` (None: everybody in the organization)."""
    from ..accounts.models import User
    from ..calling.models import CallingCriterion, CallingSetting

    settings = select(CallingSetting.user_id, CallingSetting.feature, CallingSetting.values).where(
        CallingSetting.feature.in_(EDGE_FEATURES))
    forwards = select(CallingCriterion.user_id, CallingCriterion.forward_to, CallingCriterion.enabled).where(CallingCriterion.feature == "selective-forward",
                                                      CallingCriterion.forward_to.is_not(None))
    if user_ids is None:
        settings = settings.join(User, User.id == CallingSetting.user_id).where(User.organization_id == organization_id)
        forwards = forwards.join(User, User.id == CallingCriterion.user_id).where(User.organization_id == organization_id)
    else:
        settings = settings.where(CallingSetting.user_id.in_(user_ids))
        forwards = forwards.where(CallingCriterion.user_id.in_(user_ids))
    return _edges(db.session.execute(settings), db.session.execute(forwards))


def _whole_directory(organization_id: int, into: Owners) -> None:
    """Every number and extension of the organization and who has it (two queries)."""
    from ..accounts.models import User
    from ..organizations.models import Location, PhoneNumber

    people = db.session.execute(
        select(User.id, User.extension, User.display_name, User.first_name, User.last_name, User.email,
               PhoneNumber.e164).outerjoin(PhoneNumber, PhoneNumber.user_id == User.id)
        .where(User.organization_id == organization_id))
    for row in people:
        into.names[row.id] = display_name(row.display_name, row.first_name, row.last_name, row.email)
        if row.extension:
            into.owners[row.extension] = row.id
        if row.e164:
            into.owners[row.e164] = row.id
    into.org_numbers.update(db.session.scalars(
        select(PhoneNumber.e164).join(Location, Location.id == PhoneNumber.location_id)
        .where(Location.organization_id == organization_id)))


def proposed_destinations(feature: Any, values: Any, criteria: Sequence[SavedCriterion]) -> list[Destination]:
    """The edges the feature being saved would create (its other features are not part of this save)."""
    return destinations(settings_of("", Saved({feature.key: values}, {feature.key: list(criteria)})))


def find_saved_loop(owner: Any, proposed: Sequence[Destination]) -> tuple[tuple[Hop, ...], Owners] | None:
    """The loop the proposed edges would close, with who has which number, or None."""
    graph: dict[int, list[Destination]] = {}
    directory = Owners()
    seen: set[str] = set()
    expanded = {owner.id}
    frontier = {edge.target for edge in proposed if not edge.to_voicemail}
    rounds = 0
    while frontier:
        if rounds >= MAX_ROUNDS or len(frontier) > MAX_FRONTIER:
            _whole_directory(owner.organization_id, directory)
            graph.update({k: v for k, v in _load_edges(None, owner.organization_id).items() if k not in graph})
            break
        resolve_targets(owner.organization_id, frontier, into=directory)
        seen |= frontier
        reached = {directory.owners[t] for t in frontier if t in directory.owners}
        if owner.id in reached:
            break  # the loop closes with what is loaded
        new = sorted(reached - expanded)
        expanded.update(new)
        if not new:
            break
        loaded = _load_edges(new, owner.organization_id)
        graph.update(loaded)
        frontier = {edge.target for edges in loaded.values() for edge in edges if not edge.to_voicemail} - seen
        rounds += 1
    path = find_loop(graph, directory.directory(), owner.id, proposed)
    return (path, directory) if path is not None else None


def loop_message(path: tuple[Hop, ...], owners: Owners, owner: Any) -> str:
    """Names with the number or extension each hop dials, in the reader's format."""
    region = region_of(owner)
    owners.names.setdefault(owner.id, owner.name_for_display)
    names = {hop.to_user_id: _("%(name)s (%(number)s)", name=owners.names.get(hop.to_user_id, hop.target),
                                  number=display_number(hop.target, region)) for hop in path}
    return loop_text(path, names)


def check_no_loop(owner: Any, feature: Any, values: Any, criteria: Sequence[SavedCriterion] = ()) -> None:
    """Raise ``SaveWouldLoop`` when saving ``values`` would send the owner's calls back to them."""
    if feature.key not in CHECKED_AT_SAVE:
        return
    proposed = proposed_destinations(feature, values, criteria)
    if not proposed:
        return
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
