"""When a schedule is in effect, computed without a database: DST weeks, midnight, yearly holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from userhub.schedules.engine import EventRule, ScheduleRule, in_effect, occurrences, schedule_occurrences
from userhub.schedules.weekview import week_view

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")


def evenings(start: date, tz: str = "Europe/Paris") -> ScheduleRule:
    """"Soirées": weekdays from 18:00 to 08:00 the next morning."""
    event = EventRule(start_date=start, end_date=start + timedelta(days=1), start_time=time(18), end_time=time(8),
                      recurrence="weekly", weekdays=WEEKDAYS)
    return ScheduleRule(tz, [event])


def local(tz: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=tz)


def test_an_event_across_midnight_is_in_effect_until_the_next_morning() -> None:
    schedule = evenings(date(2026, 11, 23))  # a Monday
    assert in_effect(schedule, local(PARIS, 2026, 11, 23, 18, 0))
    assert in_effect(schedule, local(PARIS, 2026, 11, 24, 2, 30))
    assert in_effect(schedule, local(PARIS, 2026, 11, 24, 7, 59))
    assert not in_effect(schedule, local(PARIS, 2026, 11, 24, 8, 0))
    assert not in_effect(schedule, local(PARIS, 2026, 11, 23, 17, 59))
    # Friday evening runs into Saturday morning, and nothing starts on Saturday evening.
    assert in_effect(schedule, local(PARIS, 2026, 11, 28, 7, 0))
    assert not in_effect(schedule, local(PARIS, 2026, 11, 28, 20, 0))


def test_the_paris_night_clocks_go_back_lasts_fifteen_hours() -> None:
    # 25 October 2026: 03:00 CEST becomes 02:00 CET. Friday 23 to Monday 26: the Sunday evening event.
    schedule = evenings(date(2026, 10, 19))
    sunday = [o for o in occurrences(schedule.events[0], "Europe/Paris", datetime(2026, 10, 24, tzinfo=UTC),
                                     datetime(2026, 10, 28, tzinfo=UTC))]
    lengths = {o.wall_start.date(): o.end - o.start for o in sunday}
    assert lengths[date(2026, 10, 26)] == timedelta(hours=14)
    schedule_sat = ScheduleRule("Europe/Paris", [EventRule(
        start_date=date(2026, 10, 24), end_date=date(2026, 10, 25), start_time=time(18), end_time=time(8))])
    (night,) = schedule_occurrences(schedule_sat, datetime(2026, 10, 20, tzinfo=UTC), datetime(2026, 10, 30, tzinfo=UTC))
    assert night.end - night.start == timedelta(hours=15)
    assert night.start == datetime(2026, 10, 24, 16, tzinfo=UTC)  # 18:00 CEST
    assert night.end == datetime(2026, 10, 25, 7, tzinfo=UTC)  # 08:00 CET


def test_the_paris_spring_week_keeps_wall_clock_times() -> None:
    # 29 March 2026: 02:00 CET becomes 03:00 CEST. Weekly 09:00-17:00 stays 09:00-17:00 local on both sides.
    office = ScheduleRule("Europe/Paris", [EventRule(start_date=date(2026, 3, 23), end_date=date(2026, 3, 23),
                                                     start_time=time(9), end_time=time(17), recurrence="weekly",
                                                     weekdays=WEEKDAYS)])
    assert in_effect(office, local(PARIS, 2026, 3, 27, 9, 0))  # Friday before, UTC+1
    assert in_effect(office, local(PARIS, 2026, 3, 30, 9, 0))  # Monday after, UTC+2
    assert not in_effect(office, local(PARIS, 2026, 3, 30, 8, 59))
    assert not in_effect(office, datetime(2026, 3, 30, 15, 0, tzinfo=UTC))  # 17:00 CEST
    assert in_effect(office, datetime(2026, 3, 27, 15, 59, tzinfo=UTC))  # 16:59 CET


def test_new_york_dst_week_in_the_week_view_of_a_new_york_reader() -> None:
    # 8 March 2026: 02:00 EST becomes 03:00 EDT. A nightly 01:00-04:00 event, read in New York.
    night = ScheduleRule("America/New_York", [EventRule(
        start_date=date(2026, 3, 1), end_date=date(2026, 3, 1), start_time=time(1), end_time=time(4),
        recurrence="daily")])
    view = week_view(night, date(2026, 3, 2), "America/New_York")  # Monday 2 to Sunday 8 March
    sunday = 6
    assert [view.rows[h][sunday].level for h in range(5)] == ["none", "full", "skipped", "full", "none"]
    assert [view.rows[h][0].level for h in range(5)] == ["none", "full", "full", "full", "none"]
    (occurrence,) = [o for o in schedule_occurrences(night, datetime(2026, 3, 8, tzinfo=UTC),
                                                     datetime(2026, 3, 8, 12, tzinfo=UTC))]
    assert occurrence.end - occurrence.start == timedelta(hours=2)
    assert in_effect(night, local(NEW_YORK, 2026, 3, 8, 3, 30))
    assert not in_effect(night, local(NEW_YORK, 2026, 3, 8, 4, 0))


def test_a_paris_schedule_read_from_new_york_moves_by_the_offset() -> None:
    office = ScheduleRule("Europe/Paris", [EventRule(start_date=date(2026, 11, 23), end_date=date(2026, 11, 23),
                                                     start_time=time(9), end_time=time(10))])
    view = week_view(office, date(2026, 11, 23), "America/New_York")
    assert view.rows[3][0].level == "full"  # 09:00 in Paris is 03:00 in New York in November
    assert sum(cell.coverage for row in view.rows for cell in row) == 1


def test_a_yearly_holiday_on_the_last_monday_of_may() -> None:
    memorial = ScheduleRule("America/New_York", [EventRule(
        start_date=date(2026, 5, 25), end_date=date(2026, 5, 25), all_day=True, recurrence="yearly_by_day",
        week_of_month=-1)])
    found = schedule_occurrences(memorial, datetime(2026, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC))
    assert [o.wall_start.date() for o in found] == [date(2026, 5, 25), date(2027, 5, 31), date(2028, 5, 29),
                                                     date(2029, 5, 28)]
    assert in_effect(memorial, local(NEW_YORK, 2027, 5, 31, 23, 59))
    assert not in_effect(memorial, local(NEW_YORK, 2027, 5, 24, 12, 0))


def test_a_yearly_date_and_its_exceptions_and_ends() -> None:
    christmas = EventRule(start_date=date(2026, 12, 25), end_date=date(2026, 12, 26), all_day=True,
                          recurrence="yearly_by_date", until=date(2029, 1, 1), exdates=(date(2027, 12, 25),))
    found = schedule_occurrences(ScheduleRule("Europe/Paris", [christmas]), datetime(2026, 1, 1, tzinfo=UTC),
                                 datetime(2035, 1, 1, tzinfo=UTC))
    assert [o.wall_start.date() for o in found] == [date(2026, 12, 25), date(2028, 12, 25)]
    assert all(o.wall_end - o.wall_start == timedelta(days=2) for o in found)
    three = EventRule(start_date=date(2026, 1, 5), end_date=date(2026, 1, 5), start_time=time(12),
                      end_time=time(13), recurrence="daily", interval=2, count=3)
    starts = [o.wall_start for o in occurrences(three, "UTC", datetime(2026, 1, 1, tzinfo=UTC),
                                                datetime(2027, 1, 1, tzinfo=UTC))]
    assert starts == [datetime(2026, 1, 5, 12), datetime(2026, 1, 7, 12), datetime(2026, 1, 9, 12)]


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.integers(min_value=0, max_value=60 * 24 * 400),
    tz=st.sampled_from(["Europe/Paris", "America/New_York", "Australia/Sydney"]),
)
def test_in_effect_agrees_with_the_list_of_occurrences(minutes: int, tz: str) -> None:
    schedule = evenings(date(2026, 1, 5), tz)
    at = datetime(2026, 1, 6, tzinfo=UTC) + timedelta(minutes=minutes)  # after the first Monday evening
    around = schedule_occurrences(schedule, at - timedelta(days=3), at + timedelta(days=3))
    assert in_effect(schedule, at) == any(o.start <= at < o.end for o in around)
    wall = at.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    evening = wall.weekday() < 5 and wall.time() >= time(18)
    morning = wall.weekday() in (1, 2, 3, 4, 5) and wall.time() < time(8)
    if wall.fold == 0 and wall.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC) == at:
        assert in_effect(schedule, at) == (evening or morning)


@settings(max_examples=80, deadline=None)
@given(
    recurrence=st.sampled_from(["daily", "weekly"]),
    interval=st.integers(min_value=1, max_value=4),
    days=st.sets(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), min_size=1),
    start_offset=st.integers(min_value=0, max_value=30),
    window_offset=st.integers(min_value=0, max_value=2000),
)
def test_starting_the_rule_near_the_window_changes_no_occurrence(recurrence: str, interval: int, days: set[str],
                                                                 start_offset: int, window_offset: int) -> None:
    from userhub.schedules.engine import recurrence_rule

    start = date(2026, 1, 1) + timedelta(days=start_offset)
    event = EventRule(start_date=start, end_date=start, start_time=time(22), end_time=time(23),
                      recurrence=recurrence, interval=interval, weekdays=tuple(days))
    low = datetime(2026, 1, 1) + timedelta(days=window_offset)
    high = low + timedelta(days=9)
    assert recurrence_rule(event, near=low).between(low, high, inc=True) == \
        recurrence_rule(event).between(low, high, inc=True)
