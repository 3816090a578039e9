"""How long `in_effect` and a week view take for a schedule mixing yearly and weekly rules.

Run from the repository root:  python bench/bench_schedules.py  [--runs 2000] [--weeks 52]

The schedule is a location's: weekday business hours with a lunch break, a night-duty rota every other
week that crosses midnight, ten yearly holidays (by date and by weekday, such as the last Monday of May)
with exceptions. Instants are spread over five years, so daylight-saving changes are included.
This prints figures; it is not a test (tests/schedules/ holds the tests).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # a checkout, installed or not

from userhub.schedules.engine import EventRule, ScheduleRule, in_effect
from userhub.schedules.weekview import week_view

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")


def busy_schedule() -> ScheduleRule:
    monday = date(2026, 1, 5)
    events = [
        EventRule(start_date=monday, end_date=monday, start_time=time(8, 30), end_time=time(12), recurrence="weekly",
                  weekdays=WEEKDAYS, name="Morning"),
        EventRule(start_date=monday, end_date=monday, start_time=time(13, 30), end_time=time(18), recurrence="weekly",
                  weekdays=WEEKDAYS, name="Afternoon"),
        EventRule(start_date=monday, end_date=monday + timedelta(days=1), start_time=time(22), end_time=time(6),
                  recurrence="weekly", interval=2, weekdays=("MO", "WE"), name="Night duty",
                  exdates=tuple(monday + timedelta(weeks=2 * k) for k in range(0, 40, 5))),
    ]
    for month, day in ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)):
        start = date(2026, month, day)
        events.append(EventRule(start_date=start, end_date=start, all_day=True, recurrence="yearly_by_date",
                                name=f"Holiday {month}-{day}"))
    events.append(EventRule(start_date=date(2026, 5, 25), end_date=date(2026, 5, 25), all_day=True,
                            recurrence="yearly_by_day", week_of_month=-1, name="Last Monday of May"))
    events.append(EventRule(start_date=date(2026, 11, 26), end_date=date(2026, 11, 27), all_day=True,
                            recurrence="yearly_by_day", week_of_month=4, name="Fourth Thursday of November"))
    return ScheduleRule("Europe/Paris", events)


def timed(function, arguments) -> list[float]:  # type: ignore[no-untyped-def]
    durations = []
    for argument in arguments:
        started = clock.perf_counter()
        function(argument)
        durations.append((clock.perf_counter() - started) * 1000)
    return durations


def report(label: str, durations: list[float]) -> None:
    print(f"{label:<28} runs {len(durations):>5}  median {statistics.median(durations):8.3f} ms"
          f"  worst {max(durations):8.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000, help="instants checked with in_effect")
    parser.add_argument("--weeks", type=int, default=52, help="week views computed")
    args = parser.parse_args()
    schedule = busy_schedule()
    rnd = random.Random(7)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    instants = [start + timedelta(minutes=rnd.randrange(5 * 365 * 24 * 60)) for _ in range(args.runs)]
    mondays = [date(2026, 1, 5) + timedelta(weeks=k) for k in range(args.weeks)]
    print(f"schedule: {len(schedule.events)} events (weekly, crossing midnight, yearly by date and by weekday)")
    report("in_effect", timed(lambda at: in_effect(schedule, at), instants))
    report("week view (Paris reader)", timed(lambda m: week_view(schedule, m, "Europe/Paris"), mondays))
    report("week view (New York reader)", timed(lambda m: week_view(schedule, m, "America/New_York"), mondays))


if __name__ == "__main__":
    main()
