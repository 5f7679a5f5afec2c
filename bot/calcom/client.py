"""Cal.com API v2 through the Maton gateway: one async method per operation, typed results.

Every method takes the Maton connection id first (``await cal.me(conn)``); it is sent as
the ``Maton-Connection`` header, with the workspace's API key as the bearer token and the
documented ``cal-api-version`` of the endpoint family:

    bookings 2024-08-13, event types 2024-06-14, schedules 2024-06-11, slots 2024-09-04

(none for /me, webhooks, calendars, conferencing, teams, verified resources). Without the
header Cal.com runs its legacy handlers, which, among other things, ignore ``status`` and
``take`` on the bookings list.

Errors are the ``bot.calcom.errors`` family; retries and timeouts are described in
``bot.calcom.transport``. Build one ``httpx.AsyncClient`` per process with
``make_http_client()`` (connect 5 s, read 15 s) and share it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import httpx

from bot.calcom.errors import NotFound
from bot.calcom.models import (
    WEBHOOK_TRIGGERS,
    Attendee,
    Availability,
    Booking,
    BookingPage,
    Calendars,
    ConferencingApp,
    DefaultConferencing,
    EventType,
    Me,
    Override,
    Reservation,
    Schedule,
    Team,
    VerifiedEmail,
    Webhook,
    format_datetime,
    parse_datetime,
)
from bot.calcom.transport import Clock, Sleep, Transport, make_http_client

__all__ = ["CalcomClient", "make_http_client"]

V_BOOKINGS = "2024-08-13"
V_EVENT_TYPES = "2024-06-14"
V_SCHEDULES = "2024-06-11"
V_SLOTS = "2024-09-04"

BOOKING_STATUSES = frozenset({"upcoming", "recurring", "past", "cancelled", "unconfirmed"})

# Python names of update_event_type's fields → the 2024-06-14 spec's names.
_EVENT_TYPE_FIELDS = {
    "length": "lengthInMinutes",
    "length_in_minutes": "lengthInMinutes",
    "length_options": "lengthInMinutesOptions",
    "title": "title",
    "slug": "slug",
    "description": "description",
    "hidden": "hidden",
    "locations": "locations",
    "booking_fields": "bookingFields",
    "disable_guests": "disableGuests",
    "slot_interval": "slotInterval",
    "minimum_booking_notice": "minimumBookingNotice",
    "before_event_buffer": "beforeEventBuffer",
    "after_event_buffer": "afterEventBuffer",
    "schedule_id": "scheduleId",
    "booking_limits_count": "bookingLimitsCount",
    "booking_limits_duration": "bookingLimitsDuration",
    "only_show_first_available_slot": "onlyShowFirstAvailableSlot",
    "booking_window": "bookingWindow",
    "offset_start": "offsetStart",
    "booker_layouts": "bookerLayouts",
    "confirmation_policy": "confirmationPolicy",
    "recurrence": "recurrence",
    "requires_booker_email_verification": "requiresBookerEmailVerification",
    "hide_calendar_notes": "hideCalendarNotes",
    "lock_time_zone_toggle_on_booking_page": "lockTimeZoneToggleOnBookingPage",
    "color": "color",
    "seats": "seats",
    "custom_name": "customName",
    "destination_calendar": "destinationCalendar",
    "use_destination_calendar_email": "useDestinationCalendarEmail",
    "hide_calendar_event_details": "hideCalendarEventDetails",
    "success_redirect_url": "successRedirectUrl",
    "hide_organizer_email": "hideOrganizerEmail",
    "booking_requires_authentication": "bookingRequiresAuthentication",
}

_ME_FIELDS = {
    "name": "name",
    "bio": "bio",
    "time_zone": "timeZone",
    "email": "email",
    "time_format": "timeFormat",
    "week_start": "weekStart",
    "default_schedule_id": "defaultScheduleId",
    "locale": "locale",
    "avatar_url": "avatarUrl",
}

_SCHEDULE_FIELDS = {
    "name": "name",
    "time_zone": "timeZone",
    "availability": "availability",
    "is_default": "isDefault",
    "overrides": "overrides",
}


def _seg(value: Any) -> str:
    """A value as one URL path segment."""
    return quote(str(value), safe="")


def _data(body: Any) -> Any:
    """The ``data`` of Cal.com's ``{status, data}`` envelope (the body itself if bare)."""
    if (
        isinstance(body, dict)
        and "data" in body
        and ("status" in body or "pagination" in body or len(body) == 1)
    ):
        return body["data"]
    return body


