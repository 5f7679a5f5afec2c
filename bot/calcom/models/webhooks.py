"""User-level and event-type webhooks, and the triggers Cal.com accepts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.calcom.models.fields import opt_int, opt_str, str_tuple

# Webhook triggers Cal.com accepts (spec enum of CreateWebhookInputDto). Note there is no
# BOOKING_CONFIRMED: Cal.com answers 400 to it.
WEBHOOK_TRIGGERS = frozenset(
    {
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
    }
)


@dataclass(frozen=True)
class Webhook:
    """A user-level or event-type webhook. Ids are strings (Cal.com uses UUIDs)."""

    id: str
    subscriber_url: str
    triggers: tuple[str, ...]
    active: bool
    event_type_id: int | None = None
    user_id: int | None = None
    payload_template: str | None = None
    secret: str | None = field(default=None, repr=False)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Webhook:
        triggers = data.get("triggers") or data.get("eventTriggers") or ()
        if isinstance(triggers, str):
            triggers = [triggers]
        return cls(
            id=str(data.get("id") or ""),
            subscriber_url=str(data.get("subscriberUrl") or ""),
            triggers=str_tuple(triggers),
            active=bool(data.get("active", True)),
            event_type_id=opt_int(data.get("eventTypeId")),
            user_id=opt_int(data.get("userId")),
            payload_template=opt_str(data.get("payloadTemplate")),
            secret=opt_str(data.get("secret")),
            raw=data,
        )
