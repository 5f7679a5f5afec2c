"""`/cal bookings`, paging, Cancel (with the reason modal) and Reschedule, end to end."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import MATON_KEY, Bot, link_user
from tests.picking import button, press, slot_at, slot_buttons
from tests.slackdriver import action_ids, text_of

NY = ZoneInfo("America/New_York")


def guest_booking(calcom: CalcomEmulator, when: datetime, name: str, username: str = "sam") -> str:
    made = calcom.book_as_guest(
        event_type_id=calcom.account(username).event_type("30min")["id"],
        start=when,
        name=name,
        email=f"{name.split()[0].lower()}@example.com",
    )
    return made["uid"]


def cancel_directly(calcom: CalcomEmulator, link, uid: str) -> None:
    response = httpx.post(
        f"{calcom.base_url}/cal-com/v2/bookings/{uid}/cancel",
        headers={
            "Authorization": f"Bearer {MATON_KEY}",
            "Maton-Connection": link.connection_id,
            "cal-api-version": "2024-08-13",
        },
        json={"cancellationReason": "test set-up"},
    )
    assert response.status_code == 200, response.text


def test_past_and_cancelled_show_exactly_those(
    bot: Bot, calcom: CalcomEmulator, clock, sam
) -> None:
    earlier = guest_booking(calcom, datetime(2026, 11, 25, 11, 0, tzinfo=NY), "Past Person")
    dropped = guest_booking(calcom, datetime(2026, 11, 30, 11, 0, tzinfo=NY), "Dropped Person")
    ahead = guest_booking(calcom, datetime(2026, 12, 1, 11, 0, tzinfo=NY), "Future Person")
    cancel_directly(calcom, sam, dropped)
    clock.advance(hours=6)  # 16:00 in New York: the 11:00 booking is over

    def shown(command: str) -> str:
        return text_of(bot.slack.reply(bot.slack.command(command)))

    past, gone, upcoming = shown("bookings past"), shown("bookings cancelled"), shown("bookings")
    assert "Past Person" in past and "Future Person" not in past and "Dropped" not in past
    assert "Dropped Person" in gone and "Future Person" not in gone and "Past" not in gone
    assert "Future Person" in upcoming and "Past Person" not in upcoming
    assert {earlier, dropped, ahead} <= set(calcom.bookings)


def test_pages_of_ten(bot: Bot, calcom: CalcomEmulator, sam) -> None:
    start = datetime(2026, 11, 26, 9, 0, tzinfo=NY)
    for i in range(12):
        guest_booking(calcom, start + timedelta(minutes=30 * i), f"Guest {i:02d}")
    first = bot.slack.reply(bot.slack.command("bookings"))
    assert text_of(first).count("Attendees:") == 10
    assert "Guest 00" in text_of(first) and "Guest 10" not in text_of(first)
    second = press(bot, button(first, "bookings_page:next"))
    assert text_of(second).count("Attendees:") == 2 and "Guest 11" in text_of(second)
    assert "bookings_page:next" not in action_ids(second)
    back = press(bot, button(second, "bookings_page:prev"))
    assert "Guest 00" in text_of(back)


def test_cancel_with_a_reason_from_the_list(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    uid = guest_booking(calcom, datetime(2026, 11, 26, 9, 0, tzinfo=NY), "Jane Doe")
    listing = bot.slack.reply(bot.slack.command("bookings"))
    cancel = button(listing, "cancel_booking")
    assert cancel["value"] == uid  # an id, nothing else
    row = next(b for b in listing["blocks"] if "cancel_booking" in action_ids({"blocks": [b]}))
    sent = bot.slack.click("cancel_booking", value=uid, block_id=row["block_id"])
    [opened] = slack.wait_for("views.open")
    view = opened.response["view"]

    empty = bot.slack.submit_view(view, {"cancel_reason": "  "})
    assert empty.json()["response_action"] == "errors"
    assert calcom.bookings[uid]["status"] == "accepted"

    bot.slack.submit_view(view, {"cancel_reason": "Double-booked, sorry"})
    refreshed = bot.slack.reply(sent)
    assert refreshed["replace_original"] is True
    assert "No upcoming bookings" in text_of(refreshed)
    assert calcom.bookings[uid]["status"] == "cancelled"
    assert calcom.bookings[uid]["cancellationReason"] == "Double-booked, sorry"


def test_cancel_command_with_reason(bot: Bot, calcom: CalcomEmulator, sam) -> None:
    uid = guest_booking(calcom, datetime(2026, 11, 26, 9, 0, tzinfo=NY), "Jane Doe")
    reply = bot.slack.reply(bot.slack.command(f"cancel {uid} Out sick"))
    assert "Cancelled" in text_of(reply) and "Out sick" in text_of(reply)
    assert calcom.bookings[uid]["status"] == "cancelled"


def test_someone_elses_booking_isnt_yours(bot: Bot, calcom: CalcomEmulator, sam) -> None:
    link_user(bot, calcom, "U2", "alice")
    theirs = guest_booking(calcom, datetime(2026, 11, 26, 9, 0, tzinfo=NY), "Jane Doe", "alice")
    reply = bot.slack.reply(bot.slack.command(f"cancel {theirs} mine now"))
    assert "That booking isn't yours" in text_of(reply)
    assert calcom.bookings[theirs]["status"] == "accepted"
    # the Reschedule button with their uid, pressed by Sam, fares no better
    moved = bot.slack.reply(bot.slack.click("reschedule_booking", value=theirs))
    assert "That booking isn't yours" in text_of(moved)


def test_reschedule_moves_the_booking(bot: Bot, calcom: CalcomEmulator, sam) -> None:
    uid = guest_booking(calcom, datetime(2026, 11, 26, 9, 0, tzinfo=NY), "Jane Doe")
    picker = bot.slack.reply(bot.slack.click("reschedule_booking", value=uid))
    assert "Moving" in text_of(picker)
    thursday = press(bot, button(picker, "slots_page:later"))
    offered = [e["text"]["text"] for e in slot_buttons(thursday)]
    assert offered[0] == "9:30 AM"  # 9:00 is the booking being moved
    done = press(bot, slot_at(thursday, "2026-11-26", "11:00 AM"))
    assert "Rescheduled" in text_of(done)
    live = [b for b in calcom.bookings.values() if b["status"] == "accepted"]
    assert [b["start"] for b in live] == [datetime(2026, 11, 26, 11, 0, tzinfo=NY)]
    assert live[0]["attendees"][0]["name"] == "Jane Doe"


def test_cancelling_the_only_booking_on_the_last_page_shows_the_page_before(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    """21 bookings: the third page holds one. Cancelling it redraws page two (11–20 of 20),
    not an empty "No upcoming bookings" while 20 remain."""
    start = datetime(2026, 11, 26, 9, 0, tzinfo=NY)
    days = (0, 1, 4)  # Thu, Fri, then Monday: working days
    times = [start + timedelta(days=days[i // 10], minutes=30 * (i % 10)) for i in range(21)]
    uids = [guest_booking(calcom, when, f"Guest {i:02d}") for i, when in enumerate(times)]
    first = bot.slack.reply(bot.slack.command("bookings"))
    second = press(bot, button(first, "bookings_page:next"))
    third = press(bot, button(second, "bookings_page:next"))
    assert text_of(third).count("Attendees:") == 1 and "Guest 20" in text_of(third)
    row = next(b for b in third["blocks"] if "cancel_booking" in action_ids({"blocks": [b]}))
    sent = bot.slack.click("cancel_booking", value=uids[20], block_id=row["block_id"])
    [opened] = slack.wait_for("views.open")
    bot.slack.submit_view(opened.response["view"], {"cancel_reason": "No longer needed"})
    redrawn = bot.slack.reply(sent)
    assert calcom.bookings[uids[20]]["status"] == "cancelled"
    assert "No upcoming bookings" not in text_of(redrawn)
    assert text_of(redrawn).count("Attendees:") == 10
    assert "Guest 10" in text_of(redrawn) and "Guest 19" in text_of(redrawn)
    assert "11–20 of 20" in text_of(redrawn)
    assert "bookings_page:next" not in action_ids(redrawn)
