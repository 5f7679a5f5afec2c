"""Typed values for what Cal.com and Maton return.

Each model is a frozen dataclass built by ``from_api(dict)``, which reads the documented
fields of the versioned endpoints (bookings 2024-08-13, event types 2024-06-14, schedules
2024-06-11, slots 2024-09-04), ignores anything extra, and keeps the whole dict in
``raw`` (not shown in repr, not compared). Times are timezone-aware datetimes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

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


def parse_datetime(value: Any) -> datetime | None:
    """An ISO 8601 string (``Z``, offsets and milliseconds allowed) as an aware datetime.

    A string without an offset is taken as UTC, as Cal.com documents its times.
    """
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_datetime(value: datetime) -> str:
    """An aware datetime as Cal.com wants it: UTC, ISO 8601, ``Z`` suffix."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: pass a timezone-aware datetime")
    utc = value.astimezone(UTC)
    if utc.microsecond:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def _int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _str(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def _strs(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list | tuple):
        return ()
    return tuple(str(v) for v in values if v is not None)


def _dicts(values: Any) -> list[dict[str, Any]]:
    if not isinstance(values, list | tuple):
        return []
    return [v for v in values if isinstance(v, dict)]


# ---------------------------------------------------------------------------- profile


@dataclass(frozen=True)
class Me:
    """The connected Cal.com user (``GET /v2/me``)."""

    id: int
    username: str
    email: str
    name: str | None
    time_zone: str
    time_format: int | None = None  # 12 or 24
    week_start: str | None = None
    default_schedule_id: int | None = None
    organization_id: int | None = None
    bio: str | None = None
    avatar_url: str | None = None
    locale: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Me:
        return cls(
            id=_int(data.get("id")) or 0,
            username=str(data.get("username") or ""),
            email=str(data.get("email") or ""),
            name=_str(data.get("name")),
            time_zone=str(data.get("timeZone") or "UTC"),
            time_format=_int(data.get("timeFormat")),
            week_start=_str(data.get("weekStart")),
            default_schedule_id=_int(data.get("defaultScheduleId")),
            organization_id=_int(data.get("organizationId")),
            bio=_str(data.get("bio")),
            avatar_url=_str(data.get("avatarUrl")),
            locale=_str(data.get("locale")),
            raw=data,
        )

    @property
    def display_name(self) -> str:
        return self.name or self.username or self.email


# ------------------------------------------------------------------------ event types


@dataclass(frozen=True)
class EventType:
    """An event type (2024-06-14 shape: ``lengthInMinutes``, ``ownerId``...)."""

    id: int
    title: str
    slug: str
    length: int  # minutes
    description: str | None = None
    hidden: bool = False
    owner_id: int | None = None
    schedule_id: int | None = None
    length_options: tuple[int, ...] = ()
    locations: tuple[dict[str, Any], ...] = ()
    requires_confirmation: bool = False
    users: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> EventType:
        length = data.get("lengthInMinutes", data.get("length"))
        policy = data.get("confirmationPolicy")
        requires_confirmation = bool(data.get("requiresConfirmation")) or (
            isinstance(policy, dict) and bool(policy) and not policy.get("disabled", False)
        )
        return cls(
            id=_int(data.get("id")) or 0,
            title=str(data.get("title") or ""),
            slug=str(data.get("slug") or ""),
            length=_int(length) or 0,
            description=_str(data.get("description")) or None,
            hidden=bool(data.get("hidden", False)),
            owner_id=_int(data.get("ownerId", data.get("userId"))),
            schedule_id=_int(data.get("scheduleId")),
            length_options=tuple(
                n for n in (_int(v) for v in data.get("lengthInMinutesOptions") or ()) if n
            ),
            locations=tuple(_dicts(data.get("locations"))),
            requires_confirmation=requires_confirmation,
            users=_strs(data.get("users")),
            raw=data,
        )


# --------------------------------------------------------------------------- webhooks


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
            triggers=_strs(triggers),
            active=bool(data.get("active", True)),
            event_type_id=_int(data.get("eventTypeId")),
            user_id=_int(data.get("userId")),
            payload_template=_str(data.get("payloadTemplate")),
            secret=_str(data.get("secret")),
            raw=data,
        )


