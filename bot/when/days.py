"""The day in a phrase: today, tomorrow, weekdays, "in N days", absolute dates."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

import dateparser

from bot.when.labels import DAY_NAMES, DAY_NAMES_LONG, fmt_day
from bot.when.values import NUM, Day, WhenError, checked_count, nonsense

_WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "weds": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}
_TOMORROW = frozenset({"tomorrow", "tmrw", "tmr", "tomorow", "tommorow", "tommorrow"})

# Zones whose people write 12/5 for December 5 (month first); everyone else writes day first.
_MONTH_FIRST_PREFIXES = ("US/", "Canada/", "America/Indiana/", "America/Kentucky/")
_MONTH_FIRST_ZONES = frozenset(
    {
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "America/Juneau",
        "America/Sitka",
        "America/Nome",
        "America/Yakutat",
        "America/Metlakatla",
        "America/Adak",
        "America/Boise",
        "America/Detroit",
        "America/Menominee",
        "America/North_Dakota/Center",
        "America/North_Dakota/New_Salem",
        "America/North_Dakota/Beulah",
        "America/Puerto_Rico",
        "America/Toronto",
        "America/Vancouver",
        "America/Edmonton",
        "America/Winnipeg",
        "America/Regina",
        "America/Halifax",
        "America/St_Johns",
        "Pacific/Honolulu",
        "Pacific/Guam",
        "Asia/Manila",
    }
)

_IN_N_DAYS = re.compile(r"^(?:in\s+" + NUM + r"\s+days?|" + NUM + r"\s+days?\s+from\s+now)$")
_WEEKDAY = re.compile(r"^(?:(this|coming|next|last|on)\s+)?([a-z]+)$")
_LEADING_WEEKDAY = re.compile(r"^([a-z]+)\s+(?=\S)")
_MONTH_WORD = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
)


def reads_month_first(tz: str) -> bool:
    """Whether people in `tz` read 12/5 as December 5."""
    return tz in _MONTH_FIRST_ZONES or tz.startswith(_MONTH_FIRST_PREFIXES)


def parse_day(rest: str, text: str, now: datetime, *, month_first: bool) -> Day | None:
    """The day part of a phrase -> a day (None when there is no day part)."""
    today = now.date()
    if not rest:
        return None
    if rest == "today":
        return Day(today)
    if rest == "yesterday":
        return Day(today - timedelta(days=1))  # only to say "is in the past"
    if rest in _TOMORROW:
        return Day(today + timedelta(days=1))
    if rest == "day after tomorrow":
        return Day(today + timedelta(days=2))
    if m := _IN_N_DAYS.match(rest):
        n = checked_count(m.group(1) or m.group(2), rest)
        return Day(today + timedelta(days=n))
    if (m := _WEEKDAY.match(rest)) and m.group(2) in _WEEKDAYS:
        return _weekday(_WEEKDAYS[m.group(2)], m.group(1), today)
    weekday: int | None = None
    if (m := _LEADING_WEEKDAY.match(rest)) and m.group(1) in _WEEKDAYS:
        weekday, rest = _WEEKDAYS[m.group(1)], rest[m.end() :]  # "fri dec 5"
    day = _absolute_date(rest, today, month_first=month_first)
    if day is None:
        raise nonsense(text)
    if weekday is not None and day.weekday() != weekday:
        raise WhenError(
            f"{fmt_day(day, today)} is a {DAY_NAMES_LONG[day.weekday()]}, "
            f"not a {DAY_NAMES_LONG[weekday]}. Try just `{rest}` or just "
            f"`{DAY_NAMES[weekday].lower()}`."
        )
    return Day(day)


def _weekday(weekday: int, qualifier: str | None, today: date) -> Day:
    """A weekday: the upcoming one (today included, rolled a week if over), or next week's.

    "last friday" resolves too, so the user hears "is in the past" rather than "can't read".
    """
    if qualifier == "next":
        monday = today - timedelta(days=today.weekday())
        return Day(monday + timedelta(days=7 + weekday))
    if qualifier == "last":
        return Day(today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1))
    return Day(today + timedelta(days=(weekday - today.weekday()) % 7), roll_days=7)


def _absolute_date(rest: str, today: date, *, month_first: bool) -> date | None:
    """An absolute date ("dec 5", "5 dec 2027", "2026-12-05", "12/5") through dateparser.

    Without a year the next occurrence wins, today included: dateparser treats its base day
    as past, so the base is yesterday. With a year, no preference, so a past year stays past.
    """
    if not re.search(r"\d", rest):
        return None
    groups = re.findall(r"\d+", rest)
    explicit_year = len(groups) >= (2 if _MONTH_WORD.search(rest) else 3) or "'" in rest
    base = today - timedelta(days=1)
    for order in (month_first, not month_first):
        found = dateparser_date(rest, base=base, month_first=order, explicit_year=explicit_year)
        if found is not None:
            return found
    return None


def dateparser_date(
    text: str, *, base: date, month_first: bool, explicit_year: bool
) -> date | None:
    """Call dateparser for an absolute date only (no relative phrases, no clock times)."""
    settings: dict[str, Any] = {
        "RELATIVE_BASE": datetime.combine(base, time()),
        "PREFER_DATES_FROM": "current_period" if explicit_year else "future",
        "REQUIRE_PARTS": ["day", "month"],
        "DATE_ORDER": "MDY" if month_first else "DMY",
        "PARSERS": ["absolute-time", "custom-formats"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    found = dateparser.parse(text, languages=["en"], settings=settings)
    if found is None or found.time() != time():
        return None  # a time slipped through: not a plain date, so not ours to guess
    return found.date()
