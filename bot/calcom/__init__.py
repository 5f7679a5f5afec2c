"""The gateway: Cal.com API v2 through Maton. The only place that knows their wire format.

- ``client.CalcomClient``: one async method per Cal.com operation, typed results.
- ``connections.MatonConnections``: Maton's control plane (create/list/get/delete).
- ``errors``: the ``CalcomError`` family, each with a ``user_message``.
- ``models``: frozen dataclasses built by ``from_api``.
- ``transport``: the request/retry/error-mapping core and ``make_http_client``.
"""

from bot.calcom.client import CalcomClient
from bot.calcom.connections import MatonConnections
from bot.calcom.errors import (
    BadApiKey,
    CalcomError,
    Conflict,
    ConnectionExpired,
    Forbidden,
    Invalid,
    NotConnected,
    NotFound,
    RateLimited,
    UpstreamFailure,
)
from bot.calcom.models import (
    Attendee,
    Availability,
    Booking,
    BookingPage,
    Calendars,
    ConferencingApp,
    Connection,
    DefaultConferencing,
    EventType,
    Me,
    Override,
    Reservation,
    Schedule,
    Team,
    VerifiedEmail,
    Webhook,
)
from bot.calcom.transport import make_http_client

__all__ = [
    "Attendee",
    "Availability",
    "BadApiKey",
    "Booking",
    "BookingPage",
    "CalcomClient",
    "CalcomError",
    "Calendars",
    "ConferencingApp",
    "Conflict",
    "Connection",
    "ConnectionExpired",
    "DefaultConferencing",
    "EventType",
    "Forbidden",
    "Invalid",
    "MatonConnections",
    "Me",
    "NotConnected",
    "NotFound",
    "Override",
    "RateLimited",
    "Reservation",
    "Schedule",
    "Team",
    "UpstreamFailure",
    "VerifiedEmail",
    "Webhook",
    "make_http_client",
]
