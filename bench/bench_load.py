"""Load: simulated employees against gunicorn (2 workers) on PostgreSQL, as in production.

Run from the repository root (PostgreSQL on 127.0.0.1:5432, Redis on 127.0.0.1:6379):

    python bench/bench_load.py                      # 200 employees for 5 minutes
    python bench/bench_load.py --duration 60        # a shorter run

The bench creates its own database (dropped at the end), migrates it with `flask db upgrade`, creates one
organization with the employees, starts gunicorn, and drives it with asyncio + httpx: each employee signs
in (email, then password, CSRF tokens read from the pages), then in a loop opens the home page and, when the
Calling overview exists (/settings/calling), opens it, then the Call Forwarding page, and saves it with
"forward when busy" switched on or off
(--relogin-every N also signs out and in again every N rounds). Prints throughput, median and p99 latency per kind of request,
errors, and the memory (RSS) of each gunicorn worker at launch, when the steady phase starts (every page
rendered once) and at the end. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

import httpx
import psutil
import sqlalchemy as sa
from _common import load_average, percentile, verdict

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Violet-Harbour-Kettle-93!"
FORWARDING = "/settings/calling/call-forwarding"
BUSY_DESTINATION = "+33634333211"  # a mobile outside the organization
GOALS = {"p99_ms": 300.0, "memory_growth": 0.10, "sign_in_p99_ms": 1500.0}
SIGN_IN = "POST /sign-in/password (argon2)"  # the request that hashes; every other one is a page view


class Forms(HTMLParser):
    """The forms of a page: action, method and the values a browser would send as the page stands."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": []})
        elif self.forms and tag in ("input", "select", "textarea") and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "image", "file"):
                return
            self.forms[-1]["fields"].append([a["name"], a.get("value", ""), tag])
        elif self.forms and tag == "option" and "selected" in a:
            for field in reversed(self.forms[-1]["fields"]):
                if field[2] == "select":
                    field[1] = a.get("value", "")
                    break


