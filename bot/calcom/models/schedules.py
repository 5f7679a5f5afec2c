"""Schedules (2024-06-11 shape): weekly hours and per-date overrides."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.calcom.models.fields import dict_list, opt_int

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Availability:
    """Weekly hours: ``days`` are weekday names, times ``HH:MM`` in the schedule's zone."""

    days: tuple[str, ...]
    start_time: str
    end_time: str

    def __post_init__(self) -> None:
        bad = [d for d in self.days if d not in WEEKDAYS]
        if bad:
            raise ValueError(f"not weekday names: {bad}")

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Availability:
        days = data.get("days") or ()
        names = tuple(WEEKDAYS[(d - 1) % 7] if isinstance(d, int) else str(d) for d in days)
        return cls(
            days=tuple(d for d in names if d in WEEKDAYS),
            start_time=str(data.get("startTime") or "00:00")[:5],
            end_time=str(data.get("endTime") or "00:00")[:5],
        )

    def to_api(self) -> dict[str, Any]:
        return {"days": list(self.days), "startTime": self.start_time, "endTime": self.end_time}


@dataclass(frozen=True)
class Override:
    """Hours for one date, replacing the weekly ones."""

    date: date
    start_time: str
    end_time: str

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Override:
        return cls(
            date=date.fromisoformat(str(data.get("date"))[:10]),
            start_time=str(data.get("startTime") or "00:00")[:5],
            end_time=str(data.get("endTime") or "00:00")[:5],
        )

    def to_api(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "startTime": self.start_time,
            "endTime": self.end_time,
        }


@dataclass(frozen=True)
class Schedule:
    id: int
    name: str
    time_zone: str
    availability: tuple[Availability, ...]
    is_default: bool
    overrides: tuple[Override, ...] = ()
    owner_id: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Schedule:
        overrides = []
        for item in dict_list(data.get("overrides")):
            try:
                overrides.append(Override.from_api(item))
            except ValueError:
                continue
        return cls(
            id=opt_int(data.get("id")) or 0,
            name=str(data.get("name") or ""),
            time_zone=str(data.get("timeZone") or "UTC"),
            availability=tuple(
                Availability.from_api(a) for a in dict_list(data.get("availability"))
            ),
            is_default=bool(data.get("isDefault", False)),
            overrides=tuple(overrides),
            owner_id=opt_int(data.get("ownerId")),
            raw=data,
        )
