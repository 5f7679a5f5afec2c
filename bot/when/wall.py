"""Wall-clock arithmetic in the user's zone, made real across DST gaps and folds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.when.values import MINUTES_PER_DAY


def local(zone: ZoneInfo, day: date, minutes: int) -> datetime:
    """Local wall time `minutes` after midnight of `day`, made real.

    A wall time that does not exist (skipped by DST) moves forward by the gap; an ambiguous
    one takes its first occurrence. The UTC round trip also sets `fold` consistently.
    """
    day = day + timedelta(days=minutes // MINUTES_PER_DAY)
    hour, minute = divmod(minutes % MINUTES_PER_DAY, 60)
    naive = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    return naive.astimezone(UTC).astimezone(zone)


def wall_add(moment: datetime, delta: timedelta) -> datetime:
    """Add on the wall clock (10:15 stays 10:15 three days later, across DST)."""
    zone = moment.tzinfo
    assert isinstance(zone, ZoneInfo)
    shifted = moment.replace(tzinfo=None) + delta
    return shifted.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
