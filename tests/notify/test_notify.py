"""Booking notifications end to end: `/cal notify` makes a webhook in the Cal.com emulator,
the emulator delivers signed events to the bot's real endpoint, the worker posts to the
Slack emulator. Waits are on emulator conditions; the worker's retry waits use a sleep
that moves the shared clock instead of waiting.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.notify import events
from bot.notify.worker import CANCEL_GRACE, LEASE, Notifier
from bot.store import Store
from bot.store import notifications as tables
from tests.emulators.calcom import TRIGGERS, CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import Clock, link_user, make_settings
from tests.notifying import (
    THU_10AM_NY,
    NotifyBot,
    as_host,
    book_via_api,
    delivery,
    enqueue_delivery,
    home_publishes,
    only_subscription,
    posts_to,
    rows,
    running_bot,
    signed_post,
    subscribe,
)
from tests.slackdriver import action_ids, button_value, text_of


@pytest.fixture
def sales(slack: SlackEmulator) -> str:
    slack.add_channel("C900", "sales", members={"U1", "U2"}, bot_is_member=False)
    return "C900"


def test_a_channel_gets_bookings_made_through_the_api_and_the_booking_page(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    reply = subscribe(bot, f"<#{sales}|sales>")
    assert f"go to <#{sales}>" in reply
    assert slack.channels[sales]["bot_is_member"]  # a public channel: the bot joined it

    [hook] = calcom.webhooks.values()
    sub = only_subscription(bot)
    assert hook["subscriberUrl"] == f"{bot.url}/calcom/webhooks/{sub.token}"
    assert hook["userId"] == sam.id and hook["active"]
    assert hook["secret"] == sub.secret and len(sub.secret) >= 43  # 32 random bytes
    assert len(sub.token) >= 32
    assert set(hook["triggers"]) <= set(TRIGGERS) and "BOOKING_CONFIRMED" not in hook["triggers"]
    assert {
        "BOOKING_CREATED",
        "BOOKING_RESCHEDULED",
        "BOOKING_CANCELLED",
        "BOOKING_REQUESTED",
    } <= set(hook["triggers"])

    thirty = sam.event_type("30min")["id"]
    book_via_api(calcom, thirty, THU_10AM_NY)
    [first] = posts_to(slack, sales)
    text = text_of(first)
    assert first["text"] == (
        "New booking: 30 min meeting between Sam Jones and Jane Doe, Thu 26 Nov, 10:00 AM EST, "
        "Jane Doe with Sam Jones"
    )
    epoch = int(THU_10AM_NY.timestamp())
    assert f"<!date^{epoch}^{{date_short_pretty}} at {{time}}|Thu 26 Nov, 10:00 AM EST>" in text
    assert "30 min" in text and "Jane Doe with Sam Jones" in text
    assert "join_meeting" in action_ids(first)  # Cal Video: a Join button

    calcom.book_as_guest(
        event_type_id=thirty,
        start=THU_10AM_NY.replace(hour=17),
        name="Pat Guest",
        email="pat@guest.test",
    )
    messages = posts_to(slack, sales, count=2)
    assert len(messages) == 2 and "Pat Guest with Sam Jones" in text_of(messages[1])
    bot.settled.wait(2)
    assert [r["status"] for r in rows(bot)] == ["sent", "sent"]


def test_one_event_type_and_some_triggers_in_a_dm(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any
) -> None:
    reply = subscribe(bot, "me 60min cancelled")
    assert "*60 min meeting* (cancelled) go to your DMs" in reply
    [hook] = calcom.webhooks.values()
    assert hook["eventTypeId"] == sam.event_type("60min")["id"]
    # reschedules too: they tell which cancellations are only a reschedule's old half
    assert hook["triggers"] == ["BOOKING_CANCELLED", "BOOKING_RESCHEDULED", "BOOKING_REQUESTED"]

    made = book_via_api(calcom, sam.event_type("60min")["id"], THU_10AM_NY)
    as_host(calcom, "sam", "POST", f"/v2/bookings/{made['uid']}/cancel", cancellationReason="Ill")
    [message] = posts_to(slack, "D1")
    assert message["text"].startswith("Cancelled: 60 min meeting")
    assert "Reason: Ill" in text_of(message)
    # a plain cancellation waits the grace period for a reschedule, then posts; waiting
    # is no failed attempt
    bot.settled.wait(state="sent")
    assert bot.sleep is not None and bot.sleep.waits == [CANCEL_GRACE]
    cancelled = next(r for r in rows(bot) if r["trigger_event"] == "BOOKING_CANCELLED")
    assert cancelled["sent_at"] - cancelled["received_at"] == CANCEL_GRACE
    assert cancelled["attempts"] == 1


def test_subscribing_again_changes_the_webhook_instead_of_adding_one(
    bot: NotifyBot, calcom: CalcomEmulator, sam: Any, sales: str
) -> None:
    subscribe(bot, f"<#{sales}|sales>")
    reply = subscribe(bot, f"<#{sales}|sales> requested")
    assert "Updated" in reply and "(requested)" in reply
    [hook] = calcom.webhooks.values()
    assert hook["triggers"] == ["BOOKING_REQUESTED", "BOOKING_REJECTED"]
    assert only_subscription(bot).triggers == ("requested",)


def test_what_cannot_be_subscribed_says_why(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any
) -> None:
    slack.add_channel("G1", "secret-plans", is_private=True, bot_is_member=False)
    assert "/invite @calbot" in subscribe(bot, "<#G1|secret-plans>")
    slack.add_channel("C2", "old", is_archived=True)
    assert "archived" in subscribe(bot, "<#C2|old>")
    assert calcom.webhooks == {}

    bot.rt.settings = replace(bot.rt.settings, public_url=None)
    assert "`PUBLIC_URL`" in subscribe(bot, "me")
    assert calcom.webhooks == {}


def test_list_and_off_and_disconnect_delete_the_webhooks(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    subscribe(bot, f"<#{sales}|sales>")
    subscribe(bot, f"<#{sales}|sales> 60min cancelled")
    subscribe(bot, "me")
    assert len(calcom.webhooks) == 3
    listed = bot.slack.reply(bot.slack.command("notify list"))
    assert text_of(listed).count(f"<#{sales}>") == 2 and "your DMs" in text_of(listed)
    assert action_ids(listed) == ["notify_off"] * 3

    off = text_of(bot.slack.reply(bot.slack.command(f"notify off <#{sales}|sales>")))
    assert f"to <#{sales}> are off" in off
    [left] = calcom.webhooks.values()
    assert left["subscriberUrl"].endswith(only_subscription(bot).token)

    confirm = bot.slack.reply(bot.slack.command("disconnect"))
    assert "disconnect_confirm" in action_ids(confirm)
    bot.slack.reply(bot.slack.click("disconnect_confirm"))
    assert calcom.webhooks == {}
    assert tables.subscriptions_of(bot.rt.store.db, "T111", "U1") == []


def test_turn_off_from_the_list(bot: NotifyBot, calcom: CalcomEmulator, sam: Any) -> None:
    subscribe(bot, "me")
    sub = only_subscription(bot)
    # someone else's click on the owner's button changes nothing
    other = bot.slack.reply(bot.slack.click("notify_off", value=str(sub.id), user="U2"))
    assert "already off" in text_of(other) and len(calcom.webhooks) == 1
    listed = bot.slack.reply(bot.slack.click("notify_off", value=str(sub.id)))
    assert "no booking notifications" in text_of(listed)
    assert calcom.webhooks == {}


# --- the endpoint -------------------------------------------------------------------------


def test_a_redelivered_event_is_posted_once_and_bad_requests_are_refused(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    subscribe(bot, f"<#{sales}|sales>")
    sub = only_subscription(bot)
    calcom.book_as_guest(
        event_type_id=sam.event_type("30min")["id"],
        start=THU_10AM_NY,
        name="Jane Doe",
        email="jane@else.test",
    )
    assert calcom.wait_for_delivery().status == 200
    posts_to(slack, sales)
    bot.settled.wait(1)

    again = calcom.redeliver(0)  # Cal.com's retry: the same bytes, the same signature
    assert again.status == 200
    twin = signed_post(bot, sub.token, again.body, sub.secret)  # a second copy at once
    assert twin.json() == {"ok": True, "queued": False}
    assert len(rows(bot)) == 1 and len(slack.messages[sales]) == 1

    body = delivery("BOOKING_CREATED", uid="other-booking")
    assert signed_post(bot, sub.token, body, "not-the-secret").status_code == 401
    assert signed_post(bot, sub.token, body, None).status_code == 401
    assert signed_post(bot, "no-such-token", body, sub.secret).status_code == 404
    huge = delivery("BOOKING_CREATED", uid="huge", description="x" * (1024 * 1024))
    assert signed_post(bot, sub.token, huge, sub.secret).status_code == 413
    assert signed_post(bot, sub.token, b"{not json", sub.secret).status_code == 400
    assert signed_post(bot, sub.token, b'{"payload": {}}', sub.secret).status_code == 400
    ping = json.dumps({"triggerEvent": "PING", "payload": {}}).encode()
    assert signed_post(bot, sub.token, ping, sub.secret).json() == {"ok": True, "queued": False}
    assert len(rows(bot)) == 1 and len(slack.messages[sales]) == 1

    assert signed_post(bot, sub.token, body, sub.secret).json() == {"ok": True, "queued": True}
    posts_to(slack, sales, count=2)


# --- delivery: retries, restarts, broken channels ------------------------------------------


def test_slack_429_waits_retry_after_then_posts_once(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    subscribe(bot, f"<#{sales}|sales>")
    slack.fail_next("chat.postMessage", retry_after=30)
    calcom.book_as_guest(
        event_type_id=sam.event_type("30min")["id"],
        start=THU_10AM_NY,
        name="Jane Doe",
        email="jane@else.test",
    )
    posts_to(slack, sales)
    bot.settled.wait(state="sent")
    assert [c.error for c in slack.calls_to("chat.postMessage")] == ["ratelimited", None]
    assert bot.sleep is not None and bot.sleep.waits == [30]
    [row] = rows(bot)
    assert row["sent_at"] - row["received_at"] == 30 and row["attempts"] == 2
    assert len(slack.messages[sales]) == 1


def test_slack_5xx_backs_off_and_network_errors_retry(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any
) -> None:
    subscribe(bot, "me")
    slack.fail_next("chat.postMessage", error="internal_error", status=500, times=3)
    calcom.book_as_guest(
        event_type_id=sam.event_type("30min")["id"],
        start=THU_10AM_NY,
        name="Jane Doe",
        email="jane@else.test",
    )
    posts_to(slack, "D1")
    bot.settled.wait(state="sent")
    assert bot.sleep is not None and bot.sleep.waits == [5, 10, 20]  # doubling backoff
    assert len(slack.messages["D1"]) == 1


def test_a_stopped_bot_posts_after_restart_exactly_once(
    tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator, clock: Clock
) -> None:
    settings = make_settings(tmp_path, calcom, slack, PUBLIC_URL="http://127.0.0.1:1")
    slack.add_channel("C900", "sales", members={"U1"})
    with running_bot(settings, clock, slack, fake_sleep=False) as first:
        sam = link_user(first, calcom, "U1", "sam")
        subscribe(first, "<#C900|sales>")
        slack.fail_next("chat.postMessage", error="service_unavailable", status=503)
        calcom.book_as_guest(
            event_type_id=calcom.account(sam.username).event_type("30min")["id"],
            start=THU_10AM_NY,
            name="Jane Doe",
            email="jane@else.test",
        )
        assert calcom.wait_for_delivery().status == 200  # answered without Slack
        first.settled.wait(state="pending")  # received, Slack failed, a retry is due in 5 s
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 3  # the worker's wait does not hold up shutdown
    store = Store(settings.database_path)
    [row] = store.db["outbox"].rows
    store.close()
    assert row["status"] == "pending" and "C900" not in slack.messages

    with running_bot(settings, clock, slack) as second:
        posts_to(slack, "C900")
        second.settled.wait(state="sent")
        [row] = rows(second)
        assert row["status"] == "sent" and row["attempts"] == 2
    assert len(slack.messages["C900"]) == 1
    assert len(slack.calls_to("chat.postMessage")) == 2  # one failed, one posted


def test_a_row_claimed_by_a_crashed_worker_is_taken_over_after_its_lease(
    tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator, clock: Clock
) -> None:
    settings = make_settings(tmp_path, calcom, slack, PUBLIC_URL="http://127.0.0.1:1")
    with running_bot(settings, clock, slack) as first:
        link_user(first, calcom, "U1", "sam")
        subscribe(first, "me")
        sub = only_subscription(first)
    # Between the two runs a worker claims a row and dies before posting (kill -9).
    store = Store(settings.database_path)
    now = clock().timestamp()
    key = events.read_delivery(delivery("BOOKING_CREATED"))
    assert tables.enqueue(
        store.db,
        token=sub.token,
        team_id="T111",
        dedupe_key=key.dedupe(sub.token),
        trigger_event=key.trigger,
        booking_uid=key.booking_uid,
        rescheduled_from=None,
        body=delivery("BOOKING_CREATED").decode(),
        now=now,
    )
    assert tables.claim_next(store.db, now, now + LEASE) is not None
    store.close()

    with running_bot(settings, clock, slack) as second:
        [message] = posts_to(slack, "D1")
        second.settled.wait(state="sent")
        assert second.sleep is not None and second.sleep.waits == [LEASE]
    assert "Jane Doe with Sam Jones" in text_of(message)


def test_a_channel_the_bot_was_removed_from_fails_and_tells_the_owner_once(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    subscribe(bot, f"<#{sales}|sales>")
    slack.channels[sales]["bot_is_member"] = False  # someone removed the bot
    thirty = sam.event_type("30min")["id"]
    for hour in (15, 16):
        calcom.book_as_guest(
            event_type_id=thirty,
            start=THU_10AM_NY.replace(hour=hour),
            name="Jane Doe",
            email="jane@else.test",
        )
    bot.settled.wait(2, state="failed")
    [dm] = posts_to(slack, "D1")
    assert f"couldn't post a booking notification to <#{sales}>" in text_of(dm)
    assert "not a member" in text_of(dm)
    assert [r["status"] for r in rows(bot)] == ["failed", "failed"]
    assert [r["last_error"] for r in rows(bot)] == ["not_in_channel"] * 2
    listed = text_of(bot.slack.reply(bot.slack.command("notify list")))
    assert "Not delivered" in listed

    slack.channels[sales]["bot_is_member"] = True  # invited back: posting works again
    calcom.book_as_guest(
        event_type_id=thirty, start=THU_10AM_NY.replace(hour=17), name="Al", email="al@x.test"
    )
    posts_to(slack, sales)
    bot.settled.wait(state="sent")
    assert only_subscription(bot).broken is None
    assert len(slack.messages["D1"]) == 1


# --- requested bookings: Confirm and Decline ------------------------------------------------


def _request(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any, channel: str, hour: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A booking that needs Sam's confirmation, and its notification in `channel`."""
    booking = calcom.book_as_guest(
        event_type_id=sam.event_type("30min")["id"],
        start=THU_10AM_NY.replace(hour=hour),
        name="Jane Doe",
        email="jane@else.test",
        requires_confirmation=True,
    )
    before = len(slack.messages.get(channel, []))
    message = posts_to(slack, channel, count=before + 1)[before]
    return booking, message


