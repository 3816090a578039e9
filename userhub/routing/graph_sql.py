"""The organization's forwarding graph read inside the database, for the loop check at save: the
edges of some users (``edges_of``, one breadth-first round), or the whole search as a recursive query
(``reaches``, ``reached_graph``) when the rounds go on: 10,000 users' settings never come into Python.

Edges are read from the calling settings' JSON with each database's JSON functions (SQLite
``json_extract``/``json_each``, PostgreSQL ``->>``/``json_array_elements``), with the meaning of
``loops.destinations``: call forwarding (always, busy, no answer, business continuity), selective
forward (default number and rules with a number), simultaneous and sequential ring, single number
reach (numbers switched on), executive rollover forward; a feature switched off and a destination's
voicemail make no edge. ``tests/routing/test_loop_at_save.py`` holds both databases to that meaning.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from json import dumps as json_dumps

from sqlalchemy import TextClause, bindparam, text

from ..extensions import db
from .loops import Destination
from .route import Feature

# The SQL below is assembled only from this module's constants (table, column and JSON key names, the
# Feature values); every value that comes from a person (organization, user ids, targets) is a bound
# parameter. Hence "# nosec B608" where bandit sees SQL assembled from strings.
FORWARD_GROUPS = (("always", Feature.FORWARD_ALWAYS), ("busy", Feature.FORWARD_BUSY),
                  ("no_answer", Feature.FORWARD_NO_ANSWER), ("business_continuity", Feature.BUSINESS_CONTINUITY))
RING_LISTS = (("simultaneous-ring", Feature.SIMULTANEOUS_RING), ("sequential-ring", Feature.SEQUENTIAL_RING),
              ("single-number-reach", Feature.SINGLE_NUMBER_REACH))


class _Json:
    """The few JSON expressions the edges need, per dialect."""

    def __init__(self, dialect: str) -> None:
        self.pg = dialect == "postgresql"

    def text(self, column: str, key: str) -> str:
        return f"({column}->>'{key}')" if self.pg else f"json_extract({column}, '$.{key}')"

    def true(self, column: str, key: str, default: bool = False) -> str:
        if self.pg:
            return f"coalesce({column}->>'{key}', '{str(default).lower()}') = 'true'"
        return f"coalesce(json_extract({column}, '$.{key}'), {int(default)}) = 1"

    def elements(self, column: str, key: str) -> str:
        """A FROM item of the array's elements, named ``item`` with a column ``value``."""
        if self.pg:
            return f"json_array_elements(coalesce({column}->'{key}', '[]'::json)) AS item(value)"
        return f"json_each({column}, '$.{key}') AS item"


def _edges_sql(json: _Json, mine: str = "s.user_id IN (SELECT id FROM people)") -> str:
    """(user_id, feature, target) of every edge of the users ``mine`` selects (default: the organization's)."""
    values = 's."values"'
    parts = [
        f"SELECT s.user_id, '{feature.value}', {json.text(values, group + '_destination')} FROM calling_settings s "  # nosec B608
        f"WHERE s.feature = 'call-forwarding' AND {mine} AND {json.true(values, group + '_enabled')} "
        f"AND NOT {json.true(values, group + '_to_voicemail')}"
        for group, feature in FORWARD_GROUPS]
    for key, feature in RING_LISTS:
        switched_on = f" AND {json.true('item.value', 'enabled', True)}" if key == "single-number-reach" else ""
        parts.append(
            f"SELECT s.user_id, '{feature.value}', {json.text('item.value', 'phone_number')} "  # nosec B608
            f"FROM calling_settings s, {json.elements(values, 'numbers')} "
            f"WHERE s.feature = '{key}' AND {mine} AND {json.true(values, 'enabled')}{switched_on}")
    parts.append(
        f"SELECT s.user_id, '{Feature.SELECTIVE_FORWARD.value}', {json.text(values, 'default_destination')} "  # nosec B608
        f"FROM calling_settings s WHERE s.feature = 'selective-forward' AND {mine} "
        f"AND {json.true(values, 'enabled')} AND NOT {json.true(values, 'to_voicemail')}")
    parts.append(
        f"SELECT c.user_id, '{Feature.SELECTIVE_FORWARD.value}', c.forward_to FROM calling_criteria c "  # nosec B608
        f"JOIN calling_settings s ON s.user_id = c.user_id AND s.feature = 'selective-forward' "
        f"WHERE c.feature = 'selective-forward' AND c.forward_to IS NOT NULL AND c.enabled AND {mine} "
        f"AND {json.true(values, 'enabled')}")
    parts.append(
        f"SELECT s.user_id, '{Feature.EXECUTIVE_FILTERING.value}', {json.text(values, 'rollover_forward_to')} "  # nosec B608
        f"FROM calling_settings s WHERE s.feature = 'executive' AND {mine} AND {json.true(values, 'enabled')} "
        f"AND {json.true(values, 'filtering_enabled')} AND {json.true(values, 'rollover_enabled')} "
        f"AND {json.text(values, 'rollover_action')} = 'forward'")
    return "\n UNION ALL ".join(parts)


