"""`POST /calcom/webhooks/{token}`: verify a Cal.com delivery, store it, answer at once.

Checks in order of cost: the token (an indexed lookup) → 404; the size (at most 1 MB,
counted while reading, whatever Content-Length claims) → 413; `X-Cal-Signature-256`, the
hex HMAC-SHA256 of the raw body with the subscription's secret, compared in constant
time → 401; the JSON → 400. Then one INSERT puts the delivery and its dedupe key in the
outbox (committed with those that arrived at the same moment: bot/store/group_commit.py;
not stored → 503, which Cal.com retries), the worker is woken, and Cal.com gets its 200
without waiting for Slack. A delivery seen before is answered 200 too (Cal.com retried),
and stored once.

No web framework here: an endpoint takes the token, the signature header and a way to
read the body, and returns the status and JSON to send. bot/notify/asgi.py serves it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from typing import NamedTuple

from bot.bodies import HungUp, TooLarge
from bot.notify import events
from bot.runtime import Runtime
from bot.services import routines
from bot.store import notifications as tables
from bot.store.group_commit import OutboxWriter

log = logging.getLogger("calbot.notify")

MAX_BODY = 1024 * 1024
SIGNATURE_HEADER = "x-cal-signature-256"

Answer = tuple[int, bytes]  # the HTTP status, and the JSON body
ReadBody = Callable[[int], Awaitable[bytes]]  # the body, at most N bytes: TooLarge, HungUp
# the token, the signature header (if any), the body's reader -> the answer
Endpoint = Callable[[str, str | None, ReadBody], Awaitable[Answer]]


def answer(status: int, **body: object) -> Answer:
    """`{"ok": ..., **body}` with `status`: the shape of every answer of the route."""
    return status, json.dumps({"ok": status == 200, **body}, separators=(",", ":")).encode()


# Every answer the route gives is one of these, rendered once.
QUEUED = answer(200, queued=True)
NOT_QUEUED = answer(200, queued=False)
UNKNOWN = answer(404, error="unknown subscription")
TOO_LARGE = answer(413, error="body over 1 MB")
INCOMPLETE = answer(400, error="body incomplete")
BAD_SIGNATURE = answer(401, error="bad signature")
NOT_STORED = answer(503, error="not stored, try again")


def signature_ok(secret: str, body: bytes, given: str | None) -> bool:
    """Whether `given` is the hex HMAC-SHA256 of `body` under `secret` (constant time)."""
    if not given:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given.strip().lower())


class Signed(NamedTuple):
    """A delivery whose signature held, and its facts."""

    body: bytes
    key: events.Key


async def read_signed(
    read: ReadBody, secret: str, signature: str | None, who: str
) -> Signed | Answer:
    """A delivery's body and facts, checked in order of cost: its size (413), whether it
    came whole (400), its signature under `secret` (401: one warning naming `who`), its
    JSON (400). Both webhook endpoints read deliveries this way; the answer when one fails."""
    try:
        body = await read(MAX_BODY)
    except TooLarge:
        return TOO_LARGE
    except HungUp:  # the client left: an answer nobody reads, for the access line
        return INCOMPLETE
    if not signature_ok(secret, body, signature):
        log.warning("webhook with a missing or wrong signature for %s", who)
        return BAD_SIGNATURE
    try:
        return Signed(body, events.read_delivery(body))
    except events.Malformed as error:
        return answer(400, error=str(error))


def webhook_endpoint(rt: Runtime, stored: Callable[[str], object]) -> Endpoint:
    """The subscriptions' endpoint; `stored(token)` is called after a new row of
    subscription `token` lands (wakes the worker)."""
    outbox = OutboxWriter(rt.store.db)  # deliveries arriving together share one commit

    async def receive(token: str, signature: str | None, read: ReadBody) -> Answer:
        sub = tables.subscription_for_delivery(rt.store.db, token)
        if sub is None:
            return UNKNOWN
        delivered = await read_signed(read, sub.secret, signature, f"subscription {sub.id}")
        if not isinstance(delivered, Signed):
            return delivered
        body, key = delivered
        if not key.is_booking:  # PING, or a trigger we never asked for
            log.info("%s for subscription %s ignored: not a booking event", key.trigger, sub.id)
            return NOT_QUEUED
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
            return NOT_STORED
        if queued is None:
            log.info("duplicate %s for %s ignored", key.trigger, key.booking_uid)
            return NOT_QUEUED
        # the worker logs its post under the reference outbox-<id>
        log.info("%s for %s queued as outbox-%s", key.trigger, key.booking_uid, queued)
        stored(sub.token)
        routines.booking_delivered(rt, sub.team_id, sub.user_id, body)  # reminders follow
        return QUEUED

    return receive
