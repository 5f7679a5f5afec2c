"""The picker reaches every free time, both ways, on a crowded and busy calendar.

End to end: signed `/cal` requests and button clicks into the real app, the Cal.com
emulator computing slots from a schedule and bookings. The expected free times come from
the emulator (Cal.com's rules), never from our code. The clock is Wed 25 Nov 2026 10:00
in New York. Kim works 08:00-18:00 Mon-Fri, so a free day has 40 quarter-hours, more than
a picker's 25 buttons; next week is made busy: Tue has 12 free, Wed 20, Thu none.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.emulators.calcom import CalcomEmulator
from tests.helpers import Bot, link_user
from tests.picking import button, press, slot_buttons
from tests.slackdriver import action_ids, text_of
from tests.test_modal_booking import change, option, pick_date
from tests.viewdriver import ViewDriver, find_block

NY = ZoneInfo("America/New_York")
WORKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TYPES = [
    {"title": "15 min", "slug": "15min", "length": 15},
    {"title": "60 min", "slug": "60min", "length": 60},
    {"title": "Quick", "slug": "quick", "length": 15, "slotInterval": 5},
]
MON = datetime(2026, 11, 30, tzinfo=NY)
SAT = datetime(2026, 12, 5, tzinfo=NY)  # the end of "mon - fri" next week


@pytest.fixture
def kim(bot: Bot, calcom: CalcomEmulator):
    link = link_user(
        bot,
        calcom,
        "U1",
        "kim",
        working_hours=[{"days": WORKDAYS, "startTime": "08:00", "endTime": "18:00"}],
        event_types=TYPES,
    )
    hour_type = calcom.account("kim").event_type("60min")["id"]
    busy = {1: range(8, 15), 2: range(8, 13), 3: range(8, 18)}  # Tue, Wed, Thu: hours taken
    for offset, hours in busy.items():
        for hour in hours:
            calcom.book_as_guest(
                event_type_id=hour_type,
                start=(MON + timedelta(days=offset)).replace(hour=hour),
                name="Busy Guest",
                email="busy@example.com",
            )
    return link


def free_times(calcom: CalcomEmulator, slug: str, start: datetime, end: datetime) -> list[datetime]:
    """What Cal.com (the emulator) says is free, as instants, in [start, end)."""
    et = calcom.account("kim").event_type(slug)
    found = calcom.available_starts(et, start.astimezone(UTC), end.astimezone(UTC))
    return sorted(t for t in found if t < end)


def shown(payload: dict[str, Any]) -> list[datetime]:
    return [
        datetime.fromtimestamp(int(b["action_id"].split(":")[1]), UTC)
        for b in slot_buttons(payload)
    ]


def has(payload: dict[str, Any], action_id: str) -> bool:
    return action_id in action_ids(payload)


def test_walking_a_crowded_week_forward_and_back_meets_every_free_time_once(
    bot: Bot, calcom: CalcomEmulator, kim
) -> None:
    expected = free_times(calcom, "15min", MON, SAT)
    assert len(expected) == 40 + 12 + 20 + 0 + 40

    pages = [bot.slack.reply(bot.slack.command("slots 15min mon - fri"))]
    assert not has(pages[0], "slots_page:earlier")  # nothing before the first page
    while all(t < SAT for t in shown(pages[-1])):
        assert has(pages[-1], "slots_page:later"), text_of(pages[-1])
        pages.append(press(bot, button(pages[-1], "slots_page:later")))
    beyond = pages.pop()  # the first page past Friday: Later leads on past the window
    assert min(shown(beyond)) >= SAT

    forward = [shown(p) for p in pages]
    reached = [t for page in forward for t in page]
    assert reached == expected  # every free time, once, in order
    assert [len(p) for p in forward] == [25, 15, 12, 20, 25, 15]
    days = [{t.astimezone(NY).date() for t in p} for p in forward]
    assert days[0] == days[1] == {MON.date()}  # a crowded day pages within the day

    back = [beyond]
    while has(back[-1], "slots_page:earlier"):
        back.append(press(bot, button(back[-1], "slots_page:earlier")))
    backward = [shown(p) for p in back[1:]]
    assert backward == forward[::-1]  # Earlier is exactly the inverse of Later


def test_a_crowded_tomorrow_reaches_its_last_time(bot: Bot, calcom: CalcomEmulator, kim) -> None:
    """Thu 26 Nov: 40 free quarter-hours; the first page shows 25, Later the other 15."""
    thu, fri = datetime(2026, 11, 26, tzinfo=NY), datetime(2026, 11, 27, tzinfo=NY)
    expected = free_times(calcom, "15min", thu, fri)
    first = bot.slack.reply(bot.slack.command("book 15min tomorrow"))
    second = press(bot, button(first, "slots_page:later"))
    assert shown(first) + shown(second) == expected
    assert shown(second)[-1].astimezone(NY).strftime("%H:%M") == "17:45"
    again = press(bot, button(second, "slots_page:earlier"))
    assert shown(again) == shown(first)


def test_a_free_exact_time_is_never_called_taken(bot: Bot, calcom: CalcomEmulator, kim) -> None:
    free = bot.slack.reply(bot.slack.command("slots 15min tomorrow 1pm"))
    assert "isn't free" not in text_of(free)
    assert datetime(2026, 11, 26, 13, 0, tzinfo=NY) in shown(free)
    taken = bot.slack.reply(bot.slack.command("slots 15min dec 3 1pm"))  # Thu: all booked
    assert "isn't free" in text_of(taken)


def test_the_modal_lists_every_free_time_of_a_crowded_day(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver, kim
) -> None:
    """A 5-minute grid: 118 free times on Monday, more than a select's 100 options."""
    bot.slack.command("")
    view = views.opened()
    quick = {
        "type": "static_select",
        "selected_option": option(view, "booking_type", "Quick · 15 min"),
    }
    view = pick_date(views, change(views, view, "booking_type", quick), MON.date().isoformat())
    element = find_block(view, "booking_time")["element"]
    groups = element["option_groups"]
    values = [int(o["value"]) for g in groups for o in g["options"]]
    expected = free_times(calcom, "quick", MON, MON + timedelta(days=1))
    assert len(expected) == 118
    assert values == [int(t.timestamp()) for t in expected]
    assert [g["label"]["text"] for g in groups][:2] == ["8:00 AM", "9:00 AM"]
    last = option(view, "booking_time", "5:45 PM")  # the last time is reachable, and valid
    assert int(last["value"]) == int(expected[-1].timestamp())


