"""Issue 11, "No silent waits": an interim line when an answer is slow, replaced in place
by the answer; one time budget per action, after which the user is told what may or may
not have happened; Slack's 429 on interactive calls retried as Slack asks.

Budgets are shortened per test (`rt.budget_seconds`) so a hung Cal.com costs seconds.
"""

from __future__ import annotations

import contextlib

from slack_sdk.errors import SlackApiError

from bot import budget
from bot.blocks.progress import BOOKING, LOOKING_UP_TIMES
from bot.slack.context import Responder, turn_for
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import Bot
from tests.picking import slot_buttons
from tests.slackdriver import text_of
from tests.viewdriver import ViewDriver

BOOK = "book 30min tomorrow with jane@example.com"


def test_a_hung_lookup_shows_progress_then_a_clear_answer_in_place(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    bot.rt.budget_seconds = 2.0
    calcom.fault("timeout", path="/cal-com/v2/slots", seconds=30, times=5)

    sent = bot.slack.command(BOOK)
    [interim] = bot.slack.interims(sent)
    assert LOOKING_UP_TIMES in text_of(interim)
    assert not interim["replace_original"]  # a command's first message is a new one

    final = bot.slack.reply(sent, timeout=10)
    assert "too long" in text_of(final) and "nothing was changed" in text_of(final)
    assert final["replace_original"] is True
    # in the channel, the interim line became the answer: one message, not two
    [shown] = slack.ephemerals["C1"]
    assert "too long" in shown["text"]


def test_a_slow_answer_within_budget_replaces_the_interim_line(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    bot.rt.interim_after = 0.1
    calcom.fault("delay", path="/cal-com/v2/slots", seconds=1.0)

    sent = bot.slack.command(BOOK)
    bot.slack.interims(sent)
    picker = bot.slack.reply(sent, timeout=10)
    assert slot_buttons(picker)
    assert picker["replace_original"] is True
    [shown] = slack.ephemerals["C1"]
    assert shown["blocks"] == picker["blocks"]


def test_a_booking_past_its_budget_says_it_may_have_gone_through(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    picker = bot.slack.reply(bot.slack.command(BOOK))
    bot.rt.budget_seconds = 2.0
    calcom.fault("timeout", path="/cal-com/v2/bookings", seconds=30)

    chosen = slot_buttons(picker)[0]
    sent = bot.slack.click(chosen["action_id"], value=chosen["value"])
    [interim] = bot.slack.interims(sent)
    assert BOOKING in text_of(interim)
    assert interim["replace_original"] is True  # "Booking…" takes the picker's place

    final = bot.slack.reply(sent, timeout=10)
    assert "may or may not have gone through" in text_of(final)
    assert "/cal bookings" in text_of(final)
    assert final["replace_original"] is True
    # the POST left for Cal.com exactly once: never repeated blindly
    posts = [r for r in calcom.requests if r.method == "POST" and r.path.endswith("/bookings")]
    assert len(posts) == 1


def test_slack_429_on_views_open_is_retried_not_reported(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    picker = bot.slack.reply(bot.slack.command("book 30min tomorrow"))  # no guest named
    slack.fail_next("views.open", retry_after=0)
    chosen = slot_buttons(picker)[0]
    sent = bot.slack.click(chosen["action_id"], value=chosen["value"])

    failed, opened = slack.wait_for("views.open", count=2)
    assert failed.error == "ratelimited" and opened.ok
    assert opened.response["view"]["callback_id"] == "guest_details"
    bot.settle()
    assert bot.slack.slack.calls_to("response_url") == [] or all(
        "wrong" not in text_of(c.args) for c in slack.calls_to("response_url")
    )
    assert sent.response.status_code == 200


def test_background_work_gets_slacks_429_back(bot: Bot, slack: SlackEmulator) -> None:
    """No budget (the notification worker): no waiting inside slack_sdk; the worker
    schedules the retry itself after Retry-After."""
    slack.fail_next("chat.postMessage", retry_after=0)

    async def post() -> int:
        assert budget.current() is None
        try:
            await bot.rt.slack_client("T111").chat_postMessage(channel="U1", text="hello")
        except SlackApiError as error:
            return error.response.status_code
        return 200

    assert bot.server is not None
    assert bot.server.call(post) == 429
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_slack_429_on_views_publish_is_retried(bot: Bot, slack: SlackEmulator, sam) -> None:
    """Opening the App Home is an event (no budget): Bolt's client still waits Slack out."""
    views = ViewDriver(bot, slack)
    slack.fail_next("views.publish", retry_after=0)
    with contextlib.suppress(AssertionError):  # it looks at the first answer: the 429
        views.open_home("U1")
    home = views.home("U1", count=2)
    assert "Sam Jones" in text_of(home)
    failed, published = slack.calls_to("views.publish")[:2]
    assert failed.error == "ratelimited" and published.ok


def test_no_interim_line_over_a_message_everyone_sees(bot: Bot, slack: SlackEmulator) -> None:
    """A button on a channel notification: an interim line would replace the notification
    for the whole channel, so none is shown there; an ephemeral picker gets one."""
    url = slack.new_response_url(channel="C1", user_id="U1")
    body = {
        "type": "block_actions",
        "user": {"id": "U1", "team_id": "T111"},
        "team": {"id": "T111"},
        "channel": {"id": "C1"},
        "message": {"ts": "1.2", "text": "New booking"},
        "response_url": url,
        "actions": [{"action_id": "notify_confirm", "value": "1"}],
    }
    public = turn_for(bot.rt, {**body, "container": {"is_ephemeral": False}}, None)
    private = turn_for(bot.rt, {**body, "container": {"is_ephemeral": True}}, None)
    assert not isinstance(public.respond, Responder)
    assert isinstance(private.respond, Responder)
