"""The product's value types: what services compute and what blocks render.

They live here, apart from the modules that fill them (store, services, notify), so that
Block Kit builders can take them without importing any I/O layer (README, "How it is built"). Frozen
dataclasses with pure properties only; imports are the stdlib (and `bot.calcom.models` for
annotations).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: importing this module stays stdlib-cheap for the store
    from bot.calcom.models import Booking, EventType, Me, Schedule

# --- accounts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """One Slack user's Cal.com account, reached through one Maton connection."""

    team_id: str
    user_id: str
    connection_id: str
    status: str
    calcom_user_id: int | None = None
    username: str | None = None
    email: str | None = None
    name: str | None = None
    time_zone: str | None = None
    created_at: str | None = None
    updated_at: str | None = None

    @property
    def active(self) -> bool:
        return self.status == "ACTIVE"


@dataclass(frozen=True)
class AccountOverview:
    """Everything `/cal me` shows, fetched concurrently. None for calendars, teams or
    verified emails: Cal.com would not say (not found, or not allowed for this account)."""

    profile: Any
    schedule: Any
    conferencing: Any
    calendars: Any
    teams: Any
    verified_emails: Any


# --- notifications ------------------------------------------------------------------------


@dataclass(frozen=True)
class Subscription:
    """One channel (or DM) receiving one user's booking events, through its own webhook."""

    id: int
    token: str
    team_id: str
    user_id: str
    channel_id: str | None  # None: the owner's DM
    event_type_id: int | None  # None: every event type of the owner
    event_type_title: str | None
    triggers: tuple[str, ...]
    webhook_id: str
    secret: str = field(repr=False)  # never in a log line
    created_at: str = ""
    broken: str | None = None

    @property
    def target(self) -> str:
        """Where chat.postMessage goes: the channel, or the owner's id for their DM."""
        return self.channel_id or self.user_id

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Subscription:
        return cls(**{**row, "triggers": tuple(t for t in row["triggers"].split(",") if t)})


@dataclass(frozen=True)
class Person:
    name: str | None
    email: str | None
    time_zone: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.email or "someone"


@dataclass(frozen=True)
class BookingEvent:
    """What happened to a booking, as a message shows it."""

    kind: str  # created, rescheduled, reschedule_asked, moved, cancelled, requested, ...
    trigger: str
    uid: str
    title: str
    start: datetime | None
    end: datetime | None
    length: int | None  # minutes
    organizer: Person | None
    attendees: tuple[Person, ...]
    location: str | None  # a place, a phone number, or a conferencing app's name
    join_url: str | None
    reason: str | None = None  # why it was cancelled, declined or moved
    by: str | None = None  # who cancelled or rescheduled, as Cal.com names them
    previous_start: datetime | None = None
    previous_end: datetime | None = None
    needs_confirmation: bool = False  # the host must confirm or decline
    no_shows: tuple[str, ...] = ()
    no_show_cleared: tuple[str, ...] = ()  # no-show marks removed


# --- App Home -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    link: Link
    profile: Me
    upcoming: list[Booking]
    types: list[EventType]
    schedule: Schedule | None
    subscriptions: list[Subscription] = field(default_factory=list)


# --- booking from a command ---------------------------------------------------------------


@dataclass(frozen=True)
class Intent:
    """What a slot picker is for, stored server-side (bot/store/intents.py): its buttons
    carry only the intent id, never a connection, an email or a host."""

    id: str
    team_id: str
    user_id: str  # who asked; only they may press its buttons
    host_user_id: str  # whose calendar (the caller, or a mentioned teammate)
    event_type_id: int  # 0 while the user still has to choose among several
    tz: str  # the caller's zone, for showing times
    when_text: str = ""  # what they asked for, kept for after they choose a type
    guest_name: str | None = None  # the attendee when the caller is the host
    guest_email: str | None = None
    guest_tz: str | None = None  # a Slack guest's own zone (`with @dana`), for the booking
    reschedule_uid: str | None = None  # set when picking a new time for a booking
    # `/cal find`: the teammates everyone's common times are for (Slack user ids); the
    # caller hosts, on their own event type
    participants: tuple[str, ...] = ()

    @property
    def teammate(self) -> bool:
        return self.host_user_id != self.user_id


