"""Time in the domain is aware and in UTC, always.

- ``utcnow()`` is the one clock: an aware UTC datetime (time-machine and the tests move it).
- ``dbtypes.UTCDateTime`` stores and reads datetimes the same way (kept apart so that this module, which
  the routing core uses, imports no database library).
- ``require_aware()`` guards the doors of the schedules engine and the routing evaluator, so that a naive
  datetime fails loudly where it enters instead of as a comparison error deep inside a page.
"""

from __future__ import annotations

from datetime import UTC, datetime


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