def _one(data: Any) -> dict[str, Any]:
    """A single object; recurring answers come as a list of occurrences: take the first."""
    if isinstance(data, list):
        data = data[0] if data else {}
    return data if isinstance(data, dict) else {}


def _many(data: Any, *keys: str) -> list[dict[str, Any]]:
    """A list of objects, also when wrapped in a dict under one of ``keys``."""
    if isinstance(data, dict):
        for key in keys:
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list):
        return []
    return [item for item in data if isinstance(item, dict)]


def _map_fields(fields: Mapping[str, Any], names: Mapping[str, str], what: str) -> dict[str, Any]:
    unknown = sorted(set(fields) - set(names))
    if unknown:
        raise TypeError(f"{what}: unknown field(s) {', '.join(unknown)}")
    return {names[k]: v for k, v in fields.items() if v is not None}


def _availability(items: Iterable[Availability | Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [a.to_api() if isinstance(a, Availability) else dict(a) for a in items]


def _overrides(items: Iterable[Override | Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [o.to_api() if isinstance(o, Override) else dict(o) for o in items]


def _triggers(triggers: Iterable[str]) -> list[str]:
    out = [str(t).upper() for t in triggers]
    if not out:
        raise ValueError("a webhook needs at least one trigger")
    bad = [t for t in out if t not in WEBHOOK_TRIGGERS]
    if bad:
        raise ValueError(f"not Cal.com webhook triggers: {', '.join(bad)}")
    return out


class CalcomClient:
    """Cal.com v2 through the Maton gateway. One instance per process, shared."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        gateway_url: str,
        api_key: str,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        timeout: httpx.Timeout | None = None,
    ):
        self._t = Transport(
            http,
            base_url=gateway_url.rstrip("/") + "/cal-com",
            api_key=api_key,
            plane="gateway",
            sleep=sleep,
            clock=clock,
            timeout=timeout,
        )

    def __repr__(self) -> str:
        return f"CalcomClient({self._t!r})"

    async def _call(
        self,
        conn: str,
        method: str,
        path: str,
        *,
        version: str | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        if not conn:
            raise ValueError("a Maton connection id is required")
        headers = {"Maton-Connection": conn}
        if version:
            headers["cal-api-version"] = version
        return await self._t.request(method, path, params=params, json=json, headers=headers)

    # ------------------------------------------------------------------------ profile

    async def me(self, conn: str) -> Me:
        """``GET /v2/me``."""
        return Me.from_api(_one(_data(await self._call(conn, "GET", "/v2/me"))))

    async def update_me(
        self,
        conn: str,
        *,
        name: str | None = None,
        bio: str | None = None,
        time_zone: str | None = None,
        email: str | None = None,
        time_format: int | None = None,
        week_start: str | None = None,
        default_schedule_id: int | None = None,
        locale: str | None = None,
        avatar_url: str | None = None,
    ) -> Me:
        """``PATCH /v2/me`` with the fields given (None leaves a field as it is)."""
        body = _map_fields(
            {
                "name": name,
                "bio": bio,
                "time_zone": time_zone,
                "email": email,
                "time_format": time_format,
                "week_start": week_start,
                "default_schedule_id": default_schedule_id,
                "locale": locale,
                "avatar_url": avatar_url,
            },
            _ME_FIELDS,
            "update_me",
        )
        if not body:
            raise ValueError("update_me: nothing to change")
        return Me.from_api(_one(_data(await self._call(conn, "PATCH", "/v2/me", json=body))))

    # -------------------------------------------------------------------- event types

    async def event_types(self, conn: str, username: str) -> list[EventType]:
        """``GET /v2/event-types?username=``: the user's event types (``username`` from me())."""
        data = _data(
            await self._call(
                conn,
                "GET",
                "/v2/event-types",
                version=V_EVENT_TYPES,
                params={"username": username},
            )
        )
        if isinstance(data, dict) and isinstance(data.get("eventTypeGroups"), list):
            # The legacy shape, should an old gateway answer it.
            items = [et for g in _many(data, "eventTypeGroups") for et in _many(g, "eventTypes")]
        else:
            items = _many(data, "eventTypes")
        return [EventType.from_api(item) for item in items]

    async def event_type(self, conn: str, event_type_id: int) -> EventType:
        """``GET /v2/event-types/{id}``."""
        body = await self._call(
            conn, "GET", f"/v2/event-types/{_seg(event_type_id)}", version=V_EVENT_TYPES
        )
        return EventType.from_api(_one(_data(body)))

    async def create_event_type(
        self,
        conn: str,
        *,
        title: str,
        slug: str,
        length: int,
        description: str | None = None,
        hidden: bool | None = None,
    ) -> EventType:
        """``POST /v2/event-types``; ``length`` in minutes."""
        body: dict[str, Any] = {"title": title, "slug": slug, "lengthInMinutes": int(length)}
        if description is not None:
            body["description"] = description
        if hidden is not None:
            body["hidden"] = hidden
        data = _data(
            await self._call(conn, "POST", "/v2/event-types", version=V_EVENT_TYPES, json=body)
        )
        return EventType.from_api(_one(data))

    async def update_event_type(self, conn: str, event_type_id: int, **fields: Any) -> EventType:
        """``PATCH /v2/event-types/{id}``. Fields in Python spelling: ``title``, ``slug``,
        ``length`` (minutes), ``description``, ``hidden``, ``schedule_id``, ...; None skips."""
        body = _map_fields(fields, _EVENT_TYPE_FIELDS, "update_event_type")
        if not body:
            raise ValueError("update_event_type: nothing to change")
        if "lengthInMinutes" in body:
            body["lengthInMinutes"] = int(body["lengthInMinutes"])
        data = _data(
            await self._call(
                conn,
                "PATCH",
                f"/v2/event-types/{_seg(event_type_id)}",
                version=V_EVENT_TYPES,
                json=body,
            )
        )
        return EventType.from_api(_one(data))

    async def delete_event_type(self, conn: str, event_type_id: int) -> None:
        """``DELETE /v2/event-types/{id}``."""
        await self._call(
            conn, "DELETE", f"/v2/event-types/{_seg(event_type_id)}", version=V_EVENT_TYPES
        )

    # ------------------------------------------------------------ event-type webhooks

    def _et_webhooks(self, et_id: int, wh_id: str | None = None) -> str:
        path = f"/v2/event-types/{_seg(et_id)}/webhooks"
        return path if wh_id is None else f"{path}/{_seg(wh_id)}"

    async def event_type_webhooks(self, conn: str, et_id: int) -> list[Webhook]:
        """``GET /v2/event-types/{id}/webhooks``."""
        data = _data(await self._call(conn, "GET", self._et_webhooks(et_id)))
        return [Webhook.from_api(w) for w in _many(data, "webhooks")]

    async def event_type_webhook(self, conn: str, et_id: int, wh_id: str) -> Webhook:
        """``GET /v2/event-types/{id}/webhooks/{webhookId}``."""
        data = _data(await self._call(conn, "GET", self._et_webhooks(et_id, wh_id)))
        return Webhook.from_api(_one(data))

    async def create_event_type_webhook(
        self,
        conn: str,
        et_id: int,
        *,
        subscriber_url: str,
        triggers: Iterable[str],
        secret: str | None,
        active: bool = True,
        payload_template: str | None = None,
    ) -> Webhook:
        """``POST /v2/event-types/{id}/webhooks``. A second webhook with the same URL is a
        ``Conflict``."""
        body = _webhook_body(subscriber_url, triggers, secret, active, payload_template)
        data = _data(await self._call(conn, "POST", self._et_webhooks(et_id), json=body))
        return Webhook.from_api(_one(data))

    async def update_event_type_webhook(
        self,
        conn: str,
        et_id: int,
        wh_id: str,
        *,
        subscriber_url: str | None = None,
        triggers: Iterable[str] | None = None,
        secret: str | None = None,
        active: bool | None = None,
        payload_template: str | None = None,
    ) -> Webhook:
        """``PATCH /v2/event-types/{id}/webhooks/{webhookId}`` with the fields given."""
        body = _webhook_patch(subscriber_url, triggers, secret, active, payload_template)
        data = _data(await self._call(conn, "PATCH", self._et_webhooks(et_id, wh_id), json=body))
        return Webhook.from_api(_one(data))

    async def delete_event_type_webhook(self, conn: str, et_id: int, wh_id: str) -> None:
        """``DELETE /v2/event-types/{id}/webhooks/{webhookId}``."""
        await self._call(conn, "DELETE", self._et_webhooks(et_id, wh_id))

    # ----------------------------------------------------------------------- bookings

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
    ) -> BookingPage:
        """``GET /v2/bookings``: one page. ``status`` is one or more of upcoming, recurring,
        past, cancelled, unconfirmed; ``sort_start`` asc or desc."""
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
        }
        body = await self._call(conn, "GET", "/v2/bookings", version=V_BOOKINGS, params=params)
        data = _data(body)
        items = tuple(Booking.from_api(_one(b)) for b in _many(data, "bookings") if b)
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
        data = _data(await self._call(conn, "GET", f"/v2/bookings/{_seg(uid)}", version=V_BOOKINGS))
        return Booking.from_api(_one(data))

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
        data = _data(await self._call(conn, "POST", "/v2/bookings", version=V_BOOKINGS, json=body))
        return Booking.from_api(_one(data))

    async def cancel_booking(self, conn: str, uid: str, reason: str | None = None) -> Booking:
        """``POST /v2/bookings/{uid}/cancel``."""
        body = {"cancellationReason": reason} if reason else {}
        data = _data(
            await self._call(
                conn, "POST", f"/v2/bookings/{_seg(uid)}/cancel", version=V_BOOKINGS, json=body
            )
        )
        return Booking.from_api(_one(data))

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
        data = _data(
            await self._call(
                conn,
                "POST",
                f"/v2/bookings/{_seg(uid)}/reschedule",
                version=V_BOOKINGS,
                json=body,
            )
        )
        return Booking.from_api(_one(data))

    async def confirm_booking(self, conn: str, uid: str) -> Booking:
        """``POST /v2/bookings/{uid}/confirm`` (a booking that requires confirmation)."""
        data = _data(
            await self._call(conn, "POST", f"/v2/bookings/{_seg(uid)}/confirm", version=V_BOOKINGS)
        )
        return Booking.from_api(_one(data))

    async def decline_booking(self, conn: str, uid: str, reason: str | None = None) -> Booking:
        """``POST /v2/bookings/{uid}/decline``."""
        body = {"reason": reason} if reason else {}
        data = _data(
            await self._call(
                conn, "POST", f"/v2/bookings/{_seg(uid)}/decline", version=V_BOOKINGS, json=body
            )
        )
        return Booking.from_api(_one(data))

    # ---------------------------------------------------------------------- schedules

    async def default_schedule(self, conn: str) -> Schedule | None:
        """``GET /v2/schedules/default``; None when the user has none."""
        try:
            body = await self._call(conn, "GET", "/v2/schedules/default", version=V_SCHEDULES)
        except NotFound:
            return None
        data = _data(body)
        return Schedule.from_api(data) if isinstance(data, dict) and data else None

    async def schedule(self, conn: str, schedule_id: int) -> Schedule:
        """``GET /v2/schedules/{id}``."""
        data = _data(
            await self._call(conn, "GET", f"/v2/schedules/{_seg(schedule_id)}", version=V_SCHEDULES)
        )
        return Schedule.from_api(_one(data))

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
        data = _data(
            await self._call(conn, "POST", "/v2/schedules", version=V_SCHEDULES, json=body)
        )
        return Schedule.from_api(_one(data))

    async def update_schedule(self, conn: str, schedule_id: int, **fields: Any) -> Schedule:
        """``PATCH /v2/schedules/{id}``: ``name``, ``time_zone``, ``availability``,
        ``is_default``, ``overrides``; None skips."""
        body = _map_fields(fields, _SCHEDULE_FIELDS, "update_schedule")
        if not body:
            raise ValueError("update_schedule: nothing to change")
        if "availability" in body:
            body["availability"] = _availability(body["availability"])
        if "overrides" in body:
            body["overrides"] = _overrides(body["overrides"])
        data = _data(
            await self._call(
                conn,
                "PATCH",
                f"/v2/schedules/{_seg(schedule_id)}",
                version=V_SCHEDULES,
                json=body,
            )
        )
        return Schedule.from_api(_one(data))

    async def delete_schedule(self, conn: str, schedule_id: int) -> None:
        """``DELETE /v2/schedules/{id}``."""
        await self._call(conn, "DELETE", f"/v2/schedules/{_seg(schedule_id)}", version=V_SCHEDULES)

    # -------------------------------------------------------------------------- slots

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
        data = _data(await self._call(conn, "GET", "/v2/slots", version=V_SLOTS, params=params))
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
        data = _data(
            await self._call(conn, "POST", "/v2/slots/reservations", version=V_SLOTS, json=body)
        )
        return Reservation.from_api(_one(data))

    async def release_reservation(self, conn: str, uid: str) -> None:
        """``DELETE /v2/slots/reservations/{uid}``."""
        await self._call(conn, "DELETE", f"/v2/slots/reservations/{_seg(uid)}", version=V_SLOTS)

    # --------------------------------------------- calendars, conferencing, teams, emails

    async def calendars(self, conn: str) -> Calendars:
        """``GET /v2/calendars``."""
        data = _data(await self._call(conn, "GET", "/v2/calendars"))
        return Calendars.from_api(data if isinstance(data, dict) else {})

    async def conferencing_apps(self, conn: str) -> list[ConferencingApp]:
        """``GET /v2/conferencing``: installed conferencing apps."""
        data = _data(await self._call(conn, "GET", "/v2/conferencing"))
        return [ConferencingApp.from_api(a) for a in _many(data)]

    async def default_conferencing(self, conn: str) -> DefaultConferencing | None:
        """``GET /v2/conferencing/default``; None when none is set."""
        try:
            data = _data(await self._call(conn, "GET", "/v2/conferencing/default"))
        except NotFound:
            return None
        if not isinstance(data, dict) or not (data.get("appSlug") or data.get("appLink")):
            return None
        return DefaultConferencing.from_api(data)

    async def teams(self, conn: str) -> list[Team]:
        """``GET /v2/teams``."""
        data = _data(await self._call(conn, "GET", "/v2/teams"))
        return [Team.from_api(t) for t in _many(data, "teams")]

    async def verified_emails(self, conn: str) -> list[VerifiedEmail]:
        """``GET /v2/verified-resources/emails``."""
        data = _data(await self._call(conn, "GET", "/v2/verified-resources/emails"))
        if isinstance(data, dict) and "email" in data:
            data = [data]
        return [VerifiedEmail.from_api(e) for e in _many(data, "emails", "verifiedEmails")]

    # ------------------------------------------------------------------ user webhooks

    async def webhooks(self, conn: str) -> list[Webhook]:
        """``GET /v2/webhooks``."""
        data = _data(await self._call(conn, "GET", "/v2/webhooks"))
        return [Webhook.from_api(w) for w in _many(data, "webhooks")]

    async def webhook(self, conn: str, wh_id: str) -> Webhook:
        """``GET /v2/webhooks/{id}``."""
        data = _data(await self._call(conn, "GET", f"/v2/webhooks/{_seg(wh_id)}"))
        return Webhook.from_api(_one(data))

    async def create_webhook(
        self,
        conn: str,
        *,
        subscriber_url: str,
        triggers: Iterable[str],
        secret: str | None,
        active: bool = True,
        payload_template: str | None = None,
    ) -> Webhook:
        """``POST /v2/webhooks``. A second webhook with the same URL is a ``Conflict``."""
        body = _webhook_body(subscriber_url, triggers, secret, active, payload_template)
        data = _data(await self._call(conn, "POST", "/v2/webhooks", json=body))
        return Webhook.from_api(_one(data))

    async def update_webhook(
        self,
        conn: str,
        wh_id: str,
        *,
        subscriber_url: str | None = None,
        triggers: Iterable[str] | None = None,
        secret: str | None = None,
        active: bool | None = None,
        payload_template: str | None = None,
    ) -> Webhook:
        """``PATCH /v2/webhooks/{id}`` with the fields given."""
        body = _webhook_patch(subscriber_url, triggers, secret, active, payload_template)
        data = _data(await self._call(conn, "PATCH", f"/v2/webhooks/{_seg(wh_id)}", json=body))
        return Webhook.from_api(_one(data))

    async def delete_webhook(self, conn: str, wh_id: str) -> None:
        """``DELETE /v2/webhooks/{id}``."""
        await self._call(conn, "DELETE", f"/v2/webhooks/{_seg(wh_id)}")


def _webhook_body(
    subscriber_url: str,
    triggers: Iterable[str],
    secret: str | None,
    active: bool,
    payload_template: str | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subscriberUrl": subscriber_url,
        "triggers": _triggers(triggers),
        "active": bool(active),
    }
    if secret:
        body["secret"] = secret
    if payload_template is not None:
        body["payloadTemplate"] = payload_template
    return body


def _webhook_patch(
    subscriber_url: str | None,
    triggers: Iterable[str] | None,
    secret: str | None,
    active: bool | None,
    payload_template: str | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if subscriber_url is not None:
        body["subscriberUrl"] = subscriber_url
    if triggers is not None:
        body["triggers"] = _triggers(triggers)
    if secret is not None:
        body["secret"] = secret
    if active is not None:
        body["active"] = bool(active)
    if payload_template is not None:
        body["payloadTemplate"] = payload_template
    if not body:
        raise ValueError("nothing to change")
    return body
