"""Helpers for routing tests: settings and calls built in one line, no database."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from userhub.routing.inputs import CallsFrom, Criterion, IncomingCall, Schedule

PARIS = ZoneInfo("Europe/Paris")
CANVASSER = "+33123456789"
MOTHER = "+33634333211"
BOSS = "+33184883201"


def at(text: str) -> datetime:
    """'2026-11-23 10:00' in Paris."""
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


def call(caller: str = MOTHER, when: str = "2026-11-23 10:00", **kwargs: bool) -> IncomingCall:
    return IncomingCall(at=at(when), caller=caller, **kwargs)


def numbers_rule(name: str, *numbers: str, positive: bool = True, schedule: Schedule | None = None,
                 anonymous: bool = False, unavailable: bool = False, **kwargs: object) -> Criterion:
    return Criterion(name, positive=positive, calls_from=CallsFrom.SELECTED, numbers=frozenset(numbers),
                     anonymous=anonymous, unavailable=unavailable, schedule=schedule,
                     **kwargs)  # type: ignore[arg-type]


def any_rule(name: str, *, positive: bool = True, schedule: Schedule | None = None) -> Criterion:
    return Criterion(name, positive=positive, schedule=schedule)


def office_hours() -> Schedule:
    """Monday to Friday, 09:00 to 18:00 local time."""
    return Schedule("Heures de bureau", lambda moment: moment.weekday() < 5 and 9 <= moment.hour < 18)
