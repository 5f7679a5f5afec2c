"""The time of day in a phrase: clock times, time ranges and parts of day."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.when.labels import fmt_minutes
from bot.when.values import EXAMPLES, MINUTES_PER_DAY, PARTS_OF_DAY, TimeOfDay, WhenError

_PART_ALIASES = {"night": "evening", "tonight": "evening"}

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


def extract_clock(phrase: str, text: str) -> tuple[TimeOfDay | None, str]:
    """Take the time of day out of `phrase`; return it and what is left (the day part)."""
    clock: TimeOfDay | None = None
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
        clock = TimeOfDay(start, end, part_name)
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


def _find_span(s: str, text: str) -> tuple[TimeOfDay, str] | None:
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
    name = f"{fmt_minutes(start)}–{fmt_minutes(end)}"
    return TimeOfDay(start, end, name), _cut(s, m)


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


def _exact_clock(minutes: int) -> TimeOfDay:
    return TimeOfDay(minutes, None, fmt_minutes(minutes))


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
