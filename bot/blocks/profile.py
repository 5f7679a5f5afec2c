"""`/cal me`: the linked Cal.com profile, default working hours, conferencing, calendars."""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import context, fields_section, header, message, section
from bot.calcom.models import WEEKDAYS, Availability, Schedule
from bot.services.accounts import AccountOverview

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


def overview_message(view: AccountOverview) -> dict[str, Any]:
    me = view.profile
    calendars = [
        f"{c.integration_name}" + (f" ({c.primary.email or c.primary.name})" if c.primary else "")
        for c in view.calendars.connected
    ]
    conferencing = (
        view.conferencing.app_slug
        if view.conferencing and view.conferencing.app_slug
        else "Cal Video"
    )
    teams = ", ".join(t.name for t in view.teams) or "none"
    emails = ", ".join(e.email for e in view.verified_emails) or "none"
    blocks = [
        header(me.display_name),
        section(
            f"`{me.username}` · {me.email} · {me.time_zone}" + (f"\n{me.bio}" if me.bio else "")
        ),
        fields_section(
            [
                ("Working hours", working_hours_text(view.schedule)),
                ("Conferencing", conferencing),
                ("Calendars", ", ".join(calendars) or "none connected"),
                ("Teams", teams),
                ("Verified emails", emails),
            ]
        ),
        context("Change these in Cal.com, or with `/cal schedule`."),
    ]
    return message(f"Cal.com profile of {me.display_name}", blocks)