def test_the_host_confirms_a_request_and_nobody_else_can(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    link_user(bot, calcom, "U2", "alice", name="Alice Wong")
    subscribe(bot, f"<#{sales}|sales>")
    booking, message = _request(bot, calcom, slack, sam, sales, 15)
    assert message["text"].startswith("Booking request: 30 min meeting")
    assert "Waiting for <@U1> to confirm" in text_of(message)
    assert {"notify_confirm", "notify_decline"} <= set(action_ids(message))
    ref = button_value(message, "notify_confirm")

    refused = bot.slack.reply(
        bot.slack.click("notify_confirm", value=ref, user="U2", channel=sales)
    )
    assert "Only <@U1>, the host, can confirm" in text_of(refused)
    refused = bot.slack.reply(
        bot.slack.click("notify_decline", value=ref, user="U3", channel=sales)
    )
    assert "Only <@U1>" in text_of(refused)
    assert calcom.bookings[booking["uid"]]["status"] == "pending"
    assert slack.calls_to("views.open") == []

    home_publishes(slack, 1)  # subscribing published the Home once
    bot.slack.click("notify_confirm", value=ref, user="U1", channel=sales)
    [update] = slack.wait_for("chat.update", lambda c: c.ok)
    assert calcom.bookings[booking["uid"]]["status"] == "accepted"
    home_publishes(slack, 2)  # the host's Home shows the booking confirmed
    updated = slack.messages[sales][0]
    assert "Confirmed by <@U1>" in text_of(updated)
    assert "notify_confirm" not in action_ids(updated)
    # Cal.com announces the confirmed booking: the channel hears it as a new booking
    created = posts_to(slack, sales, count=2)[1]
    assert created["text"].startswith("New booking: 30 min meeting")
    assert update.args["ts"] == message["ts"]


def test_the_host_declines_a_request_with_a_reason(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any
) -> None:
    subscribe(bot, "me")
    booking, message = _request(bot, calcom, slack, sam, "D1", 16)
    ref = button_value(message, "notify_decline")
    home_publishes(slack, 1)  # subscribing published the Home once
    bot.slack.click("notify_decline", value=ref, channel="D1", message=message)
    [opened] = slack.wait_for("views.open", lambda c: c.ok)
    view = opened.response["view"]
    assert view["callback_id"] == "decline_reason"
    assert bot.slack.submit_view(view, {"decline_reason": "Fully booked"}).status_code == 200
    slack.wait_for("chat.update", lambda c: c.ok)
    stored = calcom.bookings[booking["uid"]]
    assert stored["status"] == "rejected" and stored["rejectionReason"] == "Fully booked"
    assert "Declined by <@U1>: Fully booked" in text_of(slack.messages["D1"][0])
    home_publishes(slack, 2)  # the host's Home no longer shows the request


def test_a_confirm_faster_than_the_worker_s_record_updates_the_pressed_message(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    """The post is in the channel before the worker stores its ts: a quick click must
    still turn the request's buttons into the decision, on the message pressed."""
    subscribe(bot, f"<#{sales}|sales>")
    booking, message = _request(bot, calcom, slack, sam, sales, 15)
    bot.settled.wait(1, "sent")
    bot.rt.store.db.execute("update outbox set channel = null, message_ts = null")
    ref = button_value(message, "notify_confirm")
    bot.slack.click("notify_confirm", value=ref, user="U1", channel=sales, message=message)
    [update] = slack.wait_for("chat.update", lambda c: c.ok)
    assert update.args["ts"] == message["ts"]
    assert calcom.bookings[booking["uid"]]["status"] == "accepted"
    assert "Confirmed by <@U1>" in text_of(slack.messages[sales][0])


# --- reschedules and Cal.com's quirks --------------------------------------------------------


def test_reschedules_show_old_and_new_time_and_never_a_false_cancellation(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    subscribe(bot, f"<#{sales}|sales>")
    sub = only_subscription(bot)
    made = book_via_api(calcom, sam.event_type("30min")["id"], THU_10AM_NY)
    # announced before it moves: a creation still queued when its reschedule arrives is
    # superseded (bot/notify/ordering.py), and the reschedule alone tells the channel
    posts_to(slack, sales, count=1)
    moved = as_host(
        calcom,
        "sam",
        "POST",
        f"/v2/bookings/{made['uid']}/reschedule",
        start="2026-11-26T18:00:00Z",
    )
    messages = posts_to(slack, sales, count=2)
    rescheduled = messages[1]
    assert rescheduled["text"].startswith("Rescheduled: 30 min meeting")
    old, new = int(THU_10AM_NY.timestamp()), int(THU_10AM_NY.timestamp()) + 3 * 3600
    assert f"~<!date^{old}^" in text_of(rescheduled) and f"→ <!date^{new}^" in text_of(rescheduled)
    bot.settled.wait(2)

    # The old booking's cancellation, as Cal.com may also send it, rescheduledToUid unset:
    # this subscription saw the reschedule, so it is no news
    plain = delivery("BOOKING_CANCELLED", uid=made["uid"])
    assert signed_post(bot, sub.token, plain, sub.secret).json()["queued"]
    # With rescheduledToUid set, the new booking's own event tells the story
    half = delivery("BOOKING_CANCELLED", uid="elsewhere-1", rescheduledToUid="elsewhere-2")
    assert signed_post(bot, sub.token, half, sub.secret).json()["queued"]
    # A host's "request reschedule": a cancellation that says so, rescheduledToUid unset
    asked = delivery("BOOKING_CANCELLED", uid="asked-1", requestReschedule=True)
    assert signed_post(bot, sub.token, asked, sub.secret).json()["queued"]
    bot.settled.wait(5)
    assert [r["status"] for r in rows(bot)] == ["sent", "sent", "skipped", "skipped", "sent"]
    [*_, note] = posts_to(slack, sales, count=3)
    assert note["text"].startswith("Reschedule requested: Intro call")
    assert "Cancelled" not in text_of(note)

    # A real cancellation still reads as one
    as_host(calcom, "sam", "POST", f"/v2/bookings/{moved['uid']}/cancel", cancellationReason="Ill")
    cancelled = posts_to(slack, sales, count=4)[3]
    assert cancelled["text"].startswith("Cancelled: 30 min meeting")


def test_a_reschedule_waiting_for_confirmation_is_a_reschedule_request(
    bot: NotifyBot, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    subscribe(bot, f"<#{sales}|sales> rescheduled")
    sub = only_subscription(bot)
    body = delivery(
        "BOOKING_REQUESTED",
        uid="new-1",
        rescheduleUid="old-1",
        rescheduleStartTime="2026-11-26T14:00:00Z",
    )
    assert signed_post(bot, sub.token, body, sub.secret).status_code == 200
    [message] = posts_to(slack, sales)
    assert message["text"].startswith("Reschedule request: Intro call")
    assert "notify_confirm" in action_ids(message)
    plain_request = delivery("BOOKING_REQUESTED", uid="new-2")
    assert signed_post(bot, sub.token, plain_request, sub.secret).status_code == 200
    bot.settled.wait(2)
    assert rows(bot)[1]["status"] == "skipped"  # a new request: not what was asked for


async def test_a_post_cut_short_by_shutdown_is_given_back_untouched(tmp_path: Path) -> None:
    """Cancelled mid-post (SIGTERM's deadline), a row goes back to pending with its attempt
    not counted, for the next process to post."""
    store = Store(str(tmp_path / "calbot.db"))
    store.migrate()
    now = datetime(2026, 11, 25, 15, 0).timestamp()
    sub = tables.insert_subscription(
        store.db,
        token="tok",
        team_id="T111",
        user_id="U1",
        channel_id="C900",
        event_type_id=None,
        event_type_title=None,
        triggers=("created",),
        webhook_id="w1",
        secret="s",
        created_at="2026-11-25T15:00:00+00:00",
    )
    assert sub is not None
    body = delivery("BOOKING_CREATED")
    row_id = enqueue_delivery(store.db, sub, body, now)
    posting = asyncio.Event()

    class NeverAnswers:  # a Slack that takes the post and never replies
        async def chat_postMessage(self, **_: Any) -> dict[str, Any]:
            posting.set()
            await asyncio.Event().wait()
            return {}

    class Stub:  # the three things the worker uses: the store, the clock, a Slack client
        def __init__(self) -> None:
            self.store = store
            self.clock = lambda: datetime.fromtimestamp(now).astimezone()

        def slack_client(self, team_id: str) -> NeverAnswers:
            return NeverAnswers()

    step = asyncio.create_task(Notifier(Stub()).step())  # type: ignore[arg-type]
    await posting.wait()
    step.cancel()
    with pytest.raises(asyncio.CancelledError):
        await step
    row = tables.outbox_row(store.db, row_id)
    assert row is not None
    assert (row.status, row.attempts, row.lease_until) == ("pending", 0, None)
    store.close()
