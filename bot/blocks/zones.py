"""A time zone select: every IANA zone by region, type-ahead friendly ("new york" finds
America/New_York). Option groups hold 100 options each, so large regions are split."""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from bot.blocks import limits
from bot.blocks.kit import plain
from bot.blocks.viewkit import option

REGIONS = ("America", "Europe", "Asia", "Africa", "Australia", "Pacific", "Atlantic", "Indian")


def _label(zone: str) -> str:
    return zone.replace("_", " ")


@cache
def _groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    zones = available_timezones()
    groups: list[tuple[str, tuple[str, ...]]] = [("UTC", ("UTC",))]
    size = limits.SELECT_OPTIONS
    for region in REGIONS:
        names = sorted(z for z in zones if z.startswith(f"{region}/"))
        parts = [names[i : i + size] for i in range(0, len(names), size)]
        for n, part in enumerate(parts, 1):
            label = region if len(parts) == 1 else f"{region} ({n}/{len(parts)})"
            groups.append((label, tuple(part)))
    return tuple(groups)


def is_zone(name: str) -> bool:
    return name in available_timezones()


def zone_select(action_id: str, current: str | None) -> dict[str, Any]:
    """The select, with `current` chosen (listed under "Current" when it is an alias)."""
    groups = [
        {"label": plain(label, 75), "options": [option(_label(z), z) for z in zones]}
        for label, zones in _groups()
    ]
    known = {z for _, zones in _groups() for z in zones}
    if current and current not in known and is_zone(current):
        groups.insert(
            0, {"label": plain("Current", 75), "options": [option(_label(current), current)]}
        )
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": action_id,
        "option_groups": groups,
        "placeholder": plain("Choose a time zone", 150),
    }
    if current and (current in known or is_zone(current)):
        element["initial_option"] = option(_label(current), current)
    return element
