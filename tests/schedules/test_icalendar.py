"""iCalendar: an export read back gives the same occurrences; a file that cannot be represented is refused
with its reasons, line by line, and nothing is imported."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select

from tests.schedules.conftest import evening_form
from userhub.extensions import db
from userhub.schedules import services
from userhub.schedules.engine import EventRule, ScheduleRule, schedule_occurrences
from userhub.schedules.ical import IcsRejected, export_schedule, read_ics
from userhub.schedules.models import Schedule

TWO_YEARS = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))

BROKEN = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//example.com//test//EN
BEGIN:VEVENT
UID:1@example.com
SUMMARY:Standup
DTSTART;TZID=Europe/Paris:20261123T093000
DTEND;TZID=Europe/Paris:20261123T094500
RRULE:FREQ=MONTHLY;BYMONTHDAY=1
END:VEVENT
BEGIN:VEVENT
UID:2@example.com
SUMMARY:Late
DTSTART;TZID=Europe/Paris:20261123T180000
DTEND;TZID=Europe/Paris:20261123T080000
RDATE;TZID=Europe/Paris:20261201T180000
END:VEVENT
BEGIN:VEVENT
UID:3@example.com
SUMMARY:New York
DTSTART;TZID=America/New_York:20261123T090000
DTEND;TZID=America/New_York:20261123T100000
RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=9
END:VEVENT
BEGIN:VTODO
SUMMARY:Not an event
END:VTODO
END:VCALENDAR
"""


def _location_schedule(organization) -> Schedule:  # type: ignore[no-untyped-def]
    location = organization.locations[0]
    schedule = services.create_schedule(location, "Jours fériés", "holidays", [
        services.EventInput(name="Lundi de Pentecôte", start_date=date(2026, 5, 25), end_date=date(2026, 5, 25),
                            all_day=True, recurrence="yearly_by_day", week_of_month=-1),
        services.EventInput(name="Noël", start_date=date(2026, 12, 24), end_date=date(2026, 12, 25), all_day=True,
                            recurrence="yearly_by_date", ends="until", until=date(2030, 12, 31)),
        services.EventInput(name="Permanence", start_date=date(2026, 3, 23), end_date=date(2026, 3, 24),
                            start_time=time(22, 30), end_time=time(6), recurrence="weekly", interval=2,
                            weekdays=("MO", "TH"), exdates=(date(2026, 3, 26), date(2026, 4, 6))),
    ])
    return schedule


def test_export_then_import_gives_the_same_occurrences_over_two_years(app, organization) -> None:
    schedule = _location_schedule(organization)
    content = export_schedule(schedule)
    assert b"BEGIN:VTIMEZONE" in content and b"TZID=Europe/Paris" in content
    assert b"EXDATE;TZID=Europe/Paris:20260326T223000,20260406T223000" in content
    name, events = read_ics(content, personal=False, time_zone="Europe/Paris")
    assert name == "Jours fériés"
    again = ScheduleRule("Europe/Paris", [EventRule(**{k: getattr(e, k) for k in (
        "start_date", "end_date", "start_time", "end_time", "all_day", "recurrence", "interval", "weekdays",
        "week_of_month", "until", "count", "exdates")}) for e in events])
    before = [(o.start, o.end) for o in schedule_occurrences(schedule, *TWO_YEARS)]
    after = [(o.start, o.end) for o in schedule_occurrences(again, *TWO_YEARS)]
    assert len(before) > 50 and after == before


def test_a_personal_schedule_round_trips_through_the_pages(user_client, user) -> None:
    user_client.post("/settings/calling/schedules/new", data=evening_form(ends="count", count="20"))
    original = db.session.scalar(select(Schedule))
    exported = user_client.get(f"/settings/calling/schedules/{original.id}/export.ics")
    assert exported.mimetype == "text/calendar"
    response = user_client.post("/settings/calling/schedules/import", data={
        "name": "Soirées (copie)", "type": "business_hours",
        "file": (io.BytesIO(exported.data), "soirees.ics")}, content_type="multipart/form-data")
    assert response.status_code == 302
    copy = db.session.scalar(select(Schedule).where(Schedule.name == "Soirées (copie)"))
    assert [(o.start, o.end) for o in schedule_occurrences(copy, *TWO_YEARS)] == \
        [(o.start, o.end) for o in schedule_occurrences(original, *TWO_YEARS)]


def test_a_broken_file_is_refused_with_each_reason_and_nothing_is_imported(user_client, user) -> None:
    response = user_client.post("/settings/calling/schedules/import", data={
        "name": "", "type": "business_hours", "file": (io.BytesIO(BROKEN.encode()), "broken.ics")},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported." in page
    assert "Line 9: RRULE: only daily, weekly and yearly repetitions can be represented." in page
    assert "Line 15: The end must be after the start." in page
    assert "Line 16: RDATE cannot be represented in a schedule." in page
    assert "Line 23: RRULE: BYHOUR cannot be represented." in page
    assert "Line 25: VTODO cannot be represented" in page
    assert db.session.scalar(select(func.count(Schedule.id))) == 0


def test_other_time_zones_are_taken_only_when_they_keep_the_same_clock() -> None:
    berlin = BROKEN.split("BEGIN:VEVENT")[0] + """BEGIN:VEVENT
SUMMARY:Berlin
DTSTART;TZID=Europe/Berlin:20261123T090000
DTEND;TZID=Europe/Berlin:20261123T100000
RRULE:FREQ=WEEKLY;BYDAY=MO
EXDATE;TZID=Europe/Berlin:20261130T090000
EXDATE;TZID=Europe/Berlin:20261207T090000,20261214T090000
END:VEVENT
BEGIN:VEVENT
SUMMARY:Once in UTC
DTSTART:20261125T080000Z
DTEND:20261125T090000Z
END:VEVENT
END:VCALENDAR
"""
    _, (weekly, once) = read_ics(berlin.encode(), personal=True, time_zone="Europe/Paris")
    assert weekly.exdates == (date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14))
    assert (once.start_time, once.end_time) == (time(9), time(10))
    utc_weekly = berlin.replace("20261123T090000", "20261123T080000Z").replace("DTSTART;TZID=Europe/Berlin:", "DTSTART:")
    try:
        read_ics(utc_weekly.encode(), personal=True, time_zone="Europe/Paris")
    except IcsRejected as exc:
        assert any("do not fall at the same times" in p.message and p.line == 6 for p in exc.problems)
    else:
        raise AssertionError("a weekly event in UTC cannot keep Paris wall-clock times")


def test_too_large_or_not_a_calendar() -> None:
    for content, reason in [(b"x" * (256 * 1024 + 1), "larger than 256 KB"), (b"\xff\xfe", "not UTF-8"),
                            (b"hello", "not an iCalendar file")]:
        try:
            read_ics(content, personal=True, time_zone="Europe/Paris")
        except IcsRejected as exc:
            assert reason in exc.problems[0].message
        else:
            raise AssertionError(reason)


def test_an_upload_over_the_limit_is_refused_with_413(user_client, user) -> None:
    response = user_client.post("/settings/calling/schedules/import", data={
        "name": "Big", "type": "business_hours", "file": (io.BytesIO(b"BEGIN:VCALENDAR\r\n" * 20000), "big.ics")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    assert "The file is larger than 256 KB." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Schedule.id))) == 0
