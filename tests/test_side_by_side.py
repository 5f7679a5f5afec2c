"""Gateway calls that do not depend on each other run side by side, and fail as in turn.

Each test holds the call that used to go first (the emulators' `hold` or `together`
instruments: an event the test sets, no sleeps) and requires the other call to arrive
while it is still held, which calls made one after another never do. Where both fail,
the user sees the first call's message, as before, even when the other's error comes
back sooner. Sam (U1) is linked; so are Alice (U2) and Bob (U3); Carol (U4) is Slack only.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest

from bot import grammar
from bot.concurrently import in_order
from bot.models import Link
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import Bot, link_user
from tests.picking import NY, button, press, slot_buttons
from tests.slackdriver import text_of

HELD = 3.0  # how long a test waits for the call that must arrive while another is held


@pytest.fixture
def team(bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Link) -> None:
    link_user(bot, calcom, "U2", "alice", name="Alice Wong")
    link_user(bot, calcom, "U3", "bob", name="Bob Ray")
    slack.add_user("U4", name="carol", real_name="Carol King", email="carol@acme.test")
    slack.add_usergroup("S1", "design-team", ["U2", "U3"])


def looked_up(slack: SlackEmulator, user: str) -> list[Any]:
    return [c for c in slack.calls_to("users.info") if c.args.get("user") == user]


# ------------------------------------------------------------------ /cal find


def test_find_reads_the_callers_zone_while_a_group_is_expanded(
    bot: Bot, slack: SlackEmulator, team: None
) -> None:
    assert looked_up(slack, "U1") == []  # nothing cached: the command must ask Slack
    held = slack.hold("usergroups.users.list")
    sent = bot.slack.command("find 30min <!subteam^S1|@design-team> tomorrow")
    try:
        slack.wait_for("users.info", lambda c: c.args["user"] == "U1", timeout=HELD)
        assert slack.calls_to("usergroups.users.list") == []  # still held, unanswered
    finally:
        held.set()
    picker = bot.slack.reply(sent)
    assert "<@U2> and <@U3>" in text_of(picker) and slot_buttons(picker)


def test_find_says_the_groups_refusal_even_when_the_callers_lookup_fails_first(
    bot: Bot, slack: SlackEmulator, team: None
) -> None:
    slack.teams["T111"]["scopes"] = "commands,chat:write,users:read,users:read.email"
    slack.fail_next("users.info", error="user_not_found", status=200)
    held = slack.hold("usergroups.users.list")
    sent = bot.slack.command("find 30min <!subteam^S1|@design-team> tomorrow")
    try:
        [failed] = slack.wait_for("users.info", timeout=HELD)
        assert failed.error == "user_not_found"  # this refusal is back first...
    finally:
        held.set()
    reply = text_of(bot.slack.reply(sent))
    assert "usergroups:read" in reply  # ...yet the group's, first in turn, is the answer
    assert "can't find" not in reply


# ------------------------------------------------------------------ declining a /cal find


def booking_reads(calcom: CalcomEmulator, uid: str) -> list[Any]:
    return [r for r in calcom.gateway_requests() if r.method == "GET" and r.api_path.endswith(uid)]


def _invitation_to_bob(bot: Bot, slack: SlackEmulator) -> dict[str, Any]:
    picker = bot.slack.reply(bot.slack.command("find 30min <@U2|alice> <@U3|bob> tomorrow"))
    press(bot, slot_buttons(picker)[0])
    dms = slack.wait_for("chat.postMessage", count=2)
    return button(next(c for c in dms if c.args["channel"] == "U3").args, "find_decline")


def test_a_decline_reads_the_booking_and_the_clickers_email_side_by_side(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, team: None
) -> None:
    decline = _invitation_to_bob(bot, slack)
    uid = decline["value"].partition(":")[2]
    assert looked_up(slack, "U3") == []  # Bob's Slack profile is not cached yet
    held = calcom.hold(f"/cal-com/v2/bookings/{uid}")
    clicked = bot.slack.click(decline["action_id"], value=decline["value"], user="U3")
    try:
        slack.wait_for("users.info", lambda c: c.args["user"] == "U3", timeout=HELD)
        assert [r.status for r in booking_reads(calcom, uid) if r.status] == []  # held
    finally:
        held.set()
    assert "You declined" in text_of(bot.slack.reply(clicked))
    assert [r.status for r in booking_reads(calcom, uid)] == [200]
    [told] = slack.wait_for("chat.postMessage", lambda c: c.args["channel"] == "U1")
    assert "<@U3> declined" in text_of(told.args)


def test_a_decline_of_no_booking_says_so_even_when_the_email_lookup_fails_first(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, team: None
) -> None:
    decline = _invitation_to_bob(bot, slack)
    forged = {**decline, "value": "U1:no-such-uid"}
    slack.fail_next("users.info", error="user_not_found", status=200)
    held = calcom.hold("/cal-com/v2/bookings/no-such-uid")
    clicked = bot.slack.click(forged["action_id"], value=forged["value"], user="U3")
    try:
        [failed] = slack.wait_for("users.info", lambda c: c.args["user"] == "U3", timeout=HELD)
        assert failed.error == "user_not_found"  # this refusal is back first...
    finally:
        held.set()
    reply = text_of(bot.slack.reply(clicked))
    assert "isn't something I can act on" in reply  # ...the booking's 404 is the answer
    assert not [c for c in slack.calls_to("chat.postMessage") if c.args["channel"] == "U1"]


# ------------------------------------------------------------------ the host check


def test_the_host_check_reads_the_booking_and_the_profile_side_by_side(
    bot: Bot, calcom: CalcomEmulator, sam: Link
) -> None:
    assert sam.calcom_user_id is None  # an older link: the id comes from the profile
    uid = calcom.book_as_guest(
        event_type_id=calcom.account("sam").event_type("30min")["id"],
        start=datetime(2026, 11, 26, 9, 0, tzinfo=NY),
        name="Jane Doe",
        email="jane@example.com",
    )["uid"]
    # the booking read and /v2/me are each held until both are in flight (504 otherwise)
    calcom.fault("together", times=2, seconds=HELD)
    reply = bot.slack.reply(bot.slack.command(f"cancel {uid} Out sick"))
    assert "Cancelled" in text_of(reply)
    assert calcom.bookings[uid]["status"] == "cancelled"
    first_two = [(r.method, r.api_path, r.status) for r in calcom.gateway_requests()[:2]]
    assert sorted(first_two) == [("GET", f"/v2/bookings/{uid}", 200), ("GET", "/v2/me", 200)]


# ------------------------------------------------------------------ /cal parsed once


def test_cal_text_is_parsed_once_from_the_ack_to_the_answer(
    bot: Bot, sam: Link, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []
    real = grammar.parse

    def counting(text: str) -> grammar.Command:
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(grammar, "parse", counting)
    reply = bot.slack.reply(bot.slack.command("types"))
    assert "30min" in text_of(reply)  # the handed-off work ran with the ack's value
    assert parsed == ["types"]


# ------------------------------------------------------------------ in_order itself


async def test_in_order_the_first_error_wins_and_the_rest_are_cancelled() -> None:
    second_started, second_cancelled = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        await second_started.wait()
        raise LookupError("first")

    async def second() -> None:
        second_started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            second_cancelled.set()
            raise

    with pytest.raises(LookupError, match="first"):
        await in_order(first(), second())
    assert second_cancelled.is_set()  # cancelled and awaited before in_order returned


async def test_in_order_a_later_error_waits_for_the_earlier_calls_verdict() -> None:
    second_failed = asyncio.Event()

    async def first() -> str:
        await second_failed.wait()
        raise KeyError("first")

    async def second() -> None:
        second_failed.set()
        raise ValueError("second")

    with pytest.raises(KeyError):  # back later, first in turn: its error is the one
        await in_order(first(), second())

    async def fine() -> str:
        await second_failed.wait()
        return "ok"

    second_failed.clear()
    with pytest.raises(ValueError, match="second"):
        await in_order(fine(), second())


async def test_in_order_cancelled_from_outside_leaves_nothing_running() -> None:
    started = {"a": asyncio.Event(), "b": asyncio.Event()}
    cancelled: list[str] = []

    async def forever(name: str) -> None:
        started[name].set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(name)
            raise

    outer = asyncio.ensure_future(in_order(forever("a"), forever("b")))
    await started["a"].wait()
    await started["b"].wait()
    outer.cancel()  # the action's time budget ran out
    with pytest.raises(asyncio.CancelledError):
        await outer
    assert sorted(cancelled) == ["a", "b"]  # both cancelled and awaited before it ended
