"""Migrations: one head, every revision up and down, and the result equals the models, on both databases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from tests.conftest import _postgres_base_url, drop_postgres_schema, make_postgres_schema
from userhub import create_app
from userhub.extensions import db


@pytest.fixture
def empty_app(backend: str, tmp_path) -> Iterator:  # type: ignore[no-untyped-def]
    if backend == "postgresql":
        schema, url = make_postgres_schema(_postgres_base_url())
    else:
        url = "sqlite:///" + str(tmp_path / "migrations.db")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    if backend == "postgresql":
        drop_postgres_schema(_postgres_base_url(), schema)


def _script(app) -> ScriptDirectory:  # type: ignore[no-untyped-def]
    return ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_there_is_one_head(empty_app):
    assert len(_script(empty_app).get_heads()) == 1


def test_upgrade_gives_exactly_the_models(empty_app):
    import userhub.models  # noqa: F401

    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], differences
    assert _tables() == set(db.metadata.tables)


def test_every_revision_goes_up_and_down(empty_app):
    revisions = list(reversed(list(_script(empty_app).walk_revisions())))
    for revision in revisions:
        upgrade(revision=revision.revision)
        downgrade(revision=revision.down_revision or "base")
        upgrade(revision=revision.revision)
    downgrade(revision="base")
    assert _tables() == set()


# --- 0007: calling_edges filled from the settings saved before it ------------------------------------

_T = sa.table  # tables as they are at revision 0006, with only the columns these rows need
ORGANIZATIONS = _T("organizations", sa.column("id"), sa.column("name"), sa.column("site_url"),
                   sa.column("activation_emails"), sa.column("created_at", sa.DateTime))
LOCATIONS = _T("locations", sa.column("id"), sa.column("organization_id"), sa.column("name"), sa.column("country"),
               sa.column("time_zone"), sa.column("created_at", sa.DateTime))
USERS = _T("users", sa.column("id"), sa.column("organization_id"), sa.column("email"), sa.column("first_name"),
           sa.column("last_name"), sa.column("display_name"), sa.column("status"), sa.column("extension"),
           sa.column("created_at", sa.DateTime))
SETTINGS = _T("calling_settings", sa.column("user_id"), sa.column("feature"), sa.column("version"),
              sa.column("values", sa.JSON), sa.column("updated_at", sa.DateTime))
CRITERIA = _T("calling_criteria", sa.column("user_id"), sa.column("feature"), sa.column("position"),
              sa.column("name"), sa.column("calls_from"), sa.column("anonymous_callers", sa.Boolean),
              sa.column("unavailable_callers", sa.Boolean), sa.column("phone_numbers", sa.JSON),
              sa.column("enabled", sa.Boolean), sa.column("forward_to"))
OUTSIDE = "+33634333211"
# (user, calling feature, values as saved at 0006): each feature's edges, and what makes none
SAVED = [
    (1, "call-forwarding", {"always_enabled": True, "always_destination": "3201",
                            "busy_enabled": True, "busy_destination": "3202", "busy_to_voicemail": True,
                            "no_answer_enabled": True, "no_answer_destination": "+33184883202",
                            "business_continuity_enabled": False, "business_continuity_destination": "3203"}),
    (1, "selective-forward", {"enabled": True, "default_destination": OUTSIDE, "to_voicemail": False}),
    (2, "simultaneous-ring", {"enabled": True, "numbers": [{"phone_number": "3200"}, {"phone_number": OUTSIDE},
                                                           {"phone_number": "3200"}]}),
    (2, "sequential-ring", {"enabled": False, "numbers": [{"phone_number": "3200", "rings": 3}]}),
    (2, "single-number-reach", {"enabled": True, "numbers": [
        {"phone_number": "+33600000001", "enabled": True}, {"phone_number": "+33600000002", "enabled": False}]}),
    (3, "executive", {"enabled": True, "filtering_enabled": True, "rollover_enabled": True,
                      "rollover_action": "forward", "rollover_forward_to": "3200"}),
    (3, "selective-forward", {"enabled": False, "default_destination": "3200"}),
    (3, "call-notify", {"enabled": True, "email": "ann@example.com"}),
]
# (user, feature, forward_to, enabled): selective forward's rules
RULES = [(1, "selective-forward", "3201", True), (1, "selective-forward", None, True),
         (1, "selective-forward", "3202", False), (3, "selective-forward", "3201", True)]
EDGES = {(1, "forward_always", "3201"), (1, "forward_no_answer", "+33184883202"),
         (1, "selective_forward", OUTSIDE), (1, "selective_forward", "3201"),
         (2, "simultaneous_ring", "3200"), (2, "simultaneous_ring", OUTSIDE),
         (2, "single_number_reach", "+33600000001"), (3, "executive_filtering", "3200")}


def _save_at_0006(connection: sa.Connection) -> None:
    from datetime import datetime

    now = datetime(2026, 12, 1, 9, 0)
    connection.execute(ORGANIZATIONS.insert(), [{"id": 1, "name": "Acme", "site_url": "", "activation_emails": "manual",
                                                 "created_at": now}])
    connection.execute(LOCATIONS.insert(), [{"id": 1, "organization_id": 1, "name": "Paris", "country": "FR",
                                             "time_zone": "Europe/Paris", "created_at": now}])
    connection.execute(USERS.insert(), [
        {"id": i, "organization_id": 1, "email": f"{name}@example.com", "first_name": name, "last_name": "",
         "display_name": "", "status": "active", "extension": f"320{i - 1}", "created_at": now}
        for i, name in ((1, "jane"), (2, "john"), (3, "ann"))])
    connection.execute(SETTINGS.insert(), [{"user_id": user_id, "feature": feature, "version": 1, "values": values,
                                            "updated_at": now} for user_id, feature, values in SAVED])
    connection.execute(CRITERIA.insert(), [
        {"user_id": user_id, "feature": feature, "position": position, "name": f"rule {position}",
         "calls_from": "any", "anonymous_callers": False, "unavailable_callers": False, "phone_numbers": [],
         "enabled": enabled, "forward_to": forward_to}
        for position, (user_id, feature, forward_to, enabled) in enumerate(RULES)])


def test_0007_fills_the_edges_from_the_saved_settings(empty_app):
    upgrade(revision="0006_criteria_schedules")
    with db.engine.begin() as connection:
        _save_at_0006(connection)
    upgrade(revision="0007_calling_edges")
    with db.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT organization_id, user_id, feature, target FROM calling_edges")).all()
    assert sorted((user_id, feature, target) for _org, user_id, feature, target in rows) == sorted(EDGES)
    assert {org for org, *_edge in rows} == {1}
    downgrade(revision="0006_criteria_schedules")
    assert "calling_edges" not in _tables()


def test_0007_backfill_gives_the_edges_the_save_service_gives():
    """The frozen backfill and the application's meaning of an edge (``save_edges``) agree on these settings."""
    from userhub.calling import registry
    from userhub.calling.saved_criteria import Criterion
    from userhub.routing.loop_check import EDGE_FEATURES, proposed_destinations

    product = set()
    for user_id, key, values in SAVED:
        if key not in EDGE_FEATURES:
            continue
        feature = registry.get(key)
        rules = [Criterion(f"rule {i}", enabled=enabled, forward_to=forward_to)
                 for i, (owner, rule_key, forward_to, enabled) in enumerate(RULES) if (owner, rule_key) == (user_id, key)]
        product |= {(user_id, edge.feature.value, edge.target)
                    for edge in proposed_destinations(feature, feature.load(values), rules) if not edge.to_voicemail}
    assert product == EDGES


