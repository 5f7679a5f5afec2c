"""Slot reservations (2024-09-04 shape)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.calcom.models.fields import opt_int, parse_datetime


@dataclass(frozen=True)
class Reservation:
    """A slot held for a while (``POST /v2/slots/reservations``)."""

    uid: str
    event_type_id: int
    start: datetime
    end: datetime | None
    duration: int | None  # minutes of the slot
    until: datetime | None  # the hold expires then
    hold_minutes: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Reservation:
        return cls(
            uid=str(data.get("reservationUid") or data.get("uid") or ""),
            event_type_id=opt_int(data.get("eventTypeId")) or 0,
            start=parse_datetime(data.get("slotStart")) or datetime(1970, 1, 1, tzinfo=UTC),
            end=parse_datetime(data.get("slotEnd")),
            duration=opt_int(data.get("slotDuration")),
            until=parse_datetime(data.get("reservationUntil")),
            hold_minutes=opt_int(data.get("reservationDuration")),
            raw=data,
        )
