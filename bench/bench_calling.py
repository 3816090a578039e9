"""Requests per second of the Calling overview and of saving call forwarding, next to a bare route of
the same server (sign-in check, one row read, one template rendered), under the production set-up:
gunicorn with two workers on PostgreSQL. Also prints the SQL statements the overview issues.

Run from the repository root:  python bench/bench_calling.py  [--seconds 5] [--threads 8]
PostgreSQL: USERHUB_BENCH_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test); the
bench works in a private schema that it drops at the end. Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402

BASE_PG = os.environ.get("USERHUB_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "Violet-Harbour-Kettle-93!"
BARE = """{% extends "base.html" %}{% block content %}<h1>{{ person.name_for_display }}</h1>{% endblock %}"""


def bench_app():  # type: ignore[no-untyped-def]
    """The userhub app plus the bare route, for gunicorn: "bench.bench_calling:bench_app()"."""
    from flask import render_template_string
    from flask_login import current_user

    from userhub import create_app
    from userhub.accounts.models import User
    from userhub.extensions import db

    app = create_app()

    @app.get("/bench/bare")
    def bare():  # type: ignore[no-untyped-def]
        person = db.session.get(User, current_user.id, populate_existing=True)  # one row, read again
        return render_template_string(BARE, person=person)

    return app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prepare(env: dict[str, str], people: int) -> list[str]:
    """Schema and data: an organization, `people` employees with a number, a few settings and rules each;
    simultaneous ring sends calls to a mobile and a colleague, so the overview looks up who they are."""
    os.environ.update(env)
    from userhub import create_app
    from userhub.accounts.models import UserStatus
    from userhub.accounts.provisioning import create_user
    from userhub.calling import registry, services
    from userhub.calling.saved_criteria import Criterion
    from userhub.extensions import db
    from userhub.organizations.services import add_numbers, create_location, create_organization
    from userhub.phones import number_range
    from userhub.security.hashing import hash_password

    app = create_app()
    emails = []
    with app.app_context():
        import userhub.models  # noqa: F401

        db.create_all()
        org = create_organization("Bench", "https://bench.example.com")
        location = create_location(org, "Paris", "FR", "Europe/Paris")
        add_numbers(location, number_range("+33 1 84 88 40 00", f"+33 1 84 88 40 {people:02d}", "FR"))
        db.session.commit()
        password_hash = hash_password(PASSWORD)
        for i in range(people):
            email = f"bench{i}@example.com"
            user = create_user(org, email, first_name="Bench", last_name=str(i), location=location,
                               phone_number=location.phone_numbers[i], extension=f"40{i:02d}")
            user.status, user.display_name, user.password_hash = UserStatus.ACTIVE.value, f"Bench {i}", password_hash
            db.session.commit()
            rule = Criterion("Office", calls_from="select", phone_numbers=["+33634333211"])
            for key in ("priority-alert", "simultaneous-ring", "selective-reject"):
                feature = registry.get(key)
                values = feature.defaults()
                values.enabled = True
                if key == "simultaneous-ring":  # a mobile, and the colleague before (no loop)
                    values.numbers = [{"phone_number": "+33634333211", "answer_confirmation": False}]
                    if i:
                        values.numbers.append({"phone_number": f"40{i - 1:02d}", "answer_confirmation": False})
                services.save(user, feature, values, [rule, rule], 0, user)
            db.session.commit()  # services do not commit (the request edge does): a bench commits itself
            emails.append(email)
        db.engine.dispose()
    return emails


def _statement_count() -> int:
    from sqlalchemy import event

    from userhub.extensions import db

    app = bench_app()
    app.config.update(WTF_CSRF_ENABLED=False, SESSION_COOKIE_SECURE=False)
    with app.app_context():
        client = app.test_client()
        client.post("/sign-in", data={"email": "bench0@example.com"})
        client.post("/sign-in/password", data={"password": PASSWORD})
        count = 0

        def counter(*_args: object) -> None:
            nonlocal count
            count += 1

        event.listen(db.engine, "before_cursor_execute", counter)
        assert client.get("/settings/calling").status_code == 200
        event.remove(db.engine, "before_cursor_execute", counter)
        db.engine.dispose()
    return count


class Browser:
    """One signed-in person. Production cookies are Secure; the bench talks plain http to gunicorn
    on 127.0.0.1, so it carries the cookies itself."""

    def __init__(self, base: str, email: str) -> None:
        self.base, self.http, self.cookies = base, requests.Session(), {}
        token = self._token("/sign-in")
        self.post("/sign-in", {"email": email, "csrf_token": token})
        self.post("/sign-in/password", {"password": PASSWORD, "csrf_token": self._token("/sign-in/password")})
        self.csrf = self._token("/settings/calling/call-forwarding")
        self.version = int(re.search(r'name="version" type="hidden" value="(\d+)"',
                                     self.get("/settings/calling/call-forwarding").text).group(1))  # type: ignore[union-attr]

    def _keep(self, response: requests.Response) -> requests.Response:
        self.cookies.update(response.cookies.get_dict())
        return response

    def _headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def get(self, path: str) -> requests.Response:
        return self._keep(self.http.get(self.base + path, headers=self._headers(), allow_redirects=False))

    def post(self, path: str, data: dict[str, str]) -> requests.Response:
        return self._keep(self.http.post(self.base + path, data=data, headers=self._headers(), allow_redirects=False))

    def _token(self, path: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(path).text).group(1)  # type: ignore[union-attr]

    def save_forwarding(self) -> requests.Response:
        data = {"csrf_token": self.csrf, "version": str(self.version), "save": "1", "busy_enabled": "y",
                "busy_destination": f"06 34 33 32 {self.version % 90 + 10}", "no_answer_rings": "3"}
        response = self.post("/settings/calling/call-forwarding", data)
        if response.status_code == 302:
            self.version += 1
        return response


def _rate(browsers: list[Browser], action, seconds: float) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    done, errors, stop = [0], [0], time.monotonic() + seconds
    lock = threading.Lock()

    def worker(browser: Browser) -> None:
        while time.monotonic() < stop:
            ok = action(browser).status_code in (200, 302)
            with lock:
                done[0] += ok
                errors[0] += not ok

    threads = [threading.Thread(target=worker, args=(b,)) for b in browsers]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / (time.monotonic() - start), errors[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    schema = f"bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(BASE_PG)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = f"{BASE_PG}{'&' if '?' in BASE_PG else '?'}options=-csearch_path%3D{schema}"
    port = _free_port()
    env = {"USERHUB_ENV": "production", "USERHUB_SECRET_KEY": secrets.token_hex(32), "USERHUB_DATABASE_URL": url,
           "USERHUB_BASE_URL": "https://bench.example.com", "USERHUB_RATELIMIT_ENABLED": "0"}
    server = None
    try:
        emails = _prepare(env, args.threads)
        statements = _statement_count()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "--log-level", "warning", "bench.bench_calling:bench_app()"],
            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                requests.get(base + "/healthz", timeout=5)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.25)
        browsers = [Browser(base, email) for email in emails]
        for browser in browsers:  # warm both workers
            browser.get("/settings/calling"), browser.get("/bench/bare")
        results = {}
        for name, action in (("bare route", lambda b: b.get("/bench/bare")),
                             ("Calling overview", lambda b: b.get("/settings/calling")),
                             ("save call forwarding", Browser.save_forwarding)):
            results[name] = _rate(browsers, action, args.seconds)
        print(f"gunicorn 2 workers, PostgreSQL, {args.threads} signed-in clients, {args.seconds:.0f} s each")
        for name, (rate, errors) in results.items():
            print(f"  {name:22s} {rate:8.1f} requests/s  ({errors} errors)")
        ratio = results["Calling overview"][0] / results["bare route"][0]
        print(f"  overview / bare route  {ratio:8.2f}  (goal: at least 0.50)")
        print(f"  SQL statements of the overview: {statements} (the same with any number of features and rules:"
              " session and user, settings with their rules, feature access, assistants, location, voicemail,"
              " who the destinations are)")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
