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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import dateparser

__all__ = ["Exact", "WhenError", "Window", "parse_when", "warm_up"]


@dataclass(frozen=True)
class Window:
    """A range to show slots in: [start, end), aware datetimes in the user's zone."""

    start: datetime
    end: datetime
    label: str


@dataclass(frozen=True)
class Exact:
    """An exact start time, aware, in the user's zone."""

    start: datetime
    label: str


class WhenError(ValueError):
    """The phrase could not be used; the message is user-facing, friendly, with examples."""


DEFAULT_DAYS = 7
MAX_AHEAD = timedelta(days=731)
MAX_COUNT = 366
MINUTES_PER_DAY = 24 * 60

EXAMPLES = "`tomorrow`, `fri afternoon`, `next tuesday 3pm`, `dec 5`, `in 2 days` or `next week`"

PARTS_OF_DAY: dict[str, tuple[int, int]] = {
    "morning": (8 * 60, 12 * 60),
    "afternoon": (12 * 60, 17 * 60),
    "evening": (17 * 60, 21 * 60),
}
_PART_ALIASES = {"night": "evening", "tonight": "evening"}

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
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_NAMES_LONG = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_TOMORROW = frozenset({"tomorrow", "tmrw", "tmr", "tomorow", "tommorow", "tommorrow"})
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

_NUM = r"(\d+|" + "|".join(_NUMBER_WORDS) + r")"
_MERIDIEM = r"(am|pm)"
# "2-4pm", "2pm to 4pm", "11:30 - 1pm", "between 2 and 4pm": the end carries am/pm.
_SPAN_12H = re.compile(
    r"(?:\b(?:from|between)\s+)?(?<![\d/:.-])\b(\d{1,2})(?::(\d{2}))?\s*" + _MERIDIEM + r"?"
    r"\s*(?:-|to|until|till|and)\s*(\d{1,2})(?::(\d{2}))?\s*" + _MERIDIEM + r"\b"
)
# "14:00-16:30", "from 9:00 to 12:00".
_SPAN_24H = re.compile(
    r"(?:\b(?:from|between)\s+)?(?<![\d/:.-])\b(\d{1,2}):(\d{2})"
    r"\s*(?:-|to|until|till|and)\s*(\d{1,2}):(\d{2})\b"
)
_TIME_12H = re.compile(
    r"(?:\bat\s+)?(?<![\d/:.-])\b(\d{1,2})(?:[:.](\d{2}))?\s*" + _MERIDIEM + r"\b"
)
_TIME_24H = re.compile(r"(?:\bat\s+)?(?<![\d/:.-])\b(\d{1,2}):(\d{2})\b(?![:/.-]\d)")
_TIME_AT_HOUR = re.compile(r"\bat\s+(\d{1,2})\b(?![:/.-]\d)")
_TIME_NOON = re.compile(r"(?:\bat\s+)?\b(noon|midday)\b")
_PART = re.compile(r"(?:\b(in the|this)\s+)?\b(morning|afternoon|evening|night|tonight)\b")

_NEXT_N = re.compile(r"^(?:the\s+)?(?:next|coming)\s+" + _NUM + r"\s+(days?|weeks?)$")
_IN_N_DAYS = re.compile(r"^(?:in\s+" + _NUM + r"\s+days?|" + _NUM + r"\s+days?\s+from\s+now)$")
_IN_N_WEEKS = re.compile(r"^(?:in\s+" + _NUM + r"\s+weeks?|" + _NUM + r"\s+weeks?\s+from\s+now)$")
_WEEKDAY = re.compile(r"^(?:(this|coming|next|last|on)\s+)?([a-z]+)$")
_LEADING_WEEKDAY = re.compile(r"^([a-z]+)\s+(?=\S)")
_MONTH_WORD = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
)


@dataclass(frozen=True)
class _Clock:
    """The time-of-day part of a phrase, in minutes after local midnight.

    `end` is None for an exact time; otherwise the clock is a span (a part of day or a
    time range) and `end` may be 1440 (midnight at the end of the day).
    """

    start: int
    end: int | None
    name: str
    today_only: bool = False


