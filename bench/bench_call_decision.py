"""The call decision endpoint under load: gunicorn (2 workers) on PostgreSQL at a steady rate.

Run from the repository root:  python bench/bench_call_decision.py  [--rate 200] [--seconds 60] [--users 200]
[--hard 30] [--in-process-only] [--profile 15] [--gunicorn-config deploy/gunicorn.conf.py] [--threads 1,4]

Seeds an organization of --users people with SIP accounts and a mix of forwarding, ring and screening
settings, plus --hard people that cost most to decide (50 rules with a schedule, executives with two
assistants, a rule that depends on the time of day), in a private PostgreSQL schema. Then:

1. In process, against PostgreSQL, through Flask's test client (no network, no gunicorn): per decision,
   the SQL statements and the database round trips (statements, plus BEGIN/ROLLBACK and the pool's ping),
   and the CPU time (time.process_time: this process, client side of the test client included), for the
   ordinary and the hard people apart; the bare evaluator (routing.evaluate on settings in memory) and
   decide() alone, and their ratio. --profile N prints cProfile's N most costly functions of the endpoint.
2. Unless --in-process-only, once per --threads value (1: a decision server, GUNICORN_THREADS=1; 4: the
   portal's servers, the default): gunicorn with two workers and production's settings
   (deploy/gunicorn.conf.py, its post_worker_init that freezes the loaded application for the garbage
   collector), GET /sip/decision at --rate requests a second (open loop: each request leaves at its planned
   time, from 32 client threads) for --seconds: latency percentiles from the planned time, errors, and the
   CPU the two workers used per decision (from /proc).

Prints the load average before and after: on a shared machine the figures are worth what the load lets
them be. Goal (issue 15): p99 under 10 ms at 200/s for 60 s, no error. Not run by pytest.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import http.client
import io
import os
import pstats
import secrets
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import DEFAULT_PG_URL, drop_postgres_schema, make_postgres_schema
from tests.sip.harness import Userhub
from userhub import create_app
from userhub.extensions import db

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("USERHUB_TEST_POSTGRES_URL", DEFAULT_PG_URL)
# Rate limits in Redis shared by the workers, as the README's production layout has them (memory:// starts a
# timer thread per request in each worker, which production does not pay).
PRODUCTION_LIMITS = {"USERHUB_RATELIMIT_STORAGE_URL": os.environ.get("USERHUB_BENCH_REDIS",
                                                                  "redis://127.0.0.1:6379/13")}

CALLERS = ("+33612345678", "anonymous", "+33699999999", "+33655555555")


def seed(users: int, hard: int = 0) -> tuple[str, list[str]]:
    """An organization, its people with SIP accounts and varied settings; returns a SIP server's token
    and the people's numbers: ``users`` ordinary people, then ``hard`` costly ones (numbers[users:])."""
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
    from userhub.schedules.services import EventInput, create_schedule
    from userhub.sip.models import SipServer
    from userhub.sip.services import set_password

    total = users + hard
    org = create_organization("Bench", "https://bench.example.com")
    location = create_location(org, "Paris", "FR", "Europe/Paris")
    add_numbers(location, number_range("+33 1 84 88 00 00", f"+33 1 84 88 {(total - 1) // 100:02d} {(total - 1) % 100:02d}",
                                       "FR"))
    ensure_package("webex_calling", "Webex Calling")
    db.session.commit()
    people = []
    for index, number in enumerate(sorted(location.phone_numbers, key=lambda n: n.e164)[:total]):
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

    for index, (user, _number) in enumerate(people[:users]):
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
    for index, (user, _number) in enumerate(people[users:]):
        office = create_schedule(user, "Bureau", "business_hours", [EventInput(
            "Semaine", date(2026, 1, 5), date(2026, 1, 5), start_time=clock(9), end_time=clock(18),
            recurrence="weekly", weekdays=("MO", "TU", "WE", "TH", "FR"))])
        during_office = {"schedule_id": office.id, "schedule_level": "personal", "schedule_type": office.type}
        kind = index % 3
        if kind == 0:  # 50 rules (the last one by schedule), with forwarding and voicemail settings
            rules = [Criterion(f"Règle {i}", calls_from="select", phone_numbers=[f"+336123{i:05d}", f"+337123{i:05d}"])
                     for i in range(49)]
            rules.append(Criterion("Bureau", calls_from="select", phone_numbers=["+33699999999"], **during_office))
            save(user, "selective-reject", criteria=rules, enabled=True)
            save(user, "call-forwarding", no_answer_enabled=True, no_answer_destination=f"{5000 + index % users}",
                 busy_enabled=True, busy_destination="+33611111111")
        elif kind == 1:  # an executive filtering every call to two assistants in turn
            assistants = [people[(index + 1) % users][0].id, people[(index + 2) % users][0].id]
            save(user, "executive", enabled=True, assistants=assistants, filtering_enabled=True, filter_type="all",
                 alerting_mode="sequential", rollover_enabled=True, rollover_action="voicemail")
        else:  # the office's hours decide: priority alert and sequential ring only then
            save(user, "priority-alert", criteria=[Criterion("Bureau", **during_office)], enabled=True)
            save(user, "sequential-ring", criteria=[Criterion("Bureau", **during_office)], enabled=True,
                 ring_own_devices_first=True, own_devices_rings=2,
                 numbers=[{"phone_number": "+33644444444", "answer_confirmation": False, "rings": 3}])
    token = secrets.token_urlsafe(32)
    db.session.add(SipServer(name="bench", token_hash=hashlib.sha256(token.encode()).hexdigest()))
    db.session.commit()
    return token, [number for _user, number in people]


