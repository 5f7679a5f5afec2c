"""Slot arithmetic: working hours in a schedule's zone, stepped in local wall time.

Each local date is expanded on its own with zoneinfo, so a 09:00-17:00 day stays
09:00-17:00 on both sides of a DST change, and a zone's date line (UTC+13, UTC-10)
falls where it should. Wall times a DST gap skips do not exist and yield no slot.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .model import WEEKDAYS, zone


def _hhmm(value: str) -> time | None:
    """'09:00' -> 09:00; '24:00' / '23:59' -> None (end of day)."""
    hh, mm = value.split(":")[:2]
    if (int(hh), int(mm)) in ((24, 0), (23, 59)):
        return None
    return time(int(hh), int(mm))


def _to_utc(wall: datetime, tz: ZoneInfo) -> datetime | None:
    """A local wall time as a UTC instant; None if the wall time does not exist."""
    aware = wall.replace(tzinfo=tz)
    back = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if back != wall:
        return None
    return aware.astimezone(UTC)


def day_intervals(schedule: dict[str, Any], day: date) -> list[tuple[str, str]]:
    """The (startTime, endTime) pairs a schedule offers on one local date."""
    overrides = [o for o in schedule.get("overrides", []) if o.get("date") == day.isoformat()]
    if overrides:
        return [(o["startTime"], o["endTime"]) for o in overrides]
    name = WEEKDAYS[day.weekday()]
    return [
        (a["startTime"], a["endTime"])
        for a in schedule.get("availability", [])
        if name in a.get("days", [])
    ]


def local_windows(
    schedule: dict[str, Any], start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """(wall start, wall end) of each working interval on every local date near the range."""
    tz = zone(schedule["timeZone"])
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    while day <= last:
        for s, e in day_intervals(schedule, day):
            st, et = _hhmm(s), _hhmm(e)
            wall_start = datetime.combine(day, st or time(0))
            if et is None:
                wall_end = datetime.combine(day + timedelta(days=1), time(0))
            else:
                wall_end = datetime.combine(day, et)
            yield wall_start, wall_end
        day += timedelta(days=1)


def candidate_starts(
    schedule: dict[str, Any], length: int, step: int, start: datetime, end: datetime
) -> list[datetime]:
    """Every slot start (UTC) whose whole length fits a working interval, sorted."""
    tz = zone(schedule["timeZone"])
    out: set[datetime] = set()
    for wall, wall_end in local_windows(schedule, start, end):
        window_end = _to_utc(wall_end, tz) or wall_end.replace(tzinfo=tz).astimezone(UTC)
        while wall < wall_end:
            begin = _to_utc(wall, tz)
            if begin is not None:
                if begin + timedelta(minutes=length) > window_end:
                    break
                out.add(begin)
            wall += timedelta(minutes=step)
    return sorted(out)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end
