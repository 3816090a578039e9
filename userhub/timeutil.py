"""Time helpers: the application stores naive UTC datetimes everywhere."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Current time as naive UTC (the form every DateTime column holds, on SQLite and PostgreSQL alike)."""
    return datetime.now(UTC).replace(tzinfo=None)
