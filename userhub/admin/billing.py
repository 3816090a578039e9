"""Package history and the two-monthly billing report.

Every change of ``users.package_id`` (creation, change, deletion) closes the open history row of the
user and opens a new one. A session listener records it, so that every path that changes a package
(wizard, user page, import, CLI, demo) is billed the same way; the app factory attaches it (``init_app``),
importing this module attaches nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import Flask
from sqlalchemy import event, insert, or_, select, update
from sqlalchemy.orm import Session, attributes

from ..accounts.models import User
from ..extensions import db
from ..organizations.models import Organization, Package
from ..timeutil import utcnow
from . import tables
from .models import PackageAssignment


def _open(connection, user: User, package_id: int, now: datetime) -> None:  # type: ignore[no-untyped-def]
    connection.execute(
        insert(PackageAssignment).values(
            organization_id=user.organization_id, user_id=user.id, user_email=user.email,
            user_name=user.full_name[:201], package_id=package_id, started_at=now,
        )
    )


def _close(connection, user_id: int, now: datetime) -> None:  # type: ignore[no-untyped-def]
    connection.execute(
        update(PackageAssignment)
        .where(PackageAssignment.user_id == user_id, PackageAssignment.ended_at.is_(None))
        .values(ended_at=now)
    )


def init_app(_app: Flask) -> None:
    """Record package changes at every flush. The listener is on Session, the class (every session of the
    process, the background jobs' own ones too), so a second app in the process does not attach it twice."""
    if not event.contains(Session, "after_flush", _record_package_changes):
        event.listen(Session, "after_flush", _record_package_changes)


def _record_package_changes(session: Session, _context: object) -> None:
    now = utcnow()
    connection = session.connection()
    for obj in session.new:
        if isinstance(obj, User) and obj.package_id is not None:
            _open(connection, obj, obj.package_id, now)
    for obj in session.dirty:
        if not isinstance(obj, User):
            continue
        history = attributes.get_history(obj, "package_id")
        if history.has_changes():
            _close(connection, obj.id, now)
            if obj.package_id is not None:
                _open(connection, obj, obj.package_id, now)
    for obj in session.deleted:
        if isinstance(obj, User):
            _close(connection, obj.id, now)


# --- the report -----------------------------------------------------------------------------------


@dataclass
class PackageLine:
    package: str
    user_days: float
    users_at_end: int


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def report(organization: Organization, first_day: date, last_day: date) -> list[PackageLine]:
    """Per package: user-days within [first_day, last_day] (whole days included), and users holding it
    at the end of last_day. Times are UTC."""
    start, end = _start(first_day), _start(last_day) + timedelta(days=1)
    rows = db.session.execute(
        select(PackageAssignment.package_id, PackageAssignment.started_at, PackageAssignment.ended_at)
        .where(
            PackageAssignment.organization_id == organization.id,
            PackageAssignment.started_at < end,
            or_(PackageAssignment.ended_at.is_(None), PackageAssignment.ended_at > start),
        )
    ).all()
    seconds: dict[int, float] = defaultdict(float)
    at_end: dict[int, int] = defaultdict(int)
    for package_id, started, ended in rows:
        seconds[package_id] += ((min(ended or end, end)) - max(started, start)).total_seconds()
        if ended is None or ended >= end:
            at_end[package_id] += 1
    packages = db.session.scalars(select(Package).order_by(Package.name)).all()
    return [
        PackageLine(p.name, round(seconds.get(p.id, 0.0) / 86400, 2), at_end.get(p.id, 0)) for p in packages
    ]


def report_csv(lines: list[PackageLine], fmt: str = tables.EXCEL_FR) -> str:
    writer = tables.Writer(fmt)
    return writer.rows([["package", "user_days", "users_at_end"],
                        *([line.package, writer.decimal(line.user_days), line.users_at_end] for line in lines)])


def default_period(today: date) -> tuple[date, date]:
    """The current two-month period: January–February, March–April, ..."""
    first_month = today.month - (today.month - 1) % 2
    first = date(today.year, first_month, 1)
    following = date(today.year + (first_month + 2 > 12), (first_month + 1) % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)
