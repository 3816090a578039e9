"""The organization's forwarding graph in the database, for the loop check at save: the ``calling_edges``
table (``models.CallingEdge``), written when a setting is saved (``replace_edges``) and read a
breadth-first round at a time (``edges_of`` forwards, ``leads_to`` backwards) or, when the search reaches
far, as who leads to whom in the whole organization (``organization_hops``). Settings' JSON is never read
here: the edges are what ``loops.destinations`` made of the values when they were saved.

Each edge stores who has its destination (``to_user_id``), computed as the edge is written and kept right
by the database when a number is reassigned, an extension changes or a person is deleted (``owner_sql``),
so every read here is an index scan of ``calling_edges`` alone, with no owner to look up (issue 16: the
lookups were a third of the whole-graph read).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, text

from ..extensions import db
from .loops import Destination
from .models import CallingEdge
from .owner_sql import owner_of
from .route import Feature

# The SQL below is assembled only from these constants; every value is a bound parameter (hence the
# "# nosec B608" where bandit sees SQL assembled from strings).
# The owner of edge ``e``'s destination computed from the people and numbers (what ``to_user_id`` holds).
OWNER = owner_of("e.organization_id", "e.target")

# A list of user ids as one bound parameter, so that a round's statement is the same text whatever the
# number of people in it (prepared once per connection, not once per list length): a JSON array on SQLite
# (json_each), an array on PostgreSQL.
# (PostgreSQL plans "= ANY(array)" as index lookups; "IN (SELECT unnest(...))" as a hash of a whole table.)
_USERS = {"postgresql": "= ANY(CAST(:users AS integer[]))", "sqlite": "IN (SELECT value FROM json_each(:users))"}

# A user's new edges, each with the owner of its destination, in one statement: (feature, target) pairs as
# two arrays (PostgreSQL) or one JSON array of pairs (SQLite).
_INSERT = f"""
INSERT INTO calling_edges (organization_id, user_id, feature, target, to_user_id)
SELECT e.organization_id, :user, e.feature, e.target, {OWNER}
FROM ({{rows}}) e"""  # nosec B608
INSERT_EDGES = {
    "postgresql": text(_INSERT.format(rows=(
        "SELECT CAST(:org AS integer) AS organization_id, f AS feature, t AS target "
        "FROM unnest(CAST(:features AS varchar[]), CAST(:targets AS varchar[])) AS x(f, t)"))),
    "sqlite": text(_INSERT.format(rows=(
        "SELECT :org AS organization_id, json_extract(value, '$[0]') AS feature, "
        "json_extract(value, '$[1]') AS target FROM json_each(:edges)"))),
}

EDGES_OF = {name: text("SELECT e.user_id, e.feature, e.target, e.to_user_id FROM calling_edges e "  # nosec B608
                       f"WHERE e.organization_id = :org AND e.user_id {users}") for name, users in _USERS.items()}

# Who leads to the people ``users``, one pair per edge: (who, which of ``users``), from the index on
# (to_user_id, organization_id, user_id) alone.
LEADS_TO = {name: text("SELECT e.user_id, e.to_user_id FROM calling_edges e "  # nosec B608
                       f"WHERE e.to_user_id {users} AND e.organization_id = :org") for name, users in _USERS.items()}

# Who leads to whom in the whole organization, for a search that reaches far: for each person, the owners of
# their destinations ("user:owner,owner;user:owner;..."), grouped by the database as it reads the index on
# (organization_id, user_id, to_user_id) in that order (no sort, no visit of the table), and written as one
# text, not as 30,000 rows: fetching rows, then collecting them as garbage, cost more than finding them, and
# the pairs ungrouped ("user,owner,...", grouped in Python) cost 15 ms against 9 on PostgreSQL (issue 16,
# bench_loop_check.py's organization of 10,000).
_HOPS = """SELECT {concat}(line, ';') FROM (
  SELECT e.user_id || ':' || {concat}(CAST(e.to_user_id AS text), ',') AS line FROM calling_edges e
  WHERE e.organization_id = :org AND e.to_user_id IS NOT NULL GROUP BY e.user_id) lines"""
ORGANIZATION_HOPS = {"postgresql": text(_HOPS.format(concat="string_agg")),
                     "sqlite": text(_HOPS.format(concat="group_concat"))}
# A person's id as text -> the ids of the people their destinations belong to, as one comma-separated text
# (one per edge), split only when a search reaches the person (``owners_in``): a search reaches about half of
# them, and splitting all 10,000 lines into lists cost 5 of SQLite's 7 ms of parsing (issue 16).
Hops = dict[str, str]

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
    saved) with ``edges``, each with the owner of its destination (one INSERT), in the session's
    transaction: the caller commits them with the settings."""
    db.session.execute(delete(CallingEdge).where(CallingEdge.organization_id == organization_id,
                                                 CallingEdge.user_id == user_id, CallingEdge.feature.in_(kinds)))
    pairs = [(edge.feature.value, edge.target) for edge in edges]
    if not pairs:
        return
    name = db.session.get_bind().dialect.name
    if name == "postgresql":
        rows: dict[str, object] = {"features": [f for f, _t in pairs], "targets": [t for _f, t in pairs]}
    else:
        rows = {"edges": json.dumps(pairs)}
    db.session.execute(INSERT_EDGES[name], {"org": organization_id, "user": user_id, **rows})


def edges_of(organization_id: int, user_ids: Sequence[int]) -> list[Row]:
    """Every edge of ``user_ids`` with the owner of its destination: one query by index, so that a
    breadth-first round costs what it reads."""
    name = db.session.get_bind().dialect.name
    return list(db.session.execute(EDGES_OF[name], {"org": organization_id, "users": _users(name, user_ids)}).all())


def leads_to(organization_id: int, user_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(who, whom) for every edge whose destination is one of ``user_ids``: the breadth-first round of a
    search backwards, from the person who saves. One query, from an index alone."""
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
    lines = db.session.execute(ORGANIZATION_HOPS[name], {"org": organization_id}).scalar()
    if not lines:
        return {}  # nobody leads to anybody of the organization
    parts = iter(lines.replace(";", ":").split(":"))
    return dict(zip(parts, parts, strict=True))


def owners_in(hops: Hops, user: str) -> Sequence[str]:
    """The people ``user``'s destinations belong to in ``hops`` (ids as text, one per edge)."""
    owners = hops.get(user)
    return owners.split(",") if owners else ()


def hops_of(hops: Hops, user_id: int) -> list[int]:
    """The people ``user_id``'s destinations belong to, in ``hops`` (as many times as they have edges to them)."""
    return [int(owner) for owner in owners_in(hops, str(user_id))]
