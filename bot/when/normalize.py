"""Tidy a phrase before it is read: case, punctuation, short meridiems, hedges, big numbers."""

from __future__ import annotations

import re

from bot.when.values import EXAMPLES, WhenError

_HEDGE_WORDS = re.compile(
    r"\b(?:around|about|approx|approximately|roughly|circa|ca|give or take)\s+(?=\d|noon|midday)"
)
_ISH_NUMBER = re.compile(r"(?<![\w:~])(\d{1,2}(?::\d{2})?(?:\s*[ap]m)?)\s*-?\s*ish\b")
_PAST = {"half": "30", "quarter": "15", "a quarter": "15"}
_HALF_PAST = re.compile(r"\b(half|a quarter|quarter) past (1[0-2]|[1-9])\b(?!:)")
_QUARTER_TO = re.compile(r"\ba? ?quarter (?:to|til|till|before|of) (1[0-2]|[1-9])\b(?!:)")
_FILLER = re.compile(
    r"^(?:(?:sometime|some time|any ?time|anytime|whenever|preferably|ideally|maybe|how about)\s+)+"
)
_TRAILING_FILLER = re.compile(r"(?<=\S)\s+(?:any ?time|whenever|or so|please|pls)$")
_SLANG_WORDS = {
    "tonite": "tonight",
    "2nite": "tonight",
    "2day": "today",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "2mrw": "tomorrow",
}
_SLANG = re.compile(r"\b(?:" + "|".join(_SLANG_WORDS) + r")\b")
_HUGE = re.compile(r"\d{7,}")


def normalize(text: str) -> str:
    """Lower-case and tidy so the parsers' regexes can stay simple.

    A hedge ("around 3", "about 10", "3ish") becomes a `~` before the time it hedges.

    Numbers longer than six digits are refused here, before any arithmetic can overflow.
    """
    if m := _HUGE.search(text):
        digits = m.group(0)
        shown = digits if len(digits) <= 12 else f"{digits[:6]}…{digits[-3:]}"
        raise WhenError(f"“{shown}” is too big a number for a time or a date. Try {EXAMPLES}.")
    s = text.strip().lower()
    s = s.replace("a.m.", "am").replace("p.m.", "pm").replace("’", "'")
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s)  # dashes, as Slack's autocorrect makes them
    s = re.sub(r"(?<=[a-z])\.", "", s)  # "dec. 5", "tues."
    s = re.sub(r"[,;!?()\[\]]", " ", s)
    s = re.sub(r"(?<!\w)@", " at ", s)
    s = re.sub(r"\bo'?\s?clock\b", " oclock", s)
    s = re.sub(r"(?<=\d)([ap])\b", r"\1m", s)  # "3p", "9a", "3:15p"
    s = re.sub(r"(?<=\d)\s+([ap])\s*m\b", r"\1m", s)  # "3 p m"
    s = re.sub(r"\b(twenty|thirty)-(?=[a-z])", r"\1 ", s)  # "twenty-first"
    s = _HALF_PAST.sub(lambda m: f"{m.group(2)}:{_PAST[m.group(1)]}", s)
    s = _QUARTER_TO.sub(lambda m: f"{int(m.group(1)) - 1 or 12}:45", s)
    s = _ISH_NUMBER.sub(r"~\1", s)  # "3ish" -> "~3", "3pm-ish" -> "~3pm"
    s = _HEDGE_WORDS.sub("~", s)
    s = re.sub(r"~\s*", "~", s)
    s = re.sub(r"\s+", " ", s).strip().rstrip(".")
    s = _SLANG.sub(lambda m: _SLANG_WORDS[m.group(0)], s)
    s = _TRAILING_FILLER.sub("", s)
    return _FILLER.sub("", s)
