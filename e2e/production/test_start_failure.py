"""When a part of the production topology cannot start, the run says which, and leaves nothing behind: every
process it started is stopped and its database dropped."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from e2e.production import topology
from e2e.production.conftest import POSTGRES_URL


def test_a_missing_nginx_stops_what_was_started_and_says_so(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(topology, "NGINX", str(tmp_path / "no-nginx-here"))
    site = topology.ProductionSite(tmp_path, smtp_port=topology.free_port(), postgres_url=POSTGRES_URL)
    started: list[topology._Process] = []
    spawn = site._spawn

    def remember(*args, **kwargs):  # type: ignore[no-untyped-def]
        spawn(*args, **kwargs)
        started.append(site.processes[-1])

    monkeypatch.setattr(site, "_spawn", remember)
    with pytest.raises(RuntimeError, match="nginx not found at .*apt-get install -y nginx"):
        site.start()
    database = site.env["USERHUB_DATABASE_URL"].rsplit("/", 1)[-1]

    assert [p.name for p in started] == ["gunicorn", "mail-worker"]  # started before nginx was looked for
    assert all(p.process.poll() is not None for p in started), "a process outlived the failed start"
    assert site.processes == [] and site.database == ""
    engine = sa.create_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            left = connection.execute(sa.text("select count(*) from pg_database where datname = :name"),
                                      {"name": database}).scalar()
    finally:
        engine.dispose()
    assert left == 0, f"database {database} was left behind"
