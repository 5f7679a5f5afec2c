"""Bookings (``cal-api-version`` 2024-08-13): list, read, create, and change one by uid.

Without the version header Cal.com runs its legacy handlers, which ignore ``status`` and
``take`` on the list; the legacy page shape (``totalCount``) is still read, in case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.calcom.api.base import V_BOOKINGS, ApiBase, data_of, many_of, one_of, seg
from bot.calcom.models import Attendee, Booking, BookingPage, format_datetime

BOOKING_STATUSES = frozenset({"upcoming", "recurring", "past", "cancelled", "unconfirmed"})


class BookingsApi(ApiBase):
    async def bookings(
        self,
        conn: str,
        *,
        status: str | Sequence[str] | None = None,
        take: int = 10,
        skip: int = 0,
        sort_start: str | None = None,
        event_type_id: int | None = None,
        attendee_email: str | None = None,
        after_start: datetime | None = None,
        before_end: datetime | None = None,
    ) -> BookingPage:
        """``GET /v2/bookings``: one page. ``status`` is one or more of upcoming, recurring,
        past, cancelled, unconfirmed; ``sort_start`` asc or desc; ``after_start`` and
        ``before_end`` keep bookings starting at or after, and ending at or before."""
        statuses: list[str] | None = None
        if status is not None:
            statuses = [status] if isinstance(status, str) else list(status)
            bad = [s for s in statuses if s not in BOOKING_STATUSES]
            if bad:
                raise ValueError(f"not booking statuses: {', '.join(bad)}")
        if sort_start is not None and sort_start not in ("asc", "desc"):
            raise ValueError("sort_start must be 'asc' or 'desc'")
        if take < 1 or skip < 0:
            raise ValueError("take must be at least 1 and skip not negative")
        params = {
            # "separate them with a comma", as the spec documents
            "status": ",".join(statuses) if statuses else None,
            "take": int(take),
            "skip": int(skip),
            "sortStart": sort_start,
            "eventTypeId": event_type_id,
            "attendeeEmail": attendee_email,
            "afterStart": format_datetime(after_start) if after_start else None,
            "beforeEnd": format_datetime(before_end) if before_end else None,
        }
        body = await self._call(conn, "GET", "/v2/bookings", version=V_BOOKINGS, params=params)
        data = data_of(body)
        items = tuple(Booking.from_api(one_of(b)) for b in many_of(data, "bookings") if b)
        pagination = body.get("pagination") if isinstance(body, dict) else None
        if isinstance(pagination, dict):
            total = int(pagination.get("totalItems", len(items)) or 0)
            has_more = bool(pagination.get("hasNextPage", skip + len(items) < total))
        elif isinstance(data, dict) and "totalCount" in data:  # legacy shape
            total = int(data.get("totalCount") or 0)
            has_more = skip + len(items) < total
        else:
            total = skip + len(items)
            has_more = len(items) >= take
        return BookingPage(items=items, total=total, has_more=has_more, take=take, skip=skip)

    async def booking(self, conn: str, uid: str) -> Booking:
        """``GET /v2/bookings/{uid}``."""
        return await self._booking(conn, "GET", uid)

    async def create_booking(
        self,
        conn: str,
        *,
        event_type_id: int,
        start: datetime,
        attendee: Attendee,
        guests: Iterable[str] = (),
        notes: str | None = None,
        length: int | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> Booking:
        """``POST /v2/bookings``. Never retried once it may have reached Cal.com.

        ``notes`` fills the event type's default "notes" booking field. (The 2024-08-13
        endpoint has no field for a slot reservation's uid, so a reservation made with
        ``reserve_slot`` is simply released or left to expire.)
        """
        body: dict[str, Any] = {
            "start": format_datetime(start),
            "eventTypeId": int(event_type_id),
            "attendee": attendee.to_api(),
        }
        guest_list = [g for g in guests if g]
        if guest_list:
            body["guests"] = guest_list
        if notes:
            body["bookingFieldsResponses"] = {"notes": notes}
        if length is not None:
            body["lengthInMinutes"] = int(length)
        if metadata:
            body["metadata"] = {str(k): str(v) for k, v in metadata.items()}
        return await self._one(
            Booking.from_api, conn, "POST", "/v2/bookings", version=V_BOOKINGS, json=body
        )

    async def cancel_booking(self, conn: str, uid: str, reason: str | None = None) -> Booking:
        """``POST /v2/bookings/{uid}/cancel``."""
        body = {"cancellationReason": reason} if reason else {}
        return await self._booking(conn, "POST", uid, "/cancel", json=body)

    async def reschedule_booking(
        self,
        conn: str,
        uid: str,
        *,
        start: datetime,
        reason: str | None = None,
        rescheduled_by: str | None = None,
    ) -> Booking:
        """``POST /v2/bookings/{uid}/reschedule``: the new booking (it has a new uid)."""
        body: dict[str, Any] = {"start": format_datetime(start)}
        if reason:
            body["reschedulingReason"] = reason
        if rescheduled_by:
            body["rescheduledBy"] = rescheduled_by
        return await self._booking(conn, "POST", uid, "/reschedule", json=body)

    async def confirm_booking(self, conn: str, uid: str) -> Booking:
        """``POST /v2/bookings/{uid}/confirm`` (a booking that requires confirmation)."""
        return await self._booking(conn, "POST", uid, "/confirm")

    async def decline_booking(self, conn: str, uid: str, reason: str | None = None) -> Booking:
        """``POST /v2/bookings/{uid}/decline``."""
        body = {"reason": reason} if reason else {}
        return await self._booking(conn, "POST", uid, "/decline", json=body)

    async def _booking(
        self, conn: str, method: str, uid: str, action: str = "", *, json: Any = None
    ) -> Booking:
        """One booking's endpoint, or one of its actions (``/cancel``...), answering it."""
        path = f"/v2/bookings/{seg(uid)}{action}"
        return await self._one(Booking.from_api, conn, method, path, version=V_BOOKINGS, json=json)
