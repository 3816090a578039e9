"""Tables of the schedules area (imported by userhub.models so that Alembic sees them).

A schedule belongs to exactly one owner: a person ("My schedules") or a location ("Company schedules").
Its events hold wall-clock dates and times, read in the time zone of the location (see `Schedule.time_zone`).
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from flask import current_app, has_app_context
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..timeutil import utcnow

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..organizations.models import Location

NAME_MAX = 40  # the reference's limit for schedule names; event names follow it too


class ScheduleType(enum.StrEnum):
    BUSINESS_HOURS = "business_hours"
    HOLIDAYS = "holidays"


class Recurrence(enum.StrEnum):
    NONE = "none"
    DAILY = "daily"  # personal schedules only
    WEEKLY = "weekly"
    YEARLY_BY_DATE = "yearly_by_date"  # location schedules only: the start date's day and month
    YEARLY_BY_DAY = "yearly_by_day"  # location schedules only: e.g. the last Monday of the start date's month


PERSONAL_RECURRENCES = (Recurrence.NONE, Recurrence.DAILY, Recurrence.WEEKLY)
LOCATION_RECURRENCES = (Recurrence.NONE, Recurrence.WEEKLY, Recurrence.YEARLY_BY_DATE, Recurrence.YEARLY_BY_DAY)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # iCalendar codes, Monday first as date.weekday()


def person_time_zone(user: User) -> str:
    """A person's schedules follow their location; without one, their own zone, else the service's default."""
    if user.location is not None:
        return user.location.time_zone
    if user.time_zone:
        return user.time_zone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"] if has_app_context() else "UTC"


class Schedule(Model):
    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True, default=None)
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), index=True, default=None
    )
    type: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()
    location: Mapped[Location | None] = relationship()
    events: Mapped[list[ScheduleEvent]] = relationship(
        back_populates="schedule", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(ScheduleEvent.start_date, ScheduleEvent.start_time, ScheduleEvent.id)",
    )

    __table_args__ = (
        CheckConstraint("(user_id IS NULL) <> (location_id IS NULL)", name="one_owner"),
        CheckConstraint("type IN ('business_hours', 'holidays')", name="type"),
        # NULLs never collide in a UNIQUE constraint (SQLite and PostgreSQL): each one only binds its own owner.
        UniqueConstraint("user_id", "name"),
        UniqueConstraint("location_id", "name"),
    )

    @property
    def is_personal(self) -> bool:
        return self.user_id is not None

    @property
    def time_zone(self) -> str:
        """IANA zone the wall-clock times are read in: the location's (a person's: their location's)."""
        if self.location is not None:
            return self.location.time_zone
        return person_time_zone(self.user) if self.user is not None else "UTC"

    def __repr__(self) -> str:
        return f"<Schedule {self.id} {self.name!r}>"


class ScheduleEvent(Model):
    """One event and its repetition. The first occurrence runs from start_date start_time to end_date
    end_time (all day: from start_date 00:00 to the day after end_date); repetitions keep that length."""

    __tablename__ = "schedule_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    start_date: Mapped[date]
    end_date: Mapped[date]
    all_day: Mapped[bool] = mapped_column(default=False)
    start_time: Mapped[time | None] = mapped_column(default=None)
    end_time: Mapped[time | None] = mapped_column(default=None)
    recurrence: Mapped[str] = mapped_column(String(16), default=Recurrence.NONE.value)
    interval: Mapped[int] = mapped_column("repeat_interval", default=1)  # days or weeks between starts
    weekdays_text: Mapped[str] = mapped_column("weekdays", String(20), default="")  # "MO,TU,FR"
    week_of_month: Mapped[int | None] = mapped_column(default=None)  # 1..4 or -1 (last), yearly by day
    until: Mapped[date | None] = mapped_column(default=None)
    count: Mapped[int | None] = mapped_column(default=None)

    schedule: Mapped[Schedule] = relationship(back_populates="events")
    exceptions: Mapped[list[ScheduleException]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True, order_by="ScheduleException.day"
    )

    __table_args__ = (
        UniqueConstraint("schedule_id", "name"),
        CheckConstraint("all_day OR (start_time IS NOT NULL AND end_time IS NOT NULL)", name="times"),
        CheckConstraint("end_date >= start_date", name="dates"),
        CheckConstraint(
            "recurrence IN ('none', 'daily', 'weekly', 'yearly_by_date', 'yearly_by_day')", name="recurrence"
        ),
        CheckConstraint("repeat_interval >= 1", name="repeat_interval"),
        CheckConstraint("until IS NULL OR count IS NULL", name="one_end"),
        CheckConstraint("count IS NULL OR count >= 1", name="count_positive"),
        CheckConstraint("week_of_month IS NULL OR week_of_month IN (-1, 1, 2, 3, 4)", name="week_of_month"),
    )

    @property
    def weekdays(self) -> tuple[str, ...]:
        return tuple(day for day in self.weekdays_text.split(",") if day)

    @weekdays.setter
    def weekdays(self, days: object) -> None:
        chosen = set(days)  # type: ignore[call-overload]
        self.weekdays_text = ",".join(day for day in WEEKDAYS if day in chosen)

    @property
    def exdates(self) -> tuple[date, ...]:
        return tuple(e.day for e in self.exceptions)

    def __repr__(self) -> str:
        return f"<ScheduleEvent {self.id} {self.name!r}>"


class ScheduleException(Model):
    """A skipped occurrence (iCalendar EXDATE): the local date on which that occurrence would start."""

    __tablename__ = "schedule_exceptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("schedule_events.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]

    event: Mapped[ScheduleEvent] = relationship(back_populates="exceptions")

    __table_args__ = (UniqueConstraint("event_id", "day"),)
