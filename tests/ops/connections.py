"""Losing PostgreSQL connections on purpose: the fault tests end the app's own connections (found by the
application_name they were opened with) while the server keeps running."""

from __future__ import annotations

import sqlalchemy as sa

from tests import conftest as base


def terminate_connections_of(name: str) -> int:
    """End every PostgreSQL connection opened with application_name ``name`` (not this one); how many."""
    engine = sa.create_engine(base._postgres_base_url())
    with engine.begin() as connection:
        killed = connection.execute(
            # the 5 s timeout waits for each backend to have exited (its socket closed), as after a restart
            sa.text("SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
                    "WHERE application_name = :name AND pid <> pg_backend_pid()"), {"name": name}
        ).scalar_one()
    engine.dispose()
    return int(killed)
