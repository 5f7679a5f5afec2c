"""Slots, slot reservations, and the availability checks bookings share."""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .availability import candidate_starts, overlaps
from .model import ApiError, bad, iso_ms, iso_zone, not_found, parse_instant, zone
from .routing import SLOTS_V, Ctx, maybe, need, ok, route

if TYPE_CHECKING:
    from .core import CalcomEmulator

ACTIVE = ("accepted", "pending")  # booking statuses that block a slot
NOT_AVAILABLE = "User either already has booking at this time or is not available"
OUT_OF_BOUNDS = (
    "The event type can't be booked at the \"start\" time provided. This could be because it's "
    "too soon (violating the minimum booking notice) or too far in the future (outside the "
    "event's scheduling window). Try fetching available slots first using the GET /v2/slots "
    'endpoint and then make a booking with "start" time equal to one of the available slots: '
    "https://cal.com/docs/api-reference/v2/slots"
)


class SlotsApi:
    # ------------------------------------------------------------- availability

    def _schedule_for(self: CalcomEmulator, et: dict[str, Any]) -> dict[str, Any] | None:
        if et["scheduleId"] is not None and et["scheduleId"] in self.schedules:
            return self.schedules[et["scheduleId"]]
        return self.accounts[et["ownerId"]].schedule

    def _busy(
        self: CalcomEmulator,
        et: dict[str, Any],
        *,
        viewer_id: int | None,
        exclude_uid: str | None = None,
        reservation_uid: str | None = None,
    ) -> list[tuple[datetime, datetime]]:
        """Busy intervals of an event type's owner: bookings, then others' live holds."""
        now = self.now()
        owner_email = self.accounts[et["ownerId"]].email.lower()
        # as Cal.com's busy times: bookings the owner hosts, and those they attend (an
        # attendee or guest with their email), accepted or pending
        busy = [
            (b["start"], b["end"])
            for b in self.bookings.values()
            if b["status"] in ACTIVE
            and b["uid"] != exclude_uid
            and (
                b["hostId"] == et["ownerId"]
                or any((a.get("email") or "").lower() == owner_email for a in b["attendees"])
            )
        ]
        for r in self.reservations.values():
            if r["eventTypeId"] != et["id"] or r["until"] <= now or r["uid"] == reservation_uid:
                continue
            if viewer_id is not None and r["holderId"] == viewer_id:
                continue
            busy.append((r["slotStart"], r["slotEnd"]))
        return busy

    def available_starts(
        self: CalcomEmulator,
        et: dict[str, Any],
        start: datetime,
        end: datetime,
        *,
        viewer_id: int | None = None,
        exclude_uid: str | None = None,
        length: int | None = None,
        reservation_uid: str | None = None,
    ) -> list[datetime]:
        """Bookable slot starts (UTC) of an event type in [start, end]."""
        schedule = self._schedule_for(et)
        if schedule is None:
            return []
        length = length or et["length"]
        step = et["slotInterval"] or length
        not_before = self.now() + timedelta(minutes=et["minimumBookingNotice"])
        before = timedelta(minutes=et["beforeEventBuffer"])
        after = timedelta(minutes=et["afterEventBuffer"])
        busy = self._busy(
            et, viewer_id=viewer_id, exclude_uid=exclude_uid, reservation_uid=reservation_uid
        )
        out = []
        for begin in candidate_starts(schedule, length, step, start, end):
            if begin < start or begin > end or begin < not_before:
                continue
            finish = begin + timedelta(minutes=length)
            if any(overlaps(begin - before, finish + after, b0, b1) for b0, b1 in busy):
                continue
            out.append(begin)
        return out

    def _check_bookable(
        self: CalcomEmulator,
        et: dict[str, Any],
        start: datetime,
        *,
        booker_id: int | None,
        exclude_uid: str | None = None,
        reservation_uid: str | None = None,
    ) -> None:
        """400 with Cal.com's message unless ``start`` is a free slot for this booker."""
        now = self.now()
        if start < now:
            raise bad("Attempting to book a meeting in the past.")
        if start < now + timedelta(minutes=et["minimumBookingNotice"]):
            raise bad(OUT_OF_BOUNDS)
        end = start + timedelta(minutes=et["length"])
        for r in self.reservations.values():
            if (
                r["eventTypeId"] == et["id"]
                and r["until"] > now
                and r["uid"] != reservation_uid
                and (booker_id is None or r["holderId"] != booker_id)
                and overlaps(start, end, r["slotStart"], r["slotEnd"])
            ):
                seconds = math.ceil((r["until"] - now).total_seconds())
                raise bad(
                    "Someone else reserved this slot before you. "
                    f"This slot will be freed up in {seconds} seconds."
                )
        free = self.available_starts(
            et,
            start - timedelta(days=1),
            start + timedelta(days=1),
            viewer_id=booker_id,
            exclude_uid=exclude_uid,
            reservation_uid=reservation_uid,
        )
        if start not in free:
            raise bad(NOT_AVAILABLE)

    # ------------------------------------------------------------- slots

    def _slots_event_type(self: CalcomEmulator, ctx: Ctx, id_key: str) -> dict[str, Any]:
        raw = ctx.q(id_key)
        if raw:
            try:
                et = self.event_types.get(int(raw))
            except ValueError as exc:
                raise bad(f"{id_key} must be a number") from exc
            if et is None:
                raise not_found("Event Type not found")
            return et
        slug, username = ctx.q("eventTypeSlug"), ctx.q("username")
        if slug and username:
            owner = self._user_by_username(username)
            for et in owner.event_types:
                if et["slug"] == slug:
                    return et
            raise not_found("Event Type not found")
        raise bad("eventTypeId or eventTypeSlug with username must be provided")

    @route("GET", "/v2/slots", version=SLOTS_V)
    def get_slots(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        et = self._slots_event_type(ctx, "eventTypeId")
        if not ctx.q("start") or not ctx.q("end"):
            raise bad("start and end query parameters are required")
        start = parse_instant(ctx.q("start"), field_name="start")
        end = parse_instant(ctx.q("end"), field_name="end")
        if (end.hour, end.minute, end.second) == (0, 0, 0):  # as Cal.com: a date means its end
            end = end.replace(hour=23, minute=59, second=59)
        if end < start:
            raise bad("Invalid time range given - check the 'start' and 'end' query parameters.")
        tz = ctx.q("timeZone")
        if tz:
            zone(tz)
        length = et["length"]
        duration = ctx.q_int("duration", 0)
        if duration and duration in (et["lengthInMinutesOptions"] or []):
            length = duration
        starts = self.available_starts(
            et,
            start,
            end,
            viewer_id=ctx.user.id,
            exclude_uid=ctx.q("bookingUidToReschedule"),
            length=length,
        )
        ranged = ctx.q("format") == "range"
        data: dict[str, list[dict[str, str]]] = {}
        for begin in starts:
            key = begin.astimezone(zone(tz or "UTC")).date().isoformat()
            slot = {"start": iso_zone(begin, tz)}
            if ranged:
                slot["end"] = iso_zone(begin + timedelta(minutes=length), tz)
            data.setdefault(key, []).append(slot)
        return ok(data)

    @route("GET", "/v2/slots/available")
    def get_slots_legacy(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        et = self._slots_event_type(ctx, "eventTypeId")
        if not ctx.q("startTime") or not ctx.q("endTime"):
            raise bad("startTime and endTime query parameters are required")
        start = parse_instant(ctx.q("startTime"), field_name="startTime")
        end = parse_instant(ctx.q("endTime"), field_name="endTime")
        tz = ctx.q("timeZone") or "UTC"
        slots: dict[str, list[dict[str, str]]] = {}
        for begin in self.available_starts(et, start, end, viewer_id=ctx.user.id):
            key = begin.astimezone(zone(tz)).date().isoformat()
            slots.setdefault(key, []).append({"time": iso_ms(begin)})
        return ok({"slots": slots})

    # ------------------------------------------------------------- reservations

    def _reservation_out(self: CalcomEmulator, r: dict[str, Any], *, created: bool) -> dict:
        out = {
            "eventTypeId": r["eventTypeId"],
            "slotStart": iso_ms(r["slotStart"]),
            "slotEnd": iso_ms(r["slotEnd"]),
            "slotDuration": int((r["slotEnd"] - r["slotStart"]).total_seconds() // 60),
            "reservationUid": r["uid"],
            "reservationUntil": iso_ms(r["until"]),
        }
        if created:
            out["reservationDuration"] = r["duration"]
        return out

    def _reserve(
        self: CalcomEmulator, ctx: Ctx, body: dict[str, Any], existing: str | None
    ) -> dict[str, Any]:
        et_id = need(body, "eventTypeId", int, "a number")
        start = parse_instant(need(body, "slotStart", str, "a string"), field_name="slotStart")
        et = self.event_types.get(et_id)
        if et is None:
            raise not_found(f"Event Type with ID={et_id} not found")
        length = et["length"]
        slot_duration = maybe(body, "slotDuration", int, "a number")
        if slot_duration is not None:
            if not et["lengthInMinutesOptions"]:
                raise bad(
                    "You passed 'slotDuration' but this event type is not a variable length "
                    "event type."
                )
            length = slot_duration
        minutes = maybe(body, "reservationDuration", int, "a number")
        if minutes is not None and et["ownerId"] != ctx.user.id:
            raise ApiError(
                403,
                "authenticated user is not owner of event type, does not have memberships in "
                "common with owner of the event type, nor does belong to event type's team or org.",
            )
        end = start + timedelta(minutes=length)
        now = self.now()
        for b in self.bookings.values():
            if (
                b["eventTypeId"] == et_id
                and b["status"] in ACTIVE
                and overlaps(start, end, b["start"], b["end"])
            ):
                raise ApiError(422, "Can't reserve a slot if the event is already booked.")
        for r in self.reservations.values():
            if (
                r["uid"] != existing
                and r["eventTypeId"] == et_id
                and r["until"] > now
                and overlaps(start, end, r["slotStart"], r["slotEnd"])
            ):
                raise ApiError(
                    422,
                    "This time slot is already reserved by another user. "
                    "Please choose a different time.",
                )
        duration = minutes or 5
        reservation = {
            "uid": existing or str(uuid.uuid4()),
            "eventTypeId": et_id,
            "slotStart": start,
            "slotEnd": end,
            "duration": duration,
            "until": now + timedelta(minutes=duration),
            "holderId": ctx.user.id,
        }
        self.reservations[reservation["uid"]] = reservation
        return reservation

    @route("POST", "/v2/slots/reservations", version=SLOTS_V)
    def reserve_slot(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        return ok(self._reservation_out(self._reserve(ctx, ctx.obj(), None), created=True), 201)

    def _live_reservation(self: CalcomEmulator, uid: str) -> dict[str, Any] | None:
        r = self.reservations.get(uid)
        if r is None or r["until"] <= self.now():
            return None
        return r

    @route("GET", "/v2/slots/reservations/{uid}", version=SLOTS_V)
    def get_reservation(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        r = self._live_reservation(ctx.params["uid"])
        return ok(None if r is None else self._reservation_out(r, created=False))

    @route("PATCH", "/v2/slots/reservations/{uid}", version=SLOTS_V)
    def update_reservation(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        uid = ctx.params["uid"]
        if self._live_reservation(uid) is None:
            raise not_found(f"Slot with uid={uid} not found")
        reservation = self._reserve(ctx, ctx.obj(), uid)
        return ok(self._reservation_out(reservation, created=True))

    @route("DELETE", "/v2/slots/reservations/{uid}", version=SLOTS_V)
    def delete_reservation(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        uid = ctx.params["uid"]
        if self.reservations.pop(uid, None) is None:
            raise not_found(f"Slot with uid={uid} not found")
        return 200, {"status": "success"}

    @route("POST", "/v2/slots/reserve")
    def reserve_slot_legacy(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        body = ctx.obj()
        start = need(body, "slotUtcStartDate", str, "a string")
        reservation = self._reserve(
            ctx, {"eventTypeId": body.get("eventTypeId"), "slotStart": start}, None
        )
        return ok(reservation["uid"], 201)
