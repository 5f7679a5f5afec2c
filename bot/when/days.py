"""The day in a phrase: today, tomorrow, weekdays, "in N days", absolute dates."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.when.dates import fallback_date, read_date
from bot.when.labels import DAY_NAMES, DAY_NAMES_LONG, fmt_day
from bot.when.values import NUM, Day, WhenError, checked_count

WEEKDAYS = {
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
TOMORROW = frozenset({"tomorrow", "tmrw", "tmr", "tomorow", "tommorow", "tommorrow", "tmw"})

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

_IN_N_DAYS = re.compile(
    r"^(?:in\s+" + NUM + r"\s+days?|" + NUM + r"\s+days?\s+(?:from\s+(?:now|today)|later|out)"
    r"|after\s+" + NUM + r"\s+days?)$"
)
_WEEKDAY = re.compile(r"^(?:(this|coming|this coming|next|last|on)\s+)?([a-z]+)$")
# "friday next week", "tuesday of next week", "next week friday", "next week on tue".
_WEEKDAY_NEXT_WEEK = re.compile(
    r"^(?:on\s+)?([a-z]+)\s+(?:of\s+|in\s+)?(next|this)\s+week$"
    r"|^(next|this)\s+week\s+(?:on\s+)?([a-z]+)$"
)
_WEEKDAY_AFTER_NEXT = re.compile(r"^(?:the\s+)?([a-z]+)\s+after\s+next$")
_WEEKDAY_WORD = re.compile(r"(?:^|\s)(?:on\s+)?([a-z]+)(?=\s|$)")
_LONE_NUMBER = re.compile(r"(?:^|\s)(~?\d{1,4})(?=\s|$)")


def reads_month_first(tz: str) -> bool:
    """Whether people in `tz` read 12/5 as December 5."""
    return tz in _MONTH_FIRST_ZONES or tz.startswith(_MONTH_FIRST_PREFIXES)


def parse_day(
    rest: str, today: date, *, month_first: bool, anchor: date | None = None
) -> Day | None:
    """The day part of a phrase -> a day; None when `rest` is not a day this reader knows.

    `anchor` is the day a weekday or a date without a year is counted from (the start of a
    range: "mon to fri"); by default today.
    """
    base = anchor or today
    if rest == "today":
        return Day(today)
    if rest == "yesterday":
        return Day(today - timedelta(days=1))  # only to say "is in the past"
    if rest in TOMORROW:
        return Day(today + timedelta(days=1))
    if rest in ("day after tomorrow", "the day after tomorrow", "overmorrow"):
        return Day(today + timedelta(days=2))
    if m := _IN_N_DAYS.match(rest):
        n = checked_count(next(g for g in m.groups() if g), rest)
        return Day(today + timedelta(days=n))
    if (m := _WEEKDAY.match(rest)) and m.group(2) in WEEKDAYS:
        return _weekday(WEEKDAYS[m.group(2)], m.group(1), base)
    if m := _WEEKDAY_NEXT_WEEK.match(rest):
        name, which = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        if name in WEEKDAYS:
            monday = today - timedelta(days=today.weekday())
            offset = 7 if which == "next" else 0
            return Day(monday + timedelta(days=offset + WEEKDAYS[name]))
    if (m := _WEEKDAY_AFTER_NEXT.match(rest)) and m.group(1) in WEEKDAYS:
        monday = today - timedelta(days=today.weekday())
        return Day(monday + timedelta(days=14 + WEEKDAYS[m.group(1)]))
    return _dated(rest, today, base, month_first=month_first)


def _dated(rest: str, today: date, base: date, *, month_first: bool) -> Day | None:
    """A date, with a weekday before or after it checked against it ("fri dec 4", "Jul 18 Fri")."""
    weekday: int | None = None
    words = [m for m in _WEEKDAY_WORD.finditer(rest) if m.group(1) in WEEKDAYS]
    if len(words) == 1:
        weekday = WEEKDAYS[words[0].group(1)]
        rest = f"{rest[: words[0].start()]} {rest[words[0].end() :]}"
        rest = re.sub(r"^on\s+", "", re.sub(r"\s+", " ", rest).strip())
    if not rest:
        return None
    day = read_date(rest, base, month_first=month_first)
    if day is None:
        day = fallback_date(rest, base, month_first=month_first)
    if day is None:
        return None
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


def lone_numbers(rest: str) -> list[tuple[str, str]]:
    """Each lone number in `rest` (last first) with the rest without it: maybe an hour."""
    found = []
    for m in reversed(list(_LONE_NUMBER.finditer(rest))):
        without = re.sub(r"\s+", " ", rest[: m.start()] + " " + rest[m.end() :]).strip()
        found.append((m.group(1), without))
    return found
