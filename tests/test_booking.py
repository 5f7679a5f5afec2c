"""`/cal book` and `/cal slots` end to end: signed requests in, Cal.com and Slack emulators out.

The clock is Wed 25 Nov 2026 10:00 in New York; default working hours Mon–Fri 09–17.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import Bot, link_user
from tests.picking import NY, THU, button, press, slot_buttons
from tests.slackdriver import action_ids, text_of


def test_book_30min_tomorrow_with_a_guest(bot: Bot, calcom: CalcomEmulator, sam) -> None:
    picker = bot.slack.reply(bot.slack.command("book 30min tomorrow with jane@example.com"))
    buttons = slot_buttons(picker)
    assert [b["text"]["text"] for b in buttons] == THU  # Thu 26 Nov, 09:00–16:30 New York
    assert "Thu 26 Nov" in text_of(picker)

    chosen = buttons[12]  # 3:00 PM
    confirmation = press(bot, chosen)
    assert "Booked" in text_of(confirmation)
    assert {"cancel_booking", "reschedule_booking"} <= set(action_ids(confirmation))

    [made] = calcom.bookings.values()
    assert made["start"] == datetime(2026, 11, 26, 15, 0, tzinfo=NY)
    assert made["eventTypeId"] == calcom.account("sam").event_type("30min")["id"]
    assert [a["email"] for a in made["attendees"]] == ["jane@example.com"]
    assert f"<!date^{int(made['start'].timestamp())}^" in text_of(confirmation)


def test_book_without_a_guest_asks_in_a_modal(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    picker = bot.slack.reply(bot.slack.command("book 30min tomorrow"))
    sent = bot.slack.click(
        slot_buttons(picker)[0]["action_id"], value=slot_buttons(picker)[0]["value"]
    )
    [opened] = slack.wait_for("views.open")
    view = opened.response["view"]
    assert view["callback_id"] == "guest_details"

    bad = bot.slack.submit_view(view, {"guest_name": "Jane", "guest_email": "not-an-email"})
    assert bad.json()["response_action"] == "errors"
    assert "guest_email" in bad.json()["errors"]
    assert not calcom.bookings

    ok = bot.slack.submit_view(view, {"guest_name": "Jane Doe", "guest_email": "jane@example.com"})
    assert ok.status_code == 200
    confirmation = bot.slack.replies(sent, count=1)[0]
    assert "Booked" in text_of(confirmation)
    [made] = calcom.bookings.values()
    assert made["attendees"][0]["name"] == "Jane Doe"
    assert made["start"] == datetime(2026, 11, 26, 9, 0, tzinfo=NY)


def test_book_a_teammate_at_an_exact_time(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    alice = link_user(bot, calcom, "U2", "alice", name="Alice Wong")
    offer = bot.slack.reply(bot.slack.command("book <@U2|alice> 30min tomorrow 3pm"))
    book = button(offer, "book_exact")
    assert book["text"]["text"] == "Book Thu 26 Nov, 3:00 PM"
    assert "confirm" in book

    confirmation = press(bot, book)
    assert "Booked" in text_of(confirmation)
    # only Alice's connection can move or cancel it: the attendee gets no such buttons
    assert not {"cancel_booking", "reschedule_booking"} & set(action_ids(confirmation))
    [made] = calcom.bookings.values()
    assert made["eventTypeId"] == calcom.account("alice").event_type("30min")["id"]
    assert made["attendees"][0]["email"] == "sam@acme.test"  # you, from your Slack profile
    booking_requests = [
        r for r in calcom.requests if r.path == "/cal-com/v2/bookings" and r.method == "POST"
    ]
    assert [r.connection_id for r in booking_requests] == [alice.connection_id]
    dms = slack.wait_for("chat.postMessage", count=2)
    assert {c.args["channel"] for c in dms} == {"U1", "U2"}
    to_host = next(c for c in dms if c.args["channel"] == "U2")
    assert "cancel_booking" in action_ids(to_host.args)


def test_unlinked_teammate_gets_an_invitation(bot: Bot, slack: SlackEmulator, sam) -> None:
    reply = bot.slack.reply(bot.slack.command("book <@U2|alice> 30min tomorrow"))
    assert "hasn't connected Cal.com" in text_of(reply)
    invited = press(bot, button(reply, "invite_teammate"))
    assert "Invited <@U2>" in text_of(invited)
    [dm] = slack.wait_for("chat.postMessage")
    assert dm.args["channel"] == "U2"
    assert "connect_start" in action_ids(dm.args)


def test_slot_taken_meanwhile_shows_fresh_times(bot: Bot, calcom: CalcomEmulator, sam) -> None:
    picker = bot.slack.reply(bot.slack.command("book 30min tomorrow with jane@example.com"))
    first = slot_buttons(picker)[0]
    calcom.book_as_guest(
        event_type_id=calcom.account("sam").event_type("30min")["id"],
        start=datetime(2026, 11, 26, 9, 0, tzinfo=NY),
        name="Early Bird",
        email="early@example.com",
    )
    fresh = press(bot, first)
    assert "just taken" in text_of(fresh)
    assert [b["text"]["text"] for b in slot_buttons(fresh)] == THU[1:]
    assert len(calcom.bookings) == 1  # no double booking


def test_ambiguous_type_asks_which(bot: Bot, calcom: CalcomEmulator) -> None:
    link_user(
        bot,
        calcom,
        "U1",
        "sam",
        event_types=[
            {"title": "Intro call", "slug": "intro", "length": 30},
            {"title": "Standup", "slug": "standup", "length": 30},
        ],
    )
    reply = bot.slack.reply(bot.slack.command("book 30 min tomorrow with jane@example.com"))
    choices = [a for a in action_ids(reply) if a.startswith("choose_type:")]
    assert len(choices) == 2 and "Which one?" in text_of(reply)
    picker = press(bot, button(reply, choices[1]))
    assert "Standup" in text_of(picker)
    assert len(slot_buttons(picker)) == 16


def test_unknown_type_lists_what_exists(bot: Bot, sam) -> None:
    reply = bot.slack.reply(bot.slack.command("book karaoke tomorrow"))
    text = text_of(reply)
    assert "No event type matches “karaoke”" in text and "`30min`" in text and "`60min`" in text


def test_nonsense_time_explains_without_asking_cal_com(
    bot: Bot, calcom: CalcomEmulator, sam
) -> None:
    reply = bot.slack.reply(bot.slack.command("book 30min purple elephants"))
    assert "tomorrow" in text_of(reply)  # the error offers examples
    assert not [r for r in calcom.requests if r.path.startswith("/cal-com/v2/slots")]


def test_past_time_is_refused(bot: Bot, sam) -> None:
    reply = bot.slack.reply(bot.slack.command("book 30min today 8am"))
    assert "past" in text_of(reply)


def test_later_pages_by_day_and_empty_day_offers_next(
    bot: Bot, calcom: CalcomEmulator, sam
) -> None:
    saturday = bot.slack.reply(bot.slack.command("slots 30min sat"))
    assert not slot_buttons(saturday)
    assert "No free times" in text_of(saturday) and "Mon 30 Nov" in text_of(saturday)
    monday = press(bot, button(saturday, "slots_page:later"))
    assert [b["text"]["text"] for b in slot_buttons(monday)] == THU  # same hours on Monday
    assert "Mon 30 Nov" in text_of(monday)


def test_picker_buttons_belong_to_who_asked(bot: Bot, calcom: CalcomEmulator, sam) -> None:
    link_user(bot, calcom, "U2", "alice")
    picker = bot.slack.reply(bot.slack.command("book 30min tomorrow with jane@example.com"))
    stolen = press(bot, slot_buttons(picker)[0], user="U2")
    assert "expired" in text_of(stolen)
    assert not calcom.bookings


def test_types_lists_with_book_buttons(bot: Bot, sam) -> None:
    reply = bot.slack.reply(bot.slack.command("types"))
    assert reply["text"] == "Your event types"  # not "Event types of you"
    assert "cal.com/sam/30min" in text_of(reply)
    books = [a for a in action_ids(reply) if a.startswith("book_type:")]
    picker = press(bot, button(reply, books[0]))
    assert slot_buttons(picker)


def test_gateway_calls_per_flow(bot: Bot, calcom: CalcomEmulator, sam) -> None:
    """The picker costs two gateway calls at most (event types, then slots), one once cached;
    the click costs two (hold, book)."""

    def calls_during(command: str) -> tuple[list[str], dict[str, Any]]:
        before = len(calcom.requests)
        reply = bot.slack.reply(bot.slack.command(command))
        return [f"{r.method} {r.api_path}" for r in calcom.requests[before:]], reply

    first, _ = calls_during("book 30min tomorrow with jane@example.com")
    assert first == ["GET /v2/event-types", "GET /v2/slots"]
    again, picker = calls_during("book 30min tomorrow with jane@example.com")
    assert again == ["GET /v2/slots"]

    before = len(calcom.requests)
    press(bot, slot_buttons(picker)[0])
    clicked = [f"{r.method} {r.api_path}" for r in calcom.requests[before:]]
    # the Home refresh the booking starts (after its reply) may already be reading
    assert clicked[:2] == ["POST /v2/slots/reservations", "POST /v2/bookings"]
    assert all(c.startswith("GET ") for c in clicked[2:]), clicked


def test_book_without_a_type_uses_the_only_one_or_asks(bot: Bot, calcom: CalcomEmulator) -> None:
    link_user(
        bot, calcom, "U1", "sam", event_types=[{"title": "Chat", "slug": "chat", "length": 30}]
    )
    picker = bot.slack.reply(bot.slack.command("book tomorrow with jane@example.com"))
    assert "Chat" in text_of(picker) and len(slot_buttons(picker)) == 16

    link_user(bot, calcom, "U2", "alice")  # two event types
    reply = bot.slack.reply(bot.slack.command("book tomorrow with jane@example.com", user="U2"))
    assert "Book which one?" in text_of(reply)
    assert len([a for a in action_ids(reply) if a.startswith("choose_type:")]) == 2


def test_a_page_of_sparse_days_keeps_its_navigation(bot: Bot, calcom: CalcomEmulator) -> None:
    every_day = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    link_user(
        bot,
        calcom,
        "U1",
        "sam",
        working_hours=[{"days": every_day, "startTime": "09:00", "endTime": "09:30"}],
    )
    picker = bot.slack.reply(bot.slack.command("slots 30min next month"))
    assert len(picker["blocks"]) <= 50
    assert 1 <= len(slot_buttons(picker)) <= 20
    assert "slots_page:later" in action_ids(picker)  # the navigation survived


def test_the_guest_modal_opens_before_any_gateway_call(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    picker = bot.slack.reply(bot.slack.command("book 30min tomorrow"))
    bot.rt.event_types.drop(sam.connection_id)  # a cold cache: resolving the type is slow
    calcom.fault("delay", path="/cal-com/v2/event-types", seconds=4)
    first = slot_buttons(picker)[0]
    bot.slack.click(first["action_id"], value=first["value"])
    [opened] = slack.wait_for("views.open")
    assert opened.ok, opened.response  # the trigger (3 s) was still alive


def test_a_teammates_hidden_types_stay_theirs(bot: Bot, calcom: CalcomEmulator, sam) -> None:
    link_user(
        bot,
        calcom,
        "U2",
        "alice",
        time_zone="America/New_York",
        event_types=[
            {"title": "Intro", "slug": "intro", "length": 30},
            {"title": "Board prep", "slug": "secret", "length": 30, "hidden": True},
        ],
    )
    reply = bot.slack.reply(bot.slack.command("book <@U2|alice> secret tomorrow"))
    assert "No event type matches “secret”" in text_of(reply)
    assert "`secret`" not in text_of(reply)
    # a forged "Book" button with the hidden type's id fares no better
    hidden = calcom.account("alice").event_type("secret")["id"]
    forged = press(bot, {"action_id": f"book_type:{hidden}", "value": f"U2:{hidden}"})
    assert not slot_buttons(forged)


def test_a_failed_booking_releases_its_hold(bot: Bot, calcom: CalcomEmulator, sam) -> None:
    picker = bot.slack.reply(bot.slack.command("book 30min tomorrow with jane@example.com"))
    calcom.fault("error_500", path="/cal-com/v2/bookings")
    failed = press(bot, slot_buttons(picker)[0])
    assert "Cal.com didn't answer properly" in text_of(failed)
    assert not calcom.bookings
    calcom.wait_for_request(lambda r: r.method == "DELETE" and "reservations" in r.path)
    assert calcom.reservations == {}


def test_matching_order_is_slug_title_length() -> None:
    from bot.calcom.models import EventType
    from bot.services.event_types import match

    top = EventType(id=1, title="Top 30 review", slug="top", length=45)
    half = EventType(id=2, title="Half hour", slug="half", length=30)
    named = EventType(id=3, title="30", slug="thirty", length=15)
    assert match([top, half], "30") == [half]  # a length beats words inside a title
    assert match([top, half, named], "30") == [named]  # an exact title beats a length
    assert match([top, half], "top") == [top]  # slug first
    assert match([top, half], "review") == [top]  # words of a title, last


def test_a_crowded_day_shows_25_buttons_then_later(bot: Bot, calcom: CalcomEmulator) -> None:
    quick = [{"title": "Quick", "slug": "15min", "length": 15}]
    link_user(bot, calcom, "U1", "sam", event_types=quick)
    picker = bot.slack.reply(bot.slack.command("book 15min tomorrow with jane@example.com"))
    assert len(slot_buttons(picker)) == 25  # of Thursday's 32 quarter-hours
    assert all(len(b["elements"]) <= 25 for b in picker["blocks"] if b["type"] == "actions")
    assert button(picker, "slots_page:later")
