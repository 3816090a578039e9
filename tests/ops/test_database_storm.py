"""A storm of lost database connections under a real deployment: gunicorn with 2 workers in production
mode, PostgreSQL in a schema of its own, the app's connections terminated every 2 s for 20 s while
people keep asking for pages that read the database. Every request either succeeds or gets the app's own
503 page; the log stays one JSON object per line, with each request's true status."""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from e2e.liveserver import start_gunicorn, stop_process
from tests import conftest as base
from tests.ops.connections import terminate_connections_of
from userhub import create_app
from userhub.extensions import db

ROOT = Path(__file__).resolve().parents[2]
STORM_SECONDS, KILL_EVERY = 20.0, 2.0
UNAVAILABLE = "briefly unavailable"


@pytest.fixture
def storm_server(backend, tmp_path):  # type: ignore[no-untyped-def]
    if backend != "postgresql":
        pytest.skip("connection loss is simulated with PostgreSQL's pg_terminate_backend")
    base_url = base._postgres_base_url()
    schema, url = base.make_postgres_schema(base_url)
    setup = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with setup.app_context():
        import userhub.models  # noqa: F401  (the whole schema)

        db.create_all()
        db.engine.dispose()
    name = f"userhub-storm-{secrets.token_hex(4)}"
    port = base.free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("USERHUB_")}
    env.update({
        "USERHUB_ENV": "production",
        "USERHUB_SECRET_KEY": secrets.token_urlsafe(48),
        "USERHUB_DATABASE_URL": f"{url}&application_name={name}",
        "USERHUB_BASE_URL": "https://hub.example.com",
        "USERHUB_MAIL_WORKER_THREAD": "0",
        "USERHUB_ARGON2_PROFILE": "test",
        "PYTHONUNBUFFERED": "1",
    })
    log = tmp_path / "server.log"
    try:
        process = start_gunicorn(["-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}"], env, log,
                                 f"http://127.0.0.1:{port}/readyz")
        try:
            yield f"http://127.0.0.1:{port}", name, log
        finally:
            stop_process(process)
    finally:
        base.drop_postgres_schema(base_url, schema)


def test_a_storm_of_lost_connections_gives_the_apps_503_and_json_logs(storm_server):  # type: ignore[no-untyped-def]
    url, name, log = storm_server
    stop = threading.Event()
    results: list[tuple[str, int, str, str]] = []  # (path, status, content type, body start)
    errors: list[str] = []

    def person(seed: int) -> None:
        paths = ["/activate/" + secrets.token_urlsafe(32), "/password/reset/" + secrets.token_urlsafe(32)]
        with httpx.Client(base_url=url, timeout=30, headers={"Accept-Language": "en"}) as client:
            k = seed
            while not stop.is_set():
                path = paths[k % 2]
                k += 1
                try:
                    response = client.get(path)
                except httpx.HTTPError as exc:  # a connection dropped by the server is a failure too
                    errors.append(f"{path}: {exc!r}")
                    continue
                results.append((path, response.status_code, response.headers.get("content-type", ""),
                                response.text))

    people = [threading.Thread(target=person, args=(n,)) for n in range(6)]
    for thread in people:
        thread.start()
    killed, started = 0, time.monotonic()
    try:
        while time.monotonic() - started < STORM_SECONDS:
            time.sleep(KILL_EVERY)
            killed += terminate_connections_of(name)
    finally:
        stop.set()
        for thread in people:
            thread.join(60)

    statuses = Counter(status for _, status, _, _ in results)
    print(f"{len(results)} requests, statuses {dict(statuses)}, {killed} connections terminated")
    assert killed >= 10, "the storm did not reach the app's connections"
    assert errors == []
    assert set(statuses) <= {200, 404, 503}, statuses
    for path, status, content_type, body in results:
        if status == 503:
            assert content_type.startswith("text/html") and UNAVAILABLE in body, (path, content_type, body[:300])

    lines = log.read_text(errors="replace").splitlines()
    foreign = [line for line in lines if not line.startswith("{") and "[INFO]" not in line]
    assert foreign == [], "\n".join(foreign[:40])  # no plain traceback, no gunicorn error
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    access = Counter(entry["message"].split()[2] for entry in entries if entry["logger"] == "userhub.access"
                     and entry["message"].split()[1].startswith(("/activate/", "/password/reset/")))
    assert access == Counter({str(status): count for status, count in statuses.items()}), (access, statuses)
