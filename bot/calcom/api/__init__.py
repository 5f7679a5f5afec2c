"""Cal.com API v2, one mixin per resource; ``bot.calcom.client.CalcomClient`` composes them.

- ``base``: the call (headers, versions), Cal.com's envelope, field-name mapping.
- ``account``: /me, calendars, conferencing, teams, verified emails.
- ``event_types``, ``bookings``, ``schedules``, ``slots``: one module each.
- ``webhooks``: the user's webhooks and event types' webhooks, written once.
"""

from bot.calcom.api.account import AccountApi
from bot.calcom.api.base import ApiBase
from bot.calcom.api.bookings import BookingsApi
from bot.calcom.api.event_types import EventTypesApi
from bot.calcom.api.schedules import SchedulesApi
from bot.calcom.api.slots import SlotsApi
from bot.calcom.api.webhooks import WebhooksApi

__all__ = [
    "AccountApi",
    "ApiBase",
    "BookingsApi",
    "EventTypesApi",
    "SchedulesApi",
    "SlotsApi",
    "WebhooksApi",
]
