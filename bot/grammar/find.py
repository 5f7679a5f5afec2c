"""`/cal find <type or length> @a @b [<!subteam^S1|@group>] [when]` (README, *Finding a time
with teammates*).

Mentions and user groups may stand anywhere after `find`; what is left is read as
`/cal book` reads it: the type first (a length spread over tokens is one type), then the
time phrase. Up to MAX_PEOPLE people may be named (groups are counted once expanded, by
the service).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.blocks.limits import MAX_PEOPLE
from bot.grammar.arguments import meeting_parts
from bot.grammar.commands import Command, Find, Invalid
from bot.grammar.tokens import mention_id

USAGE = (
    "`/cal find <type or length> @a @b [@group] [when]`, "
    "e.g. `/cal find 30min @alice @bob next week`"
)
_SUBTEAM = re.compile(r"^<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>$")


def _invalid(problem: str) -> Invalid:
    return Invalid(f"{problem} Usage: {USAGE}")


def subteam_id(tok: str) -> str | None:
    m = _SUBTEAM.match(tok)
    return m.group(1) if m else None


def read_find(args: Sequence[str]) -> Command:
    users: list[str] = []
    groups: list[str] = []
    rest: list[str] = []
    for tok in args:
        if user_id := mention_id(tok):
            if user_id not in users:
                users.append(user_id)
        elif group_id := subteam_id(tok):
            if group_id not in groups:
                groups.append(group_id)
        else:
            rest.append(tok)
    if not users and not groups:
        return _invalid("Who with? Mention teammates (or a user group) from Slack's @ suggestions.")
    if len(users) > MAX_PEOPLE:
        return _invalid(f"Up to {MAX_PEOPLE} people at a time.")
    if any(tok.lower() == "with" for tok in rest):
        return _invalid("Name everyone with @: `with` is for `/cal book`.")
    parts = meeting_parts(rest, "book")
    if isinstance(parts, Invalid):
        return _invalid(parts.message.split(" Usage:")[0])
    _host, type_query, when_text, _email, _guest = parts
    if type_query is None:
        return _invalid("How long? Name an event type or a length (`30min`, `1h`).")
    return Find(type_query, tuple(users), tuple(groups), when_text)
