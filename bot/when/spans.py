"""Ranges of days: "mon - fri", "dec 5-7", "1-8 september", "today to tomorrow afternoon",
"by friday". Each end is read as a point (a day with an optional time) by the caller's
`point` reader; the window runs from the start of the first to the end of the second.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from bot.when.dates import MONTH_WORD, MONTHS
from bot.when.days import TOMORROW, WEEKDAYS
from bot.when.labels import fmt_day
from bot.when.values import Exact, WhenError, Window

Point = Callable[[str, date | None], Window | Exact]  # reads one end: a day, maybe a time

_MONTH = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
_D = r"(\d{1,2})(?:st|nd|rd|th)?"
_TO = r"\s*(?:-|to|until|till|til|through|thru|and)\s*"
_YEAR = r"(?:\s+(\d{4}))?"
_MONTH_DAYS = re.compile(
    r"^" + _MONTH + r"\s+(?:the\s+)?" + _D + _TO + r"(?:the\s+)?" + _D + _YEAR + r"$"
)
_DAYS_MONTH = re.compile(
    r"^(?:the\s+)?" + _D + _TO + r"(?:the\s+)?" + _D + r"\s+(?:of\s+)?" + _MONTH + _YEAR + r"$"
)
_CONNECTOR = re.compile(r"\s+(?:to|until|till|til|through|thru|and)\s+|\s*-\s*")
_BY = re.compile(r"^(by|until|till|til|before|through|thru)\s+(.+)$")
_DAY_WORDS = frozenset(WEEKDAYS) | TOMORROW | {"today", "tonight"}
_DATE_SHAPE = re.compile(r"\d{1,2}/\d{1,2}|\d{4}-\d{1,2}-\d{1,2}|\b\d{1,2}(?:st|nd|rd|th)\b")


def parse_day_range(phrase: str, text: str, now: datetime, point: Point) -> Window | None:
    """The window a range of days names, or None when `phrase` is no range of days."""
    between = phrase.startswith("between ")
    body = re.sub(r"^(?:from|between)\s+", "", phrase)
    if m := _MONTH_DAYS.match(body):
        month, first, last, year = m.group(1), m.group(2), m.group(3), m.group(4) or ""
        return _join(
            point(f"{month} {first} {year}".strip(), None), f"{month} {last} {year}", point, text
        )
    if m := _DAYS_MONTH.match(body):
        first, last, month, year = m.group(1), m.group(2), m.group(3), m.group(4) or ""
        return _join(
            point(f"{month} {first} {year}".strip(), None), f"{month} {last} {year}", point, text
        )
    if m := _BY.match(phrase):
        if _is_dayish(m.group(2)) and not re.match(r"\d|noon|midday|midnight|~", m.group(2)):
            end = point(m.group(2), None)
            stop = end.start if m.group(1) == "before" or isinstance(end, Exact) else end.end
            label = f"{m.group(1)} {end.label}"
            return Window(now, stop, label)
        return None
    for m in _CONNECTOR.finditer(body):
        if m.group(0).strip() == "and" and not between:
            continue
        left, right = body[: m.start()].strip(), body[m.end() :].strip()
        if _is_dayish(left) and _is_dayish(right):
            _parts_each_day(left, right, text)
            return _join(point(left, None), right, point, text)
    return None


_PART_WORD = re.compile(r"\b(morning|afternoon|evening|night|lunch|lunchtime)\b")
_CLOCKISH = re.compile(r"\d|noon|midday|midnight|morning|afternoon|evening|night|lunch")


def _parts_each_day(left: str, right: str, text: str) -> None:
    """ "mon - wed afternoon" means three afternoons, which one window can't hold: refuse,
    rather than offer Monday morning. "today to tomorrow afternoon" runs on from now."""
    if _PART_WORD.search(right) and not _CLOCKISH.search(left) and left not in ("today", "now"):
        part = _PART_WORD.search(right)
        assert part is not None
        raise WhenError(
            f"In “{text.strip()}” I can't tell whether you mean every {part.group(1)} or one "
            f"stretch. Try one day, like `{right}`, or the whole days, like `{left} - "
            f"{_PART_WORD.sub('', right).strip()}`."
        )


def _join(first: Window | Exact, right: str, point: Point, text: str) -> Window:
    second = point(right.strip(), first.start.date())
    start = first.start
    end = second.end if isinstance(second, Window) else second.start
    if end.timestamp() <= start.timestamp():
        raise WhenError(f"In “{text.strip()}” the end comes before the start. Try `mon - fri`.")
    today = start.date()
    if isinstance(first, Window) and isinstance(second, Window) and _whole_days(first, second):
        last = (
            second.end.date() if second.end.hour else date.fromordinal(second.end.toordinal() - 1)
        )
        label = f"{fmt_day(first.start.date(), today)} – {fmt_day(last, today)}"
    else:
        label = f"{first.label} – {second.label}"
    return Window(start, end, label)


def _whole_days(first: Window, second: Window) -> bool:
    return (first.start.hour, first.start.minute, second.end.hour, second.end.minute) == (
        0,
        0,
        0,
        0,
    )


def _is_dayish(side: str) -> bool:
    """Whether one side of a range names a day (not just a time of day)."""
    words = set(side.split())
    return bool(words & _DAY_WORDS or MONTH_WORD.search(side) or _DATE_SHAPE.search(side))
