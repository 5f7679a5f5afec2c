"""Typed values for what Cal.com and Maton return.

Each model is a frozen dataclass built by ``from_api(dict)``, which reads the documented
fields of the versioned endpoints (bookings 2024-08-13, event types 2024-06-14, schedules
2024-06-11, slots 2024-09-04), ignores anything extra, and keeps the whole dict in
``raw`` (not shown in repr, not compared). Times are timezone-aware datetimes.

One module per Cal.com resource; everything is importable from here, as it always was.
"""

from bot.calcom.models.account import (
    Calendar,
    Calendars,
    ConferencingApp,
    ConnectedCalendar,
    DefaultConferencing,
    Me,
    Team,
    VerifiedEmail,
)
from bot.calcom.models.bookings import Attendee, Booking, BookingPage, Host
from bot.calcom.models.event_types import EventType
from bot.calcom.models.fields import format_datetime, parse_datetime
from bot.calcom.models.maton import Connection
from bot.calcom.models.schedules import WEEKDAYS, Availability, Override, Schedule
from bot.calcom.models.slots import Reservation
from bot.calcom.models.webhooks import WEBHOOK_TRIGGERS, Webhook

__all__ = [
    "WEBHOOK_TRIGGERS",
    "WEEKDAYS",
    "Attendee",
    "Availability",
    "Booking",
    "BookingPage",
    "Calendar",
    "Calendars",
    "ConferencingApp",
    "ConnectedCalendar",
    "Connection",
    "DefaultConferencing",
    "EventType",
    "Host",
    "Me",
    "Override",
    "Reservation",
    "Schedule",
    "Team",
    "VerifiedEmail",
    "Webhook",
    "format_datetime",
    "parse_datetime",
]
