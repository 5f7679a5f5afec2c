"""`POST /calcom/webhooks/{token}`: verify a Cal.com delivery, store it, answer at once.

Checks in order of cost: the token (an indexed lookup) → 404; the size (at most 1 MB,
counted while reading, whatever Content-Length claims) → 413; `X-Cal-Signature-256`, the
hex HMAC-SHA256 of the raw body with the subscription's secret, compared in constant
time → 401; the JSON → 400. Then one INSERT puts the delivery and its dedupe key in the
outbox (committed with those that arrived at the same moment: bot/store/group_commit.py;
not stored → 503, which Cal.com retries), the worker is woken, and Cal.com gets its 200
without waiting for Slack. A delivery seen before is answered 200 too (Cal.com retried),
and stored once.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import sqlite3
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.bodies import HungUp, TooLarge, read_limited
from bot.notify import events
from bot.runtime import Runtime
from bot.services import routines
from bot.store import notifications as tables
from bot.store.group_commit import OutboxWriter

log = logging.getLogger("calbot.notify")

MAX_BODY = 1024 * 1024
SIGNATURE_HEADER = "x-cal-signature-256"


def signature_ok(secret: str, body: bytes, given: str | None) -> bool:
    """Whether `given` is the hex HMAC-SHA256 of `body` under `secret` (constant time)."""
    if not given:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given.strip().lower())


def _answer(status: int, **body: object) -> Response:
    return JSONResponse({"ok": status == 200, **body}, status_code=status)


async def read_signed(
    request: Request, secret: str, who: str
) -> tuple[bytes, events.Key] | Response:
    """A delivery's body and facts, checked in order of cost: its size (413), whether it
    came whole (400), its signature under `secret` (401: one warning naming `who`), its
    JSON (400). Both webhook routes read deliveries this way; the answer when one fails."""
    try:
        body = await read_limited(request, MAX_BODY)
    except TooLarge:
        return _answer(413, error="body over 1 MB")
    except HungUp:  # the client left: an answer nobody reads, for the access line
        return _answer(400, error="body incomplete")
    if not signature_ok(secret, body, request.headers.get(SIGNATURE_HEADER)):
        log.warning("webhook with a missing or wrong signature for %s", who)
        return _answer(401, error="bad signature")
    try:
        return body, events.read_delivery(body)
    except events.Malformed as error:
        return _answer(400, error=str(error))


def webhook_route(
    rt: Runtime, stored: Callable[[str], object]
) -> Callable[[Request], Awaitable[Response]]:
    """The Starlette endpoint; `stored(token)` is called after a new row of subscription
    `token` lands (wakes the worker)."""
    outbox = OutboxWriter(rt.store.db)  # deliveries arriving together share one commit

    async def receive(request: Request) -> Response:
        sub = tables.subscription_for_delivery(rt.store.db, request.path_params["token"])
        if sub is None:
            return _answer(404, error="unknown subscription")
        read = await read_signed(request, sub.secret, f"subscription {sub.id}")
        if isinstance(read, Response):
            return read
        body, key = read
        if not key.is_booking:  # PING, or a trigger we never asked for
            log.info("%s for subscription %s ignored: not a booking event", key.trigger, sub.id)
            return _answer(200, queued=False)
        try:
            queued = await outbox.enqueue(
                tables.Delivery(
                    token=sub.token,
                    team_id=sub.team_id,
                    dedupe_key=key.dedupe(sub.token),
                    trigger_event=key.trigger,
                    booking_uid=key.booking_uid,
                    rescheduled_from=key.rescheduled_from,
                    body=body.decode("utf-8"),
                    received_at=rt.clock().timestamp(),
                )
            )
        except sqlite3.Error:  # logged by the writer; Cal.com sends it again after a 5xx
            return _answer(503, error="not stored, try again")
        if queued:
            # the worker logs its post under the reference outbox-<id>
            log.info("%s for %s queued as outbox-%s", key.trigger, key.booking_uid, queued)
            stored(sub.token)
            routines.booking_delivered(rt, sub.team_id, sub.user_id, body)  # reminders follow
        else:
            log.info("duplicate %s for %s ignored", key.trigger, key.booking_uid)
        return _answer(200, queued=queued is not None)

    return receive
