"""Deliveries of a user's reminder webhook (bot/services/reminder_hooks.py), on the route of
`/cal notify`'s (`POST /calcom/webhooks/{token}`): a token of a reminder webhook is
answered here, any other by bot/notify/endpoint.py.

The same checks as a subscription's: the token → 404 (there), the size →
413, the signature with the webhook's own secret → 401, the JSON → 400. Then the user's
reminders follow the booking at once and Cal.com gets its 200; nothing goes to the outbox,
as nothing is posted. A retried delivery applies again, to the same effect.
"""

from __future__ import annotations

import logging

from bot.notify.endpoint import NOT_QUEUED, Answer, Endpoint, ReadBody, Signed, read_signed
from bot.runtime import Runtime
from bot.services import routines
from bot.store import notifications as tables
from bot.store import routines as rows

log = logging.getLogger("calbot.notify")


def or_else(rt: Runtime, subscriptions: Endpoint) -> Endpoint:
    """The webhook endpoint: reminder webhooks here (one indexed lookup), the rest to
    `subscriptions` (bot/notify/endpoint.py). Tokens are unguessable and never shared
    between the two tables, so the order of the lookups changes no answer."""

    async def route(token: str, signature: str | None, read: ReadBody) -> Answer:
        # a subscription's token first: it is cached, and nearly every delivery is one
        if tables.subscription_for_delivery(rt.store.db, token) is not None:
            return await subscriptions(token, signature, read)
        hook = rows.hook_by_token(rt.store.db, token)
        if hook is None:
            return await subscriptions(token, signature, read)
        return await receive(rt, hook, signature, read)

    return route


async def receive(rt: Runtime, hook: rows.Hook, signature: str | None, read: ReadBody) -> Answer:
    delivered = await read_signed(read, hook.secret, signature, f"the reminders of {hook.user_id}")
    if not isinstance(delivered, Signed):
        return delivered
    body, key = delivered
    if key.is_booking:
        routines.booking_delivered(rt, hook.team_id, hook.user_id, body)
        log.info("%s for %s applied to reminders", key.trigger, key.booking_uid)
    return NOT_QUEUED
