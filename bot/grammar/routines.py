"""Readers of `/cal agenda` and `/cal remind`: the agenda on demand, the daily agenda DM,
and reminders before each booking (README, "Your day in Slack")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.grammar.commands import Agenda, AgendaDaily, Command, Remind
from bot.grammar.tokens import readable
from bot.grammar.vocabulary import invalid

WINDOWS = ("today", "tomorrow", "week")
_WINDOW_ALIASES = {"today": "today", "tomorrow": "tomorrow", "week": "week", "tmrw": "tomorrow"}
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")
_MINUTES = re.compile(r"^(\d{1,4})\s*(?:m|min|mins|minutes?)?$")
MAX_REMIND = 24 * 60  # a day ahead is the most a reminder can be


def agenda(args: Sequence[str]) -> Command:
    if not args:
        return Agenda()
    first = args[0].lower()
    if first == "daily":
        return _daily(args[1:])
    window = _WINDOW_ALIASES.get(first)
    if window is None or len(args) > 1:
        return invalid(
            f"I can show today, tomorrow or week, not “{readable(' '.join(args))}”.", "agenda"
        )
    return Agenda(window)


def _daily(args: Sequence[str]) -> Command:
    text = " ".join(args).strip().lower()
    if text == "off":
        return AgendaDaily(None)
    minute = clock_minute(text)
    if minute is None:
        return invalid("At what time? Say one like `8:30` or `17:00`.", "agenda")
    return AgendaDaily(minute)


def clock_minute(text: str) -> int | None:
    """ "8:30", "08:30", "17:00", "9am", "5:30pm" -> minutes after midnight; else None."""
    m = _CLOCK.match(text.strip().lower())
    if not m or (m.group(2) is None and m.group(3) is None):
        return None  # a bare "8" is too easily a typo
    hour, minute, meridiem = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if minute > 59 or hour > 23 or (meridiem and not 1 <= hour <= 12):
        return None
    if meridiem:
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return hour * 60 + minute


def remind(args: Sequence[str]) -> Command:
    text = " ".join(args).strip().lower()
    if text == "off":
        return Remind(None)
    m = _MINUTES.match(text)
    if not m or not 1 <= int(m.group(1)) <= MAX_REMIND:
        return invalid("How many minutes before? Say a number like `5` or `15`.", "remind")
    return Remind(int(m.group(1)))
