"""Natural-language time phrases -> a window to show slots in, or an exact start.

Pure: no I/O, and the clock is injected (`now`), so every answer is reproducible in tests and
nothing global depends on the time of day. Everything is resolved in the user's IANA zone
(Slack's `users.info` -> `tz`), because "tomorrow" means the user's tomorrow.

Division of labour: a thin grammar of our own handles what dateparser gets wrong or does not
do at all (weekdays, "next tuesday", parts of day, ranges, clock times), and dateparser only
turns absolute dates ("dec 5", "5 dec", "2026-12-05", "12/5") into a calendar date. Measured:
dateparser skips today for "fri" on a Friday and treats "next friday" like "friday".

Decisions on ambiguous phrases (the contract for callers and the tests):

- A weekday ("fri", "this friday") is the upcoming one; today counts when today is that day and
  what was asked for is still ahead. "fri 9am" asked on a Friday at 10:00 means next Friday.
- "next friday" is the Friday of next week (weeks run Monday to Sunday), like "next week".
- A clock time or part of day without a day ("3pm", "afternoon") is today if still ahead, else
  tomorrow. With an explicit day ("today 9am", "this afternoon", "tonight", "dec 5 10am") a time
  that has passed is an error: rolling it to another day would be a guess.
- "at 3" (an hour without am/pm, only after "at"): 1-7 is pm, 8-11 am, 12 noon, 0 and 13-23 as
  on a 24-hour clock. A bare "3" is never a time.
- Numeric dates ("12/5") read month first in North American zones and day first elsewhere; when
  one order gives no date the other is tried. The label always shows the date understood.
- Dates without a year are the next occurrence, today included; with a year in the past they
  are an error.
- "in N days" is that whole day; "next N days" runs from now for N times 24 hours (wall clock);
  "in N weeks" is the Monday-to-Sunday week containing the day N weeks ahead; "this week" runs
  to the end of Sunday; "weekend" is Saturday and Sunday of this week (next week's when it is
  "next weekend"); "this month" runs to its end; "next month" is all of it.
- Windows are clipped so they never start before `now`. Anything more than two years ahead is
  refused, which also keeps date arithmetic far from `datetime.max`.

Layout: this module is the entry point (normalize, then ranges, else clock plus day, then
build and check); `ranges`, `clock` and `days` read their part of a phrase; `values` holds
the result types and shared limits, `wall` the DST-safe arithmetic, `labels` the wording.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.when.clock import extract_clock
from bot.when.days import dateparser_date, parse_day, reads_month_first
from bot.when.labels import day_label, exact_label, span_label
from bot.when.ranges import parse_range
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

__all__ = ["Exact", "WhenError", "Window", "parse_when", "warm_up"]

_DEFAULT_PHRASES = frozenset({"", "soon", "asap", "anytime", "any time", "whenever"})
_ALIASES = {
    "later today": "today",
    "rest of today": "today",
    "rest of the week": "this week",
    "rest of this week": "this week",
    "the weekend": "weekend",
    "this coming weekend": "weekend",
    "coming weekend": "weekend",
    "the next week": "next week",
    "overmorrow": "day after tomorrow",
    "the day after tomorrow": "day after tomorrow",
}


def warm_up() -> None:
    """Pay dateparser's one-off cost (~250 ms, loading its language data) at start-up.

    Call it once when the process starts so the first `/cal book ... dec 5` does not eat a
    quarter of Slack's 3-second budget.
    """
    dateparser_date("dec 5", base=date(2026, 1, 1), month_first=True, explicit_year=False)


def parse_when(text: str, *, now: datetime, tz: str) -> Window | Exact:
    """Read `text` as a time in zone `tz`, relative to `now` (an aware datetime).

    Returns a Window (days, parts of day, ranges) or an Exact start (a clock time on a day).
    Raises WhenError with a user-facing message for nonsense, for the past, and for phrases
    too far ahead. An unknown `tz` raises zoneinfo.ZoneInfoNotFoundError: it is a bug in
    the caller, not something the user typed.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    zone = ZoneInfo(tz)
    now = now.astimezone(zone)
    phrase = _normalize(text)
    phrase = _ALIASES.get(phrase, phrase)
    if phrase in _DEFAULT_PHRASES:
        days = DEFAULT_DAYS
        return Window(now, wall_add(now, timedelta(days=days)), f"the next {days} days")
    ranged = parse_range(phrase, now)
    if ranged is not None:
        return _finish(ranged, text, now)
    clock, rest = extract_clock(phrase, text)
    day = parse_day(rest, text, now, month_first=reads_month_first(tz))
    if day is not None and day.day - now.date() > MAX_AHEAD:
        raise too_far(text)
    if day is None:
        if clock is None:
            raise nonsense(text)
        day = Day(now.date(), roll_days=0 if clock.today_only else 1)
    elif clock is not None and clock.today_only and day.day != now.date():
        raise nonsense(text)
    result = _build(day.day, clock, now)
    if not _is_ahead(result, now) and day.roll_days:
        result = _build(day.day + timedelta(days=day.roll_days), clock, now)
    return _finish(result, text, now)


def _normalize(text: str) -> str:
    """Lower-case and tidy so the parsers' regexes can stay simple."""
    s = text.strip().lower()
    s = s.replace("a.m.", "am").replace("p.m.", "pm")
    s = re.sub(r"[\u2013\u2014]", "-", s)  # en and em dashes, as Slack's autocorrect makes them
    s = re.sub(r"(?<=[a-z])\.", "", s)  # "dec. 5", "tues."
    s = re.sub(r"[,;!?]", " ", s)
    s = re.sub(r"(?<!\w)@", " at ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return s.rstrip(".")


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
