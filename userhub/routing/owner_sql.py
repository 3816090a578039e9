"""Who has an edge's destination, kept in ``calling_edges.to_user_id`` by the database itself (issue 16).

The loop check reads the organization's graph as (person, owner of their destination) pairs. Looking the
owner up at read time (``owner_of``, below) cost about 10 of the 30 ms of a whole-graph read at 10,000
people; stored, the read is an index scan. The owner changes without anybody's forwarding being saved again
(a number reassigned, an extension changed, a person deleted), so the database keeps the column right,
whoever writes (ORM, Core bulk statements, CLI, imports, the demo, raw SQL):

- ``graph_sql.replace_edges`` computes the owner as it inserts the edges (one statement);
- the triggers below compute it again, with the same ``owner_of`` expression, for the edges whose
  destination may have changed hands: a person inserted with an extension, an extension (or a person's
  organization) changed, a phone number inserted with a holder, assigned, released, moved (``e164``,
  ``location_id``) or deleted, a location moved to another organization;
- a person deleted: ``to_user_id``'s foreign key (``ON DELETE SET NULL``; SQLite enforces foreign keys in
  this app, ``web._sqlite_foreign_keys``). An extension never starts with "+", a number always does, so
  the person's extension was the owner of no number edge.

Each trigger recomputes the few edges whose destination is the old or the new value (the index on
(organization_id, target), or the one on to_user_id), never the organization. ``create_all`` makes them
(``models``: DDL after ``calling_edges`` is created) and migration 0015 makes the same ones (a frozen copy;
``tests/integration/test_migrations.py`` compares the two). Plain SQL strings: no value is ever formatted in.
"""

from __future__ import annotations

from dataclasses import dataclass


_OWNER = """coalesce(
  (SELECT u.id FROM users u WHERE u.organization_id = {organization} AND u.extension = {target}),
  (SELECT p.user_id FROM phone_numbers p JOIN locations l ON l.id = p.location_id
   WHERE p.e164 = {target} AND l.organization_id = {organization}))"""


def owner_of(organization: str, target: str) -> str:
    """The owner of ``target`` (an extension or an E.164 number) in ``organization`` (SQL expressions), or
    NULL: the person with that extension, else the holder of that number among the organization's
    locations' numbers (NULL when it is free, outside the organization, or nobody's). Two unique indexes."""
    return _OWNER.format(organization=organization, target=target)  # nosec B608 (column names, from this package)


def _reown(where: str) -> str:
    """Compute the owner again for the edges ``where`` says (a condition on calling_edges' columns)."""
    owner = owner_of("calling_edges.organization_id", "calling_edges.target")
    return f"UPDATE calling_edges SET to_user_id = {owner} WHERE {where}"  # nosec B608 (this module's conditions)


# The organization of a phone number's location, as the triggers see it.
_ORG_OF_NEW_NUMBER = "(SELECT l.organization_id FROM locations l WHERE l.id = NEW.location_id)"


@dataclass(frozen=True)
class Trigger:
    """One trigger: ``name`` on ``table``, firing ``event`` (e.g. "UPDATE OF extension") for each row when
    ``when`` holds (``{distinct}`` is the dialect's null-safe "differs"), running ``statements``."""

    name: str
    table: str
    event: str
    when: str
    statements: tuple[str, ...]

    def create(self, dialect: str) -> list[str]:
        distinct = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
        when = self.when.format(distinct=distinct)
        if dialect == "postgresql":
            body = "".join(f"  {statement};\n" for statement in self.statements)
            return [f"CREATE FUNCTION {self.name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}"
                    f"  RETURN NULL;\nEND\n$$",
                    f"CREATE TRIGGER {self.name} AFTER {self.event} ON {self.table} FOR EACH ROW "
                    f"WHEN ({when}) EXECUTE FUNCTION {self.name}()"]
        body = "".join(f"  {statement};\n" for statement in self.statements)
        return [f"CREATE TRIGGER {self.name} AFTER {self.event} ON {self.table} FOR EACH ROW "
                f"WHEN {when}\nBEGIN\n{body}END"]

    def drop(self, dialect: str) -> list[str]:
        if dialect == "postgresql":
            return [f"DROP TRIGGER IF EXISTS {self.name} ON {self.table}", f"DROP FUNCTION IF EXISTS {self.name}()"]
        return [f"DROP TRIGGER IF EXISTS {self.name}"]


# Old side: the edges whose owner came from the row as it was (by the index on to_user_id). New side: the
# edges whose destination the row now has (by the index on (organization_id, target)).
TRIGGERS = (
    Trigger("calling_edges_owner_user_added", "users", "INSERT", "NEW.extension IS NOT NULL",
            (_reown("organization_id = NEW.organization_id AND target = NEW.extension"),)),
    Trigger("calling_edges_owner_user_changed", "users", "UPDATE OF extension, organization_id",
            "OLD.extension {distinct} NEW.extension OR OLD.organization_id <> NEW.organization_id",
            (_reown("to_user_id = OLD.id AND target = OLD.extension"),
             _reown("organization_id = NEW.organization_id AND target = NEW.extension"))),
    Trigger("calling_edges_owner_number_added", "phone_numbers", "INSERT", "NEW.user_id IS NOT NULL",
            (_reown(f"organization_id = {_ORG_OF_NEW_NUMBER} AND target = NEW.e164"),)),
    Trigger("calling_edges_owner_number_changed", "phone_numbers", "UPDATE OF user_id, e164, location_id",
            "OLD.user_id {distinct} NEW.user_id OR OLD.e164 <> NEW.e164 OR OLD.location_id <> NEW.location_id",
            (_reown("to_user_id = OLD.user_id AND target = OLD.e164"),
             _reown(f"organization_id = {_ORG_OF_NEW_NUMBER} AND target = NEW.e164"))),
    # by the old holder, not the location's organization: a location deleted deletes its numbers after it
    Trigger("calling_edges_owner_number_deleted", "phone_numbers", "DELETE", "OLD.user_id IS NOT NULL",
            (_reown("to_user_id = OLD.user_id AND target = OLD.e164"),)),
    Trigger("calling_edges_owner_location_moved", "locations", "UPDATE OF organization_id",
            "OLD.organization_id <> NEW.organization_id",
            (_reown("organization_id IN (OLD.organization_id, NEW.organization_id) AND target IN "
                    "(SELECT p.e164 FROM phone_numbers p WHERE p.location_id = NEW.id)"),)),
)


def create_statements(dialect: str) -> list[str]:
    return [statement for trigger in TRIGGERS for statement in trigger.create(dialect)]


def drop_statements(dialect: str) -> list[str]:
    return [statement for trigger in reversed(TRIGGERS) for statement in trigger.drop(dialect)]
