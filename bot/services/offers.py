"""Booking from a command and its buttons: `/cal slots|book`, the picker's buttons, and
Reschedule. Each use case returns a value for the listener to render, never a reply:

- starting: an offer of times (`Offered`), a choice of types (`ChooseType`), or
  `NoSuchType`;
- a pick: `AskGuest` (who is it with?), `Booked` (the booking and whom to tell), or
  `Offered` again with `taken` set when the slot went meanwhile.

Every intent is made here (through bot/services/intents.py), and every button's intent
is loaded for the person clicking, so a button is only ever its owner's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.calcom.models import Attendee, Booking, EventType
from bot.models import Almost, Intent, Link
from bot.runtime import Runtime
from bot.services import authority, booking, common, event_types, intents
from bot.services.errors import (
    AmbiguousEventType,
    NoEmail,
    NoSuchEventType,
    ServiceError,
    SlotTaken,
)
from bot.services.paging import Cursor
from bot.when import Exact, WhenError, Window, parse_when


@dataclass(frozen=True)
class Offered:
    """Free times to show for an intent: one exact time, or a page of them."""

    intent: Intent
    host: Link
    event_type: EventType
    offer: booking.Offer
    moving: Booking | None = None  # Reschedule: the booking the pick will move
    taken: bool = False  # the slot picked went meanwhile: the day's times as they are now
    almost: Almost | None = None  # `/cal find` with no common time: who alone is busy


@dataclass(frozen=True)
class ChooseType:
    """Several event types match: the user picks one (each a button on `intent`)."""

    intent: Intent
    query: str
    candidates: list[EventType]


@dataclass(frozen=True)
class NoSuchType:
    query: str
    choices: list[EventType]


@dataclass(frozen=True)
class AskGuest:
    """You are the host and named nobody: ask who the meeting is with, then pick again."""

    intent: Intent
    start: datetime


@dataclass(frozen=True)
class Booked:
    """A booking made (or moved), and the Slack users to tell by DM."""

    booking: Booking
    intent: Intent
    rescheduled: bool = False

    @property
    def tell(self) -> tuple[str, ...]:
        """A teammate booking tells the host and the booker; your own needs no DM; a
        `/cal find` booking tells every participant."""
        if self.intent.participants and not self.rescheduled:
            return tuple(self.intent.participants)
        if self.intent.teammate and not self.rescheduled:
            return (self.intent.host_user_id, self.intent.user_id)
        return ()


Started = Offered | ChooseType | NoSuchType
Picked = AskGuest | Booked | Offered


async def types_of(
    rt: Runtime, team_id: str, user_id: str, host_id: str | None
) -> tuple[Link, list[EventType]]:
    """`/cal types [@teammate]`: whose types they are, and the types."""
    host = await booking.host_link(rt, team_id, user_id, host_id)
    return host, await event_types.event_types_of(rt, host)


def read_when(rt: Runtime, text: str, tz: str) -> Window | Exact:
    """The time phrase in the caller's zone; a typo is the user's to fix."""
    try:
        return parse_when(text, now=rt.clock(), tz=tz)
    except WhenError as error:
        raise ServiceError(str(error)) from None


async def start(
    rt: Runtime,
    team_id: str,
    user_id: str,
    tz: str,
    *,
    host_id: str | None,
    type_query: str | None,
    when_text: str,
    one_click: bool = True,
    guest_name: str | None = None,
    guest_email: str | None = None,
    guest_tz: str | None = None,
    participants: tuple[str, ...] = (),
) -> Started:
    """Resolve the host and the event type, then find free times for the phrase (common
    to the caller and every one of `participants`, when given: `/cal find`)."""
    host = await booking.host_link(rt, team_id, user_id, host_id)
    when = read_when(rt, when_text, tz)  # a typo fails before any gateway call
    fields = dict(
        team_id=team_id,
        user_id=user_id,
        host_user_id=host.user_id,
        tz=tz,
        when_text=when_text,
        guest_name=guest_name,
        guest_email=guest_email,
        guest_tz=guest_tz,
        participants=participants,
    )
    try:
        event_type = await event_types.resolve(
            rt, host, type_query, public_only=host.user_id != user_id
        )
    except AmbiguousEventType as error:
        intent = intents.create(rt, event_type_id=0, **fields)
        return ChooseType(intent, error.query, error.candidates)
    except NoSuchEventType as error:
        return NoSuchType(error.query, error.choices)
    intent = intents.create(rt, event_type_id=event_type.id, **fields)
    return await _offer(rt, intent, host, event_type, when, one_click=one_click)


async def page(
    rt: Runtime, team_id: str, user_id: str, intent_id: str, cursor_text: str, *, earlier: bool
) -> Offered:
    """Earlier / Later / "Show Fri 27 Nov": the page the button's cursor leads to."""
    intent = intents.load(rt, intent_id, team_id, user_id)
    cursor = Cursor.decode(cursor_text, intent.tz)
    if cursor is None:
        raise ServiceError("That button is out of date: ask for times again.")
    host, event_type = await _resolve(rt, intent)
    if intent.participants:
        found = await common.turn_page(rt, intent, host, event_type, cursor, earlier=earlier)
    else:
        found = await booking.turn_page(rt, host, event_type, intent.tz, cursor, earlier=earlier)
    return Offered(intent, host, event_type, found)


