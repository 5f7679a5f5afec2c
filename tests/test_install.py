"""Multi-workspace install through Slack OAuth, and forgetting a workspace that leaves.

The bot runs with SLACK_CLIENT_ID/SECRET and no bot token; the Slack emulator plays
`oauth.v2.access`. Each workspace's requests are authorized with its own token, and
`app_uninstalled` / `tokens_revoked` remove exactly that team's data.
"""

from __future__ import annotations

import logging

import httpx
import pytest

from bot.models import Link
from bot.runtime import NotInstalled
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import SIGNING_SECRET, Bot, link_user
from tests.installing import (
    PUBLIC,
    install,
    send_event,
)
from tests.slackdriver import SlackDriver, text_of


def test_two_workspaces_install_work_independently_and_one_uninstalls(
    oauth_bot: Bot, slack: SlackEmulator, calcom: CalcomEmulator
) -> None:
    bot = oauth_bot
    assert bot.rt.installations is not None
    for team, token in (("T222", "xoxb-beta-token"), ("T333", "xoxb-gamma-token")):
        done = install(bot, slack, team, token)
        assert done.status_code == 200, done.text
        assert bot.rt.installations.find_bot(enterprise_id=None, team_id=team).bot_token == token
        slack.add_user(f"U{team[1:]}", name=f"user{team}", email=f"{team}@acme.test", team_id=team)
    exchanged = slack.calls_to("oauth.v2.access")
    assert [c.args["redirect_uri"] for c in exchanged] == [f"{PUBLIC}/slack/oauth_redirect"] * 2

    beta = SlackDriver(bot.url, SIGNING_SECRET, slack, team_id="T222")
    gamma = SlackDriver(bot.url, SIGNING_SECRET, slack, team_id="T333")
    stranger = SlackDriver(bot.url, SIGNING_SECRET, slack, team_id="T999")
    try:
        # Each team links a user through its own requests.
        for driver, user in ((beta, "U222"), (gamma, "U333")):
            prompt = driver.reply(driver.command("connect", user=user))
            assert "Connect" in text_of(prompt)
        beta_link = bot.rt.store.get_link("T222", "U222")
        gamma_link = bot.rt.store.get_link("T333", "U333")
        assert beta_link and gamma_link and beta_link.connection_id != gamma_link.connection_id
        # Each request was authorized with its own workspace's token.
        authorized = {(c.token, c.team_id) for c in slack.calls_to("auth.test") if c.ok}
        assert {("xoxb-beta-token", "T222"), ("xoxb-gamma-token", "T333")} <= authorized
        # Work outside a request (notifications) reaches each team with its token.
        assert bot.rt.slack_client("T222").token == "xoxb-beta-token"
        who = bot.server.call(lambda: bot.rt.slack_client("T333").auth_test())
        assert who["team_id"] == "T333"
        # A workspace that never installed gets nothing done.
        refused = stranger.reply(stranger.command("connect", user="U999"))
        assert "reinstall" in text_of(refused).lower()
        assert bot.rt.store.get_link("T999", "U999") is None
        with pytest.raises(NotInstalled):
            bot.rt.slack_client("T999")

        # Beta leaves: rows of every kind keyed by T222 go, Gamma's stay.
        for team in ("T222", "T333"):
            bot.rt.store.db["intents"].insert(
                {
                    "id": f"i-{team}",
                    "team_id": team,
                    "user_id": "U",
                    "payload": "{}",
                    "created_at": "x",
                }
            )
        slack.revoke_token("xoxb-beta-token")
        send_event(beta, "T222", {"type": "app_uninstalled"})
        bot.settle()

        assert bot.rt.store.links("T222") == []
        assert beta_link.connection_id not in calcom.connections  # deleted at Maton
        assert bot.rt.installations.find_bot(enterprise_id=None, team_id="T222") is None
        assert [r["id"] for r in bot.rt.store.db["intents"].rows] == ["i-T333"]
        with pytest.raises(NotInstalled):
            bot.rt.slack_client("T222")

        assert bot.rt.store.links("T333") == [gamma_link]
        assert gamma_link.connection_id in calcom.connections
        assert bot.rt.slack_client("T333").token == "xoxb-gamma-token"
        still = gamma.reply(gamma.command("status", user="U333"))
        assert "reinstall" not in text_of(still).lower()
        gone = beta.reply(beta.command("status", user="U222"))
        assert "reinstall" in text_of(gone).lower()
    finally:
        for driver in (beta, gamma, stranger):
            driver.close()