@dataclass(frozen=True)
class _Day:
    """A resolved calendar day, and how far to move it if what was asked is already over."""

    day: date
    roll_days: int = 0


def warm_up() -> None:
    """Pay dateparser's one-off cost (~250 ms, loading its language data) at start-up.

    Call it once when the process starts so the first `/cal book ... dec 5` does not eat a
    quarter of Slack's 3-second budget.
    """
    _dateparser_date("dec 5", base=date(2026, 1, 1), month_first=True, explicit_year=False)


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
        return Window(now, _wall_add(now, timedelta(days=days)), f"the next {days} days")
    ranged = _parse_range(phrase, now)
    if ranged is not None:
        return _finish(ranged, text, now)
    clock, rest = _extract_clock(phrase, text)
    day = _parse_day(rest, text, now, month_first=_month_first(tz))
    if day is not None and day.day - now.date() > MAX_AHEAD:
        raise _too_far(text)
    if day is None:
        if clock is None:
            raise _nonsense(text)
        day = _Day(now.date(), roll_days=0 if clock.today_only else 1)
    elif clock is not None and clock.today_only and day.day != now.date():
        raise _nonsense(text)
    result = _build(day.day, clock, now)
    if not _is_ahead(result, now) and day.roll_days:
        result = _build(day.day + timedelta(days=day.roll_days), clock, now)
    return _finish(result, text, now)


# --- normalizing ---------------------------------------------------------------------------


def _normalize(text: str) -> str:
    """Lower-case and tidy so the regexes below can stay simple."""
    s = text.strip().lower()
    s = s.replace("a.m.", "am").replace("p.m.", "pm")
    s = re.sub(r"[\u2013\u2014]", "-", s)  # en and em dashes, as Slack's autocorrect makes them
    s = re.sub(r"(?<=[a-z])\.", "", s)  # "dec. 5", "tues."
    s = re.sub(r"[,;!?]", " ", s)
    s = re.sub(r"(?<!\w)@", " at ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return s.rstrip(".")


def _month_first(tz: str) -> bool:
    """Whether people in `tz` read 12/5 as December 5."""
    return tz in _MONTH_FIRST_ZONES or tz.startswith(_MONTH_FIRST_PREFIXES)


def _count(word: str) -> int:
    """A count written as digits or a small number word."""
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


# --- ranges --------------------------------------------------------------------------------


def _parse_range(phrase: str, now: datetime) -> Window | None:
    """Whole-phrase ranges: weeks, weekends, months, "next N days", "in N weeks"."""
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
                f"this week (to {_fmt_day(monday + timedelta(days=6), today)})",
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
                zone, today, first_next, f"this month (to {_fmt_day(last, today)})", start=now
            )
        case "next month":
            first = _first_of_next_month(today)
            first_after = _first_of_next_month(first)
            label = f"next month ({_MONTH_NAMES[first.month - 1]} {first.year})"
            return _window(zone, first, first_after, label)
    if m := _NEXT_N.match(phrase):
        n = _checked_count(m.group(1), phrase)
        unit = m.group(2).rstrip("s")
        days = n * 7 if unit == "week" else n
        label = f"the next {n} {unit}s" if n != 1 else f"the next {unit}"
        return Window(now, _wall_add(now, timedelta(days=days)), label)
    if m := _IN_N_WEEKS.match(phrase):
        n = _checked_count(m.group(1) or m.group(2), phrase)
        target = today + timedelta(weeks=n)
        week_monday = target - timedelta(days=target.weekday())
        return _week_window(zone, week_monday, f"in {n} week{'s' if n != 1 else ''}", today)
    return None


def _checked_count(word: str, phrase: str) -> int:
    n = _count(word)
    if n < 1:
        raise _nonsense(phrase)
    if n > MAX_COUNT:
        raise _too_far(phrase)
    return n


def _first_of_next_month(d: date) -> date:
    return date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)


def _week_window(zone: ZoneInfo, monday: date, name: str, today: date) -> Window:
    sunday = monday + timedelta(days=6)
    label = f"{name} ({_fmt_day(monday, today)} – {_fmt_day(sunday, today)})"
    return _window(zone, monday, monday + timedelta(days=7), label)


