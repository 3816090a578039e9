"""Pages of a person with many rules: the Calling overview and the simultaneous ring page with 1 and with
50 rules, on SQLite and on PostgreSQL (server time through the WSGI app, no network).

Run from the repository root:  python bench/bench_rules.py  [--runs 30] [--db sqlite,postgresql]

Prints, per database and page: the median time with 1 rule and with 50, their ratio, the growth per rule,
the HTML size and the SQL statements; each as wall clock and as work (CPU time of the app, plus on
PostgreSQL that of the server process serving it: bench/_common.py), the figure that survives a loaded
machine. Goals (issue 16), with PASS/FAIL: the overview with 50 rules within 20 % of 1 rule; the rules page
growing by well under 0.5 ms per rule (checked against 0.5). Prints figures; not run by pytest.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics

import sqlalchemy as sa
from _common import ServerCpu, bench_run, database, load_average, timed, verdict

from tests.conftest import STRONG_PASSWORD, sign_in, testing_config

PAGES = {"overview": "/settings/calling", "simultaneous ring page": "/settings/calling/simultaneous-ring"}
GOAL_RATIO = 1.2  # the overview with 50 rules / with 1
GOAL_PER_RULE_MS = 0.5  # the rules page, per rule ("well under")


def _measure(client, engine, server, url: str, runs: int) -> tuple[float, float, int, int]:  # type: ignore[no-untyped-def]
    """Median wall clock and median work (ms), the page's size and its SQL statements."""
    statements = 0

    def count(*_args) -> None:  # type: ignore[no-untyped-def]
        nonlocal statements
        statements += 1

    for _ in range(3):
        client.get(url).get_data()
    sa.event.listen(engine, "before_cursor_execute", count)
    body = client.get(url).get_data()
    sa.event.remove(engine, "before_cursor_execute", count)

    def page() -> None:
        response = client.get(url)
        response.get_data()
        assert response.status_code == 200, (url, response.status_code)

    timing = timed(runs, page, server)
    return statistics.median(timing.wall), statistics.median(timing.work()), len(body), statements


def run(backend: str, runs: int) -> None:
    with database(backend) as url:
        _run(url, backend, runs)


def _run(url: str, backend: str, runs: int) -> None:
    from userhub import create_app
    from userhub.accounts.provisioning import create_user
    from userhub.calling import registry, services
    from userhub.calling.saved_criteria import Criterion
    from userhub.extensions import db
    from userhub.organizations.services import create_location, create_organization
    from userhub.security.hashing import hash_password
    from userhub.timeutil import utcnow

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
        server = ServerCpu(engine)
        figures: dict[tuple[str, int], tuple[float, float, int, int]] = {}
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
                figures[(label, count)] = _measure(client, engine, server, url, runs)
        print(f"[{backend}] {load_average()}")
        for label in PAGES:
            (one, work_one, size_one, sql_one) = figures[(label, 1)]
            (fifty, work_fifty, size_fifty, sql_fifty) = figures[(label, 50)]
            if label == "overview":
                goal = (f"ratio of the work {work_fifty / work_one:.2f} {verdict(work_fifty / work_one, GOAL_RATIO)}, "
                        f"of the wall clock {fifty / one:.2f} {verdict(fifty / one, GOAL_RATIO)} "
                        f"(goal < {GOAL_RATIO:.2f})")
            else:
                per_work, per_wall = (work_fifty - work_one) / 49, (fifty - one) / 49
                goal = (f"work {per_work:.3f} ms per rule {verdict(per_work, GOAL_PER_RULE_MS)}, wall clock "
                        f"{per_wall:.3f} ms per rule {verdict(per_wall, GOAL_PER_RULE_MS)} "
                        f"(goal well under {GOAL_PER_RULE_MS} ms)")
            print(f"[{backend}] {label}: 1 rule {one:.1f} ms, work {work_one:.1f} ms ({size_one // 1024} KB, "
                  f"{sql_one} SQL); 50 rules {fifty:.1f} ms, work {work_fifty:.1f} ms ({size_fifty // 1024} KB, "
                  f"{sql_fifty} SQL): {goal}")
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db", default="sqlite,postgresql")
    args = parser.parse_args()
    with bench_run("bench_rules"):
        for backend in args.db.split(","):
            run(backend, args.runs)


if __name__ == "__main__":
    main()
