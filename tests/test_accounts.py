"""Linking an account end to end: signed Slack requests in, Maton and Slack emulators out."""

from __future__ import annotations

import pytest

from tests.emulators.calcom import CalcomEmulator
from tests.helpers import Bot
from tests.slackdriver import action_ids, text_of


def link(bot: Bot, calcom: CalcomEmulator, user: str = "U1", username: str = "sam") -> None:
    """Run `/cal connect`, finish OAuth as `username`, and press Done."""
    sent = bot.slack.command("connect", user=user)
    assert "connect_open" in action_ids(bot.slack.reply(sent))
    connection_id = bot.rt.store.get_link("T111", user).connection_id
    calcom.complete_oauth(connection_id, username)
    done = bot.slack.click("connect_done", user=user)
    assert "Connected" in text_of(bot.slack.reply(done))
    bot.settle()  # the App Home refresh after Done, so its lookups take no later fault


def test_connect_status_me_disconnect(bot: Bot, calcom: CalcomEmulator) -> None:
    calcom.add_account(
        username="sam", name="Sam Jones", email="sam@acme.test", time_zone="America/New_York"
    )

    sent = bot.slack.command("connect")
    assert sent.response.status_code == 200
    prompt = bot.slack.reply(sent)
    oauth_button = next(
        e
        for b in prompt["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "connect_open"
    )
    connection_id = bot.rt.store.get_link("T111", "U1").connection_id
    assert oauth_button["url"].endswith(f"/oauth/{connection_id}")
    assert calcom.connections[connection_id].status == "PENDING"

    # Done before finishing OAuth: still pending, the link is offered again.
    early = bot.slack.reply(bot.slack.click("connect_done"))
    assert "isn't finished" in text_of(early)

    calcom.complete_oauth(connection_id, "sam")
    # Any later command notices the completed OAuth, without pressing Done.
    status = bot.slack.reply(bot.slack.command("status"))
    assert "`sam`" in text_of(status) and "sam@acme.test" in text_of(status)
    stored = bot.rt.store.get_link("T111", "U1")
    assert stored.active and stored.username == "sam" and stored.time_zone == "America/New_York"

    me = text_of(bot.slack.reply(bot.slack.command("me")))
    assert "Sam Jones" in me and "Mon–Fri 09:00–17:00 (America/New_York)" in me

    confirm = bot.slack.reply(bot.slack.command("disconnect"))
    assert "disconnect_confirm" in action_ids(confirm)
    gone = bot.slack.reply(bot.slack.click("disconnect_confirm"))
    assert "Disconnected" in text_of(gone)
    assert connection_id not in calcom.connections
    assert bot.rt.store.get_link("T111", "U1") is None


def test_connect_twice_says_already_linked(bot: Bot, calcom: CalcomEmulator) -> None:
    calcom.add_account(username="sam", name="Sam Jones", email="sam@acme.test")
    link(bot, calcom)
    again = text_of(bot.slack.reply(bot.slack.command("connect")))
    assert "already connected" in again
    assert len(calcom.connections) == 1


def test_me_before_connecting_offers_connect(bot: Bot) -> None:
    reply = bot.slack.reply(bot.slack.command("me"))
    assert "haven't connected" in text_of(reply)
    assert "connect_start" in action_ids(reply)


def test_unknown_subcommand_suggests(bot: Bot) -> None:
    reply = bot.slack.reply(bot.slack.command("stauts"))
    assert "Did you mean `/cal status`?" in text_of(reply)


def test_help_lists_the_grammar(bot: Bot) -> None:
    reply = bot.slack.reply(bot.slack.command("help"))
    text = text_of(reply)
    for example in ("/cal connect", "/cal book", "/cal bookings", "/cal notify"):
        assert example in text
    assert reply["response_type"] == "ephemeral"


def test_expired_connection_offers_reconnect(bot: Bot, calcom: CalcomEmulator) -> None:
    calcom.add_account(username="sam", name="Sam Jones", email="sam@acme.test")
    link(bot, calcom)
    old = bot.rt.store.get_link("T111", "U1").connection_id
    calcom.expire_connection(old)

    reply = bot.slack.reply(bot.slack.command("me"))
    assert "expired" in text_of(reply)
    assert "connect_start" in action_ids(reply)
    # `/cal connect` notices the dead token too, instead of saying "already connected"
    again = bot.slack.reply(bot.slack.command("connect"))
    assert "connect_open" in action_ids(again)
    new = bot.rt.store.get_link("T111", "U1").connection_id
    assert new != old and old not in calcom.connections
    calcom.complete_oauth(new, "sam")
    assert "Sam Jones" in text_of(bot.slack.reply(bot.slack.command("me")))


def test_gateway_faults_become_plain_advice(bot: Bot, calcom: CalcomEmulator) -> None:
    calcom.add_account(username="sam", name="Sam Jones", email="sam@acme.test")
    link(bot, calcom)

    calcom.fault("rate_limit", path="/cal-com/v2/me", seconds=30)
    bot.rt.profiles.drop(bot.rt.store.get_link("T111", "U1").connection_id)
    busy = text_of(bot.slack.reply(bot.slack.command("me")))
    assert "try again in 30 seconds" in busy

    # Faults go on /v2/me: the other lookups of a failed `/cal me` may still be in flight
    # and would take a fault meant for the next command.
    for kind in ("error_500", "bare_500"):
        bot.rt.profiles.drop(bot.rt.store.get_link("T111", "U1").connection_id)
        calcom.fault(kind, path="/cal-com/v2/me")
        failing = text_of(bot.slack.reply(bot.slack.command("me")))
        assert "Cal.com didn't answer properly" in failing, kind
        assert "Traceback" not in failing and "statusCode" not in failing


def test_unexpected_error_shows_a_reference_not_a_trace(
    bot: Bot, calcom: CalcomEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.services import accounts

    calcom.add_account(username="sam", name="Sam Jones", email="sam@acme.test")
    link(bot, calcom)

    async def broken(*args: object) -> None:
        raise RuntimeError("a bug with a secret xoxb-123-should-not-leak")

    monkeypatch.setattr(accounts, "overview", broken)
    reply = text_of(bot.slack.reply(bot.slack.command("me")))
    assert "Something went wrong (ref " in reply
    assert "xoxb" not in reply and "RuntimeError" not in reply


def test_me_shows_the_rest_when_one_lookup_is_refused(bot: Bot, calcom: CalcomEmulator) -> None:
    calcom.add_account(username="sam", name="Sam Jones", email="sam@acme.test")
    link(bot, calcom)
    calcom.fault("forbidden", path="/cal-com/v2/teams")  # a plan without teams
    calcom.fault("not_found", path="/cal-com/v2/verified-resources/emails")
    me = text_of(bot.slack.reply(bot.slack.command("me")))
    assert "Sam Jones" in me and "Mon–Fri 09:00–17:00" in me
    assert "*Teams*\nunavailable" in me and "*Verified emails*\nunavailable" in me
    assert "*Calendars*\nGoogle Calendar (sam@acme.test)" in me  # the ones that answered


def test_a_double_click_on_connect_makes_one_connection(bot: Bot, calcom: CalcomEmulator) -> None:
    calcom.add_account(username="sam", name="Sam Jones", email="sam@acme.test")
    first = bot.slack.click("connect_start")
    second = bot.slack.click("connect_start")
    bot.slack.reply(first)
    bot.slack.reply(second)
    assert len(calcom.connections) == 1
