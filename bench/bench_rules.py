"""Pages of a person with many rules: the Calling overview and the simultaneous ring page with 1 and with
50 rules, on SQLite and on PostgreSQL (server time through the WSGI app, no network).

Run from the repository root:  python bench/bench_rules.py  [--runs 30] [--db sqlite,postgresql]

Prints, per database and page: the median time with 1 rule and with 50, their ratio, the growth per rule,
the HTML size and the SQL statements. Goals (issue 16): the overview with 50 rules within 20 % of 1 rule;
the rules page growing by well under 0.5 ms per rule. Prints figures; not run by pytest.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa

from tests.conftest import (
    DEFAULT_PG_URL, STRONG_PASSWORD, drop_postgres_schema, make_postgres_schema, sign_in, testing_config)

PG_URL = os.environ.get("USERHUB_TEST_POSTGRES_URL", DEFAULT_PG_URL)
PAGES = {"overview": "/settings/calling", "simultaneous ring page": "/settings/calling/simultaneous-ring"}


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _measure(client, engine, url: str, runs: int) -> tuple[float, int, int]:  # type: ignore[no-untyped-def]
    statements = 0

    def count(*_args) -> None:  # type: ignore[no-untyped-def]
        nonlocal statements
        statements += 1

    for _ in range(3):
        client.get(url).get_data()
    sa.event.listen(engine, "before_cursor_execute", count)
    body = client.get(url).get_data()
    sa.event.remove(engine, "before_cursor_execute", count)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        response.get_data()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(body), statements


def run(backend: str, runs: int) -> None:
    from userhub import create_app
    from userhub.accounts.provisioning import create_user
    from userhub.calling import registry, services
    from userhub.calling.saved_criteria import Criterion
    from userhub.extensions import db
    from userhub.organizations.services import create_location, create_organization
    from userhub.security.hashing import hash_password
    from userhub.timeutil import utcnow

    schema = None
    if backend == "postgresql":
        schema, url = make_postgres_schema(PG_URL)
    else:
        url = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "bench.db")
    app = create_app({**testing_config(url, 2525), "TESTING": False, "USERHUB_MAIL_TRANSPORT": "console"})
    try:
        with app.app_context():
            import userhub.models  # noqa: F401

            db.create_all()
            org = create_organization("Bench")
            paris = create_location(org, "Paris", "FR", "Europe/Paris")
            user = create_user(org, "jane@example.com", first_name="Jane", last_name="Doe", location=paris,
                               extension="3200")
            user.status, user.activated_at, user.password_hash = "active", utcnow(), hash_password(STRONG_PASSWORD)
            db.session.commit()
            user_id, engine = user.id, db.engine
            db.session.remove()
        client = app.test_client()
        assert sign_in(client, "jane@example.com").status_code == 302
        figures: dict[tuple[str, int], tuple[float, int, int]] = {}
        for count in (1, 50):
            with app.test_request_context():
                from userhub.accounts.models import User

                owner = db.session.get(User, user_id)
                feature = registry.get("simultaneous-ring")
                state = services.load(owner, feature).states[feature.key]
                rules = [Criterion(f"Rule {i}", calls_from="select", phone_numbers=[f"+336123{i:05d}"])
                         for i in range(count)]
                values = dataclasses.replace(state.values, enabled=True, numbers=[{"phone_number": "+33612345678"}])
                services.save(owner, feature, values, rules, state.version, actor=owner)
                db.session.commit()
                db.session.remove()
            for label, url in PAGES.items():
                figures[(label, count)] = _measure(client, engine, url, runs)
        print(f"[{backend}] {_load()}")
        for label in PAGES:
            (one, size_one, sql_one), (fifty, size_fifty, sql_fifty) = figures[(label, 1)], figures[(label, 50)]
            print(f"[{backend}] {label}: 1 rule {one:.1f} ms ({size_one // 1024} KB, {sql_one} SQL), 50 rules "
                  f"{fifty:.1f} ms ({size_fifty // 1024} KB, {sql_fifty} SQL): ratio {fifty / one:.2f}, "
                  f"{(fifty - one) / 49:.2f} ms per rule")
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if schema:
            drop_postgres_schema(PG_URL, schema)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db", default="sqlite,postgresql")
    args = parser.parse_args()
    for backend in args.db.split(","):
        run(backend, args.runs)


if __name__ == "__main__":
    main()
