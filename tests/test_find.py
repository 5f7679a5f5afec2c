"""`/cal find` end to end: several Cal.com users in New York, Berlin and Kolkata, with
their own working hours and bookings; the offered times must be exactly the intersection
of what the emulator says each of them has free, and the booking must carry everyone.

The clock is Wed 25 Nov 2026 10:00 in New York (15:00 UTC) unless a test moves it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.when import Window, parse_when
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import Bot, Clock, link_user
from tests.picking import NY, button, press, slot_buttons
from tests.slackdriver import action_ids, text_of
from tests.viewdriver import ViewDriver, has_block, option, option_texts

BERLIN = ZoneInfo("Europe/Berlin")
KOLKATA = ZoneInfo("Asia/Kolkata")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def hours(start: str, end: str, days: list[str] | None = None) -> list[dict[str, Any]]:
    return [{"days": days or WEEKDAYS, "startTime": start, "endTime": end}]


@pytest.fixture
def team(bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam) -> dict[str, Any]:
    """Sam (U1, New York 09-17), Alice (U2, Berlin 09-17), Bob (U3, Kolkata 18-23),
    each linked through their own connection; Carol (U4) in Slack only."""
    alice = link_user(bot, calcom, "U2", "alice", name="Alice Wong", time_zone="Europe/Berlin")
    bob = link_user(
        bot,
        calcom,
        "U3",
        "bob",
        name="Bob Ray",
        time_zone="Asia/Kolkata",
        working_hours=hours("18:00", "23:00"),
    )
    slack.add_user("U4", name="carol", real_name="Carol King", email="carol@acme.test")
    return {"sam": sam, "alice": alice, "bob": bob}


def offered(payload: dict[str, Any]) -> list[datetime]:
    """The instants of a picker's slot buttons (action id `pick_slot:<epoch>`)."""
    return [
        datetime.fromtimestamp(int(b["action_id"].split(":")[1]), UTC)
        for b in slot_buttons(payload)
    ]


def free_of(calcom: CalcomEmulator, username: str, start: datetime, end: datetime) -> set:
    """What the emulator says is free for `username`'s 30-minute type, from its own state."""
    et = calcom.account(username).event_type("30min")
    return {t for t in calcom.available_starts(et, start, end) if start <= t < end}


def intersection(calcom: CalcomEmulator, names: list[str], window: Window) -> list[datetime]:
    sets = [free_of(calcom, n, window.start, window.end) for n in names]
    return sorted(set.intersection(*sets))


def slot_reads(calcom: CalcomEmulator) -> list[Any]:
    return [r for r in calcom.gateway_requests() if r.api_path == "/v2/slots"]


def booking_writes(calcom: CalcomEmulator) -> list[Any]:
    return [
        r for r in calcom.gateway_requests() if r.api_path == "/v2/bookings" and r.method == "POST"
    ]


