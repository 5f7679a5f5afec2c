"""Schedules (``cal-api-version`` 2024-06-11): working hours, weekly and per date."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.calcom.api.base import V_SCHEDULES, ApiBase, data_of, map_fields, seg
from bot.calcom.errors import NotFound
from bot.calcom.models import Availability, Override, Schedule

_SCHEDULE_FIELDS = {
    "name": "name",
    "time_zone": "timeZone",
    "availability": "availability",
    "is_default": "isDefault",
    "overrides": "overrides",
}


def _availability(items: Iterable[Availability | Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [a.to_api() if isinstance(a, Availability) else dict(a) for a in items]


def _overrides(items: Iterable[Override | Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [o.to_api() if isinstance(o, Override) else dict(o) for o in items]


class SchedulesApi(ApiBase):
    async def default_schedule(self, conn: str) -> Schedule | None:
        """``GET /v2/schedules/default``; None when the user has none."""
        try:
            body = await self._call(conn, "GET", "/v2/schedules/default", version=V_SCHEDULES)
        except NotFound:
            return None
        data = data_of(body)
        return Schedule.from_api(data) if isinstance(data, dict) and data else None

    async def schedule(self, conn: str, schedule_id: int) -> Schedule:
        """``GET /v2/schedules/{id}``."""
        return await self._one(
            Schedule.from_api, conn, "GET", _path(schedule_id), version=V_SCHEDULES
        )

    async def create_schedule(
        self,
        conn: str,
        *,
        name: str,
        time_zone: str,
        availability: Iterable[Availability | Mapping[str, Any]] | None = None,
        is_default: bool = False,
        overrides: Iterable[Override | Mapping[str, Any]] | None = None,
    ) -> Schedule:
        """``POST /v2/schedules``. Without ``availability`` Cal.com uses Mon-Fri 09:00-17:00."""
        body: dict[str, Any] = {"name": name, "timeZone": time_zone, "isDefault": is_default}
        if availability is not None:
            body["availability"] = _availability(availability)
        if overrides is not None:
            body["overrides"] = _overrides(overrides)
        return await self._one(
            Schedule.from_api, conn, "POST", "/v2/schedules", version=V_SCHEDULES, json=body
        )

    async def update_schedule(self, conn: str, schedule_id: int, **fields: Any) -> Schedule:
        """``PATCH /v2/schedules/{id}``: ``name``, ``time_zone``, ``availability``,
        ``is_default``, ``overrides``; None skips."""
        body = map_fields(fields, _SCHEDULE_FIELDS, "update_schedule")
        if "availability" in body:
            body["availability"] = _availability(body["availability"])
        if "overrides" in body:
            body["overrides"] = _overrides(body["overrides"])
        return await self._one(
            Schedule.from_api, conn, "PATCH", _path(schedule_id), version=V_SCHEDULES, json=body
        )

    async def delete_schedule(self, conn: str, schedule_id: int) -> None:
        """``DELETE /v2/schedules/{id}``."""
        await self._call(conn, "DELETE", _path(schedule_id), version=V_SCHEDULES)


def _path(schedule_id: int) -> str:
    return f"/v2/schedules/{seg(schedule_id)}"
