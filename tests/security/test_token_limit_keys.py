"""SECURITY.md: the raw activation or reset token appears in no table and no log line. The per-link
rate limit must not copy it into the limiter's storage either (Redis in production): it is keyed by
the token's digest, read here from the limiter's real storage, in memory and in Redis."""

from __future__ import annotations

import hashlib
import secrets

import pytest
import redis

from userhub.extensions import limiter


def hash_token(raw: str) -> str:
    """The digest the token table keeps (accounts/tokens.hash_token)."""
    return hashlib.sha256(raw.encode()).hexdigest()


REDIS_URL = "redis://127.0.0.1:6379/12"  # database 12 belongs to this test; only its own keys are read


def _post_with_token(client, raw: str) -> None:  # type: ignore[no-untyped-def]
    # The forms' addresses hold no token: the link's first hop left it in the session, where the limit reads it.
    with client.session_transaction() as session:
        session["activation_token"] = session["reset_token"] = raw
    for path in ("/activate", "/password/reset"):
        client.post(path, data={"password": "x", "confirm": "x"})


def _memory_keys() -> list[str]:
    storage = limiter.storage
    return [*storage.storage, *storage.events, *storage.expirations]  # type: ignore[attr-defined]


def test_memory_storage_keys_hold_the_digest_not_the_token(app, client):
    raw = secrets.token_urlsafe(32)
    _post_with_token(client, raw)
    keys = _memory_keys()
    assert [key for key in keys if hash_token(raw) in key], keys  # the per-link limit did count
    assert not [key for key in keys if raw in key]


class TestRedis:
    @pytest.fixture
    def app_config(self):  # type: ignore[no-untyped-def]
        try:
            redis.Redis.from_url(REDIS_URL).ping()
        except redis.exceptions.ConnectionError as exc:
            pytest.fail(f"Redis is not reachable at {REDIS_URL} ({exc}); the suite needs it for shared limits.")
        return {"RATELIMIT_STORAGE_URI": REDIS_URL}

    def test_redis_keys_hold_the_digest_not_the_token(self, app, client):
        raw = secrets.token_urlsafe(32)
        _post_with_token(client, raw)
        store = redis.Redis.from_url(REDIS_URL)
        keys = [key.decode() for key in store.scan_iter(count=1000)]
        mine = [key for key in keys if hash_token(raw) in key]
        try:
            assert len(mine) == 2, keys  # one per-link counter for activation, one for reset
            assert not [key for key in keys if raw in key]
        finally:
            if mine:
                store.delete(*mine)