def test_offers_exactly_the_common_times_and_books_everyone(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, team: dict[str, Any], clock: Clock
) -> None:
    # Alice is taken Thu 14:30 UTC (hosting); Bob attends someone else's meeting at 15:30
    calcom.book_as_guest(
        event_type_id=calcom.account("alice").event_type("30min")["id"],
        start=datetime(2026, 11, 26, 14, 30, tzinfo=UTC),
        name="Visitor",
        email="visitor@example.com",
    )
    calcom.add_account(username="dana", name="Dana", email="dana@acme.test")
    calcom.book_as_guest(
        event_type_id=calcom.account("dana").event_type("30min")["id"],
        start=datetime(2026, 11, 26, 15, 30, tzinfo=UTC),
        name="Bob Ray",
        email="bob@acme.test",
    )
    calcom.fault("together", path="/cal-com/v2/slots", times=3)  # all three reads at once

    picker = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U3|bob> tomorrow"))

    tomorrow = parse_when("tomorrow", now=clock(), tz="America/New_York")
    assert isinstance(tomorrow, Window)
    expected = intersection(calcom, ["sam", "alice", "bob"], tomorrow)
    assert offered(picker) == expected
    # by hand: New York 09-17 ∩ Berlin 09-17 ∩ Kolkata 18-23 is 14:00-16:00 UTC, less
    # Alice's 14:30 and Bob's 15:30: 9:00 and 10:00 in New York
    assert [b["text"]["text"] for b in slot_buttons(picker)] == ["9:00 AM", "10:00 AM"]
    assert "<@U2> and <@U3>" in text_of(picker)
    reads = slot_reads(calcom)
    assert sorted(r.connection_id for r in reads) == sorted(
        link.connection_id for link in team.values()
    )  # N+1 reads, each through that person's own connection, all in flight together
    assert all(r.status == 200 for r in reads)

    confirmation = press(bot, slot_buttons(picker)[1])  # 10:00 AM New York
    assert "Booked" in text_of(confirmation)
    assert len(booking_writes(calcom)) == 1
    assert booking_writes(calcom)[0].connection_id == team["sam"].connection_id
    made = next(b for b in calcom.bookings.values() if b["eventTypeId"] == _sam_30(calcom))
    assert made["start"] == datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
    assert {a["email"] for a in made["attendees"]} == {"alice@acme.test", "bob@acme.test"}
    assert made["guests"] == ["bob@acme.test"]

    dms = slack.wait_for("chat.postMessage", count=2)
    assert {c.args["channel"] for c in dms} == {"U2", "U3"}
    for dm in dms:
        assert f"<!date^{int(made['start'].timestamp())}^" in text_of(dm.args)
        assert {"join_meeting", "find_decline"} <= set(action_ids(dm.args))

    # the booked time is nobody's any more: a new search leaves it out
    again = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U3|bob> tomorrow"))
    assert [b["text"]["text"] for b in slot_buttons(again)] == ["9:00 AM"]


def _sam_30(calcom: CalcomEmulator) -> int:
    return calcom.account("sam").event_type("30min")["id"]


def test_common_times_across_a_dst_change(
    bot: Bot, calcom: CalcomEmulator, clock: Clock, sam
) -> None:
    """New York moves to summer time on Sun 14 Mar 2027, Berlin on 28 Mar: in between,
    the overlap of 09-17 in both grows from two hours to three. Every common time of the
    week is reachable through Later."""
    clock.now = datetime(2027, 3, 11, 15, 0, tzinfo=UTC)  # Thu 10:00 in New York
    link_user(bot, calcom, "U2", "alice", name="Alice Wong", time_zone="Europe/Berlin")

    seen: list[datetime] = []
    page = bot.slack.reply(bot.slack.command("find 30min <@U2|alice>"))
    while True:
        seen.extend(offered(page))
        later = [a for a in action_ids(page) if a == "slots_page:later"]
        if not later:
            break
        page = press(bot, button(page, "slots_page:later"))
        if offered(page) and offered(page)[0] > clock.now + timedelta(days=7):
            break
    window = parse_when("", now=clock(), tz="America/New_York")
    assert isinstance(window, Window)
    expected = intersection(calcom, ["sam", "alice"], window)
    assert [t for t in seen if t < window.end] == expected

    def local(day: int) -> list[str]:
        return [f"{t.astimezone(NY):%H:%M}" for t in expected if t.astimezone(NY).day == day]

    assert local(12) == ["09:00", "09:30", "10:00", "10:30"]  # Fri: EST, 14-16 UTC
    assert local(15) == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]  # Mon: EDT


def test_unlinked_participant_is_named_and_left_out_only_by_choice(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, team: dict[str, Any]
) -> None:
    reply = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U4|carol> tomorrow"))
    assert "<@U4> hasn't connected Cal.com" in text_of(reply)
    assert slot_reads(calcom) == []  # nobody's calendar read until the caller chooses
    without = button(reply, "find_without")
    assert without["text"]["text"] == "Find a time without Carol King"

    invited = press(bot, button(reply, "invite_teammate"))
    assert "Invited <@U4>" in text_of(invited)
    [dm] = slack.wait_for("chat.postMessage")
    assert dm.args["channel"] == "U4"

    picker = press(bot, without)
    assert "<@U4>" not in text_of(picker) and "<@U2>" in text_of(picker)
    tomorrow = parse_when("tomorrow", now=bot.rt.clock(), tz="America/New_York")
    assert isinstance(tomorrow, Window)
    assert offered(picker) == intersection(calcom, ["sam", "alice"], tomorrow)
    assert len(slot_reads(calcom)) == 2


