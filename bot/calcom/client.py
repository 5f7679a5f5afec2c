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

import httpx

from bot.calcom.api import (
    AccountApi,
    BookingsApi,
    EventTypesApi,
    SchedulesApi,
    SlotsApi,
    WebhooksApi,
)
from bot.calcom.api.base import V_BOOKINGS, V_EVENT_TYPES, V_SCHEDULES, V_SLOTS
from bot.calcom.api.bookings import BOOKING_STATUSES
from bot.calcom.transport import Monotonic, Sleep, Transport, make_http_client

__all__ = [
    "BOOKING_STATUSES",
    "V_BOOKINGS",
    "V_EVENT_TYPES",
    "V_SCHEDULES",
    "V_SLOTS",
    "CalcomClient",
    "make_http_client",
]


class CalcomClient(AccountApi, EventTypesApi, BookingsApi, SchedulesApi, SlotsApi, WebhooksApi):
    """Cal.com v2 through the Maton gateway. One instance per process, shared.

    The operations live in ``bot.calcom.api``, one mixin per resource; this class only
    binds them to the gateway's transport.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        gateway_url: str,
        api_key: str,
        sleep: Sleep = asyncio.sleep,
        clock: Monotonic = time.monotonic,
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
