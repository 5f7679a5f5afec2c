"""Webhook subscriptions (user and event-type level) and their signed deliveries."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from .model import ApiError, Delivery, bad, iso_ms, iso_s, not_found, utc_offset_minutes
from .routing import Ctx, maybe, need, ok, route

if TYPE_CHECKING:
    from .core import CalcomEmulator

# WebhookTriggerEvents in the spec's CreateWebhookInputDto (BOOKING_CONFIRMED is not one)
TRIGGERS = [
    "BOOKING_CREATED",
    "BOOKING_PAYMENT_INITIATED",
    "BOOKING_PAID",
    "BOOKING_RESCHEDULED",
    "BOOKING_REQUESTED",
    "BOOKING_CANCELLED",
    "BOOKING_REJECTED",
    "BOOKING_NO_SHOW_UPDATED",
    "FORM_SUBMITTED",
    "MEETING_ENDED",
    "MEETING_STARTED",
    "RECORDING_READY",
    "INSTANT_MEETING",
    "RECORDING_TRANSCRIPTION_GENERATED",
    "OOO_CREATED",
    "AFTER_HOSTS_CAL_VIDEO_NO_SHOW",
    "AFTER_GUESTS_CAL_VIDEO_NO_SHOW",
    "FORM_SUBMITTED_NO_EVENT",
]
NO_SECRET = "no-secret-provided"


def sign(secret: str | None, body: bytes) -> str:
    return hmac.new((secret or NO_SECRET).encode(), body, hashlib.sha256).hexdigest()


def _triggers(body: dict[str, Any], *, required: bool) -> list[str] | None:
    value = body.get("triggers")
    if value is None:
        if required:
            raise bad("triggers must be an array")
        return None
    if not isinstance(value, list) or not value:
        raise bad("triggers must be a non-empty array")
    wrong = [t for t in value if t not in TRIGGERS]
    if wrong:
        raise bad(
            "each value in triggers must be one of the following values: " + ", ".join(TRIGGERS)
        )
    return list(dict.fromkeys(value))


class WebhooksApi:
    """``/v2/webhooks`` and ``/v2/event-types/{id}/webhooks``, plus the delivery engine."""

    # --------------------------------------------------------- subscriptions

    def _webhook_out(self: CalcomEmulator, hook: dict[str, Any]) -> dict[str, Any]:
        out = {
            "id": hook["id"],
            "subscriberUrl": hook["subscriberUrl"],
            "triggers": list(hook["triggers"]),
            "active": hook["active"],
            "payloadTemplate": hook["payloadTemplate"],
            "secret": hook["secret"],
        }
        if hook["eventTypeId"] is None:
            out["userId"] = hook["userId"]
        else:
            out["eventTypeId"] = hook["eventTypeId"]
        return out

    def _create_webhook(
        self: CalcomEmulator, ctx: Ctx, *, user_id: int | None, event_type_id: int | None
    ) -> dict[str, Any]:
        body = ctx.obj()
        active = need(body, "active", bool, "a boolean value")
        url = need(body, "subscriberUrl", str, "a string")
        triggers = _triggers(body, required=True)
        secret = maybe(body, "secret", str, "a string")
        template = maybe(body, "payloadTemplate", str, "a string")
        self._check_unique_url(url, user_id, event_type_id, exclude=None)
        hook = {
            "id": str(uuid.uuid4()),
            "userId": user_id,
            "eventTypeId": event_type_id,
            "ownerId": ctx.user.id,
            "subscriberUrl": url,
            "triggers": triggers,
            "active": active,
            "secret": secret,
            "payloadTemplate": template,
            "createdAt": self.now(),
        }
        self.webhooks[hook["id"]] = hook
        return hook

    def _check_unique_url(
        self: CalcomEmulator,
        url: str,
        user_id: int | None,
        event_type_id: int | None,
        exclude: str | None,
    ) -> None:
        for other in self.webhooks.values():
            if other["id"] == exclude or other["subscriberUrl"] != url:
                continue
            if event_type_id is None and other["eventTypeId"] is None:
                if other["userId"] == user_id:
                    raise ApiError(
                        409, "Webhook with this subscriber url already exists for this user"
                    )
            elif event_type_id is not None and other["eventTypeId"] == event_type_id:
                raise ApiError(
                    409, "Webhook with this subscriber url already exists for this event type"
                )

    def _update_webhook(self: CalcomEmulator, ctx: Ctx, hook: dict[str, Any]) -> None:
        body = ctx.obj()
        url = maybe(body, "subscriberUrl", str, "a string")
        if url is not None and url != hook["subscriberUrl"]:
            self._check_unique_url(url, hook["userId"], hook["eventTypeId"], exclude=hook["id"])
            hook["subscriberUrl"] = url
        triggers = _triggers(body, required=False)
        if triggers is not None:
            hook["triggers"] = triggers
        active = maybe(body, "active", bool, "a boolean value")
        if active is not None:
            hook["active"] = active
        if "secret" in body:
            hook["secret"] = maybe(body, "secret", str, "a string")
        if "payloadTemplate" in body:
            hook["payloadTemplate"] = maybe(body, "payloadTemplate", str, "a string")

    def _user_hook(self: CalcomEmulator, ctx: Ctx) -> dict[str, Any]:
        hook = self.webhooks.get(ctx.params["webhookId"])
        if hook is None or hook["eventTypeId"] is not None or hook["userId"] != ctx.user.id:
            raise not_found(f"Webhook with id {ctx.params['webhookId']} not found")
        return hook

    def _event_type_hook(self: CalcomEmulator, ctx: Ctx) -> dict[str, Any]:
        et = self._own_event_type(ctx)
        hook = self.webhooks.get(ctx.params["webhookId"])
        if hook is None or hook["eventTypeId"] != et["id"]:
            raise not_found(f"Webhook with id {ctx.params['webhookId']} not found")
        return hook

    def _page(self: CalcomEmulator, ctx: Ctx, items: list[Any]) -> list[Any]:
        take = ctx.q_int("take", 250)
        skip = ctx.q_int("skip", 0)
        return items[skip : skip + take]

    @route("GET", "/v2/webhooks")
    def list_user_webhooks(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        hooks = [
            self._webhook_out(h)
            for h in self.webhooks.values()
            if h["eventTypeId"] is None and h["userId"] == ctx.user.id
        ]
        return ok(self._page(ctx, hooks))

    @route("POST", "/v2/webhooks")
    def create_user_webhook(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        hook = self._create_webhook(ctx, user_id=ctx.user.id, event_type_id=None)
        return ok(self._webhook_out(hook), 201)

    @route("GET", "/v2/webhooks/{webhookId}")
    def get_user_webhook(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        return ok(self._webhook_out(self._user_hook(ctx)))

    @route("PATCH", "/v2/webhooks/{webhookId}")
    def update_user_webhook(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        hook = self._user_hook(ctx)
        self._update_webhook(ctx, hook)
        return ok(self._webhook_out(hook))

    @route("DELETE", "/v2/webhooks/{webhookId}")
    def delete_user_webhook(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        hook = self._user_hook(ctx)
        del self.webhooks[hook["id"]]
        return ok(self._webhook_out(hook))

    @route("GET", "/v2/event-types/{eventTypeId}/webhooks")
    def list_event_type_webhooks(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        et = self._own_event_type(ctx)
        hooks = [
            self._webhook_out(h) for h in self.webhooks.values() if h["eventTypeId"] == et["id"]
        ]
        return ok(self._page(ctx, hooks))

    @route("POST", "/v2/event-types/{eventTypeId}/webhooks")
    def create_event_type_webhook(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        et = self._own_event_type(ctx)
        hook = self._create_webhook(ctx, user_id=None, event_type_id=et["id"])
        return ok(self._webhook_out(hook), 201)

    @route("DELETE", "/v2/event-types/{eventTypeId}/webhooks")
    def delete_event_type_webhooks(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        et = self._own_event_type(ctx)
        doomed = [h["id"] for h in self.webhooks.values() if h["eventTypeId"] == et["id"]]
        for hook_id in doomed:
            del self.webhooks[hook_id]
        return ok(f"{len(doomed)} webhooks deleted")

    @route("GET", "/v2/event-types/{eventTypeId}/webhooks/{webhookId}")
    def get_event_type_webhook(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        return ok(self._webhook_out(self._event_type_hook(ctx)))

    @route("PATCH", "/v2/event-types/{eventTypeId}/webhooks/{webhookId}")
    def update_event_type_webhook(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        hook = self._event_type_hook(ctx)
        self._update_webhook(ctx, hook)
        return ok(self._webhook_out(hook))

    @route("DELETE", "/v2/event-types/{eventTypeId}/webhooks/{webhookId}")
    def delete_event_type_webhook(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        hook = self._event_type_hook(ctx)
        del self.webhooks[hook["id"]]
        return ok(self._webhook_out(hook))

    # --------------------------------------------------------- payloads

    def webhook_payload(
        self: CalcomEmulator, trigger: str, booking: dict[str, Any], extra: dict[str, Any]
    ) -> dict[str, Any]:
        """The ``payload`` of a booking trigger, shaped like Cal.com's."""
        host = self.accounts[booking["hostId"]]
        et = self.event_types.get(booking["eventTypeId"]) or {}
        start, end = booking["start"], booking["end"]
        attendee = booking["attendees"][0]
        payload: dict[str, Any] = {
            "type": et.get("slug"),
            "title": booking["title"],
            "description": booking["description"],
            "additionalNotes": booking["description"],
            "customInputs": {},
            "startTime": iso_s(start),
            "endTime": iso_s(end),
            "organizer": {
                "id": host.id,
                "name": host.name,
                "email": host.email,
                "username": host.username,
                "timeZone": host.time_zone,
                "language": {"locale": host.locale},
                "timeFormat": "h:mma" if host.time_format == 12 else "HH:mm",
                "utcOffset": utc_offset_minutes(host.time_zone, start),
            },
            "responses": {
                "name": {"label": "your_name", "value": attendee["name"]},
                "email": {"label": "email_address", "value": attendee.get("email")},
            },
            "userFieldsResponses": {},
            "attendees": [
                {
                    "email": a.get("email"),
                    "name": a["name"],
                    "firstName": a["name"].split(" ")[0],
                    "lastName": " ".join(a["name"].split(" ")[1:]),
                    "timeZone": a["timeZone"],
                    "language": {"locale": a.get("language", "en")},
                    "utcOffset": utc_offset_minutes(a["timeZone"], start),
                }
                for a in booking["attendees"]
            ],
            "location": booking["locationRaw"],
            "destinationCalendar": None,
            "hideCalendarNotes": False,
            "requiresConfirmation": bool(et.get("requiresConfirmation")),
            "eventTypeId": booking["eventTypeId"],
            "seatsShowAttendees": True,
            "seatsPerTimeSlot": None,
            "uid": booking["uid"],
            "bookingId": booking["id"],
            "eventTitle": et.get("title"),
            "eventDescription": et.get("description"),
            "price": 0,
            "currency": "usd",
            "length": int((end - start).total_seconds() // 60),
            "metadata": {"videoCallUrl": booking["videoCallUrl"]}
            if booking["videoCallUrl"]
            else {},
            "status": booking["status"].upper(),
        }
        if booking.get("rescheduledFromUid"):
            payload["fromReschedule"] = booking["rescheduledFromUid"]
        if trigger == "BOOKING_CANCELLED":
            payload["cancellationReason"] = booking.get("cancellationReason")
            payload["cancelledBy"] = booking.get("cancelledByEmail")
            if booking.get("rescheduledToUid"):
                payload["rescheduledToUid"] = booking["rescheduledToUid"]
        if trigger == "BOOKING_REJECTED":
            payload["rejectionReason"] = booking.get("rejectionReason")
        if trigger in ("BOOKING_RESCHEDULED", "BOOKING_REQUESTED") and extra.get("previous"):
            prev = self.bookings[extra["previous"]]
            payload["rescheduleId"] = prev["id"]
            payload["rescheduleUid"] = prev["uid"]
            payload["rescheduleStartTime"] = iso_s(prev["start"])
            payload["rescheduleEndTime"] = iso_s(prev["end"])
            payload["rescheduledBy"] = extra.get("by")
        return payload

    def _jobs_for(
        self: CalcomEmulator, events: list[tuple[str, str, dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        """Signed request bodies for every active subscription a trigger reaches."""
        jobs = []
        for trigger, uid, extra in events:
            booking = self.bookings[uid]
            hooks = [
                h
                for h in self.webhooks.values()
                if h["active"]
                and trigger in h["triggers"]
                and (
                    (h["eventTypeId"] is None and h["userId"] == booking["hostId"])
                    or (h["eventTypeId"] is not None and h["eventTypeId"] == booking["eventTypeId"])
                )
            ]
            if not hooks:
                continue
            envelope = {
                "triggerEvent": trigger,
                "createdAt": iso_ms(self.now()),
                "payload": self.webhook_payload(trigger, booking, extra),
            }
            raw = json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode()
            for hook in hooks:
                headers = {
                    "Content-Type": "application/json",
                    "X-Cal-Signature-256": sign(hook["secret"], raw),
                }
                jobs.append(
                    {
                        "url": hook["subscriberUrl"],
                        "headers": headers,
                        "body": raw,
                        "trigger": trigger,
                        "webhook_id": hook["id"],
                        "booking_uid": uid,
                    }
                )
        return jobs

    # --------------------------------------------------------- sending

    async def _http(self: CalcomEmulator) -> httpx.AsyncClient:
        if self._http_client is None:
            self._http_client = httpx.AsyncClient(timeout=10.0, trust_env=False)
        return self._http_client

    async def _send(self: CalcomEmulator, job: dict[str, Any]) -> Delivery:
        client = await self._http()
        status, error = None, None
        try:
            response = await client.post(job["url"], content=job["body"], headers=job["headers"])
            status = response.status_code
        except (httpx.HTTPError, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        delivery = Delivery(
            url=job["url"],
            headers=dict(job["headers"]),
            body=job["body"],
            status=status,
            trigger=job["trigger"],
            webhook_id=job["webhook_id"],
            booking_uid=job["booking_uid"],
            time=self.now(),
            error=error,
        )
        with self._delivered:
            self.deliveries.append(delivery)
            self._delivered.notify_all()
        return delivery

    async def _deliver_all(self: CalcomEmulator, jobs: list[dict[str, Any]]) -> None:
        for job in jobs:
            await self._send(job)

    def _spawn(self: CalcomEmulator, jobs: list[dict[str, Any]]) -> None:
        """Deliver from any thread, on the emulator's loop, without waiting."""
        if not jobs:
            return
        loop = self._loop
        if loop is None or loop.is_closed():
            raise RuntimeError("the emulator is not being served: no loop to deliver webhooks on")

        def start() -> None:
            task = loop.create_task(self._deliver_all(jobs))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            start()
        else:
            loop.call_soon_threadsafe(start)

    # --------------------------------------------------------- waiting / replay

    def wait_for_delivery(
        self: CalcomEmulator,
        predicate: Callable[[Delivery], bool] | None = None,
        timeout: float = 5.0,
    ) -> Delivery:
        """The first recorded delivery matching ``predicate``; waits for one to come."""
        deadline = time.monotonic() + timeout
        with self._delivered:
            while True:
                for delivery in self.deliveries:
                    if predicate is None or predicate(delivery):
                        return delivery
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no matching webhook delivery within {timeout}s")
                self._delivered.wait(remaining)

    def wait_for_deliveries(self: CalcomEmulator, n: int, timeout: float = 5.0) -> list[Delivery]:
        """Wait until at least ``n`` deliveries were attempted; return them all."""
        deadline = time.monotonic() + timeout
        with self._delivered:
            while len(self.deliveries) < n:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{len(self.deliveries)} of {n} deliveries in {timeout}s")
                self._delivered.wait(remaining)
            return list(self.deliveries)

    async def wait_deliveries(self: CalcomEmulator, n: int, timeout: float = 5.0) -> list[Delivery]:
        """``wait_for_deliveries`` for async tests (does not block their loop)."""
        return await asyncio.to_thread(self.wait_for_deliveries, n, timeout)

    async def wait_delivery(
        self: CalcomEmulator,
        predicate: Callable[[Delivery], bool] | None = None,
        timeout: float = 5.0,
    ) -> Delivery:
        """``wait_for_delivery`` for async tests."""
        return await asyncio.to_thread(self.wait_for_delivery, predicate, timeout)

    def redeliver(self: CalcomEmulator, index: int, timeout: float = 10.0) -> Delivery:
        """Resend past delivery ``index`` byte for byte (as Cal.com's retries do); wait."""
        if self._loop is None:
            raise RuntimeError("the emulator is not being served")
        future = asyncio.run_coroutine_threadsafe(self._resend(index), self._loop)
        return future.result(timeout)

    async def aredeliver(self: CalcomEmulator, index: int) -> Delivery:
        """``redeliver`` for async tests."""
        if self._loop is None:
            raise RuntimeError("the emulator is not being served")
        future = asyncio.run_coroutine_threadsafe(self._resend(index), self._loop)
        return await asyncio.wrap_future(future)

    async def _resend(self: CalcomEmulator, index: int) -> Delivery:
        with self._delivered:
            past = self.deliveries[index]
        job = {
            "url": past.url,
            "headers": past.headers,
            "body": past.body,
            "trigger": past.trigger,
            "webhook_id": past.webhook_id,
            "booking_uid": past.booking_uid,
        }
        return await self._send(job)
