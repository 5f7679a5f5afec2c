"""The time of day in a phrase: clock times, time ranges and parts of day.

Rules for a time without am/pm (README "How calbot reads times"): a part of day places it
("afternoon 2:30" is 14:30, "this evening at 12" is midnight); else an hour 1-7 is pm,
8-11 am, 12 noon, and 0, 13-23 or a leading zero ("07:30") read as a 24-hour clock. H:MM
follows the same rule as a bare hour. In a range, the end is the first such time after the
start ("8pm - 11" ends at 11pm, "11:30-1:30" runs to 1:30pm). A hedge ("~3", from "around
3" or "3ish") makes a window of an hour either side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.when.labels import fmt_minutes
from bot.when.values import EXAMPLES, MINUTES_PER_DAY, PARTS_OF_DAY, TimeOfDay, WhenError

_PART_ALIASES = {"night": "evening", "tonight": "evening", "lunchtime": "lunch"}
# Where a time without am/pm may fall for each part of day (wider than the shown window).
_PLACES = {
    "morning": (4 * 60, 12 * 60),
    "afternoon": (12 * 60, 19 * 60),
    "evening": (16 * 60, MINUTES_PER_DAY + 1),
    "lunch": (11 * 60, 15 * 60),
}

# One clock value: "3", "3pm", "3:30", "15:30", "330pm", "1030", "noon", "midnight".
_T = (
    r"(?:(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?(?![\d:])|(\d{1,2})(\d{2})\s*(am|pm)?"
    r"|(noon|midday|midnight))"
)
_T_GROUPS = 7
_TO = r"\s*(?:-|to|until|till|til|through|thru|and)\s*"
_NOT_DATE_AFTER = r"(?![/:.-]?\d)(?!\s*(?:st|nd|rd|th)\b)"
_SPAN = re.compile(
    r"(?:\b(from|between)\s+)?(~)?(?<![\d/:.-])\b" + _T + _TO + r"\b" + _T + _NOT_DATE_AFTER
)
_TIME = re.compile(
    r"(?:\b(at|from|after|before|by|until|till|til)\s+|(~))?(?<![\d/:.-])\b" + _T + _NOT_DATE_AFTER
)
_TIME_STRICT = re.compile(
    r"(?<![\d/:.-])\b(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{3,4}\s*(?:am|pm)|\d{1,2}:\d{2}"
    r"|noon|midday|midnight)\b"
)
_PART = re.compile(
    r"(?:\b(in the|this|at|during the|during|over)\s+)?\b(?:(early|late)\s+)?"
    r"(morning|afternoon|evening|night|tonight|lunchtime|lunch)\b"
)


@dataclass(frozen=True)
class _Value:
    """A clock value as written: minutes, and whether am/pm (or a 24-hour form) fixed it."""

    minutes: int
    fixed: bool
    hour: int  # as written, for placing a loose one
    minute: int
    word: str | None = None  # noon, midday, midnight


@dataclass(frozen=True)
class ClockReading:
    """What `extract_clock` found: a clock (or None), the part of day, the rest (the day)."""

    clock: TimeOfDay | None
    part: str | None
    today_only: bool
    rest: str


def extract_clock(phrase: str, text: str) -> ClockReading:
    """Take the time of day out of `phrase`; return it and what is left (the day part).

    A lone number ("9 tomorrow", "8 tonight") is left in the rest: only the day parser can
    tell a day of the month from an hour, and it hands it back to `bare_hour`.
    """
    part, rest, today_only = _take_part(phrase)
    clock: TimeOfDay | None = None
    if found := _take_span(rest, text, part):
        clock, rest = found
    elif found_time := _take_time(rest, text, part):
        clock, rest = found_time
    elif part is not None:
        start, end = PARTS_OF_DAY[part]
        clock = TimeOfDay(start, end, part)
    if clock is not None and today_only:
        clock = replace(clock, today_only=True)
    if _take_span(rest, text, None) or _TIME_STRICT.search(rest) or _PART.search(rest):
        raise WhenError(f"“{text.strip()}” has more than one time in it. Try one, like {EXAMPLES}.")
    rest = re.sub(r"^(?:on|at|for)\s+|\s+(?:on|at)$", "", rest.strip())
    return ClockReading(clock, part, today_only, re.sub(r"\s+", " ", rest).strip())


def bare_hour(number: str, part: str | None, text: str, *, today_only: bool) -> TimeOfDay:
    """A lone number that is not the day: an hour ("fri 3", "8 tonight") or "1030"."""
    hedged = number.startswith("~")
    digits = number.lstrip("~")
    if len(digits) > 2:
        value = _value(digits[:-2], digits[-2:], None, text)
    else:
        value = _value(digits, None, None, text)
    return replace(_exact(_place(value, part, text), hedged), today_only=today_only)


def _take_part(s: str) -> tuple[str | None, str, bool]:
    m = _PART.search(s)
    if m is None:
        return None, s, False
    base = _PART_ALIASES.get(m.group(3), m.group(3))
    name = f"{m.group(2)} {base}" if m.group(2) else base
    if name not in PARTS_OF_DAY:
        name = base
    today_only = m.group(1) == "this" or m.group(3) == "tonight"
    return name, _cut(s, m), today_only


def _take_span(s: str, text: str, part: str | None) -> tuple[TimeOfDay, str] | None:
    """A time range such as "2-4pm", "14:00-16:00", "8pm - 11", "9-5" -> a span clock."""
    m = _SPAN.search(s)
    if m is None:
        return None
    first = _group_value(m, 3, text)
    second = _group_value(m, 3 + _T_GROUPS, text)
    start = _start_of_span(first, second, part, text)
    end = _end_after(start, second, text)
    if end <= start:
        raise WhenError(f"In “{text.strip()}” the end comes before the start. Try `2-4pm`.")
    if end > MINUTES_PER_DAY:
        raise WhenError(
            f"In “{text.strip()}” the range runs past midnight. Try one day at a time, "
            "like `8pm-11pm`."
        )
    name = f"{fmt_minutes(start)}–{fmt_minutes(end)}"
    return TimeOfDay(start, end, name), _cut(s, m)


def _start_of_span(first: _Value, second: _Value, part: str | None, text: str) -> int:
    if first.fixed or first.word:
        return _place(first, part, text)
    if second.fixed and second.word is None and second.minutes > 0:
        # "11-1pm", "2-4pm": the start takes the end's half of the day, or the one before.
        same = first.hour % 12 * 60 + first.minute + (720 if second.minutes >= 720 else 0)
        return same if same < second.minutes or same < 720 else same - 720
    return _place(first, part, text)


def _end_after(start: int, second: _Value, text: str) -> int:
    if second.word == "midnight" or (second.fixed and second.minutes == 0):
        return MINUTES_PER_DAY
    if second.fixed or second.word:
        return second.minutes
    base = second.hour % 12 * 60 + second.minute
    for candidate in (base, base + 720, base + 1440):
        if candidate > start:
            return candidate
    raise _bad_time(text)


def _take_time(s: str, text: str, part: str | None) -> tuple[TimeOfDay, str] | None:
    """A single clock time ("3pm", "14:30", "noon", "at 3", "after 3pm") -> a clock."""
    for m in _TIME.finditer(s):
        lead, hedged = m.group(1), m.group(2) is not None
        explicit = bool(m.group(5) or m.group(8) or m.group(9)) or ":" in m.group(0)
        if m.group(4) is not None and "." in m.group(0) and not explicit:
            explicit = int(m.group(3)) > 12 or int(m.group(4)) > 12  # 15.30: no date
        oclock = s[m.end() :].lstrip().startswith("oclock")
        if not explicit and not oclock and not lead and not hedged:
            continue  # a lone number: maybe a day of the month; the day parser decides
        value = _group_value(m, 3, text)
        rest = _cut(s, m)
        if oclock:
            rest = rest.replace("oclock", "", 1).strip()
        minutes = _place(value, part, text)
        if lead in ("after", "from"):
            return TimeOfDay(minutes, MINUTES_PER_DAY, f"after {fmt_minutes(minutes)}"), rest
        if lead in ("before", "by", "until", "till", "til"):
            if minutes == 0:
                raise _bad_time(text)
            return TimeOfDay(0, minutes, f"before {fmt_minutes(minutes)}"), rest
        return _exact(minutes, hedged), rest
    return None


def _exact(minutes: int, hedged: bool) -> TimeOfDay:
    if hedged:
        start, end = max(0, minutes - 60), min(MINUTES_PER_DAY, minutes + 60)
        return TimeOfDay(start, end, f"around {fmt_minutes(minutes)}")
    return TimeOfDay(minutes, None, fmt_minutes(minutes))


def _group_value(m: re.Match[str], first: int, text: str) -> _Value:
    """The clock value in the `_T` groups of `m` starting at group `first`."""
    hour, minute, meridiem, c_hour, c_minute, c_meridiem, word = (
        m.group(first + i) for i in range(_T_GROUPS)
    )
    if word:
        minutes = {"noon": 720, "midday": 720, "midnight": MINUTES_PER_DAY}[word]
        return _Value(minutes, True, 12, 0, word)
    if c_hour is not None:
        return _value(c_hour, c_minute, c_meridiem, text)
    return _value(hour, minute, meridiem, text)


def _value(hour: str, minute: str | None, meridiem: str | None, text: str) -> _Value:
    h, mi = int(hour), int(minute or 0)
    if mi > 59 or h > 23:
        raise _bad_time(text)
    if meridiem is not None:
        if not 1 <= h <= 12:
            raise _bad_time(text)
        return _Value(h % 12 * 60 + mi + (720 if meridiem == "pm" else 0), True, h, mi)
    if h == 0 or h >= 13 or (hour.startswith("0") and len(hour) == 2):
        return _Value(h * 60 + mi, True, h, mi)  # a 24-hour clock
    return _Value(h * 60 + mi, False, h, mi)


def _place(value: _Value, part: str | None, text: str) -> int:
    """Minutes for a clock value; a loose one is placed by the part of day or office hours."""
    place = _PLACES.get(part.split()[-1]) if part else None
    if value.fixed or value.word:
        minutes = value.minutes
        if place is None or value.word == "midnight":
            return minutes
        if minutes == 0 and place[0] >= 16 * 60:
            return MINUTES_PER_DAY  # "tonight at 12am" is the midnight ending the evening
        if not place[0] <= minutes < place[1]:
            raise WhenError(
                f"In “{text.strip()}”, {fmt_minutes(minutes)} isn't in the {part}. "
                f"Try `{fmt_minutes(minutes)}` alone, or another time in the {part}."
            )
        return minutes
    base = value.hour % 12 * 60 + value.minute
    if place is None:
        if value.hour == 12:
            return 720 + value.minute
        return base + 720 if value.hour <= 7 else base
    for candidate in (base, base + 720, base + 1440):
        if place[0] <= candidate < place[1]:
            return candidate
    raise WhenError(
        f"In “{text.strip()}”, {value.hour} isn't in the {part}: say am or pm, "
        f"like `{value.hour}am` or `{value.hour}pm`."
    )


def _cut(s: str, m: re.Match[str]) -> str:
    return f"{s[: m.start()]} {s[m.end() :]}".strip()


def _bad_time(text: str) -> WhenError:
    return WhenError(
        f"“{text.strip()}” has a time I can't read. Try `3pm`, `14:30` or `9:15am`, "
        "as in `tomorrow 3pm`."
    )
