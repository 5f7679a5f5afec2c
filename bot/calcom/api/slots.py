"""Free slots and slot reservations (``cal-api-version`` 2024-09-04)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.calcom.api.base import V_SLOTS, ApiBase, data_of, seg
from bot.calcom.models import Reservation, format_datetime, parse_datetime


class SlotsApi(ApiBase):
    async def slots(
        self,
        conn: str,
        *,
        event_type_id: int,
        start: datetime,
        end: datetime,
        time_zone: str,
        duration: int | None = None,
    ) -> dict[date, list[datetime]]:
        """``GET /v2/slots``: free start times by day (days and offsets in ``time_zone``)."""
        params = {
            "eventTypeId": int(event_type_id),
            "start": format_datetime(start),
            "end": format_datetime(end),
            "timeZone": time_zone,
            "duration": duration,
        }
        data = data_of(await self._call(conn, "GET", "/v2/slots", version=V_SLOTS, params=params))
        if isinstance(data, dict) and isinstance(data.get("slots"), dict):
            data = data["slots"]  # the legacy shape
        out: dict[date, list[datetime]] = {}
        if not isinstance(data, dict):
            return out
        for day, items in data.items():
            try:
                key = date.fromisoformat(str(day)[:10])
            except ValueError:
                continue
            times = []
            for item in items if isinstance(items, list) else ():
                raw = item.get("start", item.get("time")) if isinstance(item, dict) else item
                when = parse_datetime(raw)
                if when is not None:
                    times.append(when)
            out[key] = sorted(times)
        return dict(sorted(out.items()))

    async def reserve_slot(
        self,
        conn: str,
        *,
        event_type_id: int,
        start: datetime,
        duration: int | None = None,
        hold_minutes: int | None = None,
    ) -> Reservation:
        """``POST /v2/slots/reservations``: hold a slot while the user confirms."""
        body: dict[str, Any] = {
            "eventTypeId": int(event_type_id),
            "slotStart": format_datetime(start),
        }
        if duration is not None:
            body["slotDuration"] = int(duration)
        if hold_minutes is not None:
            body["reservationDuration"] = int(hold_minutes)
        return await self._one(
            Reservation.from_api, conn, "POST", "/v2/slots/reservations", version=V_SLOTS, json=body
        )

    async def release_reservation(self, conn: str, uid: str) -> None:
        """``DELETE /v2/slots/reservations/{uid}``."""
        await self._call(conn, "DELETE", f"/v2/slots/reservations/{seg(uid)}", version=V_SLOTS)
