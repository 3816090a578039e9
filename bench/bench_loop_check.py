"""How long the loop check takes when someone saves a forwarding, database reads included, in an
organization of 10,000 users.

Run from the repository root:  python bench/bench_loop_check.py  [--users 10000] [--saves 30] [--db sqlite,postgresql]

Every user has a number and an extension, forwards when busy to one colleague and rings two more
simultaneously (by number or extension), always to a colleague further down the list, so that nothing
loops and a save near the top of the list reaches most of the organization. The settings are inserted in
bulk; their edges (``calling_edges``) are written by the save service's own ``save_edges``, one save at a
time, and the time that takes is printed too (it is what a save now costs more). Seven saves are timed,
each ``--saves`` times (``check_no_loop`` as the calling save service calls it, with a cold session):

1. short reach: the destination leads to a handful of people;
2. wide reach, no loop: the destination reaches most of the organization;
3. loop: the destination leads back to the person saving, who is refused (the path is then read and
   named: more work than the yes/no answer of the first two);
4. to 6. the same in a second organization where everybody also forwards to the next person, so that the
   destination reaches the whole organization (a chain of 10,000): no loop, a loop closed at the chain's
   end (a path of 10,000 people, named), and half the organization reached (5,000 people lead to the
   saver, 5,000 are reached from the destination, and they never meet: the hard case of a search from
   both ends);
7. in the same organization, a loop refused from the middle: the destination (a quarter of the way)
   reaches three quarters of the organization and half of it leads to the saver.

Both databases by default (bench/_common.py: a SQLite file in a temporary folder; a private schema of
USERHUB_TEST_POSTGRES_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test, dropped at the end).
Each case prints its wall clock, the CPU time of this process (the app, and SQLite which works in it) and,
on PostgreSQL, the CPU time of the server process serving the connection (read from /proc: the server runs
on this machine); their sum is the check's own work, the figure that survives a loaded machine.
Goal (issue 16): worst case under 50 ms, full reach included; PASS/FAIL is printed next to the worst work
and the worst wall clock of each case (on a loaded machine only the work is evidence).
This prints figures; it is not a test (tests/routing/ holds the tests).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable
from types import SimpleNamespace

import sqlalchemy as sa
from _common import ServerCpu, Timing, bench_run, database, load_average, timed, verdict

GOAL_MS = 50.0
FANOUT = 3  # forward busy + two simultaneous ring numbers


def number_of(i: int) -> str:
    return f"+3318{i:08d}"


def extension_of(i: int) -> str:
    return f"{10000 + i}"


def fill(users: int, seed: int = 7, *, full_reach: bool = False, base: int = 0) -> dict[int, list[int]]:
    """Bulk inserts (Core executemany) of users, numbers and settings; each setting's edges are then
    written by the function the calling save service calls (``save_edges``), whose time is printed.
    Returns who rings whom (by index). ``full_reach``: each user forwards when busy to the next one, so
    that the first user reaches the whole organization through a chain as long as it (the hard case);
    ``base`` shifts ids and numbers, for a second organization in the same database."""
    from userhub.accounts.models import User
    from userhub.calling import registry
    from userhub.calling.models import CallingSetting
    from userhub.extensions import db
    from userhub.organizations.models import Location, Organization, PhoneNumber
    from userhub.routing.loop_check import save_edges

    rnd = random.Random(seed)
    org = Organization(name=f"Bench {base}", site_url=f"https://bench{base}.example.com")
    location = Location(organization=org, name="Paris", country="FR", time_zone="Europe/Paris")
    db.session.add_all([org, location])
    db.session.flush()
    db.session.execute(sa.insert(User), [
        {"id": base + i + 1, "organization_id": org.id, "email": f"user{base + i}@example.com", "first_name": "User",
         "last_name": str(i), "display_name": f"User {i}", "status": "active", "location_id": location.id,
         "extension": extension_of(i)} for i in range(users)])
    db.session.execute(sa.insert(PhoneNumber), [
        {"location_id": location.id, "e164": number_of(base + i), "user_id": base + i + 1} for i in range(users)])
    forwarding, simultaneous = registry.get("call-forwarding"), registry.get("simultaneous-ring")
    rows = []
    saved = []  # (owner, feature, values): what each save hands to save_edges
    edges: dict[int, list[int]] = {}
    for i in range(users - 1):
        later = [rnd.randrange(i + 1, users) for _ in range(FANOUT)]  # further down: no loop anywhere
        if full_reach:
            later[0] = i + 1
        edges[i] = later
        target = [number_of(base + j) if rnd.random() < 0.5 else extension_of(j) for j in later]
        owner = SimpleNamespace(id=base + i + 1, organization_id=org.id)  # what save_edges reads of the User
        for feature, values in (
                (forwarding, forwarding.Values(busy_enabled=True, busy_destination=target[0])),
                (simultaneous, simultaneous.Values(enabled=True, numbers=[
                    {"phone_number": t, "answer_confirmation": False} for t in target[1:]]))):
            rows.append({"user_id": base + i + 1, "feature": feature.key, "version": 1, "values": feature.dump(values)})
            saved.append((owner, feature, values))
    db.session.execute(sa.insert(CallingSetting), rows)
    spent = []
    for owner, feature, values in saved:
        start = time.perf_counter()
        save_edges(owner, feature, values, [])
        spent.append((time.perf_counter() - start) * 1000)
    db.session.commit()
    print(f"save_edges (the edges of one save, in its transaction{', full reach' if full_reach else ''}): median {statistics.median(spent):.2f} "
          f"worst {max(spent):.2f} ms over {len(spent)} saves")
    # Statistics, and on PostgreSQL the visibility map, as a running database has them: autovacuum vacuums a
    # table after inserts (autovacuum_vacuum_insert_threshold), and until it has, an index-only scan still
    # visits the table. Left to chance, the autovacuum ran or not during the timed saves: PostgreSQL's
    # whole-graph read took 7.2 ms vacuumed (the index on (organization_id, user_id, to_user_id) alone) and
    # 11.4 ms not (the index on user_id, both organizations' edges read), same data (issue 16).
    name = db.engine.dialect.name
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("VACUUM ANALYZE" if name == "postgresql" else "ANALYZE"))
    return edges


def reached_from(edges: dict[int, list[int]], start: int) -> set[int]:
    seen, stack = set(), [start]
    while stack:
        user = stack.pop()
        if user not in seen:
            seen.add(user)
            stack.extend(edges.get(user, ()))
    return seen


def run(url: str, users: int, saves: int) -> None:
    from sqlalchemy import event

    from userhub import create_app
    from userhub.accounts.models import User
    from userhub.calling import registry
    from userhub.extensions import db
    from userhub.routing.loop_check import SaveWouldLoop, check_no_loop

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context(), app.test_request_context("/"):
        import userhub.models  # noqa: F401

        db.create_all()
        started = time.perf_counter()
        edges = fill(users)
        chain = fill(users, full_reach=True, base=users)
        print(f"2 x {users} users filled in {time.perf_counter() - started:.1f} s ({db.engine.dialect.name}); "
              f"{load_average()}")
        feature = registry.get("call-forwarding")

        def save(saver_index: int, target_index: int, expect_loop: bool, base: int = 0) -> Callable[[], object]:
            values = feature.Values(always_enabled=True, always_destination=extension_of(target_index))

            def action() -> None:
                saver = db.session.get(User, base + saver_index + 1)
                try:
                    check_no_loop(saver, feature, values)
                    refused = False
                except SaveWouldLoop:
                    refused = True
                assert refused is expect_loop, (saver_index, target_index)
            return action

        reached = reached_from(edges, 0)
        print(f"user 0 reaches {len(reached)} of {users} users; in the second organization, "
              f"{len(reached_from(chain, 0))} (a chain through everybody)")
        deep = max(reached - {users - 1})  # reached from user 0: forwarding to 0 closes a loop
        cases = [("short reach (destination near the end of the list)", save(0, users - 3, False)),
                 ("wide reach, no loop (destination at the top)", save(0, 1, 0 in reached_from(edges, 1))),
                 ("loop refused (destination leads back)", save(deep, 0, True)),
                 ("full reach, no loop (the saver is nobody's destination)", save(0, 1, False, users)),
                 ("full reach, loop refused at the chain's end", save(users - 1, 0, True, users)),
                 ("full reach from the middle (half the org), no loop", save(users // 2, users // 2 + 1, False, users)),
                 ("full reach, loop refused from the middle (both wide)", save(users // 2, users // 4, True, users))]
        statements = 0

        def count(*_args: object) -> None:
            nonlocal statements
            statements += 1

        def cold() -> None:
            # As in a new request: nothing cached in the session, and a transaction of its own. Ending the
            # previous one also lets go of the organization's lock (PostgreSQL's advisory locks are
            # database-wide: a bench keeping it would hold up saves of organization 1 or 2 in any schema of
            # the same database, other benches and test runs included).
            db.session.rollback()
            db.session.expire_all()
            gc.collect()  # the fill left garbage: do not time its collection

        server = ServerCpu(db.engine, db.session.connection())
        worst_wall, worst_work = 0.0, 0.0
        name = db.engine.dialect.name
        for label, action in cases:
            action()  # warm up
            cold()
            statements = 0
            event.listen(db.engine, "before_cursor_execute", count)
            action()
            event.remove(db.engine, "before_cursor_execute", count)
            timing: Timing = timed(saves, action, server, before_each=cold)
            work = timing.work()
            worst_wall, worst_work = max(worst_wall, max(timing.wall)), max(worst_work, max(work))
            server_text = (f" + server {statistics.median(timing.server):5.1f}" if timing.server is not None
                           else "")
            print(f"  [{name}] {label:56s} wall median {statistics.median(timing.wall):6.1f} worst "
                  f"{max(timing.wall):6.1f} ms {verdict(max(timing.wall), GOAL_MS)} | CPU: app median "
                  f"{statistics.median(timing.cpu):5.1f}{server_text}, work median {statistics.median(work):5.1f} "
                  f"worst {max(work):5.1f} ms {verdict(max(work), GOAL_MS)} ({statements} SQL statements)")
        print(f"  [{name}] worst of all cases: work {worst_work:.1f} ms {verdict(worst_work, GOAL_MS)}, wall "
              f"{worst_wall:.1f} ms {verdict(worst_wall, GOAL_MS)} (goal: worst < {GOAL_MS:.0f} ms); {load_average()}")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=30)
    parser.add_argument("--db", default="sqlite,postgresql")
    args = parser.parse_args()
    with bench_run("bench_loop_check"):
        for backend in args.db.split(","):
            with database(backend) as url:
                run(url, args.users, args.saves)


if __name__ == "__main__":
    main()