def _query(json: _Json, select: str) -> str:
    # ``reach``: everybody the new destinations lead to, each once (UNION), not going past the saver.
    return f"""
WITH RECURSIVE
people(id) AS (SELECT id FROM users WHERE organization_id = :org),
owners(target, user_id) AS (
  SELECT extension, id FROM users WHERE organization_id = :org AND extension IS NOT NULL
  UNION ALL
  SELECT p.e164, p.user_id FROM phone_numbers p JOIN people ON people.id = p.user_id
),
edges(user_id, feature, target) AS ({_edges_sql(json)}),
reach(user_id) AS (
  SELECT user_id FROM owners WHERE target IN :targets
  UNION
  SELECT o.user_id FROM reach r JOIN edges e ON e.user_id = r.user_id JOIN owners o ON o.target = e.target
  WHERE r.user_id <> :saver
)
{select}"""  # nosec B608


def _run(organization_id: int, saver_id: int, targets: Iterable[str], select: str) -> list:
    json = _Json(db.engine.dialect.name)
    statement = text(_query(json, select)).bindparams(bindparam("targets", expanding=True))
    return list(db.session.execute(statement, {"org": organization_id, "saver": saver_id,
                                               "targets": sorted(set(targets))}))


@lru_cache(maxsize=4)
def _edges_of_statement(dialect: str) -> TextClause:
    json = _Json(dialect)
    # the people of the round come as one JSON array parameter: one bind, however many they are;
    # owners are looked up per edge (two unique indexes), never by hashing the organization's tables
    sources = ("SELECT value::int FROM json_array_elements_text(CAST(:sources AS json))" if json.pg
               else "SELECT value FROM json_each(:sources)")
    return text(f"""
WITH edges(user_id, feature, target) AS ({_edges_sql(json, f"s.user_id IN ({sources})")})
SELECT e.user_id, e.feature, e.target, coalesce(
  (SELECT ux.id FROM users ux WHERE ux.organization_id = :org AND ux.extension = e.target),
  (SELECT pn.user_id FROM phone_numbers pn JOIN users pu ON pu.id = pn.user_id
   WHERE pn.e164 = e.target AND pu.organization_id = :org)) FROM edges e""")  # nosec B608


def edges_of(organization_id: int, user_ids: Sequence[int]) -> list:
    """(user_id, feature, target, owner or None) of every edge of ``user_ids``: one query, index lookups
    only (settings by user, owners by extension and by number), so it costs what the round reads."""
    statement = _edges_of_statement(db.engine.dialect.name)
    return list(db.session.execute(statement, {"org": organization_id, "sources": json_dumps(list(user_ids))}))


def reaches(organization_id: int, saver_id: int, targets: Iterable[str]) -> bool:
    """Whether the destinations ``targets`` lead back to ``saver_id`` (one query)."""
    targets = list(targets)
    if not targets:
        return False
    rows = _run(organization_id, saver_id, targets, "SELECT 1 FROM reach WHERE user_id = :saver LIMIT 1")
    return bool(rows)


def reached_graph(organization_id: int, saver_id: int,
                  targets: Sequence[str]) -> tuple[dict[int, list[Destination]], dict[str, int]]:
    """The edges among the people ``targets`` lead to and who has each target (one query): enough for
    ``loops.find_loop`` to name the path once ``reaches`` said there is one."""
    rows = _run(organization_id, saver_id, targets, """
SELECT e.user_id, e.feature, e.target, o.user_id FROM reach r
JOIN edges e ON e.user_id = r.user_id JOIN owners o ON o.target = e.target
WHERE r.user_id <> :saver
UNION ALL
SELECT NULL, NULL, target, user_id FROM owners WHERE target IN :targets""")
    graph: dict[int, list[Destination]] = {}
    owners: dict[str, int] = {}
    for user_id, feature, target, owner in rows:
        owners[target] = owner
        if user_id is not None:
            graph.setdefault(user_id, []).append(Destination(Feature(feature), target))
    return graph, owners
