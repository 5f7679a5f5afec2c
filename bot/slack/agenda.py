"""`/cal agenda`, `/cal agenda daily`, `/cal remind`, the App Home's agenda toggle, and
`user_change` (a new Slack zone moves the daily agenda with the traveller).

The agenda is read in the caller's Slack zone (`users.info`); the daily DM and the
reminders are scheduled rows (bot/routines/), set here through bot/services/routines.py.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot import grammar
from bot.blocks.agenda import agenda_message, daily_set, remind_set
from bot.ids import Action
from bot.runtime import Runtime
from bot.services import agenda, routines
from bot.slack import home
from bot.slack.context import Handler, Turn, action_value, handoff
from bot.slack.people import person


async def agenda_command(turn: Turn, command: grammar.Agenda) -> None:
    caller = turn.caller
    me = await person(turn.rt, turn.client, caller.team_id, caller.user_id)
    found = await agenda.agenda(turn.rt, caller.team_id, caller.user_id, me.tz, command.window)
    await turn.reply(agenda_message(found))


async def daily_command(turn: Turn, command: grammar.AgendaDaily) -> None:
    caller = turn.caller
    me = await person(turn.rt, turn.client, caller.team_id, caller.user_id)
    routine = await routines.set_daily(
        turn.rt, caller.team_id, caller.user_id, command.minute, me.tz
    )
    await turn.reply(daily_set(routine))
    home.refresh_soon(turn.rt, turn.client, caller.team_id, caller.user_id)


async def remind_command(turn: Turn, command: grammar.Remind) -> None:
    caller = turn.caller
    me = await person(turn.rt, turn.client, caller.team_id, caller.user_id)
    routine, covered, live = await routines.set_remind(
        turn.rt, caller.team_id, caller.user_id, command.minutes, me.tz
    )
    await turn.reply(remind_set(routine, covered, live=live))


async def on_home_toggle(turn: Turn, body: dict[str, Any]) -> None:
    caller = turn.caller
    me = await person(turn.rt, turn.client, caller.team_id, caller.user_id)
    minute = routines.DEFAULT_AGENDA_MINUTE if action_value(body) == "on" else None
    await routines.set_daily(turn.rt, caller.team_id, caller.user_id, minute, me.tz)
    await home.refresh(turn.rt, turn.client, caller.team_id, caller.user_id)


async def on_user_change(turn: Turn, body: dict[str, Any]) -> None:
    """Slack sends the whole user object; only a changed `tz` of someone with a routine
    matters (one indexed read for everyone else)."""
    user = (body.get("event") or {}).get("user") or {}
    if not isinstance(user, dict):
        return  # Slack sends the user object; an id alone says no zone
    tz, user_id = user.get("tz"), user.get("id")
    if isinstance(tz, str) and tz and isinstance(user_id, str):
        team_id = user.get("team_id") or turn.caller.team_id
        if routines.zone_changed(turn.rt, team_id, user_id, tz):
            turn.rt.slack_people.drop((team_id, user_id))


COMMANDS: dict[type, Handler] = {
    grammar.Agenda: agenda_command,
    grammar.AgendaDaily: daily_command,
    grammar.Remind: remind_command,
}


def register(app: AsyncApp, rt: Runtime) -> None:
    app.action(Action.HOME_AGENDA)(handoff(rt, on_home_toggle))
    app.event("user_change")(handoff(rt, on_user_change))
