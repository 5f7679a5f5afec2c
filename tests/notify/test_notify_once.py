"""Issue 9 §3: a post in flight when the worker died is not posted twice after the lease,
where Slack lets calbot check (history scopes granted); where not, what remains."""

from __future__ import annotations

from pathlib import Path

import httpx

from bot.notify import once
from bot.notify.worker import LEASE
from bot.store import Store
from bot.store import notifications as tables
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import DEFAULT_SCOPES, SlackEmulator
from tests.helpers import BOT_TOKEN, Clock, link_user, make_settings
from tests.notifying import (
    delivery,
    enqueue_delivery,
    posts_to,
    rows,
    running_bot,
    signed_post,
    subscribe,
)

HISTORY = ",channels:history,groups:history,im:history"


def _crash_after_slack_took_the_post(
    tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator, clock: Clock
) -> tuple[str, str]:
    """A worker claims a row, Slack accepts its post (with the row's marker), the worker
    dies before marking it sent. Returns the database path and the posted ts."""
    settings = make_settings(tmp_path, calcom, slack, PUBLIC_URL="http://127.0.0.1:1")
    slack.add_channel("C900", "sales", members={"U1"})
    with running_bot(settings, clock, slack) as first:
        link_user(first, calcom, "U1", "sam")
        subscribe(first, "<#C900|sales>")
        [sub] = tables.subscriptions_of(first.rt.store.db, "T111", "U1")
    store = Store(settings.database_path)
    now = clock().timestamp()
    body = delivery("BOOKING_CREATED")
    enqueue_delivery(store.db, sub, body, now)
    row = tables.claim_next(store.db, now, now + LEASE)
    store.close()
    assert row is not None
    posted = httpx.post(
        f"{slack.api_url}chat.postMessage",
        headers={"Authorization": f"Bearer {BOT_TOKEN}"},
        json={"channel": "C900", "text": "New booking: …", "metadata": once.marker(row)},
    ).json()
    assert posted["ok"]
    return settings.database_path, posted["ts"]


def test_a_post_slack_took_before_a_crash_is_not_posted_again(
    tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator, clock: Clock
) -> None:
    slack.teams["T111"]["scopes"] = DEFAULT_SCOPES + HISTORY  # the workspace granted history
    _, ts = _crash_after_slack_took_the_post(tmp_path, calcom, slack, clock)
    settings = make_settings(tmp_path, calcom, slack, PUBLIC_URL="http://127.0.0.1:1")

    with running_bot(settings, clock, slack) as second:
        second.settled.wait(state="sent")
        [row] = rows(second)
    assert (row["status"], row["channel"], row["message_ts"]) == ("sent", "C900", ts)
    assert len(slack.messages["C900"]) == 1
    assert [c.args.get("channel") for c in slack.calls_to("conversations.history")] == ["C900"]


def test_without_history_scopes_the_window_remains(
    tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator, clock: Clock
) -> None:
    """What Slack does not let calbot check: the row is posted again (the old behaviour)."""
    _crash_after_slack_took_the_post(tmp_path, calcom, slack, clock)
    settings = make_settings(tmp_path, calcom, slack, PUBLIC_URL="http://127.0.0.1:1")

    with running_bot(settings, clock, slack) as second:
        posts_to(slack, "C900", count=2)
        second.settled.wait(state="sent")
    [history] = slack.calls_to("conversations.history")
    assert history.error == "missing_scope"
    assert len(slack.messages["C900"]) == 2


def test_every_notification_carries_its_marker(
    tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator, clock: Clock
) -> None:
    settings = make_settings(tmp_path, calcom, slack, PUBLIC_URL="http://127.0.0.1:1")
    slack.add_channel("C900", "sales", members={"U1"})
    with running_bot(settings, clock, slack) as bot:
        link_user(bot, calcom, "U1", "sam")
        subscribe(bot, "<#C900|sales>")
        [sub] = tables.subscriptions_of(bot.rt.store.db, "T111", "U1")
        assert signed_post(bot, sub.token, delivery("BOOKING_CREATED"), sub.secret).json()["queued"]
        [message] = posts_to(slack, "C900")
        [row] = rows(bot)
    assert message["metadata"]["event_type"] == once.MARKER
    assert message["metadata"]["event_payload"]["row"] == row["id"]