async def choose_type(
    rt: Runtime, team_id: str, user_id: str, intent_id: str, event_type_id: int
) -> Offered:
    """One of several matching types was chosen: times for it, on a new intent."""
    intent = intents.load(rt, intent_id, team_id, user_id)
    host = await booking.host_link(rt, intent.team_id, intent.user_id, intent.host_user_id)
    event_type = await event_types.by_id(rt, host, event_type_id, public_only=intent.teammate)
    chosen = intents.with_type(rt, intent, event_type.id)
    return await _offer(rt, chosen, host, event_type, read_when(rt, intent.when_text, intent.tz))


async def book_type(
    rt: Runtime, team_id: str, user_id: str, tz: str, host_id: str, event_type_id: int
) -> Offered:
    """ "Book" on `/cal types`: the next 7 days of that event type."""
    host = await booking.host_link(rt, team_id, user_id, host_id)
    event_type = await event_types.by_id(
        rt, host, event_type_id, public_only=host.user_id != user_id
    )
    intent = intents.create(
        rt,
        team_id=team_id,
        user_id=user_id,
        host_user_id=host.user_id,
        event_type_id=event_type.id,
        tz=tz,
    )
    return await _offer(rt, intent, host, event_type, read_when(rt, "", tz))


async def start_reschedule(rt: Runtime, team_id: str, user_id: str, tz: str, uid: str) -> Offered:
    """Reschedule: times for the same event type; the pick moves the booking."""
    link, moving = await authority.hosted_booking(rt, team_id, user_id, uid)
    event_type = await event_types.by_id(rt, link, moving.event_type_id or 0)
    intent = intents.create(
        rt,
        team_id=team_id,
        user_id=user_id,
        host_user_id=user_id,
        event_type_id=event_type.id,
        tz=tz,
        reschedule_uid=moving.uid,
    )
    offered = await _offer(rt, intent, link, event_type, read_when(rt, "", tz))
    return Offered(intent, link, event_type, offered.offer, moving=moving)


async def pick(
    rt: Runtime,
    team_id: str,
    user_id: str,
    intent_id: str,
    start_epoch: int,
    *,
    caller: Callable[[], Awaitable[Attendee]],
    guest: tuple[str, str] | None = None,
) -> Picked:
    """A slot button, the one-click offer, or the guest modal's answer (`guest`: name and
    email). `caller` looks up the person clicking (their Slack profile), needed only when
    they book a teammate and attend themselves."""
    intent = intents.load(rt, intent_id, team_id, user_id)
    start = datetime.fromtimestamp(start_epoch, UTC).astimezone(ZoneInfo(intent.tz))
    if intent.participants:
        return await _pick_common(rt, intent, start)
    if not (intent.reschedule_uid or intent.teammate or intent.guest_email or guest):
        return AskGuest(intent, start)  # only a database read before this: triggers live 3 s
    host, event_type = await _resolve(rt, intent)
    try:
        if intent.reschedule_uid:
            # checked when the picker was made; checked again: hosts change, links move
            await authority.hosted_booking(rt, team_id, user_id, intent.reschedule_uid)
            moved = await booking.reschedule(rt, host, intent.reschedule_uid, start)
            return Booked(moved, intent, rescheduled=True)
        attendee = await _attendee(intent, guest, caller)
        return Booked(await booking.book(rt, host, event_type, start, attendee), intent)
    except SlotTaken:
        window = booking.day_window(start.date(), rt.clock(), intent.tz)
        fresh = await _offer(rt, intent, host, event_type, window)
        return Offered(intent, host, event_type, fresh.offer, taken=True)


async def _pick_common(rt: Runtime, intent: Intent, start: datetime) -> Picked:
    """A common time picked: one booking with everyone, or that day's common times now."""
    host, event_type = await _resolve(rt, intent)
    try:
        await common.still_common(rt, intent, host, event_type, start)
        return Booked(await common.book(rt, intent, host, event_type, start), intent)
    except SlotTaken:
        window = booking.day_window(start.date(), rt.clock(), intent.tz)
        fresh = await _offer(rt, intent, host, event_type, window)
        return Offered(intent, host, event_type, fresh.offer, taken=True, almost=fresh.almost)


async def offer_for(rt: Runtime, intent: Intent) -> Offered:
    """Times for an intent's own phrase (a `/cal find` narrowed to fewer people)."""
    host, event_type = await _resolve(rt, intent)
    return await _offer(rt, intent, host, event_type, read_when(rt, intent.when_text, intent.tz))


async def _attendee(
    intent: Intent, guest: tuple[str, str] | None, caller: Callable[[], Awaitable[Attendee]]
) -> Attendee:
    if guest is not None:
        return Attendee(guest[0], guest[1], intent.tz)
    if intent.teammate:
        you = await caller()
        if not you.email:
            raise NoEmail()
        return you
    email = intent.guest_email or ""
    return Attendee(intent.guest_name or email, email, intent.guest_tz or intent.tz)


async def _resolve(rt: Runtime, intent: Intent) -> tuple[Link, EventType]:
    """The host's link and the event type an intent names (a teammate's must be public)."""
    host = await booking.host_link(rt, intent.team_id, intent.user_id, intent.host_user_id)
    event_type = await event_types.by_id(
        rt, host, intent.event_type_id, public_only=intent.teammate
    )
    return host, event_type


async def _offer(
    rt: Runtime,
    intent: Intent,
    host: Link,
    event_type: EventType,
    when: Window | Exact,
    *,
    one_click: bool = True,
) -> Offered:
    if intent.participants:
        found, near = await common.offer(rt, intent, host, event_type, when, one_click=one_click)
        return Offered(intent, host, event_type, found, almost=near)
    found = await booking.offer(rt, host, event_type, when, intent.tz, one_click=one_click)
    return Offered(intent, host, event_type, found)
