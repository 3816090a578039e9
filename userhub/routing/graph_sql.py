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

import json
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, text

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

# A list of user ids as one bound parameter, so that a round's statement is the same text whatever the
# number of people in it (prepared once per connection, not once per list length): a JSON array on SQLite
# (json_each), an array on PostgreSQL.
# (PostgreSQL plans "= ANY(array)" as index lookups; "IN (SELECT unnest(...))" as a hash of a whole table.)
_USERS = {"postgresql": "= ANY(CAST(:users AS integer[]))", "sqlite": "IN (SELECT value FROM json_each(:users))"}

_EDGES_OF = f"""
SELECT e.user_id, e.feature, e.target, {OWNER} AS owner
FROM calling_edges e WHERE e.organization_id = :org AND e.user_id {{users}}"""  # nosec B608
EDGES_OF = {name: text(_EDGES_OF.format(users=users)) for name, users in _USERS.items()}

# Who leads to the people ``users``, one pair per edge: (who, which of ``users``). From the people's
# extension and number, by the index on (organization_id, target, user_id): nothing but index lookups, and no
# owner to look up (it is the person the lookup started from). SQLite follows the order after CROSS JOIN.
_LEADS_TO = """
SELECT e.user_id, t.owner
FROM (SELECT u.id AS owner, u.extension AS target FROM users u
      WHERE u.id {users} AND u.organization_id = :org AND u.extension IS NOT NULL
      UNION ALL
      SELECT p.user_id, p.e164 FROM phone_numbers p JOIN locations l ON l.id = p.location_id
      WHERE p.user_id {users} AND l.organization_id = :org) t
{edges}"""
# PostgreSQL would hash the organization's whole edge table for a few hundred lookups: a lateral subquery
# that it may not flatten (OFFSET 0) keeps them lookups in the index.
LEADS_TO = {"postgresql": text(_LEADS_TO.format(users=_USERS["postgresql"], edges=(  # nosec B608
                "CROSS JOIN LATERAL (SELECT e.user_id FROM calling_edges e"
                " WHERE e.organization_id = :org AND e.target = t.target OFFSET 0) e"))),
            "sqlite": text(_LEADS_TO.format(users=_USERS["sqlite"], edges=(  # nosec B608
                "CROSS JOIN calling_edges e ON e.organization_id = :org AND e.target = t.target")))}

# Who leads to whom in the whole organization, for a search that reaches far: the pairs (person, owner of
# one of their destinations), written by the database as text, not as 30,000 rows (fetching rows, then
# collecting them as garbage, cost more than finding them). SQLite, which works in this process, also groups
# them by person ("user:owner,owner;user:owner;...": its grouping costs less than splitting the pairs in
# Python); PostgreSQL writes the pairs as they come ("user,owner,user,owner,...": grouping them there cost
# three times the query). The query starts from the organization's extensions and numbers and finds the
# edges to each in the index on (organization_id, target): 20,000 lookups in an organization of 10,000
# instead of three per edge (SQLite follows the order written after CROSS JOIN; PostgreSQL hashes). A number
# starts with "+", an extension never does, so no edge is found twice.
_PAIRS = """
SELECT e.user_id AS who, u.id AS whom
FROM users u CROSS JOIN calling_edges e ON e.organization_id = u.organization_id AND e.target = u.extension
WHERE u.organization_id = :org
UNION ALL
SELECT e.user_id, p.user_id
FROM locations l CROSS JOIN phone_numbers p ON p.location_id = l.id
CROSS JOIN calling_edges e ON e.organization_id = l.organization_id AND e.target = p.e164
WHERE l.organization_id = :org AND p.user_id IS NOT NULL"""
_FLAT_PAIRS = """
SELECT string_agg(e.user_id || ',' || u.id, ',')
FROM users u JOIN calling_edges e ON e.organization_id = u.organization_id AND e.target = u.extension
WHERE u.organization_id = :org
UNION ALL
SELECT string_agg(e.user_id || ',' || p.user_id, ',')
FROM locations l JOIN phone_numbers p ON p.location_id = l.id
JOIN calling_edges e ON e.organization_id = l.organization_id AND e.target = p.e164
WHERE l.organization_id = :org AND p.user_id IS NOT NULL"""
ORGANIZATION_HOPS = {
    "postgresql": text(_FLAT_PAIRS),
    "sqlite": text(f"""SELECT group_concat(line, ';') FROM (
  SELECT who || ':' || group_concat(whom, ',') AS line FROM ({_PAIRS}) GROUP BY who)"""),  # nosec B608
}
# A person's id as text -> the ids of the people their destinations belong to, as text (one per edge): a
# list, or on SQLite the same as one comma-separated text, split only when a search reaches the person
# (``owners_in``): a search reaches about half of them, and splitting all 10,000 lines into lists cost
# 5 of SQLite's 7 ms of parsing (issue 16).
Hops = dict[str, str | list[str]]

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
    name = db.session.get_bind().dialect.name
    return list(db.session.execute(EDGES_OF[name], {"org": organization_id, "users": _users(name, user_ids)}).all())


def leads_to(organization_id: int, user_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(who, whom) for every edge whose destination is one of ``user_ids``: the breadth-first round of a
    search backwards, from the person who saves. One query, index lookups only."""
    name = db.session.get_bind().dialect.name
    return [(who, whom) for who, whom in db.session.execute(
        LEADS_TO[name], {"org": organization_id, "users": _users(name, user_ids)})]


def _users(dialect: str, user_ids: Sequence[int]) -> object:
    ids = [int(user_id) for user_id in user_ids]
    return ids if dialect == "postgresql" else json.dumps(ids)


def organization_hops(organization_id: int) -> Hops:
    """For each person of the organization who leads to someone of it, the people their destinations
    belong to, in one query. The ids stay text: the search converts only the way it finds."""
    name = db.session.get_bind().dialect.name
    hops: Hops = {}
    grouped: dict[str, list[str]] = {}  # PostgreSQL's pairs, grouped here
    for text_ in db.session.execute(ORGANIZATION_HOPS[name], {"org": organization_id}).scalars():
        if not text_:
            continue  # nobody leads to an extension (or a number) of the organization
        if name == "sqlite":  # one line per person ("user:owner,owner"), grouped by the query
            parts = iter(text_.replace(";", ":").split(":"))
            hops.update(zip(parts, parts, strict=True))
            continue
        pairs = iter(text_.split(","))
        for user, owner in zip(pairs, pairs, strict=True):
            found = grouped.get(user)
            if found is None:
                grouped[user] = [owner]
            else:
                found.append(owner)
    hops.update(grouped)
    return hops


def owners_in(hops: Hops, user: str) -> Sequence[str]:
    """The people ``user``'s destinations belong to in ``hops`` (ids as text, one per edge)."""
    owners = hops.get(user, ())
    return owners.split(",") if isinstance(owners, str) else owners


def hops_of(hops: Hops, user_id: int) -> list[int]:
    """The people ``user_id``'s destinations belong to, in ``hops`` (as many times as they have edges to them)."""
    return [int(owner) for owner in owners_in(hops, str(user_id))]
