"""Booking links that unfurl: Slack's `link_shared` event (its documented shape, from the
emulator) → `chat.unfurl`, which the emulator validates as Slack does; then a reader
presses a time on the card and books the link's owner."""

from __future__ import annotations

import json
from datetime import datetime

from bot.blocks.unfurl import link_card
from bot.models import LinkCard
from bot.services.unfurl import parse
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import Bot
from tests.slackdriver import action_ids, text_of

URL = "https://cal.com/sam/30min"


def shared(bot: Bot, slack: SlackEmulator, urls: list[str], **how: str) -> dict:
    event = slack.share_links("C9", "U2", urls, **how)
    response = bot.slack.post(json.dumps(event).encode(), "application/json")
    assert response.status_code == 200
    return event


def unfurled(slack: SlackEmulator) -> dict:
    [call] = slack.wait_for("chat.unfurl", lambda c: True)
    assert call.ok, call.response
    return call.args


def test_a_booking_link_unfurls_into_the_owners_next_free_times(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    slack.add_channel("C9", "sales", members={"U1", "U2"})
    event = shared(bot, slack, [URL, "https://example.com/not-ours"])
    args = unfurled(slack)
    assert (args["channel"], args["ts"]) == ("C9", event["event"]["message_ts"])
    assert set(args["unfurls"]) == {URL}  # only the booking link; Slack keeps the other
    card = args["unfurls"][URL]
    words = text_of(card)
    assert "30 min" in words and "<@U1>" in words and "Next free" in words
    ids = action_ids(card)
    assert ids[:3] == ["unfurl_slot:0", "unfurl_slot:1", "unfurl_slot:2"]
    assert ids[3] == "unfurl_more"
    first = card["blocks"][-1]["elements"][0]
    assert first["text"]["text"] == "Wed 25 Nov, 10:00 AM EST"  # the owner's zone, named
    owner, type_id, epoch = first["value"].split(":")
    assert owner == "U1" and int(type_id) == calcom.account("sam").event_type("30min")["id"]

    # Alice, reading the channel, books the first time: she attends, Sam hosts
    clicked = bot.slack.click(
        "unfurl_slot:0",
        value=first["value"],
        user="U2",
        block_id=card["blocks"][-1]["block_id"],
        channel="C9",
    )
    reply = bot.slack.reply(clicked)
    assert "Booked" in text_of(reply) and reply.get("replace_original") is False
    [made] = [b for b in calcom.bookings.values() if b["status"] != "cancelled"]
    assert int(made["start"].timestamp()) == int(epoch)
    assert made["attendees"][0]["email"] == "alice@acme.test"


def test_more_times_opens_the_picker_for_the_reader(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    slack.add_channel("C9", "sales", members={"U1", "U2"})
    shared(bot, slack, [URL])
    card = unfurled(slack)["unfurls"][URL]
    more = card["blocks"][-1]["elements"][-1]
    reply = bot.slack.reply(bot.slack.click("unfurl_more", value=more["value"], user="U2"))
    assert any(i.startswith("pick_slot:") for i in action_ids(reply))


def test_links_typed_in_the_composer_unfurl_by_unfurl_id(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    event = shared(bot, slack, [URL], source="composer")
    args = unfurled(slack)
    assert args["unfurl_id"] == event["event"]["unfurl_id"] and args["source"] == "composer"


def test_links_of_strangers_hidden_types_and_other_sites_stay_plain(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    slack.add_channel("C9", "sales", members={"U1", "U2"})
    shared(bot, slack, ["https://cal.com/nobody/30min", "https://cal.com/sam/no-such-type"])
    shared(bot, slack, ["https://cal.com/sam/30min/../../etc", "https://evil.test/sam/30min"])
    bot.settle()
    assert slack.calls_to("chat.unfurl") == []


def test_a_booking_link_is_read_strictly() -> None:
    assert parse("https://cal.com/Sam/30min") == ("sam", "30min")
    assert parse("https://cal.com/sam/30min?month=2026-12") == ("sam", "30min")
    for url in ("http://cal.com/sam/30min", "https://cal.com/sam", "https://cal.com.evil/sam/x"):
        assert parse(url) is None


def test_a_card_is_valid_block_kit_even_at_the_limits() -> None:
    from bot.calcom.models import EventType
    from tests.emulators.blockkit import validate_blocks

    long = EventType.from_api(
        {
            "id": 7,
            "slug": "x" * 100,
            "title": "T" * 400,
            "lengthInMinutes": 30,
            "description": "d" * 5000,
        }
    )
    card = LinkCard(
        URL,
        "U1",
        "Sam",
        long,
        tuple(datetime.fromtimestamp(1_800_000_000 + 1800 * n).astimezone() for n in range(3)),
    )
    assert validate_blocks(link_card(card)["blocks"], "message") == []


def test_a_click_on_the_card_as_slack_sends_it_answers_the_reader_alone(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    """Slack's payload for a button in an unfurl has no `message` but a response URL
    whose original is the poster's message: the answer is the reader's own ephemeral,
    with no interim line and nothing replaced, however slow the booking is."""
    slack.add_channel("C9", "sales", members={"U1", "U2"})
    event = shared(bot, slack, [URL])
    card = unfurled(slack)["unfurls"][URL]
    posted = [dict(m) for m in slack.messages["C9"]]
    bot.rt.interim_after = 0  # a slow answer: an interim line would show at once
    first = card["blocks"][-1]["elements"][0]
    clicked = bot.slack.click_unfurl(
        "unfurl_slot:0",
        value=first["value"],
        url=URL,
        blocks=card["blocks"],
        user="U2",
        channel="C9",
        message_ts=event["event"]["message_ts"],
    )
    reply = bot.slack.reply(clicked)
    assert "Booked" in text_of(reply) and reply["response_type"] == "ephemeral"
    url_id = clicked.response_url.rsplit("/", 1)[1]
    sent = [c.args for c in slack.calls_to("response_url") if c.url_id == url_id]
    assert not any(a.get("replace_original") or a.get("delete_original") for a in sent), sent
    assert slack.messages["C9"] == posted  # the poster's message and its card untouched
    assert [m["user"] for m in slack.ephemerals["C9"]] == ["U2"] * len(sent)
    [made] = [b for b in calcom.bookings.values() if b["status"] != "cancelled"]
    assert made["attendees"][0]["email"] == "alice@acme.test"


def test_a_hidden_event_types_link_stays_plain_and_its_forged_button_books_nothing(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam
) -> None:
    """A hidden type is not on Sam's public page: its link shows no card (though Sam's own
    connection lists it), and a card value naming it books nothing."""
    slack.add_channel("C9", "sales", members={"U1", "U2"})
    hidden = calcom.account("sam").event_type("30min")
    hidden["hidden"] = True
    shared(bot, slack, [URL])
    bot.settle()
    assert slack.calls_to("chat.unfurl") == []

    epoch = int(bot.rt.clock().timestamp()) + 86_400
    forged = bot.slack.click("unfurl_slot:0", value=f"U1:{hidden['id']}:{epoch}", user="U2")
    assert "Booked" not in text_of(bot.slack.reply(forged))
    assert calcom.bookings == {}


def test_a_workspace_without_links_write_keeps_its_links_plain_and_calm(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam, caplog
) -> None:
    """Installed before unfurls needed links:write: Slack refuses chat.unfurl; the link
    stays plain and the refusal is one warning for the operator. Nobody asked for the
    card, so no error message goes to anyone in Slack."""
    import logging

    slack.teams["T111"]["scopes"] = slack.teams["T111"]["scopes"].replace(",links:write", "")
    slack.add_channel("C9", "sales", members={"U1", "U2"})
    with caplog.at_level(logging.INFO):
        shared(bot, slack, [URL])
        [call] = slack.wait_for("chat.unfurl", lambda c: True)
        bot.settle()
    assert not call.ok and call.response["error"] == "missing_scope"
    assert slack.unfurls == {}
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [
        "Slack refused the unfurl: missing_scope (reinstall calbot to grant links:write)"
    ]
    assert not [r for r in caplog.records if r.exc_info]
    assert slack.calls_to("chat.postEphemeral") == slack.calls_to("chat.postMessage") == []


def test_a_network_failure_while_unfurling_leaves_the_link_plain_and_calm(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, sam, caplog
) -> None:
    import logging

    slack.add_channel("C9", "sales", members={"U1", "U2"})
    slack.drop_next("chat.unfurl")  # the connection closes before Slack answers
    with caplog.at_level(logging.INFO):
        shared(bot, slack, [URL])
        slack.wait_for("chat.unfurl", lambda c: True)
        bot.settle()
    ours = [r for r in caplog.records if r.name.startswith("calbot")]  # not the emulator's
    warnings = [r.getMessage() for r in ours if r.levelno >= logging.WARNING]
    assert warnings == ["could not reach Slack to unfurl: ClientPayloadError"]
    assert not [r for r in ours if r.exc_info]
    assert slack.unfurls == {}
    assert slack.calls_to("chat.postEphemeral") == slack.calls_to("chat.postMessage") == []
