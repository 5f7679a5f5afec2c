"""Notifications that stay right when things arrive in an awkward order: a reschedule's old
half before or after the reschedule, two `/cal notify` at once (one process or two), and
the App Home shown again after each change. Helpers: tests/notifying.py, tests/notify/conftest.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.grammar import ALL_TRIGGERS
from bot.models import Subscription
from bot.notify import events
from bot.notify.worker import CANCEL_GRACE
from bot.services import subscriptions
from bot.store import Store, migrations
from bot.store import notifications as tables
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import Clock, link_user, make_settings
from tests.notifying import (
    THU_10AM_NY,
    NotifyBot,
    as_host,
    book_via_api,
    delivery,
    home_publishes,
    only_subscription,
    rows,
    running_bot,
    signed_post,
    subscribe,
)
from tests.slackdriver import text_of

# --- a reschedule's old half, whichever comes first ----------------------------------------


@pytest.mark.parametrize("cancel_first", [True, False], ids=["cancel-first", "reschedule-first"])
@pytest.mark.parametrize("kinds", ["", "cancelled"], ids=["all-kinds", "cancelled-only"])
def test_the_old_half_of_a_reschedule_is_never_posted_as_a_cancellation(
    bot: NotifyBot,
    calcom: CalcomEmulator,
    slack: SlackEmulator,
    sam: Any,
    sales: str,
    kinds: str,
    cancel_first: bool,
) -> None:
    subscribe(bot, f"<#{sales}|sales> {kinds}".strip())
    sub = only_subscription(bot)
    assert bot.sleep is not None
    bot.sleep.frozen = True  # from here time moves only by bot.tick
    made = book_via_api(calcom, sam.event_type("30min")["id"], THU_10AM_NY)
    if kinds == "":
        bot.settled.wait(1)  # the new booking, posted (a cancelled-only webhook never hears it)
    # The old half as Cal.com may send it: a plain cancellation, rescheduledToUid unset
    old_half = delivery("BOOKING_CANCELLED", uid=made["uid"])

    def reschedule() -> None:
        """Sam moves it; Cal.com announces it to the webhook only if it listens."""
        path = f"/v2/bookings/{made['uid']}/reschedule"
        as_host(calcom, "sam", "POST", path, start="2026-11-26T18:00:00Z")
        calcom.wait_for_delivery(lambda d: d.trigger == "BOOKING_RESCHEDULED")

    done = len(bot.settled.seen)
    if cancel_first:
        assert signed_post(bot, sub.token, old_half, sub.secret).json()["queued"]
        bot.settled.wait(state="held")  # not posted yet: a reschedule may explain it
        reschedule()
        bot.settled.wait(done + 2)
        bot.tick(CANCEL_GRACE)
        bot.settled.wait(done + 3)
    else:
        reschedule()
        bot.settled.wait(done + 1)
        assert signed_post(bot, sub.token, old_half, sub.secret).json()["queued"]
        bot.settled.wait(done + 2)  # skipped at once: the reschedule was seen

    [cancel_row] = [r for r in rows(bot) if r["trigger_event"] == "BOOKING_CANCELLED"]
    assert (cancel_row["status"], cancel_row["last_error"]) == (
        "skipped",
        "the old half of a reschedule",
    )
    posted = [m["text"] for m in slack.messages.get(sales, [])]
    assert not any(text.startswith("Cancelled") for text in posted)
    if kinds == "":
        assert len(posted) == 2 and posted[1].startswith("Rescheduled: 30 min meeting")
    else:  # the reschedule was heard, and only used to recognise the old half
        assert posted == []
        [hook] = calcom.webhooks.values()
        assert {"BOOKING_RESCHEDULED", "BOOKING_REQUESTED"} <= set(hook["triggers"])


def test_a_plain_cancellation_is_posted_once_its_grace_period_is_over(
    bot: NotifyBot, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    subscribe(bot, f"<#{sales}|sales> cancelled")
    sub = only_subscription(bot)
    assert bot.sleep is not None
    bot.sleep.frozen = True
    body = delivery("BOOKING_CANCELLED", uid="gone-1", cancellationReason="Ill")
    assert signed_post(bot, sub.token, body, sub.secret).json()["queued"]
    bot.settled.wait(state="held")
    [row] = rows(bot)
    assert row["status"] == "pending" and row["attempts"] == 0
    assert row["next_attempt_at"] == row["received_at"] + CANCEL_GRACE
    assert sales not in slack.messages

    bot.tick(CANCEL_GRACE)
    bot.settled.wait(state="sent")
    [message] = slack.messages[sales]
    assert message["text"].startswith("Cancelled: Intro call")
    [row] = rows(bot)
    assert row["status"] == "sent" and row["attempts"] == 1


# --- two subscribes at once ----------------------------------------------------------------


def _webhook_calls(calcom: CalcomEmulator, method: str) -> int:
    return sum(
        1
        for r in calcom.gateway_requests()
        if r.method == method and r.path.startswith("/cal-com/v2/webhooks")
    )


def test_two_quick_subscribes_to_one_channel_make_one_subscription(
    bot: NotifyBot, calcom: CalcomEmulator, sam: Any, sales: str
) -> None:
    link = bot.rt.store.get_link("T111", "U1")
    assert link is not None and bot.server is not None

    async def twice() -> list[tuple[Subscription, bool]]:
        return await asyncio.gather(
            subscriptions.subscribe(bot.rt, link, sales, None, ALL_TRIGGERS),
            subscriptions.subscribe(bot.rt, link, sales, None, ("cancelled",)),
        )

    (first, updated_first), (second, updated_second) = bot.server.call(twice)
    assert (updated_first, updated_second) == (False, True) and first.id == second.id
    sub = only_subscription(bot)
    assert sub.triggers == ("cancelled",)
    [hook] = calcom.webhooks.values()
    assert hook["triggers"] == events.calcom_triggers(["cancelled"])
    assert hook["subscriberUrl"].endswith(sub.token)
    # the second waited for the first instead of making a webhook only to delete it
    assert (_webhook_calls(calcom, "POST"), _webhook_calls(calcom, "DELETE")) == (1, 0)


def test_two_processes_subscribing_one_channel_at_once_make_one_subscription(
    tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator, clock: Clock
) -> None:
    settings = make_settings(tmp_path, calcom, slack, PUBLIC_URL="http://127.0.0.1:1")
    with running_bot(settings, clock, slack) as one, running_bot(settings, clock, slack) as two:
        link = link_user(one, calcom, "U1", "sam")
        assert one.server is not None and two.server is not None
        # The first webhook made at Cal.com answers late: the other process's subscribe
        # looks, finds nothing and finishes meanwhile (or, if it is slower, it is the one
        # that finds the other's row), so both made a webhook and only one row may exist.
        calcom.fault("delay", path="/cal-com/v2/webhooks", seconds=0.5)
        later = asyncio.run_coroutine_threadsafe(
            subscriptions.subscribe(one.rt, link, None, None, ALL_TRIGGERS), one.server.loop
        )

        async def meanwhile() -> tuple[Subscription, bool]:
            return await subscriptions.subscribe(two.rt, link, None, None, ("created",))

        results = [two.server.call(meanwhile), later.result(10)]
        [sub] = tables.subscriptions_of(one.rt.store.db, "T111", "U1")
        assert sorted(updated for _, updated in results) == [False, True]
        assert all(s.id == sub.id for s, _ in results)
        [hook] = calcom.webhooks.values()
        assert hook["subscriberUrl"].endswith(sub.token)
        assert (_webhook_calls(calcom, "POST"), _webhook_calls(calcom, "DELETE")) == (2, 1)


def test_duplicates_made_before_the_unique_index_are_dropped_oldest_kept(tmp_path: Path) -> None:
    store = Store(tmp_path / "old.db")
    migrations.apply(store.db, stop_before="m005_subscriptions_one_per_place")
    made = [
        tables.insert_subscription(
            store.db,
            token=f"tok-{n}",
            team_id="T111",
            user_id="U1",
            channel_id=channel,
            event_type_id=None,
            event_type_title=None,
            triggers=ALL_TRIGGERS,
            webhook_id=f"wh-{n}",
            secret="s",
            created_at="2026-11-25T15:00:00+00:00",
        )
        for n, channel in enumerate(["C900", "C900", None, None, "C901"])
    ]
    key = events.read_delivery(delivery("BOOKING_CREATED")).dedupe("tok-1")
    tables.enqueue(
        store.db,
        token="tok-1",
        team_id="T111",
        dedupe_key=key,
        trigger_event="BOOKING_CREATED",
        booking_uid="b",
        rescheduled_from=None,
        body="{}",
        now=0.0,
    )
    store.migrate()
    left = tables.subscriptions_of(store.db, "T111", "U1")
    assert [s.token for s in left] == ["tok-0", "tok-2", "tok-4"]
    assert list(store.db["outbox"].rows) == []  # the dropped one's rows went with it
    again = dict(made[0].__dict__, token="tok-9")
    del again["id"], again["broken"]
    assert tables.insert_subscription(store.db, **again) is None
    store.close()


# --- the App Home follows ------------------------------------------------------------------


def _home_text(slack: SlackEmulator, count: int) -> str:
    """U1's Home once the bot published it `count` times."""
    home_publishes(slack, count)
    return text_of(slack.home_tabs["U1"])


def test_subscribing_and_turning_off_show_on_the_home(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    subscribe(bot, f"<#{sales}|sales>")
    assert f"<#{sales}>: all your event types" in _home_text(slack, 1)
    subscribe(bot, "me")
    assert "your DMs: all your event types" in _home_text(slack, 2)
    bot.slack.reply(bot.slack.command(f"notify off <#{sales}|sales>"))
    home = _home_text(slack, 3)
    assert f"<#{sales}>" not in home and "your DMs" in home
    sub = only_subscription(bot)
    bot.slack.reply(bot.slack.click("notify_off", value=str(sub.id)))
    assert "None yet" in _home_text(slack, 4)
