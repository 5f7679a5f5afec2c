"""Issue 9 §3: Cal.com's real webhook payloads (tests/fixtures/calcom, origin in its
README) render right, odd signed bodies lose nothing, and the channel tells the truth
whatever order the deliveries come in."""

from __future__ import annotations

import copy
import json
import logging
import random
from pathlib import Path
from typing import Any

import pytest

from bot.blocks.notifications import booking_message
from bot.models import BookingEvent
from bot.notify import events, lanes
from bot.notify.worker import CANCEL_GRACE
from tests.emulators.blockkit import validate_blocks
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.fuzzgen import mutate
from tests.notifying import (
    THU_10AM_NY,
    NotifyBot,
    book_via_api,
    only_subscription,
    posts_to,
    rows,
    signed_post,
    subscribe,
)
from tests.slackdriver import action_ids, text_of

FIXTURES = Path(__file__).parent.parent / "fixtures" / "calcom"


def fixture(name: str, **payload: Any) -> dict[str, Any]:
    body = json.loads((FIXTURES / f"{name}.json").read_text())
    body["payload"].update(payload)
    return body


def rendered(body: dict[str, Any]) -> tuple[BookingEvent, dict[str, Any]]:
    event = events.normalise(body)
    message = booking_message(event, ref=1, host_user_id="U1")
    assert validate_blocks(message["blocks"], "message") == []
    return event, message


# --- the fixtures, read and rendered ------------------------------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.stem)
def test_every_real_payload_renders_valid_blocks(path: Path) -> None:
    body = json.loads(path.read_text())
    key = events.read_delivery(path.read_bytes())
    assert key.is_booking
    event, message = rendered(body)
    assert event.uid and "Booking update" not in message["text"]


def test_a_reschedule_shows_the_bookers_reason_and_who_moved_it() -> None:
    event, message = rendered(fixture("booking_rescheduled"))
    text = text_of(message)
    assert event.kind == "rescheduled" and event.reason == "Dentist ran late"
    assert "Reason: Dentist ran late" in text
    assert "Rescheduled by test@example.com" in text
    assert "~" in text  # the old time struck through


def test_a_cancellation_shows_who_cancelled_and_why_and_no_join() -> None:
    _, message = rendered(fixture("booking_cancelled"))
    text = text_of(message)
    assert message["text"].startswith("Cancelled: 30 min between")
    assert "Reason: Double-booked" in text and "Cancelled by sam@acme.test" in text
    assert "join_meeting" not in action_ids(message)


def test_a_request_to_reschedule_offers_no_join_for_the_cancelled_slot() -> None:
    event, message = rendered(fixture("booking_cancelled_request_reschedule"))
    assert event.kind == "reschedule_asked"
    assert message["text"].startswith("Reschedule requested")
    assert action_ids(message) == []  # no Join: that slot no longer happens
    assert "Asked by sam@acme.test" in text_of(message)


def test_a_removed_no_show_mark_is_not_a_no_show() -> None:
    event, message = rendered(fixture("booking_no_show_cleared"))
    assert event.kind == "no_show_cleared" and event.no_shows == ()
    assert message["text"].startswith("No-show mark removed")
    assert "No longer marked as no-show: test@example.com" in text_of(message)
    marked, _ = rendered(fixture("booking_no_show_updated"))
    assert marked.kind == "no_show" and marked.no_shows == ("test@example.com",)


def test_two_no_show_updates_of_one_booking_are_two_deliveries() -> None:
    def key(name: str) -> str:
        body = json.dumps(fixture(name)).encode()
        return events.read_delivery(body).dedupe("tok")

    assert key("booking_no_show_updated") != key("booking_no_show_cleared")
    assert key("booking_no_show_updated") == key("booking_no_show_updated")  # a retry