# --- 0011: organizations' normalised names, unique -------------------------------------------------------


def test_0011_keys_the_names_and_keeps_duplicates_made_before(empty_app):
    from datetime import datetime

    upgrade(revision="0010_sip")
    now = datetime(2026, 12, 1, 9, 0)
    with db.engine.begin() as connection:
        connection.execute(ORGANIZATIONS.insert(), [
            {"id": i, "name": name, "site_url": "", "activation_emails": "manual", "created_at": now}
            for i, name in ((1, "Acme  Corp"), (2, "ACME corp"), (3, "Globex"))])
    upgrade(revision="0011_organization_name_unique")
    with db.engine.connect() as connection:
        keys = dict(connection.execute(sa.text("SELECT id, name_key FROM organizations")).all())
    assert keys == {1: "acme corp", 2: "acme corp #2", 3: "globex"}
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO organizations (name, name_key, site_url, activation_emails, "
                                   "created_at) VALUES ('acme corp', 'acme corp', '', 'manual', :now)"), {"now": now})
    downgrade(revision="0010_sip")
    assert "name_key" not in {column["name"] for column in sa.inspect(db.engine).get_columns("organizations")}


# --- 0015: calling_edges.to_user_id, its owners filled and its triggers ------------------------------------


def _triggers(connection: sa.Connection) -> dict[str, tuple[str, ...]]:
    """The schema's triggers as the database prints them back (with, on PostgreSQL, their function's body)."""
    if connection.dialect.name == "sqlite":
        rows = connection.execute(sa.text("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"))
        return {name: (table, sql) for name, table, sql in rows}
    rows = connection.execute(sa.text(
        "SELECT t.tgname, pg_get_triggerdef(t.oid), p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE NOT t.tgisinternal AND n.nspname = current_schema()"))
    schema = connection.execute(sa.text("SELECT current_schema()")).scalar_one()
    return {name: (definition.replace(f"{schema}.", ""), body) for name, definition, body in rows}


