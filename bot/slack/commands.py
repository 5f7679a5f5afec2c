"""The `/cal` slash command: ack at once, parse, and route to the feature that handles it.

Each feature module (account, booking, notify, ...) exports a `COMMANDS` table from
command value type to handler; this module only merges them and dispatches.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot import grammar
from bot.blocks.account import plain_notice
from bot.blocks.help import help_message
from bot.runtime import Runtime
from bot.slack import account, booking, bookings, find, manage, modals, notify
from bot.slack.context import Handler, Turn, handoff


async def show_help(turn: Turn, command: Any) -> None:
    await turn.reply(help_message())


async def show_unknown(turn: Turn, command: grammar.Unknown) -> None:
    await turn.reply(help_message(unknown=command.word, suggestion=command.suggestion))


async def show_invalid(turn: Turn, command: grammar.Invalid) -> None:
    await turn.reply(plain_notice(command.message))


ROUTES: dict[type, Handler] = {
    grammar.Help: show_help,
    grammar.Unknown: show_unknown,
    grammar.Invalid: show_invalid,
    **account.COMMANDS,
    **booking.COMMANDS,
    **find.COMMANDS,  # `/cal find`: common times with teammates
    **bookings.COMMANDS,
    **notify.COMMANDS,
    **modals.COMMANDS,  # `/cal`, `/cal book` without a type: the booking modal
    **manage.COMMANDS,  # `/cal schedule`: the working-hours modal
}


async def dispatch(turn: Turn, text: str) -> None:
    command = grammar.parse(text)
    await ROUTES[type(command)](turn, command)  # every grammar.Command has a route (tested)


async def on_cal(turn: Turn, body: dict[str, Any]) -> None:
    await dispatch(turn, body.get("text") or "")


def register(app: AsyncApp, rt: Runtime) -> None:
    app.command("/cal")(handoff(rt, on_cal))
