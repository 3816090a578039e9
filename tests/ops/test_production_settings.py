"""Production refuses settings that are only safe on a laptop, whichever way they arrive (environment or
mapping), and turns on what a public site needs."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from userhub import create_app
from userhub.config import DEV_SECRET_KEY
from userhub.extensions import db
from userhub.ops import connections

SAFE_ENV = {
    "USERHUB_ENV": "production",
    "USERHUB_SECRET_KEY": "k" * 40,
    "USERHUB_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "USERHUB_BASE_URL": "https://hub.example.com",
}


@pytest.mark.parametrize(
    "variable, value, complaint",
    [
        ("USERHUB_SECRET_KEY", DEV_SECRET_KEY, "USERHUB_SECRET_KEY"),
        ("USERHUB_SECRET_KEY", "short-key", "USERHUB_SECRET_KEY"),
        ("USERHUB_SECRET_KEY", "", "USERHUB_SECRET_KEY"),
        ("USERHUB_DATABASE_URL", "sqlite:////var/lib/userhub/userhub.db", "PostgreSQL"),
        ("USERHUB_BASE_URL", "http://hub.example.com", "https://"),
    ],
)
def test_production_refuses_unsafe_environment(monkeypatch, variable, value, complaint):
    for name, safe in SAFE_ENV.items():
        monkeypatch.setenv(name, safe)
    monkeypatch.setenv(variable, value)
    with pytest.raises(RuntimeError, match=complaint):
        create_app()


def test_production_settings_from_the_environment(monkeypatch):
    for name, safe in SAFE_ENV.items():
        monkeypatch.setenv(name, safe)
    monkeypatch.setenv("USERHUB_TRUSTED_PROXIES", "2")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    # Connections are checked when a request takes them, by their socket instead of a SELECT 1 (ops/connections.py)
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is False
    with app.app_context():
        assert event.contains(db.engine, "checkout", connections._check_on_checkout)
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-userhub"
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["USERHUB_DEMO_MAILBOX"] is False
    response = app.test_client().get(
        "/healthz", headers={"X-Forwarded-For": "198.51.100.7, 10.0.0.2", "X-Forwarded-Proto": "https"}
    )
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_demo_mailbox_never_in_production(monkeypatch):
    for name, safe in SAFE_ENV.items():
        monkeypatch.setenv(name, safe)
    monkeypatch.setenv("USERHUB_DEMO_MAILBOX", "1")
    app = create_app()
    assert app.config["USERHUB_DEMO_MAILBOX"] is False
    assert "dev" not in app.blueprints


def test_a_production_worker_prepares_its_pages_before_the_first_request(monkeypatch):
    for name, safe in SAFE_ENV.items():
        monkeypatch.setenv(name, safe)
    app = create_app()
    templates = app.jinja_env.list_templates(extensions=("html", "txt"))
    compiled = {template.name for template in app.jinja_env.cache.values()}  # type: ignore[union-attr]
    assert len(templates) > 50 and set(templates) <= compiled
    monkeypatch.setenv("USERHUB_WARM_UP", "0")
    assert not create_app().jinja_env.cache