def test_someone_elses_without_button_does_nothing(
    bot: Bot, calcom: CalcomEmulator, team: dict[str, Any]
) -> None:
    reply = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U4|carol> tomorrow"))
    forged = press(bot, button(reply, "find_without"), user="U2")
    assert "expired" in text_of(forged)
    assert slot_reads(calcom) == []


def test_a_failed_connection_is_named_not_skipped(
    bot: Bot, calcom: CalcomEmulator, team: dict[str, Any]
) -> None:
    calcom.expire_connection(team["bob"].connection_id)
    reply = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U3|bob> tomorrow"))
    assert "couldn't read the calendar of <@U3>" in text_of(reply)
    assert slot_buttons(reply) == []
    picker = press(bot, button(reply, "find_without"))
    assert slot_buttons(picker) and "<@U3>" not in text_of(picker)


def test_no_common_time_names_who_is_busy_and_the_next_common_day(
    bot: Bot, calcom: CalcomEmulator, team: dict[str, Any]
) -> None:
    """Bob works Friday only: tomorrow (Thu) all but Bob are free; Friday suits all."""
    bob = calcom.account("bob")
    schedule = next(s for s in bob.schedules)
    schedule["availability"] = hours("18:00", "23:00", ["Friday"])
    reply = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U3|bob> tomorrow"))
    text = text_of(reply)
    assert "No free times tomorrow" in text and "The next free day is Fri 27 Nov" in text
    assert "Everyone but <@U3> is free at Thu 26 Nov 9:00 AM" in text
    assert button(reply, "find_without")["text"]["text"] == "Find a time without Bob Ray"
    friday = press(bot, button(reply, "slots_page:later"))
    assert [b["text"]["text"] for b in slot_buttons(friday)][:1] == ["9:00 AM"]


def test_a_user_group_expands_to_its_members(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, team: dict[str, Any]
) -> None:
    slack.add_usergroup("S1", "design-team", ["U2", "U3", "U1"])
    picker = bot.slack.reply(bot.slack.command("find 30min <!subteam^S1|@design-team> tomorrow"))
    assert "<@U2> and <@U3>" in text_of(picker)
    assert slack.wait_for("usergroups.users.list")[0].args["usergroup"] == "S1"
    assert len(slot_reads(calcom)) == 3  # the caller, a member too, is read once


def test_a_user_group_without_the_scope_says_what_to_do(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, team: dict[str, Any]
) -> None:
    slack.teams["T111"]["scopes"] = "commands,chat:write,users:read,users:read.email"
    slack.add_usergroup("S1", "design-team", ["U2"])
    reply = bot.slack.reply(bot.slack.command("find 30min <!subteam^S1|@design-team>"))
    assert "usergroups:read" in text_of(reply)
    assert slot_reads(calcom) == []


def test_more_than_eight_people_is_refused(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, team: dict[str, Any]
) -> None:
    members = [f"U9{i}" for i in range(9)]
    slack.add_usergroup("S2", "everyone", members)
    reply = bot.slack.reply(bot.slack.command("find 30min <!subteam^S2|@everyone>"))
    assert "Up to 8 people" in text_of(reply)
    assert slot_reads(calcom) == []


