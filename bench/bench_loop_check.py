"""How long the loop check takes when someone saves a forwarding, database reads included, in an
organization of 10,000 users.

Run from the repository root:  python bench/bench_loop_check.py  [--users 10000] [--saves 30] [--postgres]

Every user has a number and an extension, forwards when busy to one colleague and rings two more
simultaneously (by number or extension), always to a colleague further down the list, so that nothing
loops and a save near the top of the list reaches most of the organization. The settings are inserted in
bulk; their edges (``calling_edges``) are written by the save service's own ``save_edges``, one save at a
time, and the time that takes is printed too (it is what a save now costs more). Three saves are timed,
each ``--saves`` times (``check_no_loop`` as the calling save service calls it, with a cold session):

1. short reach: the destination leads to a handful of people;
2. wide reach, no loop: the destination reaches most of the organization;
3. loop: the destination leads back to the person saving, who is refused (the path is then read and
   named: more work than the yes/no answer of the first two);
4. to 6. the same in a second organization where everybody also forwards to the next person, so that the
   destination reaches the whole organization (a chain of 10,000): no loop, a loop closed at the chain's
   end (a path of 10,000 people, named), and half the organization reached.

SQLite by default (a file in a temporary folder); --postgres uses USERHUB_BENCH_POSTGRES_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/test) in a private schema dropped at the end.
Goal: worst case under 50 ms. This prints figures; it is not a test (tests/routing/ holds the tests).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # a checkout, installed or not

import sqlalchemy as sa  # noqa: E402

BASE_PG = os.environ.get("USERHUB_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
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
    with db.engine.begin() as connection:  # statistics, as a running database has them
        connection.execute(sa.text("ANALYZE"))
    return edges


def reached_from(edges: dict[int, list[int]], start: int) -> set[int]:
    seen, stack = set(), [start]
    while stack:
        user = stack.pop()
        if user not in seen:
            seen.add(user)
            stack.extend(edges.get(user, ()))
    return seen


def timed(runs: int, action: Callable[[], object]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU time of the measuring thread, in ms (SQLite works in this thread; on a shared
    machine the wall clock also counts the time other processes held the CPU)."""
    from userhub.extensions import db

    wall, cpu = [], []
    for _ in range(runs):
        db.session.expire_all()  # as in a new request: nothing cached in the session
        gc.collect()  # the fill left garbage: do not time its collection
        start, start_cpu = time.perf_counter(), time.thread_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    return wall, cpu


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
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
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
                 ("full reach from the middle (half the org), no loop", save(users // 2, users // 2 + 1, False, users))]
        statements = 0

        def count(*_args: object) -> None:
            nonlocal statements
            statements += 1

        worst = 0.0
        for label, action in cases:
            action()  # warm up
            statements = 0
            event.listen(db.engine, "before_cursor_execute", count)
            action()
            event.remove(db.engine, "before_cursor_execute", count)
            wall, cpu = timed(saves, action)
            worst = max(worst, max(wall))
            print(f"  {label:56s} wall median {statistics.median(wall):6.1f} worst {max(wall):6.1f} ms | "
                  f"CPU median {statistics.median(cpu):6.1f} worst {max(cpu):6.1f} ms  ({statements} SQL statements)"
                  f"{'' if max(wall) < GOAL_MS else '  (wall above the goal)'}")
        print(f"  worst of all cases {worst:.1f} ms; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"  goal: worst < {GOAL_MS:.0f} ms")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=30)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    if not args.postgres:
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{folder}/bench.db", args.users, args.saves)
        return
    schema = f"bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(BASE_PG)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        run(f"{BASE_PG}{'&' if '?' in BASE_PG else '?'}options=-csearch_path%3D{schema}", args.users, args.saves)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
