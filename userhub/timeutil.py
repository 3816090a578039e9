"""Time in the domain is aware and in UTC, always.

- ``utcnow()`` is the one clock: an aware UTC datetime (time-machine and the tests move it).
- ``UTCDateTime`` is the type of every ``Mapped[datetime]`` column (see ``extensions.Base``): it stores the
  instant as UTC without an offset, the same on SQLite and PostgreSQL, and returns it aware. SQLite has no
  time zones (SQLAlchemy's ``DateTime(timezone=True)`` reads back naive there), hence a type of our own
  rather than ``timestamptz``. A naive value is refused on the way in: its meaning would be a guess.
- ``require_aware()`` guards the doors of the schedules engine and the routing evaluator, so that a naive
  datetime fails loudly where it enters instead of as a comparison error deep inside a page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.types import DateTime, TypeDecorator


class NaiveDatetimeError(TypeError, ValueError):
    """A datetime without a time zone reached code that only takes aware ones (a ValueError too, as the
    routing model's own check raised before)."""


def utcnow() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


def require_aware(value: datetime, what: str = "datetime") -> datetime:
    """``value`` itself when it is aware; else NaiveDatetimeError naming ``what``."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(f"{what} must be an aware datetime (got the naive {value.isoformat()})")
    return value


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored as naive UTC and read back aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return require_aware(value, "a stored datetime").astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
