"""Health and readiness, request ids, logs without secrets, and production settings that refuse to start."""

from __future__ import annotations

import logging
import re

import pytest

from tests.conftest import STRONG_PASSWORD, sign_in
from userhub import create_app
from userhub.accounts import services
from userhub.extensions import db
from userhub.ops import JsonFormatter, redact


def test_health_and_readiness(client, make_user):
    assert client.get("/healthz").json == {"status": "ok"}
    make_user("new@example.com", active=False, password=None)
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["database"] == "ok"
    assert ready.json["outbox_pending"] == 0


def test_readiness_counts_the_outbox_backlog(client, make_user):
    user = make_user("new@example.com", active=False, password=None)
    services.send_invitation(user)
    db.session.commit()
    assert client.get("/readyz").json["outbox_pending"] == 1


def test_every_response_carries_a_request_id(client):
    response = client.get("/sign-in")
    assert re.fullmatch(r"[0-9a-f]{16}", response.headers["X-Request-ID"])
    echoed = client.get("/sign-in", headers={"X-Request-ID": "abcdef1234567890"})
    assert echoed.headers["X-Request-ID"] == "abcdef1234567890"
    forged = client.get("/sign-in", headers={"X-Request-ID": "bad id <script>"})
    assert forged.headers["X-Request-ID"] != "bad id <script>"


def test_logs_hold_no_password_or_token(app, make_user, caplog):
    user = make_user("new@example.com", active=False, password=None)
    issued = services.send_invitation(user)
    db.session.commit()
    client = app.test_client()
    with caplog.at_level(logging.INFO, logger="userhub"):
        hop = client.get(f"/activate/{issued.raw}")
        client.get(hop.headers["Location"])
        activated = client.post(hop.headers["Location"], data={"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD})
        assert activated.status_code == 302
        sign_in(app.test_client(), "new@example.com", STRONG_PASSWORD)
    formatter = JsonFormatter()
    lines = "\n".join(formatter.format(record) for record in caplog.records)
    assert "userhub.access" in lines  # requests were logged
    assert issued.raw not in lines and STRONG_PASSWORD not in lines


def test_redaction():
    assert "abc123" not in redact("GET /activate/abc123 200")
    assert "s3cret" not in redact("password=s3cret&x=1")


@pytest.mark.parametrize(
    "overrides, complaint",
    [
        ({}, "USERHUB_SECRET_KEY"),
        ({"SECRET_KEY": "k" * 40}, "PostgreSQL"),
        ({"SECRET_KEY": "k" * 40, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://x@h/d"}, "https://"),
    ],
)
def test_production_refuses_unsafe_settings(monkeypatch, overrides, complaint):
    monkeypatch.setenv("USERHUB_ENV", "production")
    monkeypatch.delenv("USERHUB_SECRET_KEY", raising=False)
    monkeypatch.delenv("USERHUB_DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match=complaint):
        create_app(overrides)


def test_production_with_safe_settings_uses_host_cookies(monkeypatch):
    monkeypatch.setenv("USERHUB_ENV", "production")
    app = create_app({
        "SECRET_KEY": "k" * 40,
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:5432/test",
        "USERHUB_BASE_URL": "https://hub.example.com",
    })
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-userhub" and app.config["SESSION_COOKIE_SECURE"]
    response = app.test_client().get("/sign-in", base_url="https://hub.example.com")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