def test_a_participant_declines_from_the_dm_and_the_organiser_is_told(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, team: dict[str, Any]
) -> None:
    picker = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U3|bob> tomorrow"))
    press(bot, slot_buttons(picker)[0])
    dms = slack.wait_for("chat.postMessage", count=2)
    to_bob = next(c for c in dms if c.args["channel"] == "U3")
    decline = button(to_bob.args, "find_decline")

    forged = press(bot, decline, user="U4")  # Carol is not invited
    assert "isn't one you're invited to" in text_of(forged)
    assert not [c for c in slack.calls_to("chat.postMessage") if c.args["channel"] == "U1"]

    declined = press(bot, decline, user="U3")
    assert "You declined" in text_of(declined) and "<@U1> has been told" in text_of(declined)
    [told] = slack.wait_for("chat.postMessage", lambda c: c.args["channel"] == "U1")
    assert "<@U3> declined" in text_of(told.args)
    assert "cancel_booking" in action_ids(told.args)  # the organiser may cancel it


def test_the_booking_modal_with_people_shows_common_times_and_books_them_all(
    bot: Bot,
    calcom: CalcomEmulator,
    slack: SlackEmulator,
    views: ViewDriver,
    team: dict[str, Any],
    clock: Clock,
) -> None:
    bot.slack.command("")
    view = views.opened()
    assert len(option_texts(view, "booking_time")) == 14  # today, Sam alone: 10:00 to 16:30

    seen = views.updates(view["id"])
    chosen = {"type": "multi_users_select", "selected_users": ["U2", "U3"]}
    assert views.choose(view, "booking_with", chosen).status_code == 200
    view = views.after_update(view["id"], seen)
    today = parse_when("today", now=clock(), tz="America/New_York")
    assert isinstance(today, Window)
    common_today = intersection(calcom, ["sam", "alice", "bob"], today)
    assert [f"{t.astimezone(NY):%-I:%M %p}" for t in common_today] == ["10:00 AM", "10:30 AM"]
    assert option_texts(view, "booking_time") == ["10:00 AM", "10:30 AM"]
    assert not has_block(view, "booking_email")  # everyone chosen is invited instead

    seen = views.updates(view["id"])
    pick = {"type": "static_select", "selected_option": option(view, "booking_time", "10:30 AM")}
    assert views.choose(view, "booking_time", pick).status_code == 200
    view = views.after_update(view["id"], seen)
    assert views.submit(view) == {}
    [made] = calcom.bookings.values()
    assert made["start"] == common_today[1]
    assert {a["email"] for a in made["attendees"]} == {"alice@acme.test", "bob@acme.test"}
    dms = slack.wait_for("chat.postMessage", count=3)
    assert {c.args["channel"] for c in dms} == {"U1", "U2", "U3"}
    to_alice = next(c for c in dms if c.args["channel"] == "U2")
    assert "find_decline" in action_ids(to_alice.args)


def test_maton_rate_limit_is_nobodys_fault(
    bot: Bot, calcom: CalcomEmulator, team: dict[str, Any]
) -> None:
    """A 429 on one read is not a participant's broken connection: the reply says wait."""
    calcom.fault("rate_limit", path="/cal-com/v2/slots", seconds=30)
    reply = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U3|bob> tomorrow"))
    assert "try again in 30 seconds" in text_of(reply)
    assert "couldn't read the calendar" not in text_of(reply)


def test_a_second_search_within_a_minute_reads_nothing_again(
    bot: Bot, calcom: CalcomEmulator, team: dict[str, Any], clock: Clock
) -> None:
    """Availability is cached briefly: the same search a few seconds later (its window
    moved with the clock) is answered without a gateway read."""
    first = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U3|bob>"))
    reads = len(slot_reads(calcom))
    assert reads == 3
    clock.advance(seconds=20)
    again = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U3|bob>"))
    assert offered(again)[0] == offered(first)[1]  # 10:00 has just gone by
    assert len(slot_reads(calcom)) == reads


def test_a_common_time_taken_meanwhile_shows_that_days_common_times(
    bot: Bot, calcom: CalcomEmulator, team: dict[str, Any]
) -> None:
    picker = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U3|bob> tomorrow"))
    first = slot_buttons(picker)[0]  # 9:00 AM New York
    calcom.book_as_guest(
        event_type_id=_sam_30(calcom),
        start=datetime(2026, 11, 26, 14, 0, tzinfo=UTC),
        name="Early Bird",
        email="early@example.com",
    )
    fresh = press(bot, first)
    assert "just taken" in text_of(fresh)
    assert [b["text"]["text"] for b in slot_buttons(fresh)] == ["9:30 AM", "10:00 AM", "10:30 AM"]
    assert len(calcom.bookings) == 1 and booking_writes(calcom) == []


