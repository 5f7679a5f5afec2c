"""Bookings, slots and slot reservations."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .model import ApiError, bad, iso_ms, new_uid, not_found, parse_instant, zone
from .routing import BOOKINGS_V, Ctx, maybe, need, ok, route
from .slots import ACTIVE

if TYPE_CHECKING:
    from .core import CalcomEmulator

_VIDEO = {
    "cal-video": ("integrations:daily", "https://app.cal.com/video/{uid}"),
    "google-meet": ("integrations:google:meet", "https://meet.google.com/{short}"),
    "zoom": ("integrations:zoom", "https://zoom.us/j/{digits}"),
    "office365-video": ("integrations:office365_video", "https://teams.microsoft.com/l/{uid}"),
}


class BookingsApi:
    # ------------------------------------------------------------- records

    def new_booking(
        self: CalcomEmulator,
        et: dict[str, Any],
        start: datetime,
        attendee: dict[str, Any],
        *,
        status: str,
        booker_id: int | None,
        guests: list[str] | None = None,
        location: dict[str, Any] | str | None = None,
        metadata: dict[str, Any] | None = None,
        responses: dict[str, Any] | None = None,
        rescheduled_from: str | None = None,
    ) -> dict[str, Any]:
        host = self.accounts[et["ownerId"]]
        uid = new_uid()
        raw, url = self._location(et, uid, location)
        now = self.now()
        booking = {
            "id": self.next_id("booking"),
            "uid": uid,
            "eventTypeId": et["id"],
            "hostId": host.id,
            "bookerId": booker_id,
            "title": f"{et['title']} between {host.name} and {attendee['name']}",
            "description": (responses or {}).get("notes", ""),
            "start": start,
            "end": start + timedelta(minutes=et["length"]),
            "status": status,
            "attendees": [
                {
                    "name": attendee["name"],
                    "email": attendee.get("email"),
                    "timeZone": attendee["timeZone"],
                    "language": attendee.get("language") or "en",
                    "absent": False,
                    **(
                        {"phoneNumber": attendee["phoneNumber"]}
                        if attendee.get("phoneNumber")
                        else {}
                    ),
                }
            ]
            # Cal.com's handleNewBooking adds each guest as an attendee of their own, with
            # no name and the booker's zone (and keeps the list in the responses)
            + [
                {
                    "name": "",
                    "email": guest,
                    "timeZone": attendee["timeZone"],
                    "language": "en",
                    "absent": False,
                }
                for guest in guests or []
                if isinstance(guest, str) and guest
            ],
            "guests": list(guests or []),
            "locationRaw": raw,
            "videoCallUrl": url,
            "metadata": dict(metadata or {}),
            "bookingFieldsResponses": {
                "name": attendee["name"],
                "email": attendee.get("email"),
                **(responses or {}),
            },
            "createdAt": now,
            "updatedAt": now,
            "cancellationReason": None,
            "cancelledByEmail": None,
            "rejectionReason": None,
            "reschedulingReason": None,
            "rescheduledByEmail": None,
            "rescheduledFromUid": rescheduled_from,
            "rescheduledToUid": None,
        }
        self.bookings[uid] = booking
        return booking

    def _location(
        self: CalcomEmulator, et: dict[str, Any], uid: str, chosen: dict[str, Any] | str | None
    ) -> tuple[str, str | None]:
        """(raw location as Cal.com stores it, video URL or None)."""
        if isinstance(chosen, str):
            return chosen, None
        loc = chosen or (et["locations"][0] if et["locations"] else {"type": "integration"})
        kind = loc.get("type")
        if kind == "integration" or kind == "organizersDefaultApp":
            app = loc.get("integration", "cal-video")
            raw, template = _VIDEO.get(app, _VIDEO["cal-video"])
            digits = str(abs(hash(uid)) % 10**10).zfill(10)
            short = f"{uid[:3]}-{uid[3:7]}-{uid[7:10]}".lower()
            return raw, template.format(uid=uid, digits=digits, short=short)
        for key in ("location", "address", "phone", "link"):
            if loc.get(key):
                return str(loc[key]), None
        return "", None

    def booking_out(self: CalcomEmulator, b: dict[str, Any]) -> dict[str, Any]:
        """A booking in the 2024-08-13 shape."""
        host = self.accounts[b["hostId"]]
        et = self.event_types.get(b["eventTypeId"])
        location = b["videoCallUrl"] or b["locationRaw"]
        out: dict[str, Any] = {
            "id": b["id"],
            "uid": b["uid"],
            "title": b["title"],
            "description": b["description"],
            "hosts": [
                {
                    "id": host.id,
                    "name": host.name,
                    "email": host.email,
                    "username": host.username,
                    "timeZone": host.time_zone,
                }
            ],
            "status": b["status"],
            "start": iso_ms(b["start"]),
            "end": iso_ms(b["end"]),
            "duration": int((b["end"] - b["start"]).total_seconds() // 60),
            "eventTypeId": b["eventTypeId"],
            "eventType": {"id": b["eventTypeId"], "slug": et["slug"] if et else None},
            "meetingUrl": location,
            "location": location,
            "absentHost": False,
            "createdAt": iso_ms(b["createdAt"]),
            "updatedAt": iso_ms(b["updatedAt"]),
            "metadata": dict(b["metadata"]),
            "icsUid": f"{b['uid']}@Cal.com",
            "attendees": [dict(a) for a in b["attendees"]],
            "guests": list(b["guests"]),
            "bookingFieldsResponses": dict(b["bookingFieldsResponses"]),
        }
        for key in (
            "cancellationReason",
            "cancelledByEmail",
            "reschedulingReason",
            "rescheduledByEmail",
            "rescheduledFromUid",
            "rescheduledToUid",
        ):
            if b.get(key):
                out[key] = b[key]
        return out

    def booking_legacy(self: CalcomEmulator, b: dict[str, Any]) -> dict[str, Any]:
        """A booking in the legacy (no cal-api-version) shape of the gateway doc."""
        host = self.accounts[b["hostId"]]
        et = self.event_types.get(b["eventTypeId"])
        metadata = dict(b["metadata"])
        if b["videoCallUrl"]:
            metadata["videoCallUrl"] = b["videoCallUrl"]
        return {
            "id": b["id"],
            "uid": b["uid"],
            "title": b["title"],
            "description": b["description"],
            "startTime": iso_ms(b["start"]),
            "endTime": iso_ms(b["end"]),
            "status": b["status"].upper(),
            "attendees": [
                {"name": a["name"], "email": a["email"], "timeZone": a["timeZone"], "locale": "en"}
                for a in b["attendees"]
            ],
            "user": {
                "id": host.id,
                "name": host.name,
                "email": host.email,
                "username": host.username,
                "timeZone": host.time_zone,
            },
            "eventTypeId": b["eventTypeId"],
            "eventType": {"id": b["eventTypeId"], "slug": et["slug"] if et else None},
            "location": b["locationRaw"],
            "metadata": metadata,
            "cancellationReason": b["cancellationReason"],
            "rescheduled": bool(b["rescheduledToUid"]),
            "fromReschedule": b["rescheduledFromUid"],
            "createdAt": iso_ms(b["createdAt"]),
            "updatedAt": iso_ms(b["updatedAt"]),
        }

    def _visible(self: CalcomEmulator, ctx: Ctx) -> dict[str, Any]:
        uid = ctx.params["bookingUid"]
        b = self.bookings.get(uid)
        if b is None or not self._sees(ctx, b):
            raise not_found(f"Booking with uid={uid} not found")
        return b

    def _by_uid(self: CalcomEmulator, ctx: Ctx) -> dict[str, Any]:
        """The booking a uid names, whoever asks, even with no credential: Cal.com's spec
        makes Authorization optional on reading, cancelling and rescheduling a booking by
        uid (an attendee cancels with the uid from their email). Authority is the client's."""
        uid = ctx.params["bookingUid"]
        b = self.bookings.get(uid)
        if b is None:
            raise not_found(f"Booking with uid={uid} not found")
        return b

    def _sees(self: CalcomEmulator, ctx: Ctx, b: dict[str, Any]) -> bool:
        emails = {ctx.user.email.lower(), *(e.lower() for e in ctx.user.verified_emails)}
        return b["hostId"] == ctx.user.id or any(
            (a.get("email") or "").lower() in emails for a in b["attendees"]
        )

    def _out(self: CalcomEmulator, ctx: Ctx, b: dict[str, Any]) -> dict[str, Any]:
        return self.booking_out(b) if ctx.version == BOOKINGS_V else self.booking_legacy(b)

    # ------------------------------------------------------------- bookings

    @route("POST", "/v2/bookings")
    def create_booking(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        body = ctx.obj()
        if ctx.version != BOOKINGS_V:
            return self._create_booking_legacy(ctx, body)
        start = parse_instant(need(body, "start", str, "a valid ISO 8601 date string"))
        attendee = need(body, "attendee", dict, "an object")
        need(attendee, "name", str, "a string")
        need(attendee, "timeZone", str, "a string")
        zone(attendee["timeZone"])
        if not attendee.get("email") and not attendee.get("phoneNumber"):
            raise bad("attendee.email must be an email")
        et = self._event_type_to_book(body)
        reservation = maybe(body, "reservedSlotUid", str, "a string")
        self._check_bookable(et, start, booker_id=ctx.user.id, reservation_uid=reservation)
        if reservation:
            self.reservations.pop(reservation, None)
        location = maybe(body, "location", (dict, str), "an object")
        booking = self.new_booking(
            et,
            start,
            attendee,
            status="pending" if et["requiresConfirmation"] else "accepted",
            booker_id=ctx.user.id,
            guests=maybe(body, "guests", list, "an array"),
            location=location,
            metadata=maybe(body, "metadata", dict, "an object"),
            responses=maybe(body, "bookingFieldsResponses", dict, "an object"),
        )
        trigger = "BOOKING_REQUESTED" if booking["status"] == "pending" else "BOOKING_CREATED"
        ctx.emit(trigger, booking["uid"])
        return ok(self.booking_out(booking), 201)

    def _event_type_to_book(self: CalcomEmulator, body: dict[str, Any]) -> dict[str, Any]:
        et_id = maybe(body, "eventTypeId", int, "a number")
        if et_id is not None:
            et = self.event_types.get(et_id)
            if et is None:
                raise not_found(f"Event type with id {et_id} not found.")
            return et
        slug, username = body.get("eventTypeSlug"), body.get("username")
        if slug and username:
            owner = self._user_by_username(username)
            for et in owner.event_types:
                if et["slug"] == slug:
                    return et
            raise not_found(f"Event type with slug {slug} belonging to user {username} not found.")
        raise bad(
            "Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug must "
            "be provided"
        )

    def _create_booking_legacy(self: CalcomEmulator, ctx: Ctx, body: dict[str, Any]):
        start = parse_instant(need(body, "start", str, "a valid ISO 8601 date string"))
        et_id = need(body, "eventTypeId", int, "a number")
        responses = need(body, "responses", dict, "an object")
        need(responses, "name", str, "a string")
        need(responses, "email", str, "an email")
        tz = need(body, "timeZone", str, "a string")
        need(body, "language", str, "a string")
        zone(tz)
        et = self.event_types.get(et_id)
        if et is None:
            raise not_found(f"Event type with id {et_id} not found.")
        self._check_bookable(et, start, booker_id=ctx.user.id)
        attendee = {"name": responses["name"], "email": responses["email"], "timeZone": tz}
        extra = {k: v for k, v in responses.items() if k not in ("name", "email", "location")}
        booking = self.new_booking(
            et,
            start,
            attendee,
            status="pending" if et["requiresConfirmation"] else "accepted",
            booker_id=ctx.user.id,
            metadata=maybe(body, "metadata", dict, "an object"),
            responses=extra,
        )
        trigger = "BOOKING_REQUESTED" if booking["status"] == "pending" else "BOOKING_CREATED"
        ctx.emit(trigger, booking["uid"])
        return ok(self.booking_legacy(booking), 201)

    @route("GET", "/v2/bookings")
    def list_bookings(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        now = self.now()
        mine = [b for b in self.bookings.values() if self._sees(ctx, b)]
        if ctx.version != BOOKINGS_V:
            # legacy handler: status and take are dropped; upcoming, ten at a time
            upcoming = sorted(
                (b for b in mine if b["end"] >= now and b["status"] in ACTIVE),
                key=lambda b: (b["start"], b["id"]),
            )
            cursor = ctx.q_int("cursor", 0)
            page = upcoming[cursor : cursor + 10]
            more = cursor + 10 < len(upcoming)
            return ok(
                {
                    "bookings": [self.booking_legacy(b) for b in page],
                    "recurringInfo": [],
                    "totalCount": len(upcoming),
                    "nextCursor": cursor + 10 if more else None,
                }
            )
        statuses = ctx.q_list("status")
        for status in statuses:
            if status not in ("upcoming", "recurring", "past", "cancelled", "unconfirmed"):
                raise bad(
                    "each value in status must be one of the following values: upcoming, "
                    "recurring, past, cancelled, unconfirmed"
                )

        def matches(b: dict[str, Any]) -> bool:
            if not statuses:
                return True
            checks = {
                "upcoming": b["end"] >= now and b["status"] in ACTIVE,
                "unconfirmed": b["end"] >= now and b["status"] == "pending",
                "past": b["end"] <= now and b["status"] not in ("cancelled", "rejected"),
                "cancelled": b["status"] in ("cancelled", "rejected"),
                "recurring": False,
            }
            return any(checks[s] for s in statuses)

        chosen = [b for b in mine if matches(b)]
        chosen = self._filter_bookings(ctx, chosen)
        take, skip = ctx.q_int("take", 100), ctx.q_int("skip", 0)
        if take < 1:
            raise bad("take must not be less than 1")
        page = chosen[skip : skip + take]
        total = len(chosen)
        pagination = {
            "totalItems": total,
            "remainingItems": max(total - skip - len(page), 0),
            "returnedItems": len(page),
            "itemsPerPage": take,
            "currentPage": skip // take + 1,
            "totalPages": math.ceil(total / take) if total else 0,
            "hasNextPage": skip + len(page) < total,
            "hasPreviousPage": skip > 0,
        }
        return 200, {
            "status": "success",
            "data": [self.booking_out(b) for b in page],
            "pagination": pagination,
        }

    def _filter_bookings(self: CalcomEmulator, ctx: Ctx, items: list[dict]) -> list[dict]:
        email = ctx.q("attendeeEmail")
        if email:
            items = [b for b in items if any(a["email"] == email for a in b["attendees"])]
        name = ctx.q("attendeeName")
        if name:
            items = [b for b in items if any(a["name"] == name for a in b["attendees"])]
        ids = set(ctx.q_list("eventTypeIds") + ctx.q_list("eventTypeId"))
        if ids:
            items = [b for b in items if str(b["eventTypeId"]) in ids]
        uid = ctx.q("bookingUid")
        if uid:
            items = [b for b in items if b["uid"] == uid]
        if ctx.q("afterStart"):
            after = parse_instant(ctx.q("afterStart"), field_name="afterStart")
            items = [b for b in items if b["start"] >= after]
        if ctx.q("beforeEnd"):
            before = parse_instant(ctx.q("beforeEnd"), field_name="beforeEnd")
            items = [b for b in items if b["end"] <= before]
        statuses = ctx.q_list("status")
        order = [(k, ctx.q(p)) for k, p in (("start", "sortStart"), ("end", "sortEnd"))]
        order += [("createdAt", ctx.q("sortCreated"))]
        for key, direction in order:
            if direction:
                return sorted(items, key=lambda b: b[key], reverse=direction == "desc")
        newest_first = bool(statuses) and set(statuses) <= {"past", "cancelled"}
        return sorted(items, key=lambda b: (b["start"], b["id"]), reverse=newest_first)

    @route("GET", "/v2/bookings/{bookingUid}")
    def get_booking(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        return ok(self._out(ctx, self._by_uid(ctx)))

    @route("POST", "/v2/bookings/{bookingUid}/cancel")
    def cancel_booking(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        b = self._by_uid(ctx)
        body = ctx.obj()
        if b["status"] in ("cancelled", "rejected"):
            raise bad("This booking has already been cancelled.")
        b["status"] = "cancelled"
        b["cancellationReason"] = maybe(body, "cancellationReason", str, "a string")
        b["cancelledByEmail"] = ctx.user.email if ctx.user else None
        b["updatedAt"] = self.now()
        ctx.emit("BOOKING_CANCELLED", b["uid"])
        return ok(self._out(ctx, b))

    @route("POST", "/v2/bookings/{bookingUid}/reschedule", version=BOOKINGS_V)
    def reschedule_booking(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        old = self._by_uid(ctx)
        body = ctx.obj()
        start = parse_instant(need(body, "start", str, "a valid ISO 8601 date string"))
        if old["status"] in ("cancelled", "rejected"):
            raise bad(f"Can't reschedule booking with uid={old['uid']} because it is cancelled.")
        et = self.event_types.get(old["eventTypeId"])
        if et is None:
            raise not_found(f"Event type with id {old['eventTypeId']} not found.")
        caller_id = ctx.user.id if ctx.user else None
        self._check_bookable(et, start, booker_id=caller_id, exclude_uid=old["uid"])
        by_host = old["hostId"] == caller_id
        pending = et["requiresConfirmation"] and not by_host
        new = self.new_booking(
            et,
            start,
            old["attendees"][0],
            status="pending" if pending else "accepted",
            booker_id=caller_id,
            guests=old["guests"],
            location=old["locationRaw"] if not old["videoCallUrl"] else None,
            metadata=old["metadata"],
            rescheduled_from=old["uid"],
        )
        new["attendees"] = [dict(a) for a in old["attendees"]]
        new["reschedulingReason"] = maybe(body, "reschedulingReason", str, "a string")
        by = maybe(body, "rescheduledBy", str, "a string")
        new["rescheduledByEmail"] = by or (ctx.user.email if ctx.user else None)
        old["status"] = "cancelled"
        old["rescheduledToUid"] = new["uid"]
        old["updatedAt"] = self.now()
        trigger = "BOOKING_REQUESTED" if pending else "BOOKING_RESCHEDULED"
        ctx.emit(trigger, new["uid"], previous=old["uid"], by=new["rescheduledByEmail"])
        return ok(self.booking_out(new), 201)

    def _hosted(self: CalcomEmulator, ctx: Ctx) -> dict[str, Any]:
        b = self._visible(ctx)
        if b["hostId"] != ctx.user.id:
            raise ApiError(403, "Only the organizer of the booking can confirm or decline it.")
        if b["status"] != "pending":
            raise bad(f"Booking with uid={b['uid']} is not pending confirmation.")
        return b

    @route("POST", "/v2/bookings/{bookingUid}/confirm", version=BOOKINGS_V)
    def confirm_booking(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        b = self._hosted(ctx)
        b["status"] = "accepted"
        b["updatedAt"] = self.now()
        ctx.emit("BOOKING_CREATED", b["uid"])
        return ok(self.booking_out(b))

    @route("POST", "/v2/bookings/{bookingUid}/decline", version=BOOKINGS_V)
    def decline_booking(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        b = self._hosted(ctx)
        b["status"] = "rejected"
        b["rejectionReason"] = maybe(ctx.obj(), "reason", str, "a string")
        b["updatedAt"] = self.now()
        ctx.emit("BOOKING_REJECTED", b["uid"])
        return ok(self.booking_out(b))
