"""A graceful stop of the notification worker takes one post's time, not a backlog's pace:
posts whose turn has not come are given back at once, the post in flight is finished, and
the next start posts each remaining row exactly once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.store import Store
from bot.store import notifications as tables
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import Clock, link_user, make_settings
from tests.notifying import (
    NotifyBot,
    delivery,
    enqueue_delivery,
    posts_to,
    rows,
    running_bot,
    signed_post,
    subscribe,
)


def _enqueue(store: Store, sub: tables.Subscription, uid: str, start: str, now: float) -> None:
    body = delivery("BOOKING_CREATED", uid=uid, startTime=start)
    assert enqueue_delivery(store.db, sub, body, now)


def _sam_and_alice(
    bot: NotifyBot, calcom: CalcomEmulator, sam_to: str, alice_to: str
) -> tuple[tables.Subscription, tables.Subscription]:
    """Sam and Alice linked, each notifying a channel: their subscriptions."""
    link_user(bot, calcom, "U1", "sam", name="Sam Jones")
    link_user(bot, calcom, "U2", "alice", name="Alice Wong")
    subscribe(bot, sam_to, user="U1")
    subscribe(bot, alice_to, user="U2")
    [sam] = tables.subscriptions_of(bot.rt.store.db, "T111", "U1")
    [alice] = tables.subscriptions_of(bot.rt.store.db, "T111", "U2")
    return sam, alice


def test_a_stop_gives_back_the_posts_waiting_their_turn_and_finishes_the_one_in_flight(
    tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator, clock: Clock
) -> None:
    settings = make_settings(tmp_path, calcom, slack, PUBLIC_URL="http://127.0.0.1:1")
    slack.add_channel("C900", "sales", members={"U1", "U2"})
    with running_bot(settings, clock, slack) as first:  # two people notify one channel
        sam, alice = _sam_and_alice(first, calcom, "<#C900|sales>", "<#C900|sales>")
    # A backlog for #sales, stored while no worker ran: the next start claims one row of
    # each subscription at once, and both wait in the channel's one lane
    store = Store(settings.database_path)
    now = clock().timestamp()
    for n, sub in enumerate((sam, alice, sam, alice)):
        _enqueue(store, sub, f"backlog-{n}", f"2026-11-26T{15 + n}:00:00Z", now)
    store.close()

    hold = slack.hold("chat.postMessage")  # the first post stays in flight
    with running_bot(settings, clock, slack) as second:
        assert hold.arrived.wait(5)
        notifier = second.notifier
        assert notifier is not None

        async def stop_during_the_post() -> None:
            stopping = asyncio.ensure_future(notifier.stop())
            await asyncio.sleep(0)  # one turn of the loop: the stop has begun
            hold.release()  # Slack answers the post in flight only now
            await stopping

        second.server.call(stop_during_the_post)
        stopped = rows(second)
    in_flight, *waiting = stopped
    assert in_flight["status"] == "sent" and in_flight["message_ts"]
    assert [(r["status"], r["lease_until"], r["attempts"]) for r in waiting] == [
        ("pending", None, 0)
    ] * 3  # given back at once, due now, no attempt counted
    assert len(slack.messages["C900"]) == 1

    with running_bot(settings, clock, slack) as third:
        posts_to(slack, "C900", count=4)
        third.settled.wait(3, state="sent")
        after = rows(third)
    assert [r["status"] for r in after] == ["sent"] * 4
    assert [r["attempts"] for r in after] == [1] * 4
    posted = [m["ts"] for m in slack.messages["C900"]]
    assert sorted(r["message_ts"] for r in after) == sorted(posted)  # each row once
    assert len([c for c in slack.calls_to("chat.postMessage") if c.ok]) == 4


def test_a_busy_channel_s_backlog_stays_unclaimed_until_its_turn(
    tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator, clock: Clock
) -> None:
    """One row of a channel is claimed at a time: the rest wait unclaimed (nothing to give
    back at a stop, and no room taken from other channels), then go out in order."""
    settings = make_settings(tmp_path, calcom, slack, PUBLIC_URL="http://127.0.0.1:1")
    slack.add_channel("C900", "sales", members={"U1"})
    with running_bot(settings, clock, slack) as first:
        link_user(first, calcom, "U1", "sam", name="Sam Jones")
        subscribe(first, "<#C900|sales>")
        [sam] = tables.subscriptions_of(first.rt.store.db, "T111", "U1")
    store = Store(settings.database_path)
    now = clock().timestamp()
    for n in range(4):
        _enqueue(store, sam, f"backlog-{n}", f"2026-11-26T{15 + n}:00:00Z", now)
    store.close()

    hold = slack.hold("chat.postMessage")
    with running_bot(settings, clock, slack) as bot:
        assert hold.arrived.wait(5)  # the first row's post is in flight
        assert [(r["status"], r["attempts"]) for r in rows(bot)] == [("posting", 1)] + [
            ("pending", 0)
        ] * 3
        hold.release()
        messages = posts_to(slack, "C900", count=4)
        bot.settled.wait(4, state="sent")
        after = rows(bot)
    assert [r["message_ts"] for r in after] == [m["ts"] for m in messages]  # in order, once


def test_a_delivery_for_a_busy_channel_does_not_make_the_worker_look(
    tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator, clock: Clock
) -> None:
    """A look for due rows scans them all; a row for a channel whose post is in flight can
    only go after it, and that post's end makes the worker look anyway. So deliveries for
    that channel ask for no look, one for another channel does, and all go out in order."""
    settings = make_settings(tmp_path, calcom, slack, PUBLIC_URL="http://127.0.0.1:1")
    slack.add_channel("C900", "sales", members={"U1", "U2"})
    slack.add_channel("C901", "support", members={"U2"})
    with running_bot(settings, clock, slack) as bot:
        sam, alice = _sam_and_alice(bot, calcom, "<#C900|sales>", "<#C901|support>")
        notifier = bot.notifier
        assert notifier is not None
        hold = slack.hold("chat.postMessage")
        first = delivery("BOOKING_CREATED", uid="first", startTime="2026-11-26T15:00:00Z")
        assert signed_post(bot, sam.token, first, sam.secret).status_code == 200
        assert hold.arrived.wait(5)  # #sales's post is in flight

        async def wakes() -> tuple[bool, bool, bool]:
            return notifier.wake(sam.token), notifier.wake(alice.token), notifier.wake()

        assert bot.server.call(wakes) == (False, True, True)
        for n in range(3):  # more for #sales meanwhile: stored, posted after, in order
            body = delivery(
                "BOOKING_CREATED", uid=f"later-{n}", startTime=f"2026-11-2{7 + n}T15:00:00Z"
            )
            assert signed_post(bot, sam.token, body, sam.secret).status_code == 200
        hold.release()
        messages = posts_to(slack, "C900", count=4)
        bot.settled.wait(4, state="sent")
        after = rows(bot)
    assert [r["booking_uid"] for r in after] == ["first", "later-0", "later-1", "later-2"]
    assert [m["ts"] for m in messages] == [r["message_ts"] for r in after]