def test_a_participant_busy_since_the_picker_is_caught_before_booking(
    bot: Bot, calcom: CalcomEmulator, team: dict[str, Any]
) -> None:
    """Cal.com checks only the host when booking: the bot checks everyone again (from the
    brief cache when it is fresh; here it has expired) and books nobody into a clash."""
    picker = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U3|bob> tomorrow"))
    first = slot_buttons(picker)[0]  # 9:00 AM New York, 14:00 UTC
    calcom.book_as_guest(
        event_type_id=calcom.account("alice").event_type("30min")["id"],
        start=datetime(2026, 11, 26, 14, 0, tzinfo=UTC),
        name="Visitor",
        email="visitor@example.com",
    )
    bot.rt.availability.drop_where(lambda key: True)  # a minute later: the cache is gone
    fresh = press(bot, first)
    assert "just taken" in text_of(fresh)
    assert "9:00 AM" not in [b["text"]["text"] for b in slot_buttons(fresh)]
    assert booking_writes(calcom) == []
    assert [b["hostId"] for b in calcom.bookings.values()] == [calcom.account("alice").id]


def test_someone_without_a_type_of_that_length_is_named(
    bot: Bot, calcom: CalcomEmulator, team: dict[str, Any]
) -> None:
    link_user(
        bot,
        calcom,
        "U4",
        "carol",
        name="Carol King",
        event_types=[{"title": "Long chat", "slug": "long", "length": 60}],
    )
    reply = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U4|carol> tomorrow"))
    assert "<@U4> has no 30-minute event type" in text_of(reply)
    assert slot_reads(calcom) == []
    assert button(reply, "find_without")["text"]["text"] == "Find a time without Carol King"


def test_a_decline_naming_someone_else_as_organiser_tells_nobody(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, team: dict[str, Any]
) -> None:
    """Bob is invited, but the button names Alice (linked, an attendee, not the host) as
    the organiser: Cal.com reads any booking by uid through any connection, so only the
    organiser's hosting it makes the DM true. Nobody is told; Sam's real button works."""
    picker = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U3|bob> tomorrow"))
    press(bot, slot_buttons(picker)[0])
    dms = slack.wait_for("chat.postMessage", count=2)
    decline = button(next(c for c in dms if c.args["channel"] == "U3").args, "find_decline")
    uid = decline["value"].partition(":")[2]

    forged = press(bot, {**decline, "value": f"U2:{uid}"}, user="U3")
    assert "You declined" not in text_of(forged)
    to_alice = [c for c in slack.calls_to("chat.postMessage") if c.args["channel"] == "U2"]
    assert len(to_alice) == 1  # her invitation; no "Bob declined"

    assert "You declined" in text_of(press(bot, decline, user="U3"))


def test_one_participant_slack_refuses_to_dm_still_tells_the_others_and_no_error(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, team: dict[str, Any]
) -> None:
    """The booking is made; Slack refuses one DM (a deactivated account, say): the other
    participant is still told, and the organiser sees the confirmation, not an error."""
    picker = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U3|bob> tomorrow"))
    slack.fail_next("chat.postMessage", error="user_disabled", status=200)
    clicked = bot.slack.click(
        slot_buttons(picker)[0]["action_id"], value=slot_buttons(picker)[0]["value"]
    )
    assert "Booked" in text_of(bot.slack.reply(clicked))
    [told] = slack.wait_for("chat.postMessage", lambda c: c.ok)
    assert told.args["channel"] in ("U2", "U3")
    bot.settle()
    url_id = clicked.response_url.rsplit("/", 1)[1]
    answers = [text_of(c.args) for c in slack.calls_to("response_url") if c.url_id == url_id]
    assert not [a for a in answers if "went wrong" in a], answers
