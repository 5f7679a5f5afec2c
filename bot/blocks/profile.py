"""`/cal me`: the linked Cal.com profile, default working hours, conferencing, calendars."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.blocks.kit import context, fields_section, header, message, section
from bot.calcom.models import WEEKDAYS, Availability, Schedule
from bot.models import AccountOverview

_SHORT = {day: day[:3] for day in WEEKDAYS}


def _days(days: tuple[str, ...]) -> str:
    """Consecutive weekdays as a range: Monday..Friday → Mon–Fri."""
    indexes = sorted(WEEKDAYS.index(d) for d in days)
    runs: list[list[int]] = []
    for i in indexes:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    parts = [
        _SHORT[WEEKDAYS[r[0]]]
        if len(r) == 1
        else f"{_SHORT[WEEKDAYS[r[0]]]}–{_SHORT[WEEKDAYS[r[-1]]]}"
        for r in runs
    ]
    return ", ".join(parts)


def availability_line(item: Availability) -> str:
    return f"{_days(item.days)} {item.start_time}–{item.end_time}"


def working_hours_text(schedule: Schedule | None) -> str:
    if schedule is None:
        return "No default schedule yet"
    hours = "; ".join(availability_line(a) for a in schedule.availability) or "no hours set"
    return f"{hours} ({schedule.time_zone})"


UNAVAILABLE = "unavailable"  # Cal.com would not say (AccountOverview: None)


def _calendars(view: AccountOverview) -> str:
    if view.calendars is None:
        return UNAVAILABLE
    names = [
        f"{c.integration_name}" + (f" ({c.primary.email or c.primary.name})" if c.primary else "")
        for c in view.calendars.connected
    ]
    return ", ".join(names) or "none connected"


def _names(items: list[Any] | None, name: Callable[[Any], str]) -> str:
    if items is None:
        return UNAVAILABLE
    return ", ".join(name(item) for item in items) or "none"


def overview_message(view: AccountOverview) -> dict[str, Any]:
    me = view.profile
    conferencing = (
        view.conferencing.app_slug
        if view.conferencing and view.conferencing.app_slug
        else "Cal Video"
    )
    teams = _names(view.teams, lambda t: t.name)
    emails = _names(view.verified_emails, lambda e: e.email)
    blocks = [
        header(me.display_name),
        section(
            f"`{me.username}` · {me.email} · {me.time_zone}" + (f"\n{me.bio}" if me.bio else "")
        ),
        fields_section(
            [
                ("Working hours", working_hours_text(view.schedule)),
                ("Conferencing", conferencing),
                ("Calendars", _calendars(view)),
                ("Teams", teams),
                ("Verified emails", emails),
            ]
        ),
        context("Change these in Cal.com, or with `/cal schedule`."),
    ]
    return message(f"Cal.com profile of {me.display_name}", blocks)
