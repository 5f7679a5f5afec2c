"""Bookings (2024-08-13 shape), their attendees and hosts, and a page of the list."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.calcom.models.fields import dict_list, opt_int, opt_str, parse_datetime, str_tuple


@dataclass(frozen=True)
class Attendee:
    """A booking's attendee; also the input of ``create_booking``."""

    name: str
    email: str
    time_zone: str
    language: str = "en"
    absent: bool = False

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Attendee:
        return cls(
            name=str(data.get("name") or ""),
            email=str(data.get("email") or ""),
            time_zone=str(data.get("timeZone") or "UTC"),
            language=str(data.get("language") or "en"),
            absent=bool(data.get("absent", False)),
        )

    def to_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {"name": self.name, "timeZone": self.time_zone}
        if self.email:
            body["email"] = self.email
        if self.language:
            body["language"] = self.language
        return body


@dataclass(frozen=True)
class Host:
    id: int | None
    name: str
    email: str
    username: str | None = None
    time_zone: str | None = None

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Host:
        return cls(
            id=opt_int(data.get("id")),
            name=str(data.get("name") or ""),
            email=str(data.get("email") or ""),
            username=opt_str(data.get("username")),
            time_zone=opt_str(data.get("timeZone")),
        )


@dataclass(frozen=True)
class Booking:
    """A booking (2024-08-13 shape). ``status`` is lower case: accepted, pending, cancelled,
    rejected."""

    id: int
    uid: str
    title: str
    status: str
    start: datetime
    end: datetime
    duration: int | None = None  # minutes
    event_type_id: int | None = None
    event_type_slug: str | None = None
    description: str | None = None
    location: str | None = None
    meeting_url: str | None = None
    hosts: tuple[Host, ...] = ()
    attendees: tuple[Attendee, ...] = ()
    guests: tuple[str, ...] = ()
    cancellation_reason: str | None = None
    rescheduling_reason: str | None = None
    rescheduled_from_uid: str | None = None
    rescheduled_to_uid: str | None = None
    recurring_booking_uid: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    metadata: dict[str, Any] = field(default_factory=dict, compare=False)
    booking_fields: dict[str, Any] = field(default_factory=dict, compare=False)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Booking:
        start = parse_datetime(data.get("start", data.get("startTime")))
        end = parse_datetime(data.get("end", data.get("endTime")))
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        event_type = data.get("eventType") if isinstance(data.get("eventType"), dict) else {}
        duration = opt_int(data.get("duration"))
        if duration is None and start and end:
            duration = int((end - start).total_seconds() // 60)
        return cls(
            id=opt_int(data.get("id")) or 0,
            uid=str(data.get("uid") or ""),
            title=str(data.get("title") or ""),
            status=str(data.get("status") or "").lower(),
            start=start or epoch,
            end=end or start or epoch,
            duration=duration,
            event_type_id=opt_int(data.get("eventTypeId", event_type.get("id"))),
            event_type_slug=opt_str(event_type.get("slug")),
            description=opt_str(data.get("description")) or None,
            location=opt_str(data.get("location")) or None,
            meeting_url=opt_str(data.get("meetingUrl")) or None,
            hosts=tuple(Host.from_api(h) for h in dict_list(data.get("hosts"))),
            attendees=tuple(Attendee.from_api(a) for a in dict_list(data.get("attendees"))),
            guests=str_tuple(data.get("guests")),
            cancellation_reason=opt_str(data.get("cancellationReason")),
            rescheduling_reason=opt_str(data.get("reschedulingReason")),
            rescheduled_from_uid=opt_str(data.get("rescheduledFromUid")),
            rescheduled_to_uid=opt_str(data.get("rescheduledToUid")),
            recurring_booking_uid=opt_str(data.get("recurringBookingUid")),
            created_at=parse_datetime(data.get("createdAt")),
            updated_at=parse_datetime(data.get("updatedAt")),
            metadata=data.get("metadata") if isinstance(data.get("metadata"), dict) else {},
            booking_fields=(
                data.get("bookingFieldsResponses")
                if isinstance(data.get("bookingFieldsResponses"), dict)
                else {}
            ),
            raw=data,
        )

    @property
    def is_cancelled(self) -> bool:
        return self.status in ("cancelled", "rejected")

    @property
    def is_pending(self) -> bool:
        return self.status == "pending"

    @property
    def host(self) -> Host | None:
        return self.hosts[0] if self.hosts else None


@dataclass(frozen=True)
class BookingPage:
    """One page of ``GET /v2/bookings``."""

    items: tuple[Booking, ...]
    total: int
    has_more: bool
    take: int
    skip: int

    @property
    def next_skip(self) -> int | None:
        """The ``skip`` of the next page, or None on the last one."""
        return self.skip + len(self.items) if self.has_more else None

    def __iter__(self) -> Iterator[Booking]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)