# --------------------------------------------------------------------------- bookings


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
            id=_int(data.get("id")),
            name=str(data.get("name") or ""),
            email=str(data.get("email") or ""),
            username=_str(data.get("username")),
            time_zone=_str(data.get("timeZone")),
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
        duration = _int(data.get("duration"))
        if duration is None and start and end:
            duration = int((end - start).total_seconds() // 60)
        return cls(
            id=_int(data.get("id")) or 0,
            uid=str(data.get("uid") or ""),
            title=str(data.get("title") or ""),
            status=str(data.get("status") or "").lower(),
            start=start or epoch,
            end=end or start or epoch,
            duration=duration,
            event_type_id=_int(data.get("eventTypeId", event_type.get("id"))),
            event_type_slug=_str(event_type.get("slug")),
            description=_str(data.get("description")) or None,
            location=_str(data.get("location")) or None,
            meeting_url=_str(data.get("meetingUrl")) or None,
            hosts=tuple(Host.from_api(h) for h in _dicts(data.get("hosts"))),
            attendees=tuple(Attendee.from_api(a) for a in _dicts(data.get("attendees"))),
            guests=_strs(data.get("guests")),
            cancellation_reason=_str(data.get("cancellationReason")),
            rescheduling_reason=_str(data.get("reschedulingReason")),
            rescheduled_from_uid=_str(data.get("rescheduledFromUid")),
            rescheduled_to_uid=_str(data.get("rescheduledToUid")),
            recurring_booking_uid=_str(data.get("recurringBookingUid")),
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


# -------------------------------------------------------------------------- schedules


@dataclass(frozen=True)
class Availability:
    """Weekly hours: ``days`` are weekday names, times ``HH:MM`` in the schedule's zone."""

    days: tuple[str, ...]
    start_time: str
    end_time: str

    def __post_init__(self) -> None:
        bad = [d for d in self.days if d not in WEEKDAYS]
        if bad:
            raise ValueError(f"not weekday names: {bad}")

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Availability:
        days = data.get("days") or ()
        names = tuple(WEEKDAYS[(d - 1) % 7] if isinstance(d, int) else str(d) for d in days)
        return cls(
            days=tuple(d for d in names if d in WEEKDAYS),
            start_time=str(data.get("startTime") or "00:00")[:5],
            end_time=str(data.get("endTime") or "00:00")[:5],
        )

    def to_api(self) -> dict[str, Any]:
        return {"days": list(self.days), "startTime": self.start_time, "endTime": self.end_time}


@dataclass(frozen=True)
class Override:
    """Hours for one date, replacing the weekly ones."""

    date: date
    start_time: str
    end_time: str

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Override:
        return cls(
            date=date.fromisoformat(str(data.get("date"))[:10]),
            start_time=str(data.get("startTime") or "00:00")[:5],
            end_time=str(data.get("endTime") or "00:00")[:5],
        )

    def to_api(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "startTime": self.start_time,
            "endTime": self.end_time,
        }


@dataclass(frozen=True)
class Schedule:
    id: int
    name: str
    time_zone: str
    availability: tuple[Availability, ...]
    is_default: bool
    overrides: tuple[Override, ...] = ()
    owner_id: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Schedule:
        overrides = []
        for item in _dicts(data.get("overrides")):
            try:
                overrides.append(Override.from_api(item))
            except ValueError:
                continue
        return cls(
            id=_int(data.get("id")) or 0,
            name=str(data.get("name") or ""),
            time_zone=str(data.get("timeZone") or "UTC"),
            availability=tuple(Availability.from_api(a) for a in _dicts(data.get("availability"))),
            is_default=bool(data.get("isDefault", False)),
            overrides=tuple(overrides),
            owner_id=_int(data.get("ownerId")),
            raw=data,
        )


# ------------------------------------------------------------------------------ slots


@dataclass(frozen=True)
class Reservation:
    """A slot held for a while (``POST /v2/slots/reservations``)."""

    uid: str
    event_type_id: int
    start: datetime
    end: datetime | None
    duration: int | None  # minutes of the slot
    until: datetime | None  # the hold expires then
    hold_minutes: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Reservation:
        return cls(
            uid=str(data.get("reservationUid") or data.get("uid") or ""),
            event_type_id=_int(data.get("eventTypeId")) or 0,
            start=parse_datetime(data.get("slotStart")) or datetime(1970, 1, 1, tzinfo=UTC),
            end=parse_datetime(data.get("slotEnd")),
            duration=_int(data.get("slotDuration")),
            until=parse_datetime(data.get("reservationUntil")),
            hold_minutes=_int(data.get("reservationDuration")),
            raw=data,
        )


# ------------------------------------------------------ calendars, conferencing, teams


@dataclass(frozen=True)
class Calendar:
    external_id: str
    name: str | None
    integration: str | None = None
    email: str | None = None
    primary: bool = False
    read_only: bool = False
    is_selected: bool = False
    credential_id: int | None = None

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Calendar:
        return cls(
            external_id=str(data.get("externalId") or ""),
            name=_str(data.get("name")),
            integration=_str(data.get("integration")),
            email=_str(data.get("email") or data.get("primaryEmail")),
            primary=bool(data.get("primary")),
            read_only=bool(data.get("readOnly", False)),
            is_selected=bool(data.get("isSelected", False)),
            credential_id=_int(data.get("credentialId")),
        )


@dataclass(frozen=True)
class ConnectedCalendar:
    """One connected calendar account (e.g. a Google account) and its calendars."""

    integration_name: str
    integration_type: str | None
    credential_id: int | None
    primary: Calendar | None
    calendars: tuple[Calendar, ...]

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> ConnectedCalendar:
        integration = data.get("integration") if isinstance(data.get("integration"), dict) else {}
        primary = data.get("primary")
        return cls(
            integration_name=str(
                integration.get("title") or integration.get("name") or integration.get("slug") or ""
            ),
            integration_type=_str(integration.get("type")),
            credential_id=_int(data.get("credentialId")),
            primary=Calendar.from_api(primary) if isinstance(primary, dict) else None,
            calendars=tuple(Calendar.from_api(c) for c in _dicts(data.get("calendars"))),
        )


@dataclass(frozen=True)
class Calendars:
    """``GET /v2/calendars``: connected calendar accounts and where new events are written."""

    connected: tuple[ConnectedCalendar, ...]
    destination: Calendar | None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Calendars:
        destination = data.get("destinationCalendar")
        return cls(
            connected=tuple(
                ConnectedCalendar.from_api(c) for c in _dicts(data.get("connectedCalendars"))
            ),
            destination=Calendar.from_api(destination) if isinstance(destination, dict) else None,
            raw=data,
        )

    def __len__(self) -> int:
        return len(self.connected)


@dataclass(frozen=True)
class ConferencingApp:
    id: int
    type: str  # e.g. google_video, zoom_video, daily_video
    user_id: int | None = None
    invalid: bool = False
    app_id: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> ConferencingApp:
        return cls(
            id=_int(data.get("id")) or 0,
            type=str(data.get("type") or ""),
            user_id=_int(data.get("userId")),
            invalid=bool(data.get("invalid")),
            app_id=_str(data.get("appId")),
            raw=data,
        )


@dataclass(frozen=True)
class DefaultConferencing:
    app_slug: str | None
    app_link: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> DefaultConferencing:
        return cls(app_slug=_str(data.get("appSlug")), app_link=_str(data.get("appLink")), raw=data)


@dataclass(frozen=True)
class Team:
    id: int
    name: str
    slug: str | None = None
    is_organization: bool = False
    parent_id: int | None = None
    time_zone: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Team:
        return cls(
            id=_int(data.get("id")) or 0,
            name=str(data.get("name") or ""),
            slug=_str(data.get("slug")),
            is_organization=bool(data.get("isOrganization", False)),
            parent_id=_int(data.get("parentId")),
            time_zone=_str(data.get("timeZone")),
            raw=data,
        )


@dataclass(frozen=True)
class VerifiedEmail:
    id: int | None
    email: str
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> VerifiedEmail:
        return cls(id=_int(data.get("id")), email=str(data.get("email") or ""), raw=data)


# ------------------------------------------------------------------------ connections


@dataclass(frozen=True)
class Connection:
    """A Maton connection. ``url`` carries a session token, so it is kept out of repr."""

    connection_id: str
    status: str  # PENDING, ACTIVE, FAILED
    url: str | None = field(default=None, repr=False)
    app: str = "cal-com"
    created: datetime | None = None
    updated: datetime | None = None
    metadata: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Connection:
        return cls(
            connection_id=str(data.get("connection_id") or data.get("id") or ""),
            status=str(data.get("status") or "").upper(),
            url=_str(data.get("url")),
            app=str(data.get("app") or "cal-com"),
            created=parse_datetime(data.get("creation_time") or data.get("created")),
            updated=parse_datetime(data.get("last_updated_time") or data.get("updated")),
            metadata=data.get("metadata") if isinstance(data.get("metadata"), dict) else {},
        )

    @property
    def active(self) -> bool:
        return self.status == "ACTIVE"
