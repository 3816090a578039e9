"""Column types of our own.

``UTCDateTime`` is the type of every ``Mapped[datetime]`` column (see ``extensions.Base``): it stores the
instant as UTC without an offset, the same on SQLite and PostgreSQL, and returns it aware. SQLite has no
time zones (SQLAlchemy's ``DateTime(timezone=True)`` reads back naive there), hence a type of our own
rather than ``timestamptz``. A naive value is refused on the way in: its meaning would be a guess.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.types import DateTime, TypeDecorator

from .timeutil import require_aware


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
