"""Sample objects for the schedules area's URL placeholders (see tests/security/routes.py): a schedule of the
person's own under /settings/, a schedule of organization A's location under /admin/, each with one event."""

from __future__ import annotations

from datetime import date, time
from itertools import count

from tests.security.routes import Built, sample

_names = count(1)


def _schedule(owner) -> int:  # type: ignore[no-untyped-def]
    from userhub.schedules import services

    event = services.EventInput(name="Opening hours", start_date=date(2026, 1, 5), end_date=date(2026, 1, 5),
                                start_time=time(9), end_time=time(17), recurrence="weekly", weekdays=("MO",))
    return services.create_schedule(owner, f"Sample hours {next(_names)}", "business_hours", [event]).id


@sample("schedule_id", under="/settings/", personal=True)
def own_schedule(built: Built) -> int:
    return _schedule(built.owner)


@sample("schedule_id", under="/admin/")
def location_schedule(built: Built) -> int:
    return _schedule(built.world.location)


@sample("event_id")
def event(built: Built) -> int:
    """The event of the schedule named earlier in the same URL."""
    from userhub.extensions import db
    from userhub.schedules.models import Schedule

    schedule = db.session.get(Schedule, built.values["schedule_id"])
    return schedule.events[0].id
