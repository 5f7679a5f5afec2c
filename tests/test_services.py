"""The use cases on their own: services called directly, against the Cal.com emulator over
loopback, with no Slack in between. Each returns a value; nothing here renders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from types import SimpleNamespace

import pytest

from bot.calcom.models import Attendee
from bot.config import Settings
from bot.runtime import Runtime
from bot.services import offers
from bot.services.errors import IntentExpired, NoEmail
from bot.services.offers import AskGuest, Booked, ChooseType, NoSuchType, Offered
from tests.emulators.calcom import CalcomEmulator
from tests.helpers import Clock, link_user
from tests.picking import NY

TOMORROW_9 = datetime(2026, 11, 26, 9, 0, tzinfo=NY)


@pytest.fixture
async def rt(settings: Settings, clock: Clock) -> AsyncIterator[Runtime]:
    runtime = Runtime.create(settings, clock=clock)
    yield runtime
    await runtime.close()


def link(rt: Runtime, calcom: CalcomEmulator, user: str, username: str, **account: object):
    return link_user(SimpleNamespace(rt=rt), calcom, user, username, **account)  # type: ignore[arg-type]


async def nobody() -> Attendee:
    raise AssertionError("the caller's profile was not needed here")


async def test_starting_returns_an_offer_a_choice_or_no_such_type(
    rt: Runtime, calcom: CalcomEmulator
) -> None:
    link(rt, calcom, "U1", "sam")
    offered = await offers.start(
        rt, "T111", "U1", "America/New_York", host_id=None, type_query="30min",
        when_text="tomorrow 9am", guest_email="jane@example.com",
    )  # fmt: skip
    assert isinstance(offered, Offered) and offered.offer.exact == TOMORROW_9
    assert offered.intent.user_id == "U1" and offered.intent.event_type_id == offered.event_type.id

    nothing = await offers.start(
        rt, "T111", "U1", "America/New_York", host_id=None, type_query="karaoke", when_text=""
    )
    assert isinstance(nothing, NoSuchType) and nothing.query == "karaoke"
    assert {t.slug for t in nothing.choices} >= {"30min", "60min"}


async def test_a_choice_of_types_carries_an_intent_only_its_owner_can_use(
    rt: Runtime, calcom: CalcomEmulator
) -> None:
    types = [
        {"title": "Intro call", "slug": "intro", "length": 30},
        {"title": "Standup", "slug": "standup", "length": 30},
    ]
    link(rt, calcom, "U1", "sam", event_types=types)
    choice = await offers.start(
        rt, "T111", "U1", "America/New_York", host_id=None, type_query="30", when_text="tomorrow"
    )
    assert isinstance(choice, ChooseType) and len(choice.candidates) == 2
    standup = choice.candidates[1]
    with pytest.raises(IntentExpired):
        await offers.choose_type(rt, "T111", "U2", choice.intent.id, standup.id)
    chosen = await offers.choose_type(rt, "T111", "U1", choice.intent.id, standup.id)
    assert chosen.event_type.title == "Standup" and chosen.intent.id != choice.intent.id
    assert chosen.offer.page is not None and chosen.offer.page.days


async def test_a_pick_without_a_guest_asks_before_any_gateway_call(
    rt: Runtime, calcom: CalcomEmulator
) -> None:
    link(rt, calcom, "U1", "sam")
    offered = await offers.start(
        rt, "T111", "U1", "America/New_York", host_id=None, type_query="30min",
        when_text="tomorrow 9am",
    )  # fmt: skip
    assert isinstance(offered, Offered)
    before = len(calcom.requests)
    asked = await offers.pick(
        rt, "T111", "U1", offered.intent.id, int(TOMORROW_9.timestamp()), caller=nobody
    )
    assert isinstance(asked, AskGuest) and asked.start == TOMORROW_9
    assert len(calcom.requests) == before
    booked = await offers.pick(
        rt, "T111", "U1", offered.intent.id, int(TOMORROW_9.timestamp()),
        caller=nobody, guest=("Jane", "jane@example.com"),
    )  # fmt: skip
    assert isinstance(booked, Booked) and booked.tell == ()
    [made] = calcom.bookings.values()
    assert made["uid"] == booked.booking.uid
    assert [a["email"] for a in made["attendees"]] == ["jane@example.com"]


async def test_booking_a_teammate_names_both_to_tell_and_needs_your_email(
    rt: Runtime, calcom: CalcomEmulator
) -> None:
    link(rt, calcom, "U1", "sam")
    link(rt, calcom, "U2", "alice")
    offered = await offers.start(
        rt, "T111", "U1", "America/New_York", host_id="U2", type_query="30min",
        when_text="tomorrow 9am",
    )  # fmt: skip
    assert isinstance(offered, Offered) and offered.intent.teammate
    epoch = int(TOMORROW_9.timestamp())

    async def no_email() -> Attendee:
        return Attendee("Sam", "", "America/New_York")

    with pytest.raises(NoEmail):
        await offers.pick(rt, "T111", "U1", offered.intent.id, epoch, caller=no_email)

    async def sam() -> Attendee:
        return Attendee("Sam", "sam@acme.test", "America/New_York")

    booked = await offers.pick(rt, "T111", "U1", offered.intent.id, epoch, caller=sam)
    assert isinstance(booked, Booked) and booked.tell == ("U2", "U1")


async def test_a_slot_taken_meanwhile_comes_back_as_fresh_times(
    rt: Runtime, calcom: CalcomEmulator
) -> None:
    link(rt, calcom, "U1", "sam")
    offered = await offers.start(
        rt, "T111", "U1", "America/New_York", host_id=None, type_query="30min",
        when_text="tomorrow", guest_email="jane@example.com", one_click=False,
    )  # fmt: skip
    assert isinstance(offered, Offered)
    calcom.book_as_guest(
        event_type_id=offered.event_type.id, start=TOMORROW_9, name="Early", email="e@x.test"
    )
    again = await offers.pick(
        rt, "T111", "U1", offered.intent.id, int(TOMORROW_9.timestamp()), caller=nobody
    )
    assert isinstance(again, Offered) and again.taken
    assert again.offer.page is not None
    assert TOMORROW_9 not in again.offer.page.days[TOMORROW_9.date()]


def test_common_times_are_the_callers_that_everyone_has_and_almost_names_one() -> None:
    """Pure set logic of /cal find: instants compare across zones; when nobody's times
    meet, the one person whose absence frees the most is named."""
    from datetime import UTC, date, timedelta
    from zoneinfo import ZoneInfo

    from bot.services.booking import Slots
    from bot.services.common import almost, common
    from bot.when import Window

    day = date(2026, 11, 26)
    at = [datetime(2026, 11, 26, 14, 0, tzinfo=UTC) + timedelta(minutes=30 * i) for i in range(4)]
    mine = Slots({day: [t.astimezone(NY) for t in at]}, "America/New_York")
    berlin = ZoneInfo("Europe/Berlin")
    alice = Slots({day: [t.astimezone(berlin) for t in at[:3]]}, "Europe/Berlin")
    bob = Slots({day: [at[3]]}, "UTC")
    carol = Slots({day: [at[0], at[2], at[3]]}, "UTC")
    both = [at[0].astimezone(NY), at[2].astimezone(NY)]
    assert common(mine, {"U2": alice, "U4": carol}).days == {day: both}
    assert common(mine, {"U2": alice, "U3": bob}).days == {}
    window = Window(at[0], at[3] + timedelta(hours=1), "tomorrow")
    near = almost(mine, {"U2": alice, "U3": bob, "U4": carol}, window)
    assert near is not None and near.busy_user_id == "U3" and near.first == (at[0], at[2])
    assert almost(mine, {"U3": bob}, window) is None  # one person: nobody to leave out


def test_a_modal_booking_names_whom_to_tell() -> None:
    from bot.services.booking_form import Made

    booking = object()
    assert Made(booking, "U1", "U1").tell == ("U1",)  # type: ignore[arg-type]
    assert Made(booking, "U2", "U1").tell == ("U2", "U1")  # type: ignore[arg-type]
