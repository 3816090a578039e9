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
