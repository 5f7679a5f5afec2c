"""Build the Bolt AsyncApp and register every surface's listeners on it."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.logs import bolt_logger
from bot.runtime import Runtime
from bot.slack import (
    account,
    agenda,
    booking,
    bookings,
    commands,
    errors,
    events,
    find,
    home,
    install,
    manage,
    modals,
    notify,
    requestlog,
    shortcuts,
    unfurl,
)
from bot.slackweb import web_client


def build_app(rt: Runtime) -> AsyncApp:
    """The Bolt app for `rt`.

    `process_before_response=True`: Bolt answers Slack when the listener returns instead
    of polling for ack(), and every listener returns right after ack(), its work handed
    to a task (see `bot.slack.context.handoff`). Measured in bench/ack_latency.py.
    """
    settings = rt.settings
    # Multi-workspace mode: no fixed token; each request's comes from its installation.
    token = None if settings.oauth else settings.slack_bot_token
    # Slack's 429 retried within the action's budget; its HTTP session is attached at
    # start-up (bot/web.py), and Bolt's per-request clients share both (bot/slackweb.py).
    client = web_client(settings.slack_api_url, token, interactive=True)
    app = AsyncApp(
        client=client,
        signing_secret=settings.slack_signing_secret,
        process_before_response=True,
        logger=bolt_logger(),  # drops Bolt's "`token` will be unused" warning (bot/logs.py)
        # bot/web.py verifies every HTTP request's signature before Bolt reads it (and
        # Socket Mode needs none): Bolt's own check would be the same HMAC a second time
        request_verification_enabled=False,
        **install.bolt_options(rt, client),
    )
    # the payload's shape is checked before Bolt reads it: bot/web.py, bot/slack/socketmode.py
    requestlog.register(app)
    errors.register(app, rt)
    # Bolt tries listeners in this order, running each one's matchers (~10 µs apiece):
    # `/cal`, the most frequent request, is tried first
    commands.register(app, rt)
    events.register(app, rt)
    account.register(app, rt)
    booking.register(app, rt)
    find.register(app, rt)
    bookings.register(app, rt)
    notify.register(app, rt)
    modals.register(app, rt)
    shortcuts.register(app, rt)
    home.register(app, rt)
    manage.register(app, rt)
    agenda.register(app, rt)
    unfurl.register(app, rt)
    return app
