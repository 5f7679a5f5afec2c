"""The booking modal end to end: signed requests in, the Slack and Cal.com emulators out.

The clock is Wed 25 Nov 2026 10:00 in New York; default working hours Mon–Fri 09–17.
Every view the bot opens, updates or answers a submission with is validated by the
Slack emulator like Slack does (an invalid one fails the call, and the helpers assert).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import Bot, link_user
from tests.slackdriver import action_ids, text_of
from tests.viewdriver import ViewDriver, find_block, has_block, option, option_texts

NY = ZoneInfo("America/New_York")
THU = "2026-11-26"
THU_3PM = datetime(2026, 11, 26, 15, 0, tzinfo=NY)
HALF_HOURS = [
    f"{h % 12 or 12}:{m:02d} {'AM' if h < 12 else 'PM'}" for h in range(9, 17) for m in (0, 30)
]


def change(views: ViewDriver, view: dict[str, Any], prefix: str, value: dict[str, Any]) -> dict:
    """Change a dispatching input; the modal once the bot has refreshed it."""
    seen = views.updates(view["id"])
    assert views.choose(view, prefix, value).status_code == 200
    return views.after_update(view["id"], seen)


def pick_date(views: ViewDriver, view: dict[str, Any], day: str = THU) -> dict[str, Any]:
    return change(views, view, "booking_date", {"type": "datepicker", "selected_date": day})


def pick_time(views: ViewDriver, view: dict[str, Any], text: str) -> dict[str, Any]:
    chosen = {"type": "static_select", "selected_option": option(view, "booking_time", text)}
    return change(views, view, "booking_time", chosen)


def held(calcom: CalcomEmulator) -> list[datetime]:
    return [r["slotStart"] for r in calcom.reservations.values()]


def released(calcom: CalcomEmulator, uid: str) -> None:
    calcom.wait_for_request(
        lambda r: r.method == "DELETE" and r.path.endswith(f"/reservations/{uid}")
    )


def test_modal_from_cal_books_a_guest(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, views: ViewDriver, sam
) -> None:
    bot.slack.command("")
    [opened] = slack.wait_for("views.open")
    assert "Looking up free times" in text_of(opened.args["view"])  # opened before any lookup
    view = views.opened()
    assert find_block(view, "booking_host")["element"]["initial_user"] == "U1"
    assert option_texts(view, "booking_type") == [
        "30 min meeting · 30 min",
        "60 min meeting · 60 min",
    ]
    assert find_block(view, "booking_date")["element"]["initial_date"] == "2026-11-25"
    assert option_texts(view, "booking_time") == HALF_HOURS[2:]  # today, from 10:00 on
    assert all(
        find_block(view, b).get("dispatch_action")
        for b in ("booking_host", "booking_type", "booking_date", "booking_time")
    )

    view = pick_date(views, view)
    assert option_texts(view, "booking_time") == HALF_HOURS
    view = pick_time(views, view, "3:00 PM")
    assert held(calcom) == [THU_3PM]  # the slot is held while the modal is open

    views.type_in(view, {"booking_name": "Jane Doe", "booking_email": "not-an-email"})
    bad = views.submit(view)
    assert bad["response_action"] == "errors" and list(bad["errors"]) == ["booking_email"]
    assert not calcom.bookings

    views.type_in(view, {"booking_email": "jane@example.com", "booking_notes": "Intro call"})
    assert views.submit(view) == {}  # the modal closes
    assert slack.open_modals("U1") == []
    [made] = calcom.bookings.values()
    assert made["start"] == THU_3PM
    assert made["eventTypeId"] == calcom.account("sam").event_type("30min")["id"]
    assert [(a["name"], a["email"]) for a in made["attendees"]] == [
        ("Jane Doe", "jane@example.com")
    ]
    assert made["bookingFieldsResponses"]["notes"] == "Intro call"

    [dm] = slack.wait_for("chat.postMessage", lambda c: c.args["channel"] == "U1")
    assert {"cancel_booking", "reschedule_booking"} <= set(action_ids(dm.args))
    assert f"<!date^{int(THU_3PM.timestamp())}^" in text_of(dm.args)
    assert made["uid"] in {e.get("value") for b in dm.args["blocks"] for e in b.get("elements", [])}
    home = views.home("U1")  # the Home is republished with the new booking
    assert "30 min meeting between Sam Jones and Jane Doe" in text_of(home)
    assert held(calcom) == []  # the reservation did its job and is gone


def test_no_time_chosen_is_an_inline_error(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam
) -> None:
    bot.slack.command("book")
    view = views.opened()
    views.type_in(view, {"booking_name": "Jane", "booking_email": "jane@example.com"})
    answer = views.submit(view)
    assert answer["response_action"] == "errors"
    assert answer["errors"] == {find_block(view, "booking_time")["block_id"]: "Choose a time."}
    assert not calcom.bookings


def test_a_day_without_times_names_the_next_free_one(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam
) -> None:
    bot.slack.command("")
    view = pick_date(views, views.opened(), "2026-11-28")  # a Saturday
    assert not has_block(view, "booking_time")
    assert "No free times on Sat 28 Nov. Next free day: *Mon 30 Nov*." in text_of(view)
    views.type_in(view, {"booking_name": "Jane", "booking_email": "jane@example.com"})
    answer = views.submit(view)
    assert answer["errors"] == {"booking_date": "No free times on this day: pick another date."}


def test_type_and_host_changes_reload_the_options(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, views: ViewDriver, sam
) -> None:
    link_user(bot, calcom, "U2", "alice", name="Alice Wong", time_zone="Europe/London")
    bot.slack.command("")
    view = pick_date(views, views.opened())
    view = pick_time(views, view, "9:00 AM")
    first_time_block = find_block(view, "booking_time")["block_id"]
    [hold] = calcom.reservations

    hour = option(view, "booking_type", "60 min meeting · 60 min")
    view = change(views, view, "booking_type", {"type": "static_select", "selected_option": hour})
    assert option_texts(view, "booking_time") == HALF_HOURS[::2]  # hourly now
    assert find_block(view, "booking_time")["block_id"] != first_time_block  # a fresh choice
    released(calcom, hold)  # the 30-minute hold went with the old choice

    view = change(views, view, "booking_host", {"type": "users_select", "selected_user": "U2"})
    alice_types = {
        str(t["id"])
        for t in calcom.event_types.values()
        if t["ownerId"] == calcom.account("alice").id
    }
    assert {
        o["value"] for o in find_block(view, "booking_type")["element"]["options"]
    } == alice_types
    assert not has_block(view, "booking_name")  # Sam attends: no guest to name
    assert "You are the attendee: Sam Jones (sam@acme.test)" in text_of(view)
    assert option_texts(view, "booking_time") == [
        "4:00 AM",
        "4:30 AM",
        "5:00 AM",
        "5:30 AM",
        "6:00 AM",
        "6:30 AM",
        "7:00 AM",
        "7:30 AM",
        "8:00 AM",
        "8:30 AM",
        "9:00 AM",
        "9:30 AM",
        "10:00 AM",
        "10:30 AM",
        "11:00 AM",
        "11:30 AM",
    ]  # London 09–17 in New York

    view = pick_time(views, view, "10:00 AM")
    assert views.submit(view) == {}
    [made] = calcom.bookings.values()
    assert made["hostId"] == calcom.account("alice").id
    assert made["start"] == datetime(2026, 11, 26, 10, 0, tzinfo=NY)
    assert [(a["name"], a["email"]) for a in made["attendees"]] == [("Sam Jones", "sam@acme.test")]
    dms = slack.wait_for("chat.postMessage", count=2)
    assert {c.args["channel"] for c in dms} == {"U1", "U2"}


def test_slot_taken_during_the_modal_is_an_inline_error(
    bot: Bot, calcom: CalcomEmulator, clock, views: ViewDriver, sam
) -> None:
    bot.slack.command("")
    view = pick_time(views, pick_date(views, views.opened()), "3:00 PM")
    views.type_in(view, {"booking_name": "Jane", "booking_email": "jane@example.com"})
    clock.advance(minutes=6)  # the hold (5 minutes) runs out while the user dithers...
    event_type = calcom.account("sam").event_type("30min")["id"]
    calcom.book_as_guest(event_type_id=event_type, start=THU_3PM, name="Eve", email="eve@x.test")

    answer = views.submit(view)  # ...and someone else books the slot
    assert answer["response_action"] == "errors"
    assert answer["errors"] == {
        find_block(view, "booking_time")["block_id"]: "That time was just taken. Pick another."
    }
    assert [b["attendees"][0]["name"] for b in calcom.bookings.values()] == ["Eve"]


def test_a_time_gone_before_it_is_chosen_refreshes_the_times(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam
) -> None:
    bot.slack.command("")
    view = pick_date(views, views.opened())
    event_type = calcom.account("sam").event_type("30min")["id"]
    calcom.book_as_guest(event_type_id=event_type, start=THU_3PM, name="Eve", email="eve@x.test")
    view = pick_time(views, view, "3:00 PM")  # still listed: the modal loaded before
    assert "That time was just taken" in text_of(view)
    assert "3:00 PM" not in option_texts(view, "booking_time")
    assert held(calcom) == []


def test_closing_the_modal_releases_the_hold(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam
) -> None:
    bot.slack.command("")
    view = pick_time(views, pick_date(views, views.opened()), "3:00 PM")
    [uid] = calcom.reservations
    assert views.close(view).status_code == 200
    released(calcom, uid)
    assert calcom.reservations == {}


def test_a_new_choice_releases_the_previous_hold(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam
) -> None:
    bot.slack.command("")
    view = pick_time(views, pick_date(views, views.opened()), "3:00 PM")
    [first] = calcom.reservations
    view = pick_time(views, view, "4:00 PM")
    released(calcom, first)
    assert held(calcom) == [datetime(2026, 11, 26, 16, 0, tzinfo=NY)]


def test_modal_opens_in_time_when_cal_com_is_slow(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, views: ViewDriver, sam
) -> None:
    """The trigger id dies after 3 s: the modal opens first, the slow lookups come after."""
    calcom.fault("delay", path="/cal-com/v2/slots", seconds=3.2)
    bot.slack.command("")
    view = views.opened()  # asserts views.open succeeded: the trigger was still alive
    assert option_texts(view, "booking_time") == HALF_HOURS[2:]
    assert [c for c in slack.failed_calls() if c.method.startswith("views.")] == []


def test_a_slow_booking_answers_in_time_then_shows_the_result(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, views: ViewDriver, sam
) -> None:
    """Past the ack budget the submission answers with a "Booking…" view, then the result."""
    bot.slack.command("")
    view = pick_time(views, pick_date(views, views.opened()), "3:00 PM")
    views.type_in(view, {"booking_name": "Jane", "booking_email": "jane@example.com"})
    calcom.fault("delay", path="/cal-com/v2/bookings", seconds=2.4)
    seen = views.updates(view["id"])
    answer = views.submit(view)
    assert answer["response_action"] == "update"
    assert "Booking…" in text_of(answer["view"])
    done = views.after_update(view["id"], seen)
    assert "Booked" in text_of(done) and "Details are in your DMs" in text_of(done)
    assert len(calcom.bookings) == 1


def test_not_linked_says_so_in_the_modal(bot: Bot, views: ViewDriver) -> None:
    bot.slack.command("")
    view = views.opened()
    assert "You haven't connected Cal.com yet" in text_of(view)
    assert not has_block(view, "booking_type")
    answer = views.submit(view)
    assert list(answer["errors"]) == ["booking_host"]


# ---------------------------------------------------------------- every entry point


def _open_home_book(bot: Bot, views: ViewDriver, calcom: CalcomEmulator) -> None:
    home = views.open_home("U1")
    views.press(home, "open_booking", value=str(calcom.account("sam").event_type("60min")["id"]))


ENTRY_POINTS: dict[str, Callable[[Bot, ViewDriver, CalcomEmulator], Any]] = {
    "/cal": lambda bot, views, calcom: bot.slack.command(""),
    "/cal book": lambda bot, views, calcom: bot.slack.command("book"),
    "home": lambda bot, views, calcom: views.press(views.open_home("U1"), "open_booking"),
    "home type": _open_home_book,
    "shortcut": lambda bot, views, calcom: views.shortcut("book_meeting"),
    "message shortcut": lambda bot, views, calcom: views.message_shortcut(
        "schedule_with_author", author="U3"
    ),
}


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_every_entry_point_books(
    entry: str, bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, views: ViewDriver, sam
) -> None:
    ENTRY_POINTS[entry](bot, views, calcom)
    view = views.opened()
    view = pick_date(views, view)
    view = pick_time(views, view, "11:00 AM")
    if entry == "message shortcut":  # Bob (unlinked) wrote the message: he is the guest
        assert find_block(view, "booking_name")["element"]["initial_value"] == "Bob Ray"
        assert find_block(view, "booking_email")["element"]["initial_value"] == "bob@acme.test"
    else:
        views.type_in(view, {"booking_name": "Jane Doe", "booking_email": "jane@example.com"})
    assert views.submit(view) == {}
    [made] = calcom.bookings.values()
    slug = "60min" if entry == "home type" else "30min"
    assert made["eventTypeId"] == calcom.account("sam").event_type(slug)["id"]
    assert made["start"] == datetime(2026, 11, 26, 11, 0, tzinfo=NY)
    guest = (
        ("Bob Ray", "bob@acme.test")
        if entry == "message shortcut"
        else ("Jane Doe", "jane@example.com")
    )
    assert [(a["name"], a["email"]) for a in made["attendees"]] == [guest]
    if entry == "message shortcut":
        assert made["attendees"][0]["timeZone"] == "Pacific/Honolulu"  # Bob's, from Slack
    slack.wait_for("chat.postMessage", lambda c: c.args["channel"] == "U1")


def test_message_shortcut_on_a_linked_author_books_them(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, views: ViewDriver, sam
) -> None:
    link_user(bot, calcom, "U2", "alice", name="Alice Wong")
    views.message_shortcut("schedule_with_author", author="U2")
    view = views.opened()
    assert find_block(view, "booking_host")["element"]["initial_user"] == "U2"
    view = pick_time(views, pick_date(views, view), "11:00 AM")
    assert views.submit(view) == {}
    [made] = calcom.bookings.values()
    assert made["hostId"] == calcom.account("alice").id
    assert made["attendees"][0]["email"] == "sam@acme.test"


def test_a_failed_lookup_before_the_form_says_so_in_the_modal(
    bot: Bot, slack: SlackEmulator, views: ViewDriver, sam
) -> None:
    slack.fail_next("users.info", error="fatal_error", status=200)  # who you are: unknown
    bot.slack.command("")
    view = views.opened()  # updated from "Looking up free times…", not left on it
    assert "Something went wrong (ref " in text_of(view)
    assert not has_block(view, "booking_time")
    bot.settle()
    # said in the modal only: no reply to the command, no DM
    assert slack.calls_to("response_url") == [] and slack.calls_to("chat.postMessage") == []


def test_a_doctored_time_past_year_9999_is_ignored_not_a_crash(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, views: ViewDriver, sam, caplog
) -> None:
    """Twelve digits pass as a number but name the year 33658: the pick is ignored, no
    traceback, no 'Something went wrong', nothing held."""
    bot.slack.command("")
    view = views.opened()
    doctored = {
        "type": "static_select",
        "selected_option": {
            "text": {"type": "plain_text", "text": "3:00 PM"},
            "value": "999999999999",
        },
    }
    assert views.choose(view, "booking_time", doctored).status_code == 200
    bot.settle()
    assert held(calcom) == []
    assert not [r for r in caplog.records if r.exc_info or r.levelname == "ERROR"]
    assert not [
        c for c in slack.calls_to("chat.postMessage") if "went wrong" in str(c.args.get("text"))
    ]
