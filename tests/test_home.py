"""The App Home end to end: `app_home_opened` in, `views.publish` out (validated by the Slack
emulator like Slack, 100 blocks at most), for an unlinked user, a linked one, and after a
change made from Slack."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import Bot, link_user
from tests.slackdriver import action_ids, text_of
from tests.viewdriver import ViewDriver

NY = ZoneInfo("America/New_York")
THU_3PM = datetime(2026, 11, 26, 15, 0, tzinfo=NY)


def buttons(home: dict, action_id: str) -> list[dict]:
    return [
        e
        for b in home["blocks"]
        for e in (b.get("elements") or [b.get("accessory") or {}])
        if e.get("action_id") == action_id
    ]


def test_unlinked_home_connects_from_the_home(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver
) -> None:
    calcom.add_account(username="sam", name="Sam Jones", email="sam@acme.test")
    home = views.open_home("U1")
    assert "Connect your Cal.com account" in text_of(home)
    assert action_ids(home) == ["home_connect"]

    views.press(home, "home_connect")
    home = views.home("U1", count=2)
    connection_id = bot.rt.store.get_link("T111", "U1").connection_id
    [link] = buttons(home, "connect_open")
    assert link["url"].endswith(f"/oauth/{connection_id}")

    calcom.complete_oauth(connection_id, "sam")
    views.press(home, "home_refresh")
    home = views.home("U1", count=3)
    assert "*Sam Jones* (`sam`) · sam@acme.test · America/New_York" in text_of(home)


def test_linked_home_is_a_dashboard(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam
) -> None:
    thirty = calcom.account("sam").event_type("30min")["id"]
    made = calcom.book_as_guest(event_type_id=thirty, start=THU_3PM, name="Jane", email="j@x.test")
    home = views.open_home("U1")
    text = text_of(home)
    assert "*Sam Jones* (`sam`) · sam@acme.test · America/New_York" in text
    assert "30 min meeting between Sam Jones and Jane" in text
    assert f"<!date^{int(THU_3PM.timestamp())}^" in text
    assert [b["value"] for b in buttons(home, "cancel_booking")] == [made["uid"]]
    assert [b["value"] for b in buttons(home, "reschedule_booking")] == [made["uid"]]
    assert len(buttons(home, "join_meeting")) == 1
    ids = [str(t["id"]) for t in calcom.event_types.values()]
    for action in ("open_booking", "edit_event_type", "copy_link"):
        assert [b["value"] for b in buttons(home, action) if "value" in b] == ids
    assert buttons(home, "new_event_type") and buttons(home, "edit_schedule")
    assert buttons(home, "edit_profile")
    assert "Mon–Fri 09:00–17:00 (America/New_York)" in text
    assert "None yet" in text  # no notifications


def test_home_fits_100_blocks_with_many_event_types(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver
) -> None:
    types = [{"title": f"Type {n}", "slug": f"type-{n}", "length": 30} for n in range(60)]
    link_user(bot, calcom, "U1", "sam", name="Sam Jones", event_types=types)
    account = calcom.account("sam")
    weekdays = [d for d in range(1, 20) if datetime(2026, 12, d).weekday() < 5][:12]
    for day in weekdays:
        calcom.book_as_guest(
            event_type_id=account.event_type("type-0")["id"],
            start=datetime(2026, 12, day, 10, 0, tzinfo=NY),
            name=f"Guest {day}",
            email=f"g{day}@x.test",
        )
    home = views.open_home("U1")  # the emulator refuses more than 100 blocks
    assert len(home["blocks"]) <= 100
    assert len(buttons(home, "cancel_booking")) == 10  # the next ten
    shown = len(buttons(home, "edit_event_type"))
    assert 0 < shown < 60 and f"{60 - shown} more in Cal.com." in text_of(home)


def test_home_turns_off_a_notification(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, views: ViewDriver, sam
) -> None:
    reply = bot.slack.reply(bot.slack.command("notify me"))
    assert "your DMs" in text_of(reply)
    assert len(calcom.webhooks) == 1
    views.home("U1")  # `/cal notify` refreshes the Home
    home = views.open_home("U1")
    assert "your DMs: all your event types" in text_of(home)
    [off] = buttons(home, "home_notify_off")
    views.press(home, "home_notify_off", value=off["value"])
    home = views.home("U1", count=3)
    assert calcom.webhooks == {}
    assert "None yet" in text_of(home)


def test_home_shows_when_the_connection_expired(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam
) -> None:
    calcom.expire_connection(sam.connection_id)
    home = views.open_home("U1")
    assert "reconnect" in text_of(home).lower()
    assert [b["value"] for b in buttons(home, "home_connect")] == ["fresh"]


def test_reschedule_and_cancel_from_the_home(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, views: ViewDriver, sam
) -> None:
    """The Home has no response URL: answers come as DMs, and the Home is republished."""
    thirty = calcom.account("sam").event_type("30min")["id"]
    made = calcom.book_as_guest(event_type_id=thirty, start=THU_3PM, name="Jane", email="j@x.test")
    home = views.open_home("U1")

    views.press(home, "reschedule_booking", value=made["uid"])
    [picker] = slack.wait_for("chat.postMessage", lambda c: c.args["channel"] == "U1")
    assert "Moving" in text_of(picker.args) and "pick_slot:" in " ".join(action_ids(picker.args))

    views.press(home, "cancel_booking", value=made["uid"])
    [opened] = slack.wait_for("views.open")
    bot.slack.submit_view(opened.response["view"], {"cancel_reason": "Out sick"})
    told = slack.wait_for("chat.postMessage", lambda c: c.args["channel"] == "U1", count=2)
    assert "Cancelled" in text_of(told[1].args) and "Out sick" in text_of(told[1].args)
    assert calcom.bookings[made["uid"]]["status"] == "cancelled"
    refreshed = views.home("U1", count=2)
    assert made["uid"] not in [b.get("value") for b in buttons(refreshed, "cancel_booking")]


def test_home_follows_connect_and_disconnect(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver
) -> None:
    """Done on `/cal connect` and a confirmed disconnect change what the Home must show."""
    calcom.add_account(username="sam", name="Sam Jones", email="sam@acme.test")
    bot.slack.reply(bot.slack.command("connect"))
    calcom.complete_oauth(bot.rt.store.get_link("T111", "U1").connection_id, "sam")
    assert "Connected" in text_of(bot.slack.reply(bot.slack.click("connect_done")))
    home = views.home("U1")
    assert "*Sam Jones* (`sam`)" in text_of(home)

    bot.slack.reply(bot.slack.command("disconnect"))
    assert "Disconnected" in text_of(bot.slack.reply(bot.slack.click("disconnect_confirm")))
    home = views.home("U1", count=2)
    assert action_ids(home) == ["home_connect"]