@dataclass
class InProcess:
    decisions: int
    statements: float  # SQL statements a decision
    round_trips: float  # statements + BEGIN + ROLLBACK + the pool's pre-ping, a decision
    cpu_ms: float  # time.process_time a decision (Flask's test client included)
    wall_ms: float  # median
    calls: float  # Python function calls a decision (C functions included): the same on a busy machine


class RoundTrips:
    """Counts what a decision sends to the database: statements (the engine's events), the BEGIN the
    driver sends before the first statement of a transaction, the ROLLBACK when the pool takes a
    connection back inside a transaction, and the pool's pre-ping on each checkout."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.statements = self.begins = self.rollbacks = self.pings = 0

    def _statement(self, conn, _cursor, _statement, _parameters, _context, _many):  # type: ignore[no-untyped-def]
        self.statements += 1
        raw = conn.connection.dbapi_connection
        if not raw.autocommit and raw.info.transaction_status == 0:  # psycopg: IDLE, so BEGIN goes first
            self.begins += 1

    def _rollback(self, conn):  # type: ignore[no-untyped-def]
        self._reset(conn.connection.dbapi_connection)

    def _reset(self, raw, *_args):  # type: ignore[no-untyped-def]
        if raw is not None and raw.info.transaction_status != 0:  # a transaction is open: ROLLBACK is sent
            self.rollbacks += 1

    def _checkout(self, *_args):  # type: ignore[no-untyped-def]
        if self.engine.pool._pre_ping:
            self.pings += 1

    def __enter__(self) -> RoundTrips:
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._statement)
        event.listen(self.engine, "rollback", self._rollback)
        event.listen(self.engine.pool, "reset", self._reset)
        event.listen(self.engine.pool, "checkout", self._checkout)
        return self

    def __exit__(self, *_exc: object) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine, "rollback", self._rollback)
        event.remove(self.engine.pool, "reset", self._reset)
        event.remove(self.engine.pool, "checkout", self._checkout)

    @property
    def total(self) -> int:
        return self.statements + self.begins + self.rollbacks + self.pings


def in_process(app: Any, token: str, numbers: list[str], rounds: int = 3) -> InProcess:
    """Decisions through the whole Flask stack (as under gunicorn, minus the network)."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    questions = [f"/sip/decision?{urllib.parse.urlencode({'to': n, 'from': c})}" for n in numbers for c in CALLERS]
    for question in questions[:20]:  # warm: statements compiled, credential cached
        client.get(question, headers=headers)
    walls = []
    with app.app_context():
        engine = db.engine
    with RoundTrips(engine) as trips:
        cpu = time.process_time()
        for _ in range(rounds):
            for question in questions:
                began = time.perf_counter()
                response = client.get(question, headers=headers)
                walls.append(time.perf_counter() - began)
                if response.status_code != 200:
                    raise RuntimeError(f"{question}: {response.status_code} {response.get_data(as_text=True)}")
        cpu = time.process_time() - cpu
    count = len(walls)
    return InProcess(count, trips.statements / count, trips.total / count, cpu / count * 1000,
                     statistics.median(walls) * 1000, calls_per_request(client, questions[:200], headers))


def calls_per_request(client: Any, questions: list[str], headers: dict[str, str]) -> float:
    """Python function calls a request makes (sys.setprofile): a deterministic measure of CPU work, for
    comparing two revisions on a shared machine where CPU times move with the load."""
    calls = 0

    def count(_frame, event, _arg):  # type: ignore[no-untyped-def]
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        for question in questions:
            client.get(question, headers=headers)
    finally:
        sys.setprofile(None)
    return calls / len(questions)


def profile(app: Any, token: str, numbers: list[str], top: int) -> str:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    questions = [f"/sip/decision?{urllib.parse.urlencode({'to': n, 'from': c})}" for n in numbers for c in CALLERS]
    profiler = cProfile.Profile(time.process_time)  # CPU, not the wait for the database
    profiler.enable()
    for question in questions:
        client.get(question, headers=headers)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


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
    db.session.remove()
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
        db.session.remove()  # as at the end of a request
        decisions.append(time.perf_counter() - started)
    return statistics.median(evaluations), statistics.median(decisions)


def load(url: str, token: str, numbers: list[str], rate: int, seconds: int) -> tuple[list[float], int, int]:
    host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
    total = rate * seconds
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    start = time.perf_counter() + 0.5

    def one(i: int) -> None:
        nonlocal errors
        planned = start + i / rate
        delay = planned - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        query = urllib.parse.urlencode({"to": numbers[i % len(numbers)], "from": CALLERS[i % len(CALLERS)]})
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


