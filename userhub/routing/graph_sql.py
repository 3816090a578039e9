"""The organization's forwarding graph in the database, for the loop check at save: the ``calling_edges``
table (``models.CallingEdge``), written when a setting is saved (``replace_edges``) and read a
breadth-first round at a time (``edges_of``) or, when the search reaches far, as who leads to whom in
the whole organization (``organization_hops``). Settings' JSON is never read here: the edges are what ``loops.destinations`` made
of the values when they were saved.

Who has a destination is looked up when the graph is read, by index (an extension among the
organization's users, a number among its locations' numbers): a number reassigned, an extension changed
or a person deleted moves or ends the edge without anybody's settings being saved again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, delete, insert, text

from ..extensions import db
from .loops import Destination
from .models import CallingEdge
from .route import Feature

# The SQL below is assembled only from this constant; every value is a bound parameter (hence the
# "# nosec B608" where bandit sees SQL assembled from strings).
# The owner of edge ``e``'s destination, or NULL (a number outside the organization, nobody's number, an
# extension nobody has): two unique indexes, users (organization_id, extension) and phone_numbers (e164).
OWNER = """coalesce(
  (SELECT u.id FROM users u WHERE u.organization_id = e.organization_id AND u.extension = e.target),
  (SELECT p.user_id FROM phone_numbers p JOIN locations l ON l.id = p.location_id
   WHERE p.e164 = e.target AND l.organization_id = e.organization_id))"""

EDGES_OF = text(f"""
SELECT e.user_id, e.feature, e.target, {OWNER} AS owner
FROM calling_edges e WHERE e.organization_id = :org AND e.user_id IN :users""").bindparams(  # nosec B608
    bindparam("users", expanding=True))

# Who leads to whom in the whole organization, for a search that reaches far: (person, owner of one of
# their destinations) pairs, written by the database as one string "user,owner,user,owner,...". One string,
# not 30,000 rows: fetching rows, then collecting them as garbage, cost more than finding them. The query
# starts from the organization's extensions and numbers and finds the edges to each in the index on
# (organization_id, target): 20,000 lookups in an organization of 10,000 instead of three per edge (SQLite
# follows the order written after CROSS JOIN; PostgreSQL hashes). A number starts with "+", an extension
# never does, so no edge is found twice.
_HOPS = """
SELECT {aggregate}(e.user_id || ',' || u.id, ',')
FROM users u {join} calling_edges e ON e.organization_id = u.organization_id AND e.target = u.extension
WHERE u.organization_id = :org
UNION ALL
SELECT {aggregate}(e.user_id || ',' || p.user_id, ',')
FROM locations l {join} phone_numbers p ON p.location_id = l.id
{join} calling_edges e ON e.organization_id = l.organization_id AND e.target = p.e164
WHERE l.organization_id = :org AND p.user_id IS NOT NULL"""
ORGANIZATION_HOPS = {"postgresql": text(_HOPS.format(aggregate="string_agg", join="JOIN")),
                     "sqlite": text(_HOPS.format(aggregate="group_concat", join="CROSS JOIN"))}

Row = tuple[int, str, str, int | None]  # user_id, feature (a routing Feature value), target, its owner

# PostgreSQL advisory locks of userhub's forwarding graph: (this space, organization id).
GRAPH_LOCK_SPACE = 0x5548  # "UH"


def take_turns(organization_id: int) -> None:
    """Saves that could close a loop in one organization take turns until they commit: the second one's
    check then reads the first one's edges, so two people forwarding to each other at the same moment
    cannot both pass. A PostgreSQL transaction lock; SQLite, which production refuses, has none."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:space, :org)"),
                           {"space": GRAPH_LOCK_SPACE, "org": organization_id})


def replace_edges(organization_id: int, user_id: int, kinds: Sequence[Feature],
                  edges: Iterable[Destination]) -> None:
    """Replace the user's edges of the routing features ``kinds`` (those of the calling feature being
    saved) with ``edges``, in the session's transaction: the caller commits them with the settings."""
    db.session.execute(delete(CallingEdge).where(CallingEdge.organization_id == organization_id,
                                                 CallingEdge.user_id == user_id, CallingEdge.feature.in_(kinds)))
    rows = [{"organization_id": organization_id, "user_id": user_id, "feature": edge.feature.value,
             "target": edge.target} for edge in edges]
    if rows:
        db.session.execute(insert(CallingEdge), rows)


def edges_of(organization_id: int, user_ids: Sequence[int]) -> list[Row]:
    """Every edge of ``user_ids`` with the owner of its destination: one query, index lookups only, so
    that a breadth-first round costs what it reads."""
    return list(db.session.execute(EDGES_OF, {"org": organization_id, "users": list(user_ids)}).all())


def organization_hops(organization_id: int) -> dict[int, list[int]]:
    """For each person of the organization, the people their destinations belong to, in one query."""
    statement = ORGANIZATION_HOPS[db.session.get_bind().dialect.name]
    hops: dict[int, list[int]] = {}
    for pairs in db.session.execute(statement, {"org": organization_id}).scalars():
        if not pairs:
            continue  # nobody leads to an extension (or a number) of the organization
        numbers = list(map(int, pairs.split(",")))
        for user_id, owner in zip(numbers[::2], numbers[1::2], strict=True):  # pairs: as many of each
            found = hops.get(user_id)
            if found is None:
                hops[user_id] = [owner]
            else:
                found.append(owner)
    return hops