def _weekend(zone: ZoneInfo, monday: date, name: str, today: date) -> Window:
    saturday = monday + timedelta(days=5)
    label = (
        f"{name} ({_fmt_day(saturday, today)} – {_fmt_day(saturday + timedelta(days=1), today)})"
    )
    return _window(zone, saturday, monday + timedelta(days=7), label)


def _window(
    zone: ZoneInfo, first: date, end_day: date, label: str, *, start: datetime | None = None
) -> Window:
    """Whole days [first, end_day) as local midnights; `start` overrides the first one."""
    begin = start if start is not None else _local(zone, first, 0)
    return Window(begin, _local(zone, end_day, 0), label)


# --- clock times and parts of day ----------------------------------------------------------


def _extract_clock(phrase: str, text: str) -> tuple[_Clock | None, str]:
    """Take the time of day out of `phrase`; return it and what is left (the day part)."""
    clock: _Clock | None = None
    bare_hour: int | None = None
    rest = phrase
    if found := _find_span(rest, text):
        clock, rest = found
    elif timed := _find_time(rest, text):
        minutes, bare, rest = timed
        if bare:
            bare_hour = minutes // 60
        else:
            clock = _exact_clock(minutes)
    part_name: str | None = None
    today_only = False
    if m := _PART.search(rest):
        rest = _cut(rest, m)
        part_name = _PART_ALIASES.get(m.group(2), m.group(2))
        today_only = m.group(1) == "this" or m.group(2) == "tonight"
    if bare_hour is not None:
        clock = _exact_clock(_guess_hour(bare_hour, part_name) * 60)
    elif clock is None and part_name is not None:
        start, end = PARTS_OF_DAY[part_name]
        clock = _Clock(start, end, part_name)
    if clock is not None and today_only:
        clock = replace(clock, today_only=True)
    if _find_span(rest, text) or _find_time(rest, text) or _PART.search(rest):
        raise WhenError(f"“{text.strip()}” has more than one time in it. Try one, like {EXAMPLES}.")
    rest = re.sub(r"^(?:on|at|for)\s+|\s+(?:on|at)$", "", rest.strip())
    return clock, re.sub(r"\s+", " ", rest).strip()


def _guess_hour(hour: int, part: str | None) -> int:
    """An hour said without am/pm ("at 3"): the part of day decides, else office hours do."""
    if hour == 0 or hour >= 12:
        return hour
    if part in ("afternoon", "evening"):
        return hour + 12
    if part == "morning":
        return hour
    return hour + 12 if hour <= 7 else hour


def _cut(s: str, m: re.Match[str]) -> str:
    return f"{s[: m.start()]} {s[m.end() :]}".strip()


def _find_span(s: str, text: str) -> tuple[_Clock, str] | None:
    """A time range such as "2-4pm" or "14:00-16:00" -> a span clock."""
    if m := _SPAN_12H.search(s):
        end = _minutes_12h(m.group(4), m.group(5), m.group(6), text)
        meridiem = m.group(3) or m.group(6)
        start = _minutes_12h(m.group(1), m.group(2), meridiem, text)
        if m.group(3) is None and start >= end and meridiem == "pm":
            start = _minutes_12h(m.group(1), m.group(2), "am", text)  # "11-1pm"
    elif m := _SPAN_24H.search(s):
        start = _minutes_24h(m.group(1), m.group(2), text)
        end = _minutes_24h(m.group(3), m.group(4), text)
    else:
        return None
    if end == 0:
        end = MINUTES_PER_DAY  # "10pm-12am": to midnight
    if end <= start:
        raise WhenError(f"In “{text.strip()}” the end comes before the start. Try `2-4pm`.")
    name = f"{_fmt_minutes(start)}–{_fmt_minutes(end)}"
    return _Clock(start, end, name), _cut(s, m)


def _find_time(s: str, text: str) -> tuple[int, bool, str] | None:
    """A single clock time ("3pm", "14:30", "noon", "at 3") -> minutes, whether bare, rest.

    A bare hour ("at 3") has no am/pm yet: the caller decides with the part of day.
    """
    if m := _TIME_12H.search(s):
        return _minutes_12h(m.group(1), m.group(2), m.group(3), text), False, _cut(s, m)
    if m := _TIME_24H.search(s):
        return _minutes_24h(m.group(1), m.group(2), text), False, _cut(s, m)
    if m := _TIME_NOON.search(s):
        return 12 * 60, False, _cut(s, m)
    if m := _TIME_AT_HOUR.search(s):
        hour = int(m.group(1))
        if hour > 23:
            raise _bad_time(text)
        return hour * 60, True, _cut(s, m)
    return None