def test_a_find_picker_walks_the_common_times_both_ways(
    bot: Bot, calcom: CalcomEmulator, kim
) -> None:
    """`/cal find`: the same pages over the times both are free, Earlier the way back."""
    hours = [{"days": WORKDAYS, "startTime": "08:00", "endTime": "18:00"}]
    link_user(bot, calcom, "U2", "alice", working_hours=hours, event_types=TYPES)
    for hour in (8, 9, 10):  # Alice is busy Monday 8-11
        calcom.book_as_guest(
            event_type_id=calcom.account("alice").event_type("60min")["id"],
            start=MON.replace(hour=hour),
            name="Alice's Guest",
            email="guest@example.com",
        )
    theirs = set(
        calcom.available_starts(
            calcom.account("alice").event_type("15min"), MON.astimezone(UTC), SAT.astimezone(UTC)
        )
    )
    expected = [t for t in free_times(calcom, "15min", MON, SAT) if t in theirs]

    pages = [bot.slack.reply(bot.slack.command("find 15min <@U2|alice> mon - fri"))]
    while all(t < SAT for t in shown(pages[-1])) and has(pages[-1], "slots_page:later"):
        pages.append(press(bot, button(pages[-1], "slots_page:later")))
    if shown(pages[-1]) and min(shown(pages[-1])) >= SAT:
        pages.pop()
    forward = [shown(p) for p in pages]
    assert [t for page in forward for t in page] == expected

    back = [pages[-1]]
    while has(back[-1], "slots_page:earlier"):
        back.append(press(bot, button(back[-1], "slots_page:earlier")))
    assert [shown(p) for p in back] == forward[::-1]
