"""The arguments of `book`, `slots` and `notify`: host, type, time phrase, guest, triggers."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from bot.grammar.commands import ALL_TRIGGERS, Invalid
from bot.grammar.tokens import CHANNEL, email_of, length_of, mention_id, readable
from bot.grammar.vocabulary import TRIGGER_ALIASES, invalid

# First words that start a time phrase rather than name an event type.
_WHEN_WORDS = frozenset(
    """
    today tonight tomorrow tmrw tmr tomorow tommorow tommorrow yesterday overmorrow
    this next coming in on at the day week weekend month morning afternoon evening night
    noon midday midnight asap soon anytime whenever within from between after before by until
    around about approx approximately roughly sometime first half quarter lunch tonight
    mon monday tue tues tuesday wed weds wednesday thu thur thurs thursday
    fri friday sat saturday sun sunday
    jan january feb february mar march apr april may jun june jul july aug august
    sep sept september oct october nov november dec december
    """.split()  # noqa: SIM905 - a word list reads better as words
)
_WHEN_TOKEN = re.compile(
    r"^(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)"  # 3pm, 9:30am
    r"|\d{1,2}:\d{2}"  # 14:30
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?"  # 12/5, 12/5/2026
    r"|\d{4}-\d{1,2}-\d{1,2}"  # 2026-12-05
    r"|\d{1,2}(?:st|nd|rd|th)"  # 5th
    r"|\d{1,2}(?::\d{2})?[ap]"  # 3p, 9:30a
    r"|\d{3,4}\s*(?:am|pm)"  # 330pm
    r"|\d{1,2}(?::\d{2})?(?:am|pm)?-?ish"  # 3ish
    r"|~\d.*"  # ~3pm
    r"|\d{1,2}(?::\d{2})?(?:am|pm)?-\d{1,2}(?::\d{2})?(?:am|pm)?)$"  # 2-4pm, 7-8
)

_MeetingParts = tuple[str | None, str | None, str, str | None, str | None]


def meeting_parts(args: Sequence[str], sub: str) -> _MeetingParts | Invalid:
    """Split `[@host] <type> [when] [with <guest>]` into its five parts."""
    rest = list(args)
    guest_email: str | None = None
    guest_user_id: str | None = None
    withs = [i for i, tok in enumerate(rest) if tok.lower() == "with"]
    if len(withs) > 1:
        return invalid("One guest at a time, after one `with`.", sub)
    if withs:
        i = withs[0]
        if i + 1 >= len(rest):
            return invalid("`with` needs an email or an @mention after it.", sub)
        guest = rest[i + 1]
        guest_user_id = mention_id(guest)
        guest_email = None if guest_user_id else email_of(guest)
        if not guest_user_id and not guest_email:
            return invalid(
                f"“{readable(guest)}” after `with` is neither an email nor an @mention.", sub
            )
        del rest[i : i + 2]
    host_id: str | None = None
    kept: list[str] = []
    for tok in rest:
        if user_id := mention_id(tok):
            if host_id is not None:
                return invalid("One host at a time; add a guest with `with`.", sub)
            host_id = user_id
        elif problem := _stray_entity(tok, sub):
            return problem
        else:
            kept.append(tok)
    type_query, when_tokens = _split_type(kept)
    return host_id, type_query, readable(" ".join(when_tokens)), guest_email, guest_user_id


def _split_type(tokens: Sequence[str]) -> tuple[str | None, list[str]]:
    """The event type and the time phrase after it (see `bot.grammar`'s docstring)."""
    if not tokens:
        return None, []
    first = tokens[0]
    if first[0] in '"“':
        return readable(first.strip('"“”')).strip() or None, list(tokens[1:])
    for n in range(min(4, len(tokens)), 1, -1):
        candidate = " ".join(tokens[:n])
        if length_of(candidate) is not None:
            return candidate, list(tokens[n:])
    if looks_like_when(first):
        return None, list(tokens)
    return readable(first), list(tokens[1:])


def looks_like_when(token: str) -> bool:
    word = token.lower().rstrip(",.")
    return word in _WHEN_WORDS or bool(_WHEN_TOKEN.match(word))


def _stray_entity(tok: str, sub: str) -> Invalid | None:
    """An email, channel, group mention or unresolved @name where none belongs."""
    if email_of(tok):
        return invalid(f"To book with {readable(tok)}, write `with {readable(tok)}`.", sub)
    if CHANNEL.match(tok) or tok.startswith("<!"):
        return invalid("Mention one person, not a channel or a group.", sub)
    if tok.startswith("@") and len(tok) > 1:
        return _unresolved_mention(tok, sub)
    return None


def _unresolved_mention(tok: str, sub: str) -> Invalid:
    return invalid(
        f"I can't tell who “{tok}” is: pick them from Slack's @ suggestions so I get their id.",
        sub,
    )


def notify_target(tok: str) -> str | Invalid | None:
    """A channel id, None for `me` (a DM), or why the target is wrong."""
    if channel := CHANNEL.match(tok):
        return channel.group(1)
    if tok.lower() in ("me", "dm", "myself"):
        return None
    if tok.startswith("#") and len(tok) > 1:
        return invalid(
            f"I can't tell which channel “{tok}” is: pick it from Slack's # suggestions.",
            "notify",
        )
    if mention_id(tok):
        return invalid("Notifications go to a channel or to you: use `#channel` or `me`.", "notify")
    return invalid(f"“{readable(tok)}” isn't a channel. Use `#channel` or `me`.", "notify")


def type_and_triggers(tokens: Sequence[str]) -> tuple[str | None, tuple[str, ...]] | Invalid:
    """After the target: an optional event type, then optional trigger names.

    Triggers are the trailing tokens that are trigger names or comma lists; the rest is the
    type (several words allowed: nothing else follows). A near-miss of a trigger name is
    taken for a typo rather than an event type.
    """
    split = len(tokens)
    while split > 0 and _is_trigger_token(tokens[split - 1]):
        split -= 1
    type_tokens, trigger_tokens = tokens[:split], tokens[split:]
    for tok in type_tokens:
        near = difflib.get_close_matches(tok.lower(), TRIGGER_ALIASES, n=1, cutoff=0.9)
        if near:
            return invalid(f"Did you mean `{TRIGGER_ALIASES[near[0]]}`?", "notify")
    chosen: set[str] = set()
    for tok in trigger_tokens:
        for name in filter(None, tok.lower().split(",")):
            if name == "all":
                chosen.update(ALL_TRIGGERS)
            elif name in TRIGGER_ALIASES:
                chosen.add(TRIGGER_ALIASES[name])
            else:
                near = difflib.get_close_matches(name, TRIGGER_ALIASES, n=1, cutoff=0.6)
                hint = f" Did you mean `{TRIGGER_ALIASES[near[0]]}`?" if near else ""
                return invalid(f"“{name}” isn't a kind of booking update.{hint}", "notify")
    triggers = tuple(t for t in ALL_TRIGGERS if t in chosen) or ALL_TRIGGERS
    type_text = " ".join(tok.strip('"“”') for tok in type_tokens)
    return readable(type_text).strip() or None, triggers


def _is_trigger_token(tok: str) -> bool:
    low = tok.lower()
    return "," in low or low == "all" or low in TRIGGER_ALIASES
