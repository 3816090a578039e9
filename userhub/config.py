"""Configuration: safe defaults, overridden by ``USERHUB_*`` environment variables.

Every setting the operator may change is read here and nowhere else, so the README's
list of settings and this module cannot drift apart.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

DEV_SECRET_KEY = "dev-only-insecure-secret-key"  # refused in production, see validate()


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"USERHUB_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    return default if value is None or value == "" else int(value)


def from_environment(instance_path: str) -> dict[str, Any]:
    """Build the Flask configuration from the environment."""
    env = _env("ENV", "development") or "development"
    production = env == "production"
    smtp_host = _env("SMTP_HOST", "") or ""
    return {
        "USERHUB_ENV": env,
        "SECRET_KEY": _env("SECRET_KEY", DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            _env("DATABASE_URL") or "sqlite:///" + os.path.join(instance_path, "userhub.db")
        ),
        # hide_parameters: a database error (and so its log line) never quotes what people typed.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        # Public address used in links sent by email: never taken from the Host header.
        "USERHUB_BASE_URL": (_env("BASE_URL", "http://127.0.0.1:5000") or "").rstrip("/"),
        "USERHUB_DESKTOP_APP_URL": _env("DESKTOP_APP_URL", "https://www.webex.com/downloads.html"),
        "USERHUB_MAIL_FROM": _env("MAIL_FROM", "User Hub <no-reply@userhub.example.com>"),
        "USERHUB_SMTP_HOST": smtp_host,
        "USERHUB_SMTP_PORT": _env_int("SMTP_PORT", 25),
        "USERHUB_SMTP_USERNAME": _env("SMTP_USERNAME", ""),
        "USERHUB_SMTP_PASSWORD": _env("SMTP_PASSWORD", ""),
        "USERHUB_SMTP_TLS": (_env("SMTP_TLS", "none") or "none").lower(),  # none | starttls | ssl
        "USERHUB_SMTP_TIMEOUT": _env_int("SMTP_TIMEOUT", 10),
        # "smtp" delivers for real; "console" logs messages (demo without a mail server).
        "USERHUB_MAIL_TRANSPORT": _env("MAIL_TRANSPORT", "smtp" if smtp_host else "console"),
        # 1: a thread in each web process drains the outbox (small sites, the demo, end-to-end tests).
        # 0: run `flask mail-worker` as its own process (production).
        "USERHUB_MAIL_WORKER_THREAD": _env_bool("MAIL_WORKER_THREAD", False),
        # Compile every template and read every catalogue when the process starts (ops.warm_up).
        "USERHUB_WARM_UP": _env_bool("WARM_UP", production),
        # The demo mailbox page lists every queued email; never in production.
        "USERHUB_DEMO_MAILBOX": _env_bool("DEMO_MAILBOX", False) and not production,
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URL", "memory://"),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "BABEL_DEFAULT_LOCALE": _env("DEFAULT_LOCALE", "fr"),
        "BABEL_DEFAULT_TIMEZONE": _env("DEFAULT_TIMEZONE", "Europe/Paris"),
        "USERHUB_ARGON2_PROFILE": _env("ARGON2_PROFILE", "rfc9106_low_memory"),
        "USERHUB_ACTIVATION_VALID_DAYS": _env_int("ACTIVATION_VALID_DAYS", 10),
        "USERHUB_RESET_VALID_MINUTES": _env_int("RESET_VALID_MINUTES", 60),
        "USERHUB_SESSION_IDLE_MINUTES": _env_int("SESSION_IDLE_MINUTES", 120),
        "USERHUB_SESSION_ABSOLUTE_HOURS": _env_int("SESSION_ABSOLUTE_HOURS", 12),
        "USERHUB_TRUSTED_PROXIES": _env_int("TRUSTED_PROXIES", 0),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_env_int("SESSION_ABSOLUTE_HOURS", 12)),
        "SESSION_COOKIE_NAME": "__Host-userhub" if production else "userhub",
        "SESSION_COOKIE_SECURE": production or _env_bool("SECURE_COOKIES", False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": _env_int("MAX_CONTENT_LENGTH", 8 * 1024 * 1024),
        "MAX_FORM_MEMORY_SIZE": 500_000,
        # No form of the product takes more than a few hundred characters in one field (names 80, descriptions
        # 256): anything far longer is refused before any view runs.
        "USERHUB_MAX_FIELD_LENGTH": _env_int("MAX_FIELD_LENGTH", 4096),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        # SIP (userhub/sip, kamailio/): the digest realm phones register in, the seconds one ring lasts
        # in the call plans, and how many call decisions one SIP server may ask for.
        "USERHUB_SIP_REALM": _env("SIP_REALM", "userhub.local"),
        "USERHUB_SIP_RING_SECONDS": _env_int("SIP_RING_SECONDS", 6),
        "USERHUB_SIP_DECISION_LIMIT": _env("SIP_DECISION_LIMIT", "2000 per second"),
    }


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the operator used."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def validate(config: Mapping[str, Any]) -> None:
    """Refuse to start in production with settings that are only safe for a laptop."""
    if config.get("USERHUB_ENV") != "production":
        return
    problems = []
    if config.get("SECRET_KEY") in (None, "", DEV_SECRET_KEY) or len(str(config["SECRET_KEY"])) < 32:
        problems.append("USERHUB_SECRET_KEY must be set to a random value of at least 32 characters")
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
        problems.append("USERHUB_DATABASE_URL must point to PostgreSQL in production")
    if not str(config.get("USERHUB_BASE_URL", "")).startswith("https://"):
        problems.append("USERHUB_BASE_URL must be an https:// address in production")
    if problems:
        raise RuntimeError("Refusing to start in production: " + "; ".join(problems))