@pytest.mark.parametrize(
    "junk",
    [
        {"attendees": 5},
        {"attendees": [5, "x", None, {"email": 3}]},
        {"organizer": "sam"},
        {"title": ["x"], "startTime": 12, "endTime": {}, "length": "30"},
        {"metadata": "x", "videoCallData": [1], "location": 7},
        {"metadata": {"videoCallUrl": "javascript:alert(1)"}},
        {"responses": {"rescheduleReason": ["x"]}, "cancelledBy": {}, "rescheduleUid": 5},
    ],
)
def test_a_type_confused_payload_renders_what_is_valid(junk: dict[str, Any]) -> None:
    body = fixture("booking_created")
    body["payload"].update(junk)
    events.read_delivery(json.dumps(body).encode())
    event, message = rendered(body)
    assert event.uid == "fx-booking-1"
    assert message["text"].startswith("New booking")


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b'{"triggerEvent": "BOOKING_CREATED", "payload": {"uid": "x", "a": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}}",
    ],
    ids=["bare", "inside-a-delivery"],
)
def test_deeply_nested_json_is_malformed(body: bytes) -> None:
    with pytest.raises(events.Malformed):
        events.read_delivery(body)


@pytest.mark.parametrize(
    "value",
    [b"NaN", b"Infinity", b'"\\ud800"'],
    ids=["nan", "infinity", "lone-surrogate"],
)
def test_json_that_cal_com_never_writes_is_malformed(value: bytes) -> None:
    """What Python's json would take but JSON.stringify never writes: refused at the door
    (a 400), not stored to fail later in the worker or in Slack's encoder."""
    body = b'{"triggerEvent": "BOOKING_CREATED", "payload": {"uid": "x", "n": ' + value + b"}}"
    with pytest.raises(events.Malformed):
        events.read_delivery(body)
    assert events.read_delivery(body.replace(value, b"1")).booking_uid == "x"


# --- through the endpoint and the worker ---------------------------------------------------


def _subscribed(bot: NotifyBot, sales: str) -> Any:
    subscribe(bot, f"<#{sales}|sales>")
    assert bot.sleep is not None
    bot.sleep.frozen = True  # time moves only by bot.tick
    return only_subscription(bot)