def workers_cpu(master: int) -> float:
    """CPU seconds (user + system) the gunicorn workers of ``master`` have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--hard", type=int, default=30, help="costly people (50 rules, executives, schedules)")
    parser.add_argument("--in-process-only", action="store_true", help="skip the gunicorn load")
    parser.add_argument("--gunicorn-config", default=str(ROOT / "deploy" / "gunicorn.conf.py"), metavar="FILE",
                        help="gunicorn settings (production's by default; '' for gunicorn's defaults)")
    parser.add_argument("--threads", default="1,4", metavar="N[,N]",
                        help="gunicorn threads per worker, one load run each (GUNICORN_THREADS: 1 for a decision "
                             "server, 4 for the portal's servers)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print cProfile's N top functions")
    arguments = parser.parse_args()
    print(f"load average before: {loadavg()} ({os.cpu_count()} CPUs)", flush=True)
    # a stopped run still ends its servers and drops its schema (the finally blocks below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    schema, url = make_postgres_schema(PG_URL)
    server = None
    result: dict[str, Any] = {}
    try:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "USERHUB_ARGON2_PROFILE": "test",
                          "RATELIMIT_ENABLED": False})
        with app.app_context():
            import userhub.models  # noqa: F401

            db.create_all()
            started = time.perf_counter()
            token, numbers = seed(arguments.users, arguments.hard)
            print(f"seeded {arguments.users} + {arguments.hard} people in {time.perf_counter() - started:.1f} s",
                  flush=True)
            ordinary, hard = numbers[:arguments.users], numbers[arguments.users:]
            evaluation, decide_alone = bare_evaluator(ordinary)
        result["ordinary"] = in_process(app, token, ordinary)
        if hard:
            result["hard"] = in_process(app, token, hard)
        if arguments.profile:
            result["profile"] = profile(app, token, numbers, arguments.profile)
        for threads in ([] if arguments.in_process_only else arguments.threads.split(",")):
            server = Userhub(url, Path(tempfile.mkdtemp(prefix="bench-decision-")),
                             {**PRODUCTION_LIMITS, "GUNICORN_THREADS": threads},
                             config=Path(arguments.gunicorn_config) if arguments.gunicorn_config else None)
            server.start()
            load(server.url, token, numbers, 50, 2)  # warm both workers
            assert server.process is not None
            cpu = workers_cpu(server.process.pid)
            figures = load(server.url, token, numbers, arguments.rate, arguments.seconds)
            result.setdefault("loads", []).append((threads, figures, workers_cpu(server.process.pid) - cpu))
            server.stop()
            server = None
            time.sleep(5)  # the next run starts on a machine that has settled
    finally:
        if server is not None:
            server.stop()
        drop_postgres_schema(PG_URL, schema)

    print(f"call decision, PostgreSQL, {arguments.users} people + {arguments.hard} hard ones "
          "(50 rules with a schedule, executives with 2 assistants, rules by office hours)")
    print(f"  bare evaluator (routing.evaluate, settings in memory): median {evaluation * 1e6:.1f} us")
    print(f"  decide() in process (reads + 3 evaluations + plan): median {decide_alone * 1000:.2f} ms, "
          f"{decide_alone / evaluation:.0f} x the bare evaluator")
    for name, figures in (("ordinary", result["ordinary"]), ("hard", result.get("hard"))):
        if figures is None:
            continue
        print(f"  endpoint in process, {name} people ({figures.decisions} decisions through Flask's test client): "
              f"{figures.statements:.2f} statements and {figures.round_trips:.2f} database round trips a decision; "
              f"CPU {figures.cpu_ms:.2f} ms and {figures.calls:.0f} Python calls a decision; median {figures.wall_ms:.2f} ms "
              f"({figures.wall_ms / (evaluation * 1000):.0f} x the bare evaluator)")
    for threads, (latencies, errors, total), used in result.get("loads", []):
        ms = sorted(x * 1000 for x in latencies)

        def pct(p: float, ms: list[float] = ms) -> float:
            return ms[min(len(ms) - 1, int(p / 100 * len(ms)))]

        print(f"  gunicorn 2 workers x {threads} thread(s) ({arguments.gunicorn_config or 'gunicorn defaults'}), "
              f"{arguments.rate}/s for {arguments.seconds} s: {total} requests, {errors} errors")
        print(f"    latency ms: p50 {pct(50):.2f}  p95 {pct(95):.2f}  p99 {pct(99):.2f}  max {ms[-1]:.2f}  "
              f"(goal p99 < 10 and no error: {'PASS' if pct(99) < 10 and not errors else 'FAIL'})")
        print(f"    CPU of the two workers: {used / total * 1000:.2f} ms a decision; "
              f"p50 / bare evaluator: {pct(50) / (evaluation * 1000):.0f} x")
    if "profile" in result:
        print(result["profile"])
    print(f"load average after: {loadavg()}")


if __name__ == "__main__":
    main()