def _exact_clock(minutes: int) -> _Clock:
    return _Clock(minutes, None, _fmt_minutes(minutes))


def _minutes_12h(hour: str, minute: str | None, meridiem: str | None, text: str) -> int:
    h, mi = int(hour), int(minute or 0)
    if not 1 <= h <= 12 or mi > 59:
        raise _bad_time(text)
    h %= 12
    if meridiem == "pm":
        h += 12
    return h * 60 + mi


def _minutes_24h(hour: str, minute: str, text: str) -> int:
    h, mi = int(hour), int(minute)
    if h > 23 or mi > 59:
        raise _bad_time(text)
    return h * 60 + mi


def _bad_time(text: str) -> WhenError:
    return WhenError(
        f"“{text.strip()}” has a time I can't read. Try `3pm`, `14:30` or `9:15am`, "
        "as in `tomorrow 3pm`."
    )


# --- days ----------------------------------------------------------------------------------


def _parse_day(rest: str, text: str, now: datetime, *, month_first: bool) -> _Day | None:
    """The day part of a phrase -> a day (None when there is no day part)."""
    today = now.date()
    if not rest:
        return None
    if rest == "today":
        return _Day(today)
    if rest == "yesterday":
        return _Day(today - timedelta(days=1))  # only to say "is in the past"
    if rest in _TOMORROW:
        return _Day(today + timedelta(days=1))
    if rest == "day after tomorrow":
        return _Day(today + timedelta(days=2))
    if m := _IN_N_DAYS.match(rest):
        n = _checked_count(m.group(1) or m.group(2), rest)
        return _Day(today + timedelta(days=n))
    if (m := _WEEKDAY.match(rest)) and m.group(2) in _WEEKDAYS:
        return _weekday(_WEEKDAYS[m.group(2)], m.group(1), today)
    weekday: int | None = None
    if (m := _LEADING_WEEKDAY.match(rest)) and m.group(1) in _WEEKDAYS:
        weekday, rest = _WEEKDAYS[m.group(1)], rest[m.end() :]  # "fri dec 5"
    day = _absolute_date(rest, today, month_first=month_first)
    if day is None:
        raise _nonsense(text)
    if weekday is not None and day.weekday() != weekday:
        raise WhenError(
            f"{_fmt_day(day, today)} is a {_DAY_NAMES_LONG[day.weekday()]}, "
            f"not a {_DAY_NAMES_LONG[weekday]}. Try just `{rest}` or just "
            f"`{_DAY_NAMES[weekday].lower()}`."
        )
    return _Day(day)


def _weekday(weekday: int, qualifier: str | None, today: date) -> _Day:
    """A weekday: the upcoming one (today included, rolled a week if over), or next week's.

    "last friday" resolves too, so the user hears "is in the past" rather than "can't read".
    """
    if qualifier == "next":
        monday = today - timedelta(days=today.weekday())
        return _Day(monday + timedelta(days=7 + weekday))
    if qualifier == "last":
        return _Day(today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1))
    return _Day(today + timedelta(days=(weekday - today.weekday()) % 7), roll_days=7)


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
        found = _dateparser_date(rest, base=base, month_first=order, explicit_year=explicit_year)
        if found is not None:
            return found
    return None


