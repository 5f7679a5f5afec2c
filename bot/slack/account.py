"""Linking a Cal.com account: `/cal connect|status|me|disconnect` and their buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot import grammar
from bot.blocks import account as account_blocks
from bot.blocks.profile import overview_message
from bot.ids import FRESH, Action
from bot.runtime import Runtime
from bot.services import accounts
from bot.slack import home
from bot.slack.context import Handler, Turn, action_value, handoff


async def connect(turn: Turn, command: grammar.Connect) -> None:
    result = await accounts.connect(turn.rt, turn.caller.team_id, turn.caller.user_id)
    if isinstance(result, accounts.Linked):
        await turn.reply(account_blocks.linked(result.link, newly=result.newly))
    else:
        await turn.reply(account_blocks.connect_prompt(result.url))


async def status(turn: Turn, command: grammar.Status) -> None:
    link = await accounts.current_link(turn.rt, turn.caller.team_id, turn.caller.user_id)
    await turn.reply(account_blocks.status(link))


async def me(turn: Turn, command: grammar.Me) -> None:
    link = await accounts.require_link(turn.rt, turn.caller.team_id, turn.caller.user_id)
    await turn.reply(overview_message(await accounts.overview(turn.rt, link)))


async def disconnect(turn: Turn, command: grammar.Disconnect) -> None:
    link = accounts.stored_link(turn.rt, turn.caller.team_id, turn.caller.user_id)
    if link is None:
        await turn.reply(account_blocks.disconnected(was_linked=False))
    else:
        await turn.reply(account_blocks.disconnect_confirm(link))


COMMANDS: dict[type, Handler] = {
    grammar.Connect: connect,
    grammar.Status: status,
    grammar.Me: me,
    grammar.Disconnect: disconnect,
}


async def start_connect(turn: Turn, fresh: bool) -> None:
    result = await accounts.connect(turn.rt, turn.caller.team_id, turn.caller.user_id, fresh=fresh)
    if isinstance(result, accounts.Linked):
        await turn.reply(account_blocks.linked(result.link, newly=result.newly), replace=True)
    else:
        await turn.reply(account_blocks.connect_prompt(result.url), replace=True)


async def check_connect(turn: Turn) -> None:
    result = await accounts.connect(turn.rt, turn.caller.team_id, turn.caller.user_id)
    if isinstance(result, accounts.Linked):
        await turn.reply(account_blocks.linked(result.link, newly=result.newly), replace=True)
        home.refresh_soon(turn.rt, turn.client, turn.caller.team_id, turn.caller.user_id)
    else:
        await turn.reply(account_blocks.connect_prompt(result.url, again=True), replace=True)


async def confirm_disconnect(turn: Turn) -> None:
    was_linked = await accounts.disconnect(turn.rt, turn.caller.team_id, turn.caller.user_id)
    await turn.reply(account_blocks.disconnected(was_linked), replace=True)
    if was_linked:
        home.refresh_soon(turn.rt, turn.client, turn.caller.team_id, turn.caller.user_id)


async def keep_connection(turn: Turn) -> None:
    await turn.respond(delete_original=True)


def register(app: AsyncApp, rt: Runtime) -> None:
    @app.action(Action.CONNECT_OPEN)
    async def on_open_link(ack: Any) -> None:
        await ack()  # a URL button: Slack opens the link, we only acknowledge

    app.action(Action.CONNECT_START)(
        handoff(rt, lambda turn, body: start_connect(turn, fresh=action_value(body) == FRESH))
    )
    app.action(Action.CONNECT_DONE)(handoff(rt, lambda turn, body: check_connect(turn)))
    app.action(Action.DISCONNECT_CONFIRM)(handoff(rt, lambda turn, body: confirm_disconnect(turn)))
    app.action(Action.DISCONNECT_CANCEL)(handoff(rt, lambda turn, body: keep_connection(turn)))
