"""A week of a schedule as a grid of hours, in the reader's time zone: what the schedules page draws."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from .engine import ScheduleLike, merge, schedule_occurrences, zone


def next_occurrence_day(schedule: ScheduleLike, now: datetime, reader_time_zone: str) -> date | None:
    """The reader's day on which the schedule is next in effect (today if it is in effect now), or None
    if it never is again: the week a schedule's page opens on, so a schedule that starts later is not an
    empty week."""
    # Widening windows: most schedules repeat within days; a yearly holiday or a far start needs years.
    for span in (timedelta(days=8), timedelta(days=400), timedelta(days=366 * 5)):
        upcoming = [o for o in schedule_occurrences(schedule, now, now + span) if o.end > now]
        if upcoming:
            return max(upcoming[0].start, now).astimezone(zone(reader_time_zone)).date()
    return None


def week_start(day: date) -> date:
    """The Monday of the week containing ``day``."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Cell:
    coverage: float  # share of the hour in effect, 0.0 to 1.0
    exists: bool = True  # False for the hour skipped when clocks go forward

    @property
    def level(self) -> str:
        if not self.exists:
            return "skipped"
        if self.coverage >= 0.999:
            return "full"
        return "partial" if self.coverage > 0 else "none"


@dataclass(frozen=True)
class WeekView:
    monday: date
    days: list[date]
    hours: list[int]
    rows: list[list[Cell]]  # rows[hour][day]
    time_zone: str

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)

    @property
    def empty(self) -> bool:
        return all(cell.coverage == 0 for row in self.rows for cell in row)


def _utc(day: date, hour: int, tz_name: str) -> datetime:
    wall = datetime.combine(day, time(0)) + timedelta(hours=hour)
    return wall.replace(tzinfo=zone(tz_name)).astimezone(UTC)


def week_view(schedule: ScheduleLike, monday: date, reader_time_zone: str) -> WeekView:
    """Hour by hour, the share of each hour of the reader's week during which the schedule is in effect."""
    monday = week_start(monday)
    days = [monday + timedelta(days=i) for i in range(7)]
    window_start = _utc(monday, 0, reader_time_zone)
    window_end = _utc(monday + timedelta(days=7), 0, reader_time_zone)
    busy = merge((o.start, o.end) for o in schedule_occurrences(schedule, window_start, window_end))
    rows = []
    for hour in range(24):
        row = []
        for day in days:
            low, high = _utc(day, hour, reader_time_zone), _utc(day, hour + 1, reader_time_zone)
            if high <= low:
                row.append(Cell(0.0, exists=False))
                continue
            covered = sum(
                ((min(high, b) - max(low, a)) for a, b in busy if a < high and b > low), timedelta()
            )
            row.append(Cell(covered / (high - low)))
        rows.append(row)
    return WeekView(monday, days, list(range(24)), rows, reader_time_zone)