def test_reinstalling_uses_the_new_token(oauth_bot: Bot, slack: SlackEmulator) -> None:
    assert install(oauth_bot, slack, "T222", "xoxb-first").status_code == 200
    assert oauth_bot.rt.slack_client("T222").token == "xoxb-first"
    assert install(oauth_bot, slack, "T222", "xoxb-second").status_code == 200
    assert oauth_bot.rt.slack_client("T222").token == "xoxb-second"


def test_oauth_redirect_without_the_browsers_state_is_refused(
    oauth_bot: Bot, slack: SlackEmulator
) -> None:
    with httpx.Client(base_url=oauth_bot.url) as browser:
        answer = browser.get("/slack/oauth_redirect", params={"code": "x", "state": "forged"})
    assert answer.status_code == 400
    assert slack.calls_to("oauth.v2.access") == []


def test_single_workspace_mode_has_no_install_routes(bot: Bot) -> None:
    assert httpx.get(f"{bot.url}/slack/install").status_code == 404
    assert bot.rt.installations is None


def test_tokens_revoked_for_the_bot_forgets_the_team(bot: Bot, calcom: CalcomEmulator) -> None:
    sam = link_user(bot, calcom, "U1", "sam")
    other = bot.rt.store.save_link(Link("T999", "U9", "conn-elsewhere", "PENDING"))

    send_event(bot.slack, "T111", {"type": "tokens_revoked", "tokens": {"oauth": ["U1"]}})
    bot.settle()
    assert bot.rt.store.get_link("T111", "U1") == sam  # user tokens: calbot keeps none

    send_event(bot.slack, "T111", {"type": "tokens_revoked", "tokens": {"bot": ["UB111"]}})
    bot.settle()
    assert bot.rt.store.links("T111") == []
    assert sam.connection_id not in calcom.connections
    assert bot.rt.store.links("T999") == [other]


@pytest.mark.parametrize(
    "tokens", [["UB111"], {"bot": "UB111"}, {"bot": [5]}, {"oauth": {"U1": 1}}, "bot"]
)
def test_tokens_revoked_not_as_slack_sends_it_forgets_nothing(
    bot: Bot, calcom: CalcomEmulator, tokens: object, caplog: pytest.LogCaptureFixture
) -> None:
    """Signed but odd (found by tests/test_fuzz.py): acked, one warning, no traceback."""
    sam = link_user(bot, calcom, "U1", "sam")
    send_event(bot.slack, "T111", {"type": "tokens_revoked", "tokens": tokens})
    bot.settle()
    assert bot.rt.store.get_link("T111", "U1") == sam
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        f"odd Slack payload acked and ignored: {_odd_field(tokens)} is not as Slack sends it"
    ]
    assert not [r for r in caplog.records if r.exc_info]


def _odd_field(tokens: object) -> str:
    if not isinstance(tokens, dict):
        return "event.tokens"
    return f"event.tokens.{next(iter(tokens))}"


def test_app_uninstalled_in_single_workspace_mode(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator
) -> None:
    sam = link_user(bot, calcom, "U1", "sam")
    alice = link_user(bot, calcom, "U2", "alice")
    slack.add_channel("C500", "team", members={"U2"})
    bot.slack.reply(bot.slack.command("notify <#C500|team>", user="U2"))
    assert len(calcom.webhooks) == 1  # alice's subscription, with its Cal.com webhook
    calcom.fault("error_500", path="/connections/" + sam.connection_id)  # Maton fails once

    send_event(bot.slack, "T111", {"type": "app_uninstalled"})
    bot.settle()
    assert calcom.webhooks == {}
    assert list(bot.rt.store.db["subscriptions"].rows) == []
    assert bot.rt.store.links("T111") == []  # both rows go, even the one Maton failed on
    assert sam.connection_id in calcom.connections  # Maton's 500: left there, and logged
    assert alice.connection_id not in calcom.connections  # the failure did not stop the rest
