"""What `parse_when` answers and the pieces its parsers share: limits, counts, errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta


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

# Parts of day as shown: the window of times offered for "tomorrow afternoon".
PARTS_OF_DAY: dict[str, tuple[int, int]] = {
    "morning": (8 * 60, 12 * 60),
    "afternoon": (12 * 60, 17 * 60),
    "evening": (17 * 60, 21 * 60),
    "lunch": (12 * 60, 14 * 60),
    "early morning": (7 * 60, 9 * 60),
    "late morning": (10 * 60, 12 * 60),
    "early afternoon": (12 * 60, 14 * 60),
    "late afternoon": (15 * 60, 17 * 60),
    "early evening": (17 * 60, 19 * 60),
    "late evening": (20 * 60, 23 * 60),
}

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
    "few": 3,
    "a few": 3,
    "couple": 2,
    "couple of": 2,
    "a couple": 2,
    "a couple of": 2,
}

# A count as the regexes of `days` and `ranges` see it: digits or a small number word.
NUM = r"(\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"


@dataclass(frozen=True)
class TimeOfDay:
    """The time-of-day part of a phrase, in minutes after local midnight.

    `end` is None for an exact time; otherwise the clock is a span (a part of day or a
    time range) and `end` may be 1440 (midnight at the end of the day). `start` may be
    1440 too: "tonight at midnight" is the midnight that ends the day named.
    """

    start: int
    end: int | None
    name: str
    today_only: bool = False


@dataclass(frozen=True)
class Day:
    """A resolved calendar day, and how far to move it if what was asked is already over."""

    day: date
    roll_days: int = 0


def count_of(word: str) -> int:
    """A count written as digits or a small number word."""
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def checked_count(word: str, phrase: str) -> int:
    """A count of days or weeks: at least one, and not so many it runs past the horizon."""
    if word.isdigit() and len(word) > 6:
        raise too_far(phrase)
    n = count_of(word)
    if n < 1:
        raise nonsense(phrase)
    if n > MAX_COUNT:
        raise too_far(phrase)
    return n


def too_far(text: str) -> WhenError:
    return WhenError(
        f"“{text.strip()}” is too far ahead: I look at most two years out. Try {EXAMPLES}."
    )


def nonsense(text: str, part: str | None = None) -> WhenError:
    """Can't read `text`; when one part of it is the trouble, name that part."""
    if part and part.strip() and part.strip() != text.strip():
        return WhenError(
            f"I couldn't read “{part.strip()}” in “{text.strip()}” as part of a time. "
            f"Try {EXAMPLES}."
        )
    return WhenError(f"I couldn't read “{text.strip()}” as a time. Try {EXAMPLES}.")
