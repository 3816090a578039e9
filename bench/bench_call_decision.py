"""The call decision endpoint under load: gunicorn (2 workers) on PostgreSQL at a steady rate.

Run from the repository root:  python bench/bench_call_decision.py  [--rate 200] [--seconds 60] [--users 200]

Seeds an organization of --users people with SIP accounts and a mix of forwarding, ring and screening
settings in a private PostgreSQL schema, starts gunicorn with two workers, and sends GET /sip/decision
at --rate requests per second (open loop: each request leaves at its planned time, from 32 client
threads) for --seconds. Prints the latency percentiles, errors, and the ratio of the decision's cost
to the bare evaluator's (``routing.evaluate`` on settings already in memory). Goal (issue 15): p99 under
10 ms, no error. Prints figures; not run by pytest.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import secrets
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import DEFAULT_PG_URL, drop_postgres_schema, make_postgres_schema
from tests.sip.harness import Userhub
from userhub import create_app
from userhub.extensions import db

PG_URL = os.environ.get("USERHUB_TEST_POSTGRES_URL", DEFAULT_PG_URL)


def seed(users: int) -> tuple[str, list[str]]:
    """An organization, its people with SIP accounts and varied settings; returns a token and called numbers."""
    import dataclasses

    from userhub.accounts.models import UserStatus
    from userhub.accounts.provisioning import create_user
    from userhub.calling import registry, services
    from userhub.calling.saved_criteria import Criterion
    from userhub.organizations.services import (
        add_numbers,
        create_location,
        create_organization,
        ensure_package,
    )
    from userhub.phones import number_range
    from userhub.sip.models import SipServer
    from userhub.sip.services import set_password

    org = create_organization("Bench", "https://bench.example.com")
    location = create_location(org, "Paris", "FR", "Europe/Paris")
    add_numbers(location, number_range("+33 1 84 88 00 00", f"+33 1 84 88 {(users - 1) // 100:02d} {(users - 1) % 100:02d}",
                                       "FR"))
    ensure_package("webex_calling", "Webex Calling")
    db.session.commit()
    people = []
    for index, number in enumerate(sorted(location.phone_numbers, key=lambda n: n.e164)[:users]):
        user = create_user(org, f"user{index}@bench.example.com", first_name="User", last_name=str(index),
                           location=location, phone_number=number, extension=f"{5000 + index}")
        user.status = UserStatus.ACTIVE.value
        db.session.commit()
        set_password(user, "correct-horse-battery")
        people.append((user, number.e164))

    def save(user, key, criteria=(), **values):  # type: ignore[no-untyped-def]
        feature = registry.get(key)
        state = services.load(user, feature).states[key]
        services.save(user, feature, dataclasses.replace(state.values, **values), list(criteria), state.version, user)

    for index, (user, _number) in enumerate(people):
        kind = index % 5
        if kind == 1:
            save(user, "call-forwarding", busy_enabled=True, busy_destination="+33611111111", no_answer_enabled=True,
                 no_answer_destination=f"{5000 + (index + 1) % users}", business_continuity_enabled=True,
                 business_continuity_destination="+33633333333")
        elif kind == 2:
            save(user, "simultaneous-ring", enabled=True, numbers=[{"phone_number": "+33644444444",
                                                                    "answer_confirmation": False}])
        elif kind == 3:
            save(user, "selective-reject", criteria=[Criterion(name="Liste", calls_from="select",
                                                               phone_numbers=["+33699999999"])], enabled=True)
            save(user, "priority-alert", criteria=[Criterion(name="Patron", calls_from="select",
                                                             phone_numbers=["+33655555555"])], enabled=True)
        elif kind == 4:
            save(user, "sequential-ring", enabled=True, ring_own_devices_first=True, own_devices_rings=2,
                 numbers=[{"phone_number": "+33644444444", "answer_confirmation": False, "rings": 3}])
    token = secrets.token_urlsafe(32)
    db.session.add(SipServer(name="bench", token_hash=hashlib.sha256(token.encode()).hexdigest()))
    db.session.commit()
    return token, [number for _user, number in people]


def bare_evaluator(numbers: list[str]) -> tuple[float, float]:
    """Median seconds of routing.evaluate alone (settings already read), and of services.decide in-process."""
    from sqlalchemy import select

    from userhub.accounts.models import User
    from userhub.organizations.models import PhoneNumber
    from userhub.routing.evaluate import evaluate
    from userhub.routing.mapper import routing_settings_for
    from userhub.routing.inputs import IncomingCall
    from userhub.sip.services import CallQuestion, decide

    at = datetime.now(UTC).astimezone(ZoneInfo("Europe/Paris"))
    loaded = []
    for number in numbers:
        user = db.session.scalar(select(User).join(PhoneNumber, PhoneNumber.user_id == User.id)
                                 .where(PhoneNumber.e164 == number))
        loaded.append(routing_settings_for(user))
    evaluations = []
    for _ in range(5):
        for settings in loaded:
            started = time.perf_counter()
            evaluate(settings, IncomingCall(at=at, caller="+33612345678"))
            evaluations.append(time.perf_counter() - started)
    decisions = []
    for number in numbers:
        started = time.perf_counter()
        decide(CallQuestion(called=number, caller="+33612345678"))
        decisions.append(time.perf_counter() - started)
        db.session.rollback()
    return statistics.median(evaluations), statistics.median(decisions)


def load(url: str, token: str, numbers: list[str], rate: int, seconds: int) -> tuple[list[float], int, int]:
    host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
    total = rate * seconds
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    start = time.perf_counter() + 0.5
    callers = ("+33612345678", "anonymous", "+33699999999", "+33655555555")

    def one(i: int) -> None:
        nonlocal errors
        planned = start + i / rate
        delay = planned - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        query = urllib.parse.urlencode({"to": numbers[i % len(numbers)], "from": callers[i % len(callers)]})
        began = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(host, port, timeout=5)
            connection.request("GET", f"/sip/decision?{query}", headers={"Authorization": f"Bearer {token}"})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
            connection.close()
        except OSError:
            ok = False
        # latency measured from the planned time: a client that fell behind counts against the server
        elapsed = time.perf_counter() - min(began, planned) if delay < 0 else time.perf_counter() - began
        with lock:
            latencies.append(elapsed)
            errors += 0 if ok else 1

    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(one, range(total)))
    return latencies, errors, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=200)
    arguments = parser.parse_args()
    # a stopped run still ends its servers and drops its schema (the finally blocks below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    schema, url = make_postgres_schema(PG_URL)
    server = None
    try:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "USERHUB_ARGON2_PROFILE": "test",
                          "RATELIMIT_ENABLED": False})
        with app.app_context():
            import userhub.models  # noqa: F401

            db.create_all()
            token, numbers = seed(arguments.users)
            evaluation, in_process = bare_evaluator(numbers)
            db.session.remove()
        server = Userhub(url, Path(tempfile.mkdtemp(prefix="bench-decision-")))
        server.start()
        load(server.url, token, numbers, 50, 2)  # warm both workers
        latencies, errors, total = load(server.url, token, numbers, arguments.rate, arguments.seconds)
    finally:
        if server is not None:
            server.stop()
        drop_postgres_schema(PG_URL, schema)
    ms = sorted(x * 1000 for x in latencies)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(p / 100 * len(ms)))]

    print(f"call decision, gunicorn 2 workers, PostgreSQL, {arguments.users} users, {arguments.rate}/s for "
          f"{arguments.seconds} s: {total} requests, {errors} errors")
    print(f"  latency ms: p50 {pct(50):.2f}  p95 {pct(95):.2f}  p99 {pct(99):.2f}  max {ms[-1]:.2f}")
    print(f"  bare evaluator (routing.evaluate, settings in memory): median {evaluation * 1e6:.1f} us")
    print(f"  decide() in process (reads + 3 evaluations + plan): median {in_process * 1000:.2f} ms")
    print(f"  ratio of the endpoint's median to the bare evaluator's: {pct(50) / (evaluation * 1000):.0f}x; "
          f"decide() in process / bare evaluator: {in_process / evaluation:.0f}x")


if __name__ == "__main__":
    main()
