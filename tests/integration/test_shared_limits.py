"""Rate limits live in Redis when configured, so every worker process sees the same counts."""

from __future__ import annotations

import pytest
import redis

from tests.conftest import sign_in
from userhub import create_app

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def app_config():  # type: ignore[no-untyped-def]
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()  # database 15 belongs to this test
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} ({exc}); the suite needs it for shared rate limits.")
    return {"RATELIMIT_STORAGE_URI": REDIS_URL}


def test_two_app_processes_share_the_per_account_limit(app, user):
    # A second application object stands for a second gunicorn worker: it shares nothing in memory.
    other_worker = create_app({**app.config})
    other_worker.test_client_class = app.test_client_class
    first, second = app.test_client(), other_worker.test_client()
    for client in (first, second):
        client.post("/sign-in", data={"email": user.email})
    for attempt in range(10):
        client = first if attempt % 2 else second
        assert client.post("/sign-in/password", data={"password": "Wrong-Password-1!"}).status_code == 400
    assert first.post("/sign-in/password", data={"password": "Wrong-Password-1!"}).status_code == 429
    assert second.post("/sign-in/password", data={"password": "Wrong-Password-1!"}).status_code == 429
    assert sign_in(app.test_client(), "someone.else@example.com", "x").status_code == 400
