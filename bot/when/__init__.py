"""Natural-language time phrases -> a window to show slots in, or an exact start.

Pure: no I/O, and the clock is injected (`now`), so every answer is reproducible in tests and
nothing global depends on the time of day. Everything is resolved in the user's IANA zone
(Slack's `users.info` -> `tz`), because "tomorrow" means the user's tomorrow.

Division of labour: a thin grammar of our own handles what dateparser gets wrong or does not
do at all (weekdays, "next tuesday", parts of day, ranges, clock times), and dateparser only
turns absolute dates ("dec 5", "5 dec", "2026-12-05", "12/5") into a calendar date. Measured:
dateparser skips today for "fri" on a Friday and treats "next friday" like "friday".

The rules for ambiguous input are written for users in README.md ("How calbot reads
times") and pinned by the phrase table in tests/test_when_table.py. In short:

- A weekday ("fri", "this friday") is the upcoming one; today counts when today is that day and
  what was asked for is still ahead. "next friday" is the Friday of next week (weeks run Monday
  to Sunday), like "friday next week".
- A time without am/pm: a part of day places it; else 1-7 is pm, 8-11 am, 12 noon, 0 and
  13-23 (or a leading zero) a 24-hour clock. H:MM follows the same rule. A lone number is a
  day only as an ordinal ("the 5th"); next to a day or a part of day it is the hour ("fri 3",
  "8 tonight"); alone it is refused as ambiguous.
- A clock time without a day is today if still ahead, else tomorrow. With an explicit day a
  time that has passed is an error: rolling it to another day would be a guess.
- Numeric dates ("12/5") read month first in North American zones and day first elsewhere.
  Dates without a year are the next occurrence, today included.
- A zone the user names ("3pm PST", "Berlin time", "UTC+2") is honoured: the phrase is read
  on that zone's clock and the answer converted to the user's zone; an unknown one is refused.
- Windows are clipped so they never start before `now`. Anything more than two years ahead is
  refused, which also keeps date arithmetic far from `datetime.max`.

Layout: this module is the entry point (normalize, zone, then whole ranges, ranges of days,
else clock plus day, then build and check); `normalize`, `zones`, `ranges`, `spans`, `clock`,
`days` and `dates` read their part of a phrase; `values` holds the result types and shared
limits, `wall` the DST-safe arithmetic, `labels` the wording, `words` the error that names
the part not understood.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.when import zones
from bot.when.clock import ClockReading, bare_hour, extract_clock
from bot.when.dates import dateparser_date
from bot.when.days import lone_numbers, parse_day, reads_month_first
from bot.when.labels import day_label, exact_label, fmt_day, fmt_minutes, span_label
from bot.when.normalize import normalize
from bot.when.ranges import parse_range
from bot.when.spans import parse_day_range
from bot.when.values import (
    DEFAULT_DAYS,
    EXAMPLES,
    MAX_AHEAD,
    Day,
    Exact,
    TimeOfDay,
    WhenError,
    Window,
    nonsense,
    too_far,
)
from bot.when.values import MAX_COUNT as MAX_COUNT
from bot.when.values import MINUTES_PER_DAY as MINUTES_PER_DAY
from bot.when.values import PARTS_OF_DAY as PARTS_OF_DAY
from bot.when.wall import local, wall_add
from bot.when.words import not_understood

__all__ = ["Exact", "WhenError", "Window", "parse_when", "warm_up"]

_WEEK_OF = re.compile(r"^(?:the\s+)?week\s+of\s+(?:the\s+)?(.+)$")
_DEFAULT_PHRASES = frozenset({"", "soon", "asap", "anytime", "any time", "whenever", "now"})
_ALIASES = {
    "later today": "today",
    "rest of today": "today",
    "rest of the day": "today",
    "rest of the week": "this week",
    "rest of this week": "this week",
    "the rest of the week": "this week",
    "the weekend": "weekend",
    "this coming weekend": "weekend",
    "coming weekend": "weekend",
    "the next week": "next week",
    "the coming week": "next week",
    "coming week": "next week",
    "rest of the month": "this month",
    "the rest of the month": "this month",
}


def warm_up() -> None:
    """Pay the one-off costs (~250 ms: dateparser's language data, the zone names) at start-up.

    Called once when the process starts so the first `/cal book ... dec 5` does not eat a
    quarter of Slack's 3-second budget.
    """
    dateparser_date("5.12.2026", base=date(2026, 1, 1), month_first=True, explicit_year=True)
    zones.warm_up()


def parse_when(text: str, *, now: datetime, tz: str) -> Window | Exact:
    """Read `text` as a time in zone `tz`, relative to `now` (an aware datetime).

    Returns a Window (days, parts of day, ranges) or an Exact start (a clock time on a day).
    Raises WhenError with a user-facing message for nonsense, for the past, and for phrases
    too far ahead. An unknown `tz` raises zoneinfo.ZoneInfoNotFoundError: it is a bug in
    the caller, not something the user typed.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    user_zone = ZoneInfo(tz)
    phrase = normalize(text)
    named, phrase = zones.take_zone(phrase)
    zone = named.zone if named else user_zone
    now = now.astimezone(zone)
    phrase = _ALIASES.get(phrase, phrase)
    result = _read(phrase, text, now, month_first=reads_month_first(tz))
    if named is None or named.zone.key == user_zone.key:
        return _in_zone(result, user_zone, result.label)
    return _in_zone(result, user_zone, _zone_label(result, named, user_zone))


def _read(phrase: str, text: str, now: datetime, *, month_first: bool) -> Window | Exact:
    if phrase in _DEFAULT_PHRASES:
        days = DEFAULT_DAYS
        return Window(now, wall_add(now, timedelta(days=days)), f"the next {days} days")
    ranged = parse_range(phrase, now)
    if ranged is not None:
        return _finish(ranged, text, now)

    def point(part: str, anchor: date | None) -> Window | Exact:
        return _point(part, text, now, month_first=month_first, anchor=anchor)

    if m := _WEEK_OF.match(phrase):  # "week of dec 7": the Monday-to-Sunday week holding it
        day = point(m.group(1), None).start.date()
        monday = day - timedelta(days=day.weekday())
        zone = now.tzinfo
        assert isinstance(zone, ZoneInfo)
        label = f"the week of {fmt_day(monday, now.date())}"
        week = Window(local(zone, monday, 0), local(zone, monday + timedelta(days=7), 0), label)
        return _finish(week, text, now)
    days = parse_day_range(phrase, text, now, point)
    if days is not None:
        return _finish(days, text, now)
    return point(phrase, None)


def _point(
    phrase: str, text: str, now: datetime, *, month_first: bool, anchor: date | None
) -> Window | Exact:
    """One day with an optional time of day ("fri 3pm", "tomorrow afternoon", "the 15th")."""
    today = now.date()
    found = extract_clock(phrase, text)
    clock, rest = found.clock, found.rest
    day = parse_day(rest, today, month_first=month_first, anchor=anchor) if rest else None
    if rest and day is None:
        clock, day = _with_bare_hour(found, text, today, month_first=month_first, anchor=anchor)
    if day is not None and day.day - today > MAX_AHEAD:
        raise too_far(text)
    if day is None:
        if clock is None:
            raise nonsense(text)
        day = Day(today, roll_days=0 if clock.today_only else 1)
    elif clock is not None and clock.today_only and day.day != today:
        raise WhenError(
            f"“{text.strip()}” names two different days. Try one, like `tomorrow evening`."
        )
    result = _build(day.day, clock, now)
    if not _is_ahead(result, now) and day.roll_days:
        result = _build(day.day + timedelta(days=day.roll_days), clock, now)
    return _finish(result, text, now)


def _with_bare_hour(
    found: ClockReading, text: str, today: date, *, month_first: bool, anchor: date | None
) -> tuple[TimeOfDay, Day | None]:
    """The rest isn't a day: a lone number in it may be the hour ("fri 3", "8 tonight")."""
    clock = found.clock
    if clock is None or (found.part is not None and clock.name == found.part):
        for number, without in lone_numbers(found.rest):
            day = (
                parse_day(without, today, month_first=month_first, anchor=anchor)
                if without
                else None
            )
            if without and day is None:
                continue
            digits = number.lstrip("~")
            if not without and found.part is None and not number.startswith("~"):
                if len(digits) <= 2:
                    raise WhenError(
                        f"Is “{digits}” a day or an hour? Try `{digits}am`, `{digits}pm` "
                        f"or `the {digits}th`, as in `tomorrow {digits}pm`."
                    )
                if 1900 <= int(digits) <= 2100:
                    raise WhenError(
                        f"“{digits}” looks like a year. For a time write "
                        f"`{digits[:2]}:{digits[2:]}`; for a day, try {EXAMPLES}."
                    )
            return bare_hour(number, found.part, text, today_only=found.today_only), day
    raise not_understood(text, found.rest)


def _build(day: date, clock: TimeOfDay | None, now: datetime) -> Window | Exact:
    zone = now.tzinfo
    assert isinstance(zone, ZoneInfo)
    today = now.date()
    if clock is None:
        return Window(
            local(zone, day, 0), local(zone, day + timedelta(days=1), 0), day_label(day, today)
        )
    if clock.end is None:
        start = local(zone, day, clock.start)
        if clock.start >= MINUTES_PER_DAY:
            return Exact(start, f"midnight at the end of {day_label(day, today)}")
        return Exact(start, exact_label(day, start, today))
    label = span_label(day, clock, today)
    return Window(local(zone, day, clock.start), local(zone, day, clock.end), label)


def _finish(result: Window | Exact, text: str, now: datetime) -> Window | Exact:
    """Refuse the past and the far future; clip a window that has begun to start at `now`."""
    if not _is_ahead(result, now):
        raise WhenError(
            f"{result.label[:1].upper()}{result.label[1:]} is in the past. "
            f"Try something ahead, like {EXAMPLES}."
        )
    if result.start.astimezone(UTC) - now.astimezone(UTC) > MAX_AHEAD:
        raise too_far(text)
    if isinstance(result, Window) and result.start.timestamp() < now.timestamp():
        return Window(now, result.end, result.label)
    return result


def _is_ahead(result: Window | Exact, now: datetime) -> bool:
    """Compared as instants: same-zone datetime comparison ignores DST folds."""
    moment = result.end if isinstance(result, Window) else result.start
    return moment.timestamp() > now.timestamp()


def _in_zone(result: Window | Exact, zone: ZoneInfo, label: str) -> Window | Exact:
    if isinstance(result, Exact):
        return Exact(result.start.astimezone(zone), label)
    return Window(result.start.astimezone(zone), result.end.astimezone(zone), label)


def _zone_label(result: Window | Exact, named: zones.NamedZone, user_zone: ZoneInfo) -> str:
    """ "Sat 28 Nov at 3pm CET (9am your time)": both clocks, so nothing is read silently."""
    mine = result.start.astimezone(user_zone)
    at = fmt_minutes(mine.hour * 60 + mine.minute)
    theirs = result.start
    if isinstance(result, Exact):
        clock = fmt_minutes(theirs.hour * 60 + theirs.minute)
        there = f"{fmt_day(theirs.date(), theirs.date())} at {clock}"
        day = "" if mine.date() == theirs.date() else f" {fmt_day(mine.date(), mine.date())}"
        return f"{there} {named.name} ({at}{day} your time)"
    end = result.end.astimezone(user_zone)
    until = fmt_minutes(end.hour * 60 + end.minute)
    if end.date() != mine.date():
        at = f"{fmt_day(mine.date(), mine.date())} {at}"
        until = f"{fmt_day(end.date(), mine.date())} {until}"
    return f"{result.label} {named.name} ({at} – {until} your time)"
