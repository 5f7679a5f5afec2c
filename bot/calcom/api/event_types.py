"""Event types (``cal-api-version`` 2024-06-14); their webhooks are in ``webhooks``."""

from __future__ import annotations

from typing import Any

from bot.calcom.api.base import V_EVENT_TYPES, ApiBase, data_of, many_of, map_fields, seg
from bot.calcom.models import EventType

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


class EventTypesApi(ApiBase):
    async def event_types(self, conn: str, username: str) -> list[EventType]:
        """``GET /v2/event-types?username=``: the user's event types (``username`` from me())."""
        params = {"username": username}
        body = await self._call(
            conn, "GET", "/v2/event-types", version=V_EVENT_TYPES, params=params
        )
        data = data_of(body)
        if isinstance(data, dict) and isinstance(data.get("eventTypeGroups"), list):
            # The legacy shape, should an old gateway answer it.
            groups = many_of(data, "eventTypeGroups")
            items = [et for g in groups for et in many_of(g, "eventTypes")]
        else:
            items = many_of(data, "eventTypes")
        return [EventType.from_api(item) for item in items]

    async def event_type(self, conn: str, event_type_id: int) -> EventType:
        """``GET /v2/event-types/{id}``."""
        return await self._one(
            EventType.from_api, conn, "GET", _path(event_type_id), version=V_EVENT_TYPES
        )

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
        return await self._one(
            EventType.from_api, conn, "POST", "/v2/event-types", version=V_EVENT_TYPES, json=body
        )

    async def update_event_type(self, conn: str, event_type_id: int, **fields: Any) -> EventType:
        """``PATCH /v2/event-types/{id}``. Fields in Python spelling: ``title``, ``slug``,
        ``length`` (minutes), ``description``, ``hidden``, ``schedule_id``, ...; None skips."""
        body = map_fields(fields, _EVENT_TYPE_FIELDS, "update_event_type")
        if "lengthInMinutes" in body:
            body["lengthInMinutes"] = int(body["lengthInMinutes"])
        return await self._one(
            EventType.from_api,
            conn,
            "PATCH",
            _path(event_type_id),
            version=V_EVENT_TYPES,
            json=body,
        )

    async def delete_event_type(self, conn: str, event_type_id: int) -> None:
        """``DELETE /v2/event-types/{id}``."""
        await self._call(conn, "DELETE", _path(event_type_id), version=V_EVENT_TYPES)


def _path(event_type_id: int) -> str:
    return f"/v2/event-types/{seg(event_type_id)}"