def test_upgrade_gives_the_triggers_create_all_makes(empty_app, backend, tmp_path):
    """Alembic's schema comparison does not see triggers: the migrated database's are compared with those of a
    database made by ``create_all`` (the tests' and benches'), text for text."""
    import userhub.models  # noqa: F401
    from userhub.routing.owner_sql import TRIGGERS

    upgrade()
    with db.engine.connect() as connection:
        migrated = _triggers(connection)
    if backend == "postgresql":
        schema, url = make_postgres_schema(_postgres_base_url())
    else:
        url = "sqlite:///" + str(tmp_path / "create_all.db")
    other = sa.create_engine(url)
    try:
        db.metadata.create_all(other)
        with other.connect() as connection:
            made = _triggers(connection)
    finally:
        other.dispose()
        if backend == "postgresql":
            drop_postgres_schema(_postgres_base_url(), schema)
    assert set(made) == {trigger.name for trigger in TRIGGERS}
    assert migrated == made


def test_0015_fills_the_owners_and_its_triggers_keep_them(empty_app):
    from datetime import datetime

    upgrade(revision="0014_phone_numbers_held")
    now = datetime(2026, 12, 1, 9, 0)
    with db.engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO organizations (id, name, name_key, site_url, activation_emails, "
                                   "created_at) VALUES (1, 'Acme', 'acme', '', 'manual', :now), "
                                   "(2, 'Globex', 'globex', '', 'manual', :now)"), {"now": now})
        connection.execute(LOCATIONS.insert(), [
            {"id": i, "organization_id": i, "name": "Paris", "country": "FR", "time_zone": "Europe/Paris",
             "created_at": now} for i in (1, 2)])
        connection.execute(USERS.insert(), [
            {"id": i, "organization_id": org, "email": f"u{i}@example.com", "first_name": "", "last_name": "",
             "display_name": "", "status": "active", "extension": extension, "created_at": now}
            for i, org, extension in ((1, 1, "3200"), (2, 1, "3201"), (3, 2, "3202"))])
        connection.execute(sa.text("INSERT INTO phone_numbers (location_id, e164, user_id, created_at) VALUES "
                                   "(1, '+33184883200', 2, :now), (1, '+33184883201', NULL, :now), "
                                   "(2, '+33184883300', 3, :now)"), {"now": now})
        connection.execute(sa.text(
            "INSERT INTO calling_edges (organization_id, user_id, feature, target) VALUES "
            "(1, 1, 'forward_always', '3201'), (1, 1, 'forward_busy', '+33184883200'), "
            "(1, 2, 'simultaneous_ring', '3202'), (1, 2, 'simultaneous_ring', '+33184883300'), "
            "(1, 2, 'sequential_ring', '+33184883201'), (2, 3, 'forward_always', '3200')"))
    upgrade(revision="0015_calling_edges_owner")

    def owners() -> dict[tuple[int, str], int | None]:
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT user_id, target, to_user_id FROM calling_edges"))
            return {(user_id, target): owner for user_id, target, owner in rows}

    # another organization's extension or number is nobody's; a free number is nobody's
    assert owners() == {(1, "3201"): 2, (1, "+33184883200"): 2, (2, "3202"): None, (2, "+33184883300"): None,
                        (2, "+33184883201"): None, (3, "3200"): None}
    with db.engine.begin() as connection:  # the number moves from 2 to 1, 3201 from 2 to 3's organization's 1
        connection.execute(sa.text("UPDATE phone_numbers SET user_id = NULL WHERE user_id = 2"))
        connection.execute(sa.text("UPDATE phone_numbers SET user_id = 1 WHERE e164 = '+33184883201'"))
        connection.execute(sa.text("UPDATE users SET extension = NULL WHERE id = 2"))
        connection.execute(sa.text("UPDATE users SET extension = '3201' WHERE id = 1"))
    assert owners() == {(1, "3201"): 1, (1, "+33184883200"): None, (2, "3202"): None, (2, "+33184883300"): None,
                        (2, "+33184883201"): 1, (3, "3200"): None}
    downgrade(revision="0014_phone_numbers_held")
    with db.engine.begin() as connection:  # no trigger left writing a column that is gone
        connection.execute(sa.text("UPDATE users SET extension = '3209' WHERE id = 1"))
    assert "to_user_id" not in {column["name"] for column in sa.inspect(db.engine).get_columns("calling_edges")}
