"""`/cal find`: the use cases around common times (bot/services/common.py computes them).

- `start`: who is in (mentions and expanded user groups, up to MAX_PEOPLE besides you),
  then the same offer of times as `/cal book` (bot/services/offers.py), common to all;
- `without`: the caller chose to search without the people named as missing;
- `decline`: a participant declines from their DM; only someone the booking invites may.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from bot.blocks.limits import MAX_PEOPLE
from bot.calcom.errors import NotFound
from bot.calcom.models import Booking
from bot.concurrently import in_order
from bot.models import Link
from bot.runtime import Runtime
from bot.services import authority, intents, offers
from bot.services.errors import NotAParticipant, RequestGone, ServiceError, TooManyPeople


def _everyone(user_id: str, people: Iterable[str]) -> tuple[str, ...]:
    """The people named, once each, in order, without the caller."""
    seen: list[str] = []
    for person in people:
        if person != user_id and person not in seen:
            seen.append(person)
    return tuple(seen)


async def start(
    rt: Runtime,
    team_id: str,
    user_id: str,
    tz: str,
    *,
    type_query: str,
    people: Iterable[str],
    when_text: str,
) -> offers.Started:
    everyone = _everyone(user_id, people)
    if not everyone:
        raise ServiceError("Name at least one teammate besides you (a user group works too).")
    if len(everyone) > MAX_PEOPLE:
        raise TooManyPeople(MAX_PEOPLE)
    return await offers.start(
        rt,
        team_id,
        user_id,
        tz,
        host_id=None,
        type_query=type_query,
        when_text=when_text,
        participants=everyone,
    )


async def without(
    rt: Runtime, team_id: str, user_id: str, intent_id: str, dropped: Iterable[str]
) -> offers.Offered:
    """ "Find a time without Carol": the same search, for the others (the caller's choice,
    on their own intent; only people of that search can be dropped)."""
    intent = intents.load(rt, intent_id, team_id, user_id)
    gone = set(dropped)
    if not gone or not gone <= set(intent.participants):
        raise ServiceError("Those people aren't part of that search. Run `/cal find` again.")
    left = tuple(p for p in intent.participants if p not in gone)
    if not left:
        raise ServiceError("Nobody is left to find a time with.")
    return await offers.offer_for(rt, intents.with_people(rt, intent, left))


@dataclass(frozen=True)
class Declined:
    booking: Booking
    organiser_id: str  # Slack user id: told by DM
    user_id: str  # who declined


async def decline(
    rt: Runtime,
    team_id: str,
    user_id: str,
    organiser_id: str,
    uid: str,
    *,
    slack_email: Callable[[], Awaitable[str | None]],
) -> Declined:
    """A participant declines a `/cal find` booking. The booking is read through the
    organiser's connection and must be hosted by them, and the person clicking must be
    invited to it (their Cal.com or Slack email among its attendees and guests): a forged
    button value gets nothing."""
    organiser = rt.store.get_link(team_id, organiser_id)
    if organiser is None or not organiser.active or organiser_id == user_id:
        raise RequestGone()
    # the booking and the clicker's Slack email side by side; the booking's verdict first
    made, email = await in_order(_hosted_by(rt, organiser, uid), slack_email())
    invited = {a.email.lower() for a in made.attendees if a.email}
    invited |= {g.lower() for g in made.guests}
    own = rt.store.get_link(team_id, user_id)
    mine = {e.lower() for e in ((own.email if own else None), email) if e}
    if not mine & invited:
        raise NotAParticipant()
    return Declined(made, organiser_id, user_id)


async def _hosted_by(rt: Runtime, organiser: Link, uid: str) -> Booking:
    """Booking `uid`, standing and hosted by `organiser`; RequestGone otherwise. The
    organiser's Cal.com user id (a profile read for an older link) is read alongside."""
    made, calcom_user_id = await in_order(
        _standing(rt, organiser, uid), authority.cal_user_id(rt, organiser)
    )
    if not authority.hosts(calcom_user_id, made):
        raise RequestGone()  # Cal.com reads any uid for anyone: the organiser must host it
    return made


async def _standing(rt: Runtime, organiser: Link, uid: str) -> Booking:
    try:
        made = await rt.calcom.booking(organiser.connection_id, uid)
    except NotFound:
        raise RequestGone() from None
    if made.is_cancelled:
        raise RequestGone()
    return made
