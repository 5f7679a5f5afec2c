"""The `/cal` slash command: parse, ack at once, and route to the feature that handles it.

Each feature module (account, booking, notify, ...) exports a `COMMANDS` table from
command value type to handler; this module only merges them and dispatches. A command whose
answer needs no I/O (help, an unknown word, a parse error) is answered in the ack itself:
shown at once, no response-URL post, no place taken in the admission queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot import grammar
from bot.blocks.account import plain_notice
from bot.blocks.help import help_message
from bot.runtime import Runtime
from bot.slack import account, agenda, booking, bookings, find, manage, modals, notify
from bot.slack.context import Handler, Turn, Work, handoff


def help_answer(command: grammar.Help) -> dict[str, Any]:
    return help_message()


def unknown_answer(command: grammar.Unknown) -> dict[str, Any]:
    return help_message(unknown=command.word, suggestion=command.suggestion)


def invalid_answer(command: grammar.Invalid) -> dict[str, Any]:
    return plain_notice(command.message)


# commands answered in the ack (no I/O): their message, from the parsed value
IN_THE_ACK: dict[type, Callable[[Any], dict[str, Any]]] = {
    grammar.Help: help_answer,
    grammar.Unknown: unknown_answer,
    grammar.Invalid: invalid_answer,
}


def _replying(answer: Callable[[Any], dict[str, Any]]) -> Handler:
    async def reply(turn: Turn, command: Any) -> None:
        await turn.reply(answer(command))

    return reply


ROUTES: dict[type, Handler] = {
    # reached only by `dispatch` or `route` called directly; the listener answers these in the ack
    **{kind: _replying(answer) for kind, answer in IN_THE_ACK.items()},
    **account.COMMANDS,
    **booking.COMMANDS,
    **find.COMMANDS,  # `/cal find`: common times with teammates
    **bookings.COMMANDS,
    **notify.COMMANDS,
    **modals.COMMANDS,  # `/cal`, `/cal book` without a type: the booking modal
    **manage.COMMANDS,  # `/cal schedule`: the working-hours modal
    **agenda.COMMANDS,  # `/cal agenda`, `/cal remind`
}


async def dispatch(turn: Turn, text: str) -> None:
    """Parse `text` and run its route (for a caller that has not parsed it already)."""
    await route(turn, grammar.parse(text))


async def route(turn: Turn, command: grammar.Command) -> None:
    await ROUTES[type(command)](turn, command)  # every grammar.Command has a route (tested)


def _running(command: grammar.Command) -> Work:
    """The handed-off work of one `/cal`: the command the ack parsed, routed as it is."""

    async def on_cal(turn: Turn, body: dict[str, Any]) -> None:
        await route(turn, command)

    return on_cal


def register(app: AsyncApp, rt: Runtime) -> None:
    async def cal(ack: Any, body: dict[str, Any], client: Any) -> None:
        command = grammar.parse(body.get("text") or "")  # microseconds: no dates resolved
        answer = IN_THE_ACK.get(type(command))
        if answer is not None:
            await ack(**answer(command), response_type="ephemeral")
            return
        # parsed once, here: the work after the ack gets the value, not the text
        await handoff(rt, _running(command))(ack=ack, body=body, client=client)

    app.command("/cal")(cal)
