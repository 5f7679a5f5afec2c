"""Whole-phrase ranges: weeks, weekends, months, "next N days", "in N weeks"."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.when.dates import MONTHS
from bot.when.labels import MONTH_NAMES, fmt_day, fmt_minutes
from bot.when.values import MAX_AHEAD, NUM, Window, checked_count, count_of, too_far
from bot.when.wall import local, wall_add

_NEXT_N = re.compile(r"^(?:the\s+)?(?:next|coming)\s+" + NUM + r"\s+(days?|weeks?)$")
_IN_N_WEEKS = re.compile(
    r"^(?:in\s+" + NUM + r"\s+weeks?|" + NUM + r"\s+weeks?\s+(?:from\s+(?:now|today)|later|out))$"
)
_IN_HOURS = re.compile(r"^in\s+(half an?|half|" + NUM[1:-1] + r")\s+(hours?|hrs?|minutes?|mins?)$")
_WITHIN = re.compile(r"^(?:within|over)\s+(?:the\s+next\s+)?" + NUM + r"\s+(days?|weeks?)$")
_MONTH_ALONE = re.compile(
    r"^(?:(?:in|during|for|all of|this|next|the month of|in the month of)\s+)?"
    r"(jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august"
    r"|sep|sept|september|oct|october|nov|november|dec|december)(?:\s+(\d{4}))?$"
)


def parse_range(phrase: str, now: datetime) -> Window | None:
    """The window `phrase` names as a whole, or None when it is no range (then it is read as
    a day and a time of day)."""
    zone = now.tzinfo
    assert isinstance(zone, ZoneInfo)
    today = now.date()
    monday = today - timedelta(days=today.weekday())
    match phrase:
        case "this week" | "week":
            return _window(
                zone,
                now.date(),
                monday + timedelta(days=7),
                f"this week (to {fmt_day(monday + timedelta(days=6), today)})",
                start=now,
            )
        case "next week":
            return _week_window(zone, monday + timedelta(days=7), "next week", today)
        case "weekend" | "this weekend":
            return _weekend(zone, monday, "this weekend", today)
        case "next weekend":
            return _weekend(zone, monday + timedelta(days=7), "next weekend", today)
        case "this month":
            first_next = _first_of_next_month(today)
            last = first_next - timedelta(days=1)
            return _window(
                zone, today, first_next, f"this month (to {fmt_day(last, today)})", start=now
            )
        case "next month":
            first = _first_of_next_month(today)
            first_after = _first_of_next_month(first)
            label = f"next month ({MONTH_NAMES[first.month - 1]} {first.year})"
            return _window(zone, first, first_after, label)
        case "early next week":
            first = monday + timedelta(days=7)
            last = first + timedelta(days=2)
            label = f"early next week ({fmt_day(first, today)} – {fmt_day(last, today)})"
            return _window(zone, first, first + timedelta(days=3), label)
        case "later this week" | "later in the week" | "end of the week" | "end of this week":
            first = (
                today + timedelta(days=1) if phrase.startswith("later") else monday + timedelta(3)
            )
            sunday = monday + timedelta(days=6)
            label = f"{phrase} ({fmt_day(max(first, today), today)} – {fmt_day(sunday, today)})"
            start = now if first <= today else None
            return _window(zone, first, monday + timedelta(days=7), label, start=start)
        case "end of next week":
            first = monday + timedelta(days=10)
            last = first + timedelta(days=3)
            label = f"end of next week ({fmt_day(first, today)} – {fmt_day(last, today)})"
            return _window(zone, first, monday + timedelta(days=14), label)
        case "the week after next" | "week after next":
            return _week_window(zone, monday + timedelta(days=14), "the week after next", today)
    if m := _MONTH_ALONE.match(phrase):
        return _month(zone, now, MONTHS[m.group(1)], m.group(2), phrase.startswith("next "))
    if m := _IN_HOURS.match(phrase):
        count = m.group(1)
        if count.startswith("half"):
            minutes = 30
        else:
            minutes = count_of(count) * (60 if m.group(2).startswith("h") else 1)
        if minutes < 1:
            return None
        if timedelta(minutes=minutes) > MAX_AHEAD:
            raise too_far(phrase)
        target = now + timedelta(minutes=minutes)
        at = fmt_minutes(target.hour * 60 + target.minute)
        if target.date() != today:
            at = f"{fmt_day(target.date(), today)} {at}"
        return Window(target, target + timedelta(hours=1), f"{phrase} (from {at})")
    if m := _WITHIN.match(phrase):
        phrase = f"next {m.group(1)} {m.group(2)}"
    if m := _NEXT_N.match(phrase):
        n = checked_count(m.group(1), phrase)
        unit = m.group(2).rstrip("s")
        days = n * 7 if unit == "week" else n
        label = f"the next {n} {unit}s" if n != 1 else f"the next {unit}"
        return Window(now, wall_add(now, timedelta(days=days)), label)
    if m := _IN_N_WEEKS.match(phrase):
        n = checked_count(m.group(1) or m.group(2), phrase)
        target = today + timedelta(weeks=n)
        week_monday = target - timedelta(days=target.weekday())
        return _week_window(zone, week_monday, f"in {n} week{'s' if n != 1 else ''}", today)
    return None


def _month(zone: ZoneInfo, now: datetime, month: int, year: str | None, next_one: bool) -> Window:
    """ "january", "in jan", "jan 2027": that whole month; the coming one when no year is given
    ("next january" too), this one when it is this month (from now)."""
    today = now.date()
    if year is not None:
        first = date(int(year), month, 1)
    else:
        first = date(today.year, month, 1)
        if month < today.month or (next_one and month == today.month):
            first = date(today.year + 1, month, 1)
    label = f"{MONTH_NAMES[month - 1]} {first.year}"
    start = now if first <= today < _first_of_next_month(first) else None
    return _window(zone, first, _first_of_next_month(first), label, start=start)


def _first_of_next_month(d: date) -> date:
    return date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)


def _week_window(zone: ZoneInfo, monday: date, name: str, today: date) -> Window:
    sunday = monday + timedelta(days=6)
    label = f"{name} ({fmt_day(monday, today)} – {fmt_day(sunday, today)})"
    return _window(zone, monday, monday + timedelta(days=7), label)


def _weekend(zone: ZoneInfo, monday: date, name: str, today: date) -> Window:
    saturday = monday + timedelta(days=5)
    label = f"{name} ({fmt_day(saturday, today)} – {fmt_day(saturday + timedelta(days=1), today)})"
    return _window(zone, saturday, monday + timedelta(days=7), label)


def _window(
    zone: ZoneInfo, first: date, end_day: date, label: str, *, start: datetime | None = None
) -> Window:
    """Whole days [first, end_day) as local midnights; `start` overrides the first one."""
    begin = start if start is not None else local(zone, first, 0)
    return Window(begin, local(zone, end_day, 0), label)