def forms_of(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def csrf_of(html: str) -> str:
    for form in forms_of(html):
        for name, value, _ in form["fields"]:
            if name == "csrf_token":
                return value
    return ""


class Stats:
    def __init__(self, steady_from: float = 0.0) -> None:
        self.steady_from = steady_from  # after every employee has arrived and signed in
        self.steady: list[float] = []
        self.steady_errors = 0
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.error_samples: list[str] = []

    def record(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
        self.latencies[kind].append(seconds * 1000)
        if time.monotonic() - seconds >= self.steady_from:
            self.steady.append(seconds * 1000)
            self.steady_errors += not ok
        if not ok:
            self.errors[kind] += 1
            if len(self.error_samples) < 10:
                self.error_samples.append(f"{kind}: {detail}")


async def timed(stats: Stats, kind: str, call, expect=(200, 302)):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    try:
        response = await call
    except httpx.HTTPError as exc:
        stats.record(kind, time.perf_counter() - started, False, type(exc).__name__)
        return None
    stats.record(kind, time.perf_counter() - started, response.status_code in expect, str(response.status_code))
    return response


async def sign_in(client: httpx.AsyncClient, stats: Stats, email: str) -> bool:
    page = await timed(stats, "GET /sign-in", client.get("/sign-in"))
    if page is None:
        return False
    await timed(stats, "POST /sign-in", client.post("/sign-in", data={"email": email, "csrf_token": csrf_of(page.text)}))
    page = await timed(stats, "GET /sign-in/password", client.get("/sign-in/password"))
    if page is None:
        return False
    done = await timed(stats, "POST /sign-in/password (argon2)", client.post(
        "/sign-in/password", data={"password": PASSWORD, "csrf_token": csrf_of(page.text)}), expect=(302,))
    return done is not None and done.status_code == 302


async def employee(n: int, base: str, stats: Stats, stop_at: float, args: argparse.Namespace, calling: bool) -> None:
    await asyncio.sleep(random.uniform(0, args.ramp))  # people arrive over the ramp, as at the start of a day
    async def think() -> None:  # a person reads the page before the next click
        await asyncio.sleep(random.expovariate(1 / args.think))

    cookies = ProxiedCookies()
    async with httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=False,
                                 event_hooks={"request": [cookies.send], "response": [cookies.keep]}) as client:
        rounds = 0
        while time.monotonic() < stop_at:
            if rounds == 0 or (args.relogin_every and rounds % args.relogin_every == 0):
                if rounds:
                    home = await client.get("/")
                    await timed(stats, "POST /sign-out", client.post("/sign-out", data={"csrf_token": csrf_of(home.text)}))
                if not await sign_in(client, stats, f"employee{n}@example.com"):
                    await asyncio.sleep(1)
                    continue
            rounds += 1
            await timed(stats, "GET /", client.get("/"), expect=(200,))
            if calling:
                await think()
                await timed(stats, "GET /settings/calling", client.get("/settings/calling"), expect=(200,))
                # Call Forwarding: its page, then its form saved with "forward when busy" switched on or off
                # (a real change each round: version check, loop check, history), as a person would.
                await think()
                page = await timed(stats, "GET forwarding page", client.get(FORWARDING), expect=(200,))
                form = next((f for f in forms_of(page.text) if f["method"] == "post"  # not the language switch
                             and f["action"] in ("", FORWARDING)), None) if page else None
                if form is not None:
                    data: dict[str, list[str]] = defaultdict(list)  # httpx: a name's values in one list
                    for name, value, _ in form["fields"]:
                        if name not in ("busy_enabled", "busy_destination"):
                            data[name].append(value)
                    data["busy_destination"] = [BUSY_DESTINATION]
                    if rounds % 2:
                        data["busy_enabled"] = ["y"]
                    await think()
                    await timed(stats, "POST forwarding (save)", client.post(form["action"] or FORWARDING, data=data),
                                expect=(302,))
            await think()


class ProxiedCookies:
    """A browser's cookies for the site, sent back over plain http: in production TLS ends at the reverse
    proxy and gunicorn behind it still gets the Secure cookies (httpx would keep those for https)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    async def send(self, request: httpx.Request) -> None:
        if self.values:
            request.headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.values.items())

    async def keep(self, response: httpx.Response) -> None:
        for header in response.headers.get_list("set-cookie"):
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0":  # deleted (sign-out)
                    self.values.pop(name, None)
                else:
                    self.values[name] = morsel.value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(server_url: str, users: int) -> tuple[str, str]:
    name = f"userhub_bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = server_url.rsplit("/", 1)[0] + "/" + name
    env = {**os.environ, "USERHUB_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "flask", "--app", "userhub", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    seed = (
        "from userhub import create_app\n"
        "from userhub.extensions import db\n"
        "from userhub.accounts.provisioning import create_user\n"
        "from userhub.organizations.services import create_organization, create_location, add_numbers, ensure_package\n"
        "from userhub.phones import number_range\n"
        "from userhub.security.hashing import hash_password\n"
        "from userhub.timeutil import utcnow\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    org = create_organization('Acme', 'https://acme.example.com')\n"
        "    loc = create_location(org, 'Paris office', 'FR', 'Europe/Paris')\n"
        f"    numbers = add_numbers(loc, number_range('+33 1 84 88 30 00', '+33 1 84 88 3{(users - 1) // 100 % 10}"
        f" {(users - 1) % 100:02d}', 'FR'))\n"
        "    package = ensure_package('webex_calling', 'Webex Calling')\n"
        f"    hashed = hash_password({PASSWORD!r})\n"
        f"    for n in range({users}):\n"
        "        u = create_user(org, f'employee{n}@example.com', first_name='Employee', last_name=str(n),\n"
        "                        package=package, location=loc, extension=str(1000 + n))\n"
        "        u.status, u.activated_at, u.display_name, u.password_hash = 'active', utcnow(), f'Employee {n}', hashed\n"
        "    db.session.commit()\n"
    )
    subprocess.run([sys.executable, "-c", seed], cwd=ROOT, env=env, check=True)
    return name, url


def drop_database(server_url: str, name: str) -> None:
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def worker_rss(master: psutil.Process) -> dict[int, float]:
    return {child.pid: child.memory_info().rss / 2**20 for child in master.children()}


def settled_rss(master: psutil.Process, workers: int, timeout: float = 60.0) -> dict[int, float]:
    """Each worker's memory once every worker has booted (created the app, warmed up) and stays put for a
    second: /healthz answering tells only that one worker is ready."""
    deadline, last, steady_since = time.monotonic() + timeout, {}, time.monotonic()
    while time.monotonic() < deadline:
        now = worker_rss(master)
        if len(now) < workers or now.keys() != last.keys() or any(abs(now[p] - last[p]) > 0.1 for p in now):
            last, steady_since = now, time.monotonic()
        elif time.monotonic() - steady_since >= 1.0:
            return now
        time.sleep(0.1)
    return last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=360,
                        help="seconds of load, arrivals included (default 360: the 60 s rush, then 5 minutes)")
    parser.add_argument("--users", type=int, default=200, help="simulated employees (default 200)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=4,
                        help="threads per worker (gthread); argon2 releases the GIL, so a sign-in does not stall pages")
    parser.add_argument("--think", type=float, default=3.0, help="mean pause between an employee's clicks, s")
    parser.add_argument("--ramp", type=float, default=60.0, help="employees arrive (sign in) over this many seconds")
    parser.add_argument("--relogin-every", type=int, default=0, help="sign out and in again every N rounds (0: never)")
    parser.add_argument("--postgres", default=os.environ.get("USERHUB_TEST_POSTGRES_URL",
                                                             "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14", help="rate-limit storage shared by workers")
    args = parser.parse_args()

    load_before = load_average()
    print(f"bench_load: {load_before} before", flush=True)
    name, url = prepare_database(args.postgres, args.users)
    port = free_port()
    # Production settings (secure cookies, warm-up, no demo mailbox); TLS would end at the reverse proxy,
    # so the bench talks plain http to gunicorn and sends the Secure cookies there (ProxiedCookies).
    env = {**os.environ, "USERHUB_ENV": "production", "USERHUB_DATABASE_URL": url,
           "USERHUB_SECRET_KEY": secrets.token_urlsafe(48), "USERHUB_RATELIMIT_STORAGE_URL": args.redis,
           "USERHUB_MAIL_TRANSPORT": "console", "USERHUB_BASE_URL": "https://hub.example.com"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(args.workers), "--threads", str(args.threads), "--keep-alive", "30", "-b",
         f"127.0.0.1:{port}", "--log-level", "warning", "userhub:create_app()"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        master = psutil.Process(server.pid)
        rss_launch = settled_rss(master, args.workers)
        calling = httpx.get(base + "/settings/calling").status_code != 404
        rss_start: dict[int, float] = {}
        started = time.monotonic()
        # Arrivals end after the ramp; allow the sign-in queue 15 s more to drain before "steady" begins.
        stats = Stats(steady_from=started + args.ramp + 15)

        async def warmed_up() -> None:
            # Growth is measured from the start of the steady phase: by then every page has been rendered and
            # every query compiled once (templates and statement caches are filled, not leaking).
            await asyncio.sleep(args.ramp + 15)
            rss_start.update(worker_rss(master))

        async def run() -> None:
            stop_at = time.monotonic() + args.duration
            await asyncio.gather(warmed_up(), *(employee(n, base, stats, stop_at, args, calling)
                                                for n in range(args.users)))

        asyncio.run(run())
        elapsed = time.monotonic() - started
        rss_end = worker_rss(master)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # the master and its workers, nothing else
        drop_database(args.postgres, name)

    everything = [v for values in stats.latencies.values() for v in values]
    total_errors = sum(stats.errors.values())
    print(f"userhub load: {args.users} employees arriving over {args.ramp:.0f} s, {args.workers} gunicorn workers x "
          f"{args.threads} threads, PostgreSQL, {elapsed:.0f} s, mean think time {args.think} s, "
          f"Calling overview {'present' if calling else 'absent (not built yet)'}, load average {os.getloadavg()[0]:.1f}")
    print(f"{'request':34} {'count':>7} {'median ms':>10} {'p99 ms':>8} {'errors':>7}")
    for kind, values in sorted(stats.latencies.items()):
        print(f"{kind:34} {len(values):7} {statistics.median(values):10.1f} {percentile(values, 0.99):8.1f} "
              f"{stats.errors[kind]:7}")
    p99 = percentile(everything, 0.99)
    print(f"{'all':34} {len(everything):7} {statistics.median(everything):10.1f} {p99:8.1f} {total_errors:7}")
    print(f"throughput: {len(everything) / elapsed:.1f} requests/s")
    for pid in rss_launch:
        end, steady = rss_end.get(pid), rss_start.get(pid)
        if not (end and steady):
            print(f"worker {pid}: replaced during the run")
            continue
        print(f"worker {pid}: RSS {rss_launch[pid]:.1f} MiB at launch, {steady:.1f} MiB when the steady phase "
              f"starts, {end:.1f} MiB at the end: {(end / steady - 1) * 100:+.1f}% during the steady phase "
              f"(goal under {GOALS['memory_growth'] * 100:.0f}%), {(end / rss_launch[pid] - 1) * 100:+.1f}% since launch")
    for sample in stats.error_samples:
        print("error:", sample)
    pages = [v for kind, values in stats.latencies.items() if kind != SIGN_IN for v in values]
    signs = stats.latencies.get(SIGN_IN, [])
    growths = [end / rss_launch[pid] - 1 for pid, end in rss_end.items() if pid in rss_launch]
    print(f"bench_load: {load_before} before, {load_average()} at the end")
    if pages:
        print(f"page views, whole run (rush included): {len(pages)} requests, median {statistics.median(pages):.1f} ms, "
              f"p99 {percentile(pages, 0.99):.1f} ms {verdict(percentile(pages, 0.99), GOALS['p99_ms'])} "
              f"(goal < {GOALS['p99_ms']:.0f} ms)")
    if signs:
        print(f"sign-ins (argon2id 64 MiB, {SIGN_IN}): {len(signs)}, median {statistics.median(signs):.1f} ms, "
              f"p99 {percentile(signs, 0.99):.1f} ms {verdict(percentile(signs, 0.99), GOALS['sign_in_p99_ms'])} "
              f"(goal < {GOALS['sign_in_p99_ms']:.0f} ms)")
    if growths:
        print(f"worker memory growth from warm start to the end: "
              f"{', '.join(f'{g * 100:+.1f}%' for g in growths)} {verdict(max(growths), GOALS['memory_growth'])} "
              f"(goal < {GOALS['memory_growth'] * 100:.0f}%)")
    print(f"errors: {total_errors} {verdict(total_errors, 1)} (goal 0)")
    if stats.steady:
        print(f"steady phase (from {args.ramp + 15:.0f} s on): {len(stats.steady)} requests, "
              f"{len(stats.steady) / max(1.0, elapsed - args.ramp - 15):.1f} requests/s, median "
              f"{statistics.median(stats.steady):.1f} ms, p99 {percentile(stats.steady, 0.99):.1f} ms "
              f"{verdict(percentile(stats.steady, 0.99), GOALS['p99_ms'])} (goal {GOALS['p99_ms']:.0f} ms), "
              f"errors {stats.steady_errors}")
    return 0 if total_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
