"""What the booking modal offers, through the booking services (no second booking path).

`Draft` is what the modal shows (host, type, day, the slot held); it travels in the
view's private_metadata, so any request, to any process, can rebuild the modal. `load`
turns a draft into a `Form`: the host's event types and the free times of the day, or
why there is nothing to choose.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.calcom.models import Attendee, Booking, EventType
from bot.models import Draft, Form, Hold, Intent, Link
from bot.runtime import Runtime
from bot.services import booking, common, event_types
from bot.services.errors import (
    LinkPending,
    NoEmail,
    NotLinked,
    PeopleMissing,
    TeammateNotLinked,
)

AHEAD = timedelta(days=15)  # the day shown and two weeks after, to name the next free day


def today(rt: Runtime, tz: str) -> date:
    return rt.clock().astimezone(ZoneInfo(tz)).date()


async def load(rt: Runtime, team_id: str, caller_id: str, draft: Draft, you: str) -> Form:
    """The form for `draft`: the host's types, the chosen one, and that day's free times."""
    day = date.fromisoformat(draft.day) if draft.day else today(rt, draft.tz)
    draft = replace(draft, day=day.isoformat())
    try:
        host = await booking.host_link(rt, team_id, caller_id, draft.host)
    except (NotLinked, LinkPending, TeammateNotLinked) as error:
        return Form(draft, caller_id, day, you=you, problem=error)
    types = await event_types.event_types_of(rt, host)
    if draft.host != caller_id:
        types = [t for t in types if not t.hidden]  # a teammate's hidden types stay theirs
    chosen = next((t for t in types if t.id == draft.event_type), types[0] if types else None)
    if chosen is None:
        return Form(draft, caller_id, day, you=you)
    draft = replace(draft, event_type=chosen.id)
    try:
        times, next_free = await _times(rt, host, chosen, day, draft, caller_id)
    except PeopleMissing as error:
        return Form(draft, caller_id, day, types, you=you, problem=error)
    return Form(draft, caller_id, day, types, times, next_free, you)


def with_people(draft: Draft, caller_id: str) -> tuple[str, ...]:
    """The "With" people the draft books with: only when you host (their common times)."""
    return draft.people if draft.host == caller_id else ()


def _meeting(team_id: str, caller_id: str, draft: Draft, event_type_id: int) -> Intent:
    """The draft as `/cal find` sees a search (never stored: the modal keeps its draft)."""
    return Intent(
        id="",
        team_id=team_id,
        user_id=caller_id,
        host_user_id=caller_id,
        event_type_id=event_type_id,
        tz=draft.tz,
        participants=with_people(draft, caller_id),
    )


async def _times(
    rt: Runtime, host: Link, event_type: EventType, day: date, draft: Draft, caller_id: str
) -> tuple[list[datetime], date | None]:
    """Free times on `day` (common to everyone "With", when you chose people), and the
    next day with any when it has none."""
    tz = draft.tz
    midnight = datetime.combine(day, time(), ZoneInfo(tz))
    start, end = max(midnight, rt.clock().astimezone(UTC)), midnight + AHEAD
    if start >= end:
        return [], None
    if with_people(draft, caller_id):
        meeting = _meeting(host.team_id, caller_id, draft, event_type.id)
        mine, theirs = await common.read_everyone(rt, meeting, host, event_type, start, end)
        slots = common.common(mine, theirs)
    else:
        slots = await booking.free_slots(rt, host, event_type, start, end, tz)
    times = slots.on(day)  # all of them: the select groups them by hour past 100
    return times, None if times else slots.first_day_from(day + timedelta(days=1))


async def hold(rt: Runtime, team_id: str, caller_id: str, draft: Draft, start: datetime) -> Hold:
    """Reserve `start` for this draft; SlotTaken when it is gone."""
    host = await booking.host_link(rt, team_id, caller_id, draft.host)
    event_type = await event_types.by_id(
        rt, host, int(draft.event_type or 0), public_only=draft.host != caller_id
    )
    uid = await booking.hold(rt, host, event_type, start)
    return Hold(uid, draft.host, event_type.id, int(start.timestamp()))


async def release(rt: Runtime, team_id: str, caller_id: str, held: Hold) -> None:
    """Let a hold go; a host who unlinked meanwhile leaves it to expire."""
    try:
        host = await booking.host_link(rt, team_id, caller_id, held.host)
    except (NotLinked, LinkPending, TeammateNotLinked):
        return
    await booking.release(rt, host, held.uid)


@dataclass(frozen=True)
class Made:
    """A booking made from the modal, and whom to tell."""

    booking: Booking
    host_user_id: str
    booker_user_id: str
    people: tuple[str, ...] = ()  # "With": each is invited, and hears (Join, Decline)

    @property
    def teammate(self) -> bool:
        return self.host_user_id != self.booker_user_id

    @property
    def tell(self) -> tuple[str, ...]:
        """The booker always hears (a DM with Cancel and Reschedule); a teammate host too."""
        if self.teammate:
            return (self.host_user_id, self.booker_user_id)
        return (self.booker_user_id,)


async def book(
    rt: Runtime,
    team_id: str,
    caller_id: str,
    draft: Draft,
    start: datetime,
    *,
    guest: Attendee,
    caller: Callable[[], Awaitable[Attendee]],
    notes: str | None,
) -> Made:
    """Book `start` with the draft's host and type, using the hold when it is this slot.

    You host: `guest` attends, or everyone "With" when you chose people (then `guest` is
    not used). A teammate hosts: you attend, as `caller` (your Slack
    profile, looked up only then) says; NoEmail when it has no email."""
    attendee = guest
    if draft.host != caller_id:
        attendee = await caller()
        if not attendee.email:
            raise NoEmail()
    host = await booking.host_link(rt, team_id, caller_id, draft.host)
    event_type = await event_types.by_id(
        rt, host, int(draft.event_type or 0), public_only=draft.host != caller_id
    )
    if with_people(draft, caller_id):
        meeting = _meeting(team_id, caller_id, draft, event_type.id)
        await common.still_common(rt, meeting, host, event_type, start)
        made = await common.book(
            rt, meeting, host, event_type, start, notes=notes or None, held=draft.held(start)
        )
    else:
        made = await booking.book(
            rt, host, event_type, start, attendee, notes=notes or None, held=draft.held(start)
        )
    held = draft.held(start)
    if held:  # the booking blocks the slot now; the reservation has done its job
        await booking.release(rt, host, held)
    return Made(made, draft.host, caller_id, with_people(draft, caller_id))