def _send(bot: NotifyBot, sub: Any, body: dict[str, Any]) -> Any:
    response = signed_post(bot, sub.token, json.dumps(body).encode(), sub.secret)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_type_confused_signed_body_is_posted_not_lost(
    bot: NotifyBot, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    sub = _subscribed(bot, sales)
    body = fixture("booking_created", attendees=5, organizer="x", metadata=[1])
    assert _send(bot, sub, body)["queued"]
    bot.settled.wait(state="sent")
    [message] = posts_to(slack, sales)
    assert message["text"].startswith("New booking: 30 min between Sam Jones and Test Testson")
    assert [r["status"] for r in rows(bot)] == ["sent"]


def test_deeply_nested_json_is_a_400(bot: NotifyBot, sam: Any, sales: str) -> None:
    sub = _subscribed(bot, sales)
    response = signed_post(bot, sub.token, b"[" * 200_000, sub.secret)
    assert response.status_code == 400
    assert rows(bot) == []


def test_nesting_the_door_accepts_is_posted_not_failed(
    bot: NotifyBot, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    """A thousand levels deep: under orjson's limit, past json's recursion. The worker
    reads the stored row with the parser that took it in, so a 200 is never a failed row."""
    sub = _subscribed(bot, sales)
    deep = b'{"triggerEvent": "BOOKING_CREATED", "payload": {"uid": "deep", "x": '
    deep += b"[" * 1000 + b"]" * 1000 + b', "startTime": "2026-11-26T15:00:00Z"}}'
    answer = signed_post(bot, sub.token, deep, sub.secret)
    assert answer.json() == {"ok": True, "queued": True}
    bot.settled.wait(state="sent")
    assert [r["status"] for r in rows(bot)] == ["sent"]
    [message] = posts_to(slack, sales)
    assert message["text"].startswith("New booking")


def test_no_show_updates_read_the_booking_and_each_is_posted(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    sub = _subscribed(bot, sales)
    made = book_via_api(calcom, sam.event_type("30min")["id"], THU_10AM_NY)
    posts_to(slack, sales)  # "New booking"
    guest = made["attendees"][0]["email"]
    marked = fixture("booking_no_show_updated", bookingUid=made["uid"])
    marked["payload"]["attendees"] = [{"email": guest, "noShow": True}]
    cleared = copy.deepcopy(marked)
    cleared["payload"]["attendees"][0]["noShow"] = False

    assert _send(bot, sub, marked)["queued"]
    assert _send(bot, sub, cleared)["queued"]  # what changed is in the dedupe key
    assert _send(bot, sub, marked)["queued"] is False  # Cal.com's retry of the first

    _, first, second = posts_to(slack, sales, count=3)
    assert first["text"].startswith(f"No-show: {made['title']}, Thu 26 Nov, 10:00 AM")
    assert "Marked as no-show: Jane Doe" in text_of(first)
    assert second["text"].startswith(f"No-show mark removed: {made['title']}")
    assert "No longer marked as no-show: Jane Doe" in text_of(second)


def test_a_reschedule_arriving_after_its_cancellation_was_posted_corrects_it(
    bot: NotifyBot, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    sub = _subscribed(bot, sales)
    plain = fixture("booking_cancelled", cancelledBy=None, cancellationReason=None)
    assert _send(bot, sub, plain)["queued"]
    bot.settled.wait(state="held")
    bot.tick(CANCEL_GRACE)
    bot.settled.wait(state="sent")
    assert slack.messages[sales][0]["text"].startswith("Cancelled")

    bot.tick(12)  # the reschedule that explains it, 12 s later
    assert _send(bot, sub, fixture("booking_rescheduled"))["queued"]
    bot.settled.wait(2, state="sent")
    corrected, rescheduled = slack.messages[sales]
    assert rescheduled["text"].startswith("Rescheduled: 30 min between")
    assert corrected["text"].startswith("Rescheduled: 30 min between")
    assert "Moved to a new time, not cancelled" in text_of(corrected)
    assert "edited" in corrected


def test_a_network_failure_while_correcting_a_cancellation_leaves_the_reschedule_sent(
    bot: NotifyBot,
    slack: SlackEmulator,
    sam: Any,
    sales: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The correction is best effort after Slack took the reschedule: a connection lost on
    one chat.update is one warning, the row stays sent, and the other correction is made."""
    sub = _subscribed(bot, sales)
    # two "Cancelled" posts of the booking (two deliveries that differ in start time)
    plain = fixture("booking_cancelled", cancelledBy=None, cancellationReason=None)
    assert _send(bot, sub, plain)["queued"]
    later = fixture("booking_cancelled", startTime="2026-11-26T16:00:00Z")
    assert _send(bot, sub, later)["queued"]
    bot.settled.wait(2, state="held")
    bot.tick(CANCEL_GRACE)
    bot.settled.wait(2, state="sent")
    assert [m["text"][:9] for m in slack.messages[sales]] == ["Cancelled"] * 2

    slack.drop_next("chat.update")  # the network fails on the first edit
    caplog.set_level(logging.INFO, logger="calbot.notify")
    bot.tick(12)
    assert _send(bot, sub, fixture("booking_rescheduled"))["queued"]
    slack.wait_for("chat.update", count=2)
    bot.settled.wait(3, state="sent")
    assert [r["status"] for r in rows(bot)] == ["sent", "sent", "sent"]
    assert bot.settled.seen[-1][1] == "sent"
    first, second, rescheduled = slack.messages[sales]
    assert rescheduled["text"].startswith("Rescheduled: 30 min between")
    assert first["text"].startswith("Cancelled")  # the dropped edit: left as it was
    assert second["text"].startswith("Rescheduled") and "edited" in second
    notes = [r for r in caplog.records if r.name == "calbot.notify"]
    assert not [r for r in notes if r.exc_info or r.levelno >= logging.ERROR]
    [warning] = [r for r in notes if r.levelno == logging.WARNING]
    assert "ClientPayloadError" in warning.getMessage()


def test_created_after_cancelled_leaves_the_cancellation_as_the_last_word(
    bot: NotifyBot, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    sub = _subscribed(bot, sales)
    assert _send(bot, sub, fixture("booking_cancelled"))["queued"]
    bot.settled.wait(state="held")
    bot.tick(CANCEL_GRACE)
    bot.settled.wait(state="sent")
    assert _send(bot, sub, fixture("booking_created"))["queued"]
    bot.settled.wait(state="skipped")

    [only] = slack.messages[sales]
    assert only["text"].startswith("Cancelled")
    created = [r for r in rows(bot) if r["trigger_event"] == "BOOKING_CREATED"]
    assert created[0]["last_error"] == "superseded: the booking was cancelled or declined"


def test_reschedules_delivered_newest_first_leave_the_newest_time(
    bot: NotifyBot, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    sub = _subscribed(bot, sales)
    a_to_b = fixture("booking_rescheduled")  # fx-booking-1 → fx-booking-2 at 18:00 UTC
    b_to_c = fixture(
        "booking_rescheduled",
        uid="fx-booking-3",
        rescheduleUid="fx-booking-2",
        rescheduleStartTime="2026-11-26T18:00:00Z",
        rescheduleEndTime="2026-11-26T18:30:00Z",
        startTime="2026-11-26T21:00:00Z",
        endTime="2026-11-26T21:30:00Z",
    )
    assert _send(bot, sub, b_to_c)["queued"]
    bot.settled.wait(state="sent")
    assert _send(bot, sub, a_to_b)["queued"]
    bot.settled.wait(state="skipped")

    [only] = slack.messages[sales]
    assert "4:00 PM" in only["text"]  # 21:00 UTC, the newest time, in New York
    late = [r for r in rows(bot) if r["booking_uid"] == "fx-booking-2"]
    assert late[0]["last_error"] == "superseded: the booking was rescheduled again"


def test_mutated_signed_deliveries_are_each_posted_or_skipped_never_lost(
    bot: NotifyBot, slack: SlackEmulator, sam: Any, sales: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real payloads with wrong types, through the endpoint and the worker: every stored
    row ends posted (or skipped by a rule), none failed."""
    monkeypatch.setattr(lanes, "INTERVAL", 0.001)  # Slack's pace, a thousand times faster
    subscribe(bot, f"<#{sales}|sales>")  # the worker's waits move the clock (held rows too)
    sub = only_subscription(bot)
    rng = random.Random(9)
    bodies = [json.loads(p.read_text()) for p in sorted(FIXTURES.glob("*.json"))]
    queued = 0
    for i in range(60):
        body = dict(rng.choice(bodies))
        body["payload"] = mutate(rng, body["payload"], rng.choice((1, 2, 3)))
        body["payload"]["uid"] = f"mut-{i}"  # one booking each: no ordering rule applies
        body["payload"]["bookingUid"] = f"mut-{i}"
        response = signed_post(bot, sub.token, json.dumps(body).encode(), sub.secret)
        assert response.status_code in (200, 400), response.text
        queued += bool(response.status_code == 200 and response.json().get("queued"))

    def latest() -> dict[int, str]:
        return dict(bot.settled.seen)  # each row's last state

    def finished() -> bool:
        return len(latest()) >= queued and "held" not in latest().values()

    with bot.settled._cond:
        assert bot.settled._cond.wait_for(finished, timeout=30), bot.settled.seen
    states = [r["status"] for r in rows(bot)]
    assert "failed" not in states and queued > 30
    assert states.count("sent") == len(slack.messages.get(sales, []))