def _dateparser_date(
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


# --- building and checking -----------------------------------------------------------------


def _build(day: date, clock: _Clock | None, now: datetime) -> Window | Exact:
    zone = now.tzinfo
    assert isinstance(zone, ZoneInfo)
    today = now.date()
    if clock is None:
        return Window(
            _local(zone, day, 0), _local(zone, day + timedelta(days=1), 0), _day_label(day, today)
        )
    if clock.end is None:
        start = _local(zone, day, clock.start)
        return Exact(start, _exact_label(day, start, today))
    label = _span_label(day, clock, today)
    return Window(_local(zone, day, clock.start), _local(zone, day, clock.end), label)


def _finish(result: Window | Exact, text: str, now: datetime) -> Window | Exact:
    """Refuse the past and the far future; clip a window that has begun to start at `now`."""
    if not _is_ahead(result, now):
        raise WhenError(
            f"{result.label[:1].upper()}{result.label[1:]} is in the past. "
            f"Try something ahead, like {EXAMPLES}."
        )
    if result.start.astimezone(UTC) - now.astimezone(UTC) > MAX_AHEAD:
        raise _too_far(text)
    if isinstance(result, Window) and result.start.timestamp() < now.timestamp():
        return Window(now, result.end, result.label)
    return result


def _is_ahead(result: Window | Exact, now: datetime) -> bool:
    """Compared as instants: same-zone datetime comparison ignores DST folds."""
    moment = result.end if isinstance(result, Window) else result.start
    return moment.timestamp() > now.timestamp()


def _local(zone: ZoneInfo, day: date, minutes: int) -> datetime:
    """Local wall time `minutes` after midnight of `day`, made real.

    A wall time that does not exist (skipped by DST) moves forward by the gap; an ambiguous
    one takes its first occurrence. The UTC round trip also sets `fold` consistently.
    """
    day = day + timedelta(days=minutes // MINUTES_PER_DAY)
    hour, minute = divmod(minutes % MINUTES_PER_DAY, 60)
    naive = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    return naive.astimezone(UTC).astimezone(zone)


def _wall_add(moment: datetime, delta: timedelta) -> datetime:
    """Add on the wall clock (10:15 stays 10:15 three days later, across DST)."""
    zone = moment.tzinfo
    assert isinstance(zone, ZoneInfo)
    shifted = moment.replace(tzinfo=None) + delta
    return shifted.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def _too_far(text: str) -> WhenError:
    return WhenError(
        f"“{text.strip()}” is too far ahead: I look at most two years out. Try {EXAMPLES}."
    )


def _nonsense(text: str) -> WhenError:
    return WhenError(f"I couldn't read “{text.strip()}” as a time. Try {EXAMPLES}.")


# --- labels --------------------------------------------------------------------------------


def _fmt_day(day: date, today: date, *, relative: bool = False) -> str:
    """ "Fri 28 Nov"; the year only when it is not this year."""
    text = f"{_DAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]}"
    if day.year != today.year:
        text += f" {day.year}"
    if relative and day == today:
        return f"today ({text})"
    if relative and day == today + timedelta(days=1):
        return f"tomorrow ({text})"
    return text


def _day_label(day: date, today: date) -> str:
    return _fmt_day(day, today, relative=True)


def _fmt_minutes(minutes: int) -> str:
    """ "3pm", "2:30pm", "12am" at midnight; 1440 reads as "midnight"."""
    if minutes == MINUTES_PER_DAY:
        return "midnight"
    hour, minute = divmod(minutes, 60)
    meridiem = "am" if hour < 12 else "pm"
    hour12 = hour % 12 or 12
    return f"{hour12}:{minute:02d}{meridiem}" if minute else f"{hour12}{meridiem}"


def _exact_label(day: date, start: datetime, today: date) -> str:
    """ "tomorrow at 3pm (Sat 28 Nov)", "Fri 4 Dec at 2:30pm"; the time as it really is."""
    at = _fmt_minutes(start.hour * 60 + start.minute)
    when = _fmt_day(day, today)
    if day == today:
        return f"today at {at} ({when})"
    if day == today + timedelta(days=1):
        return f"tomorrow at {at} ({when})"
    return f"{when} at {at}"


def _span_label(day: date, clock: _Clock, today: date) -> str:
    """ "this afternoon (Fri 27 Nov)", "tomorrow 2pm–4pm (Sat 28 Nov)", "Fri 4 Dec evening"."""
    when = _fmt_day(day, today)
    if day == today:
        prefix = "this" if clock.name in PARTS_OF_DAY else "today"
        return f"{prefix} {clock.name} ({when})"
    if day == today + timedelta(days=1):
        return f"tomorrow {clock.name} ({when})"
    return f"{when} {clock.name}"
