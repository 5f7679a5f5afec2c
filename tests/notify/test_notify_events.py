"""The pure parts of notifications: reading Cal.com payloads, the signature, the dedupe key,
and the messages (checked against Slack's Block Kit rules by the emulator's validator)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.blocks.notifications import booking_message, decided_message
from bot.blocks.small_modals import decline_modal
from bot.grammar import ALL_TRIGGERS
from bot.models import BookingEvent
from bot.notify import events
from bot.notify.endpoint import signature_ok
from tests.emulators.blockkit import validate_blocks, validate_view
from tests.emulators.calcom import TRIGGERS
from tests.slackdriver import action_ids, text_of

START = "2026-11-26T20:00:00Z"  # 3:00 PM in New York


def envelope(trigger: str, **payload: Any) -> dict[str, Any]:
    base = {
        "uid": "bk-1",
        "title": "Intro call",
        "startTime": START,
        "endTime": "2026-11-26T20:30:00Z",
        "organizer": {"name": "Alice Wong", "email": "a@x.test", "timeZone": "America/New_York"},
        "attendees": [{"name": "Jane Doe", "email": "jane@x.test", "timeZone": "Europe/Paris"}],
        "location": "integrations:daily",
        "metadata": {"videoCallUrl": "https://app.cal.com/video/bk-1"},
        "length": 30,
    }
    return {"triggerEvent": trigger, "createdAt": "2026-11-25T15:00:00Z", "payload": base | payload}


def read(trigger: str, **payload: Any) -> BookingEvent:
    return events.normalise(envelope(trigger, **payload))


def valid(message: dict[str, Any]) -> dict[str, Any]:
    assert validate_blocks(message["blocks"], "message") == []
    return message


# --- triggers -------------------------------------------------------------------------------


def test_webhook_triggers_are_real_cal_com_triggers() -> None:
    everything = events.calcom_triggers(ALL_TRIGGERS)
    assert set(everything) <= set(TRIGGERS) and "BOOKING_CONFIRMED" not in everything
    assert "BOOKING_NO_SHOW_UPDATED" in everything
    # a cancellation may be a reschedule's old half: "cancelled" hears reschedules to know
    assert events.calcom_triggers(["cancelled"]) == [
        "BOOKING_CANCELLED",
        "BOOKING_RESCHEDULED",
        "BOOKING_REQUESTED",
    ]
    # reschedules may arrive as requests or cancellations, so "rescheduled" listens to those
    assert events.calcom_triggers(["rescheduled"]) == [
        "BOOKING_RESCHEDULED",
        "BOOKING_REQUESTED",
        "BOOKING_CANCELLED",
    ]


# --- reading payloads, quirks included --------------------------------------------------------


@pytest.mark.parametrize(
    ("trigger", "extra", "kind"),
    [
        ("BOOKING_CREATED", {}, "created"),
        ("BOOKING_RESCHEDULED", {"rescheduleUid": "old"}, "rescheduled"),
        ("BOOKING_REQUESTED", {}, "requested"),
        ("BOOKING_REQUESTED", {"rescheduleUid": "old"}, "rescheduled"),
        ("BOOKING_REQUESTED", {"fromReschedule": "old"}, "rescheduled"),
        ("BOOKING_CANCELLED", {}, "cancelled"),
        ("BOOKING_CANCELLED", {"rescheduledToUid": "new"}, "moved"),
        (
            "BOOKING_CANCELLED",
            {"rescheduledToUid": None, "requestReschedule": True},
            "reschedule_asked",
        ),
        ("BOOKING_CANCELLED", {"rescheduleRequested": True}, "reschedule_asked"),
        ("BOOKING_CANCELLED", {"rescheduled": True}, "reschedule_asked"),
        ("BOOKING_CANCELLED", {"requestReschedule": False}, "cancelled"),
        ("BOOKING_REJECTED", {}, "rejected"),
        ("BOOKING_NO_SHOW_UPDATED", {}, "no_show"),
    ],
)
def test_what_a_delivery_means(trigger: str, extra: dict[str, Any], kind: str) -> None:
    assert read(trigger, **extra).kind == kind


@pytest.mark.parametrize(
    ("trigger", "extra", "triggers", "shown"),
    [
        ("BOOKING_CREATED", {}, ("created",), True),
        ("BOOKING_CREATED", {}, ("cancelled",), False),
        ("BOOKING_CANCELLED", {}, ("rescheduled",), False),
        ("BOOKING_CANCELLED", {"requestReschedule": True}, ("rescheduled",), True),
        ("BOOKING_CANCELLED", {"requestReschedule": True}, ("cancelled",), False),
        ("BOOKING_CANCELLED", {"rescheduledToUid": "new"}, ALL_TRIGGERS, False),
        ("BOOKING_REQUESTED", {"rescheduleUid": "old"}, ("requested",), True),
        ("BOOKING_REQUESTED", {"rescheduleUid": "old"}, ("rescheduled",), True),
        ("BOOKING_REQUESTED", {}, ("rescheduled",), False),
        # "cancelled" hears reschedules and requests only to recognise old halves
        ("BOOKING_RESCHEDULED", {"rescheduleUid": "old"}, ("cancelled",), False),
        ("BOOKING_REQUESTED", {"rescheduleUid": "old"}, ("cancelled",), False),
        ("BOOKING_REQUESTED", {}, ("cancelled",), False),
        ("BOOKING_REJECTED", {}, ("requested",), True),
        ("BOOKING_NO_SHOW_UPDATED", {}, ALL_TRIGGERS, True),
        ("BOOKING_NO_SHOW_UPDATED", {}, ("created",), False),
    ],
)
def test_what_a_subscription_shows(
    trigger: str, extra: dict[str, Any], triggers: tuple[str, ...], shown: bool
) -> None:
    assert events.wanted(read(trigger, **extra), triggers) is shown


def test_a_payload_read_in_full() -> None:
    event = read("BOOKING_RESCHEDULED", rescheduleStartTime="2026-11-26T19:00:00Z")
    assert event.uid == "bk-1" and event.title == "Intro call" and event.length == 30
    assert event.start == datetime(2026, 11, 26, 20, tzinfo=UTC)
    assert event.previous_start == datetime(2026, 11, 26, 19, tzinfo=UTC)
    assert event.organizer is not None and event.organizer.time_zone == "America/New_York"
    assert [a.label for a in event.attendees] == ["Jane Doe"]
    assert (event.location, event.join_url) == ("Cal Video", "https://app.cal.com/video/bk-1")
    place = read("BOOKING_CREATED", location="Room 4", metadata={})
    assert (place.location, place.join_url) == ("Room 4", None)
    link = read("BOOKING_CREATED", location="https://meet.example/x", metadata={})
    assert (link.location, link.join_url) == (None, "https://meet.example/x")


def test_a_no_show_payload_is_read_too() -> None:
    body = {
        "triggerEvent": "BOOKING_NO_SHOW_UPDATED",
        "createdAt": "2026-11-26T21:00:00Z",
        "payload": {
            "message": "x marked as no-show",
            "bookingUid": "bk-9",
            "attendees": [
                {"email": "jane@x.test", "noShow": True},
                {"email": "b@x", "noShow": False},
            ],
        },
    }
    event = events.normalise(body)
    assert event.kind == "no_show" and event.uid == "bk-9" and event.no_shows == ("jane@x.test",)
    assert "jane@x.test" in text_of(valid(booking_message(event)))


@pytest.mark.parametrize(
    "body", [b"{", b"[]", b'{"payload": {}}', b'{"triggerEvent": "X"}', b"\xff\xfe{}"]
)
def test_what_is_no_delivery(body: bytes) -> None:
    with pytest.raises(events.Malformed):
        events.read_delivery(body)


# --- signature and dedupe key -----------------------------------------------------------------


def test_the_signature_is_hex_hmac_sha256_of_the_raw_body() -> None:
    body = b'{"triggerEvent":"BOOKING_CREATED"}'
    good = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert signature_ok("s3cret", body, good)
    assert signature_ok("s3cret", body, good.upper())
    assert not signature_ok("s3cret", body + b" ", good)
    assert not signature_ok("other", body, good)
    assert not signature_ok("s3cret", body, None)
    assert not signature_ok("s3cret", body, "")


def test_the_dedupe_key_is_subscription_trigger_booking_and_start() -> None:
    one = json.dumps(envelope("BOOKING_CREATED")).encode()
    same = json.dumps(envelope("BOOKING_CREATED", startTime="2026-11-26T20:00:00.000Z")).encode()
    key = events.read_delivery(one)
    assert key.dedupe("tok") == events.read_delivery(same).dedupe("tok")
    assert key.dedupe("tok") != key.dedupe("other-subscription")
    for changed in (
        envelope("BOOKING_CANCELLED"),
        envelope("BOOKING_CREATED", uid="bk-2"),
        envelope("BOOKING_CREATED", startTime="2026-11-27T20:00:00Z"),
    ):
        assert events.read_delivery(json.dumps(changed).encode()).dedupe("tok") != key.dedupe("tok")
    moved = events.read_delivery(
        json.dumps(envelope("BOOKING_RESCHEDULED", rescheduleUid="o")).encode()
    )
    assert moved.rescheduled_from == "o"


# --- messages ---------------------------------------------------------------------------------


def test_a_new_booking_message() -> None:
    message = valid(booking_message(read("BOOKING_CREATED")))
    assert (
        message["text"]
        == "New booking: Intro call, Thu 26 Nov, 3:00 PM EST, Jane Doe with Alice Wong"
    )
    text = text_of(message)
    epoch = int(datetime(2026, 11, 26, 20, tzinfo=UTC).timestamp())
    token = f"<!date^{epoch}^{{date_short_pretty}} at {{time}}|Thu 26 Nov, 3:00 PM EST>"
    assert f"{token} · 30 min" in text
    assert "Where: Cal Video" in text
    assert action_ids(message) == ["join_meeting"]
    assert "notify_confirm" not in action_ids(message)


def test_a_reschedule_shows_old_and_new_times() -> None:
    event = read("BOOKING_RESCHEDULED", rescheduleStartTime="2026-11-26T19:00:00Z")
    text = text_of(valid(booking_message(event)))
    old = int(datetime(2026, 11, 26, 19, tzinfo=UTC).timestamp())
    assert f"~<!date^{old}^" in text and "~ → <!date^" in text


def test_a_cancellation_has_its_reason_and_no_join_button() -> None:
    event = read("BOOKING_CANCELLED", cancellationReason="Ill", location="Room 4", metadata={})
    message = valid(booking_message(event))
    assert message["text"].startswith("Cancelled: Intro call")
    assert "Reason: Ill" in text_of(message) and ":round_pushpin: Room 4" in text_of(message)
    assert action_ids(valid(booking_message(read("BOOKING_CANCELLED")))) == []


def test_a_request_has_confirm_and_decline_then_the_decision() -> None:
    event = read("BOOKING_REQUESTED")
    message = valid(booking_message(event, ref=42, host_user_id="U1"))
    assert action_ids(message) == ["join_meeting", "notify_confirm", "notify_decline"]
    assert "Waiting for <@U1> to confirm." in text_of(message)
    values = [
        e.get("value") for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert values[1:] == ["42", "42"]
    done = valid(decided_message(event, confirmed=False, by_user_id="U1", reason="Busy"))
    assert "notify_confirm" not in action_ids(done) and "Waiting for" not in text_of(done)
    assert "Declined by <@U1>: Busy" in text_of(done)
    assert validate_view(decline_modal("Intro call", {"ref": 42})) == []


def test_long_titles_and_many_attendees_stay_within_slack_limits() -> None:
    many = [{"name": f"Guest {i} " + "x" * 80, "email": f"g{i}@x.test"} for i in range(60)]
    event = read("BOOKING_CREATED", title="T" * 5000, attendees=many)
    valid(booking_message(event, ref=1))


def test_webhook_signatures_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.notify import endpoint

    compared = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(endpoint.hmac, "compare_digest", spy)
    good = hmac.new(b"sec", b"body", hashlib.sha256).hexdigest()
    assert signature_ok("sec", b"body", good)
    assert not signature_ok("sec", b"body", "0" * 64)
    assert len(compared) == 2  # both answers came from the constant-time comparison
