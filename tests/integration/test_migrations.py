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
