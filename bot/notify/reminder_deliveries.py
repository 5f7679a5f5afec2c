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
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.notify.endpoint import read_signed
from bot.runtime import Runtime
from bot.services import routines
from bot.store import notifications as tables
from bot.store import routines as rows

log = logging.getLogger("calbot.notify")


def _answer(status: int, **body: object) -> Response:
    return JSONResponse({"ok": status == 200, **body}, status_code=status)


Endpoint = Callable[[Request], Awaitable[Response]]


def or_else(rt: Runtime, subscriptions: Endpoint) -> Endpoint:
    """The webhook route: reminder webhooks here (one indexed lookup), the rest to
    `subscriptions` (bot/notify/endpoint.py). Tokens are unguessable and never shared
    between the two tables, so the order of the lookups changes no answer."""

    async def route(request: Request) -> Response:
        token = request.path_params["token"]
        # a subscription's token first: it is cached, and nearly every delivery is one
        if tables.subscription_for_delivery(rt.store.db, token) is not None:
            return await subscriptions(request)
        hook = rows.hook_by_token(rt.store.db, token)
        if hook is None:
            return await subscriptions(request)
        return await receive(rt, hook, request)

    return route


async def receive(rt: Runtime, hook: rows.Hook, request: Request) -> Response:
    read = await read_signed(request, hook.secret, f"the reminders of {hook.user_id}")
    if isinstance(read, Response):
        return read
    body, key = read
    if key.is_booking:
        routines.booking_delivered(rt, hook.team_id, hook.user_id, body)
        log.info("%s for %s applied to reminders", key.trigger, key.booking_uid)
    return _answer(200, queued=False)