@dataclass(frozen=True)
class Almost:
    """No time suits everyone: the one person whose absence frees the most times, and the
    first of those times (in the caller's zone)."""

    busy_user_id: str
    count: int
    first: tuple[datetime, ...]


# --- booking modal ------------------------------------------------------------------------


@dataclass(frozen=True)
class Hold:
    """A slot reserved for this modal: released when the modal closes or the choice changes."""

    uid: str
    host: str  # Slack user id of the host whose connection made the reservation
    event_type: int
    start: int  # epoch seconds


@dataclass(frozen=True)
class Guest:
    """The attendee when you are the host (prefilled from a message's author)."""

    name: str = ""
    email: str = ""
    tz: str | None = None


@dataclass(frozen=True)
class Draft:
    """What the booking modal shows; travels in the view's private_metadata, so any
    request, to any process, can rebuild the modal."""

    host: str  # Slack user id
    event_type: int | None = None
    day: str | None = None  # ISO date in `tz`; None: today
    tz: str = "UTC"  # the viewer's zone: days and times are shown in it
    rev: int = 0  # bumped whenever the type or time options change
    hold: Hold | None = None
    guest: Guest = field(default_factory=Guest)
    owner: str = ""  # Slack user id of who opened the modal; only their payloads count
    people: tuple[str, ...] = ()  # "With": teammates whose common times the list shows

    def to_meta(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> Draft:
        hold = meta.get("hold")
        return cls(
            host=str(meta.get("host") or ""),
            event_type=meta.get("event_type"),
            day=meta.get("day"),
            tz=str(meta.get("tz") or "UTC"),
            rev=int(meta.get("rev") or 0),
            hold=Hold(**hold) if isinstance(hold, dict) else None,
            guest=Guest(**(meta.get("guest") or {})),
            owner=str(meta.get("owner") or ""),
            people=tuple(str(p) for p in meta.get("people") or ()),
        )

    def moved(self, **changes: Any) -> Draft:
        """The draft after a host, type or date change: new options, nothing held."""
        return replace(self, rev=self.rev + 1, hold=None, **changes)

    def held(self, start: datetime) -> str | None:
        """The reservation uid when this draft holds exactly `start`."""
        hold = self.hold
        if hold and hold.host == self.host and hold.event_type == self.event_type:
            return hold.uid if hold.start == int(start.timestamp()) else None
        return None


@dataclass(frozen=True)
class Form:
    """A draft's choices: the host's event types and the day's free times, or why none."""

    draft: Draft
    caller: str  # Slack user id of who is booking
    day: date
    types: list[EventType] = field(default_factory=list)
    times: list[datetime] = field(default_factory=list)  # free starts on `day`, in draft.tz
    next_free: date | None = None
    you: str = ""  # how you appear as the attendee when booking a teammate
    notice: str | None = None  # a word above the form (the time picked was just taken)
    problem: Exception | None = None  # why there is nothing to choose (host not linked, ...)

    @property
    def you_host(self) -> bool:
        return self.draft.host == self.caller


# --- your day: agenda, daily agenda, reminders (bot/services/agenda.py) --------------------


@dataclass(frozen=True)
class DayAgenda:
    """A user's bookings in one window (`today`, `tomorrow`, `week`), local aware bounds,
    and, when the window is empty, the next booking after it (None when there is none)."""

    window: str
    start: datetime
    end: datetime
    bookings: tuple[Booking, ...]
    next_booking: Booking | None = None


@dataclass(frozen=True)
class Routine:
    """A user's opt-ins: the daily agenda's minute of the day (in their current Slack zone,
    weekdays) and how many minutes before each booking to remind them; None is off."""

    team_id: str
    user_id: str
    agenda_minute: int | None = None
    remind_minutes: int | None = None
    time_zone: str = "UTC"


# --- booking links that unfurl (bot/services/unfurl.py) -----------------------------------


@dataclass(frozen=True)
class LinkCard:
    """What a pasted booking link unfurls into: the event type, its owner, and the owner's
    next free times (aware, in the owner's zone)."""

    url: str
    owner_user_id: str
    owner_name: str
    event_type: EventType
    times: tuple[datetime, ...]
