"""Single tokens as Slack escapes them: mentions, emails, links, booking ids, lengths."""

from __future__ import annotations

import html
import re

# Digits are capped so a pasted 300-digit number is "not a length", never an overflow.
_LENGTH = re.compile(
    r"^(?:(?P<hours>\d{1,3}(?:\.\d{1,2})?)\s*(?:h|hr|hrs|hour|hours))?"
    r"\s*(?:(?P<minutes>\d{1,4})\s*(?:m|min|mins|minute|minutes)?)?$"
)
TOKEN = re.compile(r"<[^<>]*>|[\"“][^\"“”]*[\"”]|\S+")
_USER = re.compile(r"^<@([A-Z0-9]+)(?:\|[^>]*)?>$")
CHANNEL = re.compile(r"^<#([A-Z0-9]+)(?:\|[^>]*)?>$")
_MAILTO = re.compile(r"^<mailto:([^|>]+)(?:\|[^>]*)?>$")
_LINK = re.compile(r"^<((?:https?://)[^|>]+)(?:\|[^>]*)?>$")
_EMAIL = re.compile(r"^[^@\s<>|]+@[^@\s<>|]+\.[^@\s<>|]+$")
_BOOKING_UID = re.compile(r"^[A-Za-z0-9_-]{4,128}$")
_BOOKING_IN_URL = re.compile(r"/booking/([A-Za-z0-9_-]{4,128})")
_ENTITY = re.compile(r"<([^<>]*)>")


def length_of(type_query: str | None) -> int | None:
    """Minutes named by a length-like type ("30", "30m", "30 min", "1h", "1.5 hours", "1h30").

    Event types are matched by slug, then title, then this length, so "/cal book 30 ..."
    works without knowing the slug. None when the text is not a length.
    """
    if not type_query:
        return None
    m = _LENGTH.match(type_query.strip().lower())
    if m is None or not (m.group("hours") or m.group("minutes")):
        return None
    if max(len(m.group("hours") or ""), len(m.group("minutes") or "")) > 6:
        return None  # `/cal 1000…0`: 309 digits overflow a float, and no meeting is that long
    total = float(m.group("hours") or 0) * 60 + int(m.group("minutes") or 0)
    if total <= 0 or total != int(total):
        return None
    return int(total)


def mention_id(tok: str) -> str | None:
    m = _USER.match(tok)
    return m.group(1) if m else None


def looks_like_email(text: str) -> bool:
    """Whether `text` is an email address: the one check, for commands and modals alike."""
    return bool(_EMAIL.match(text))


def email_of(tok: str) -> str | None:
    if m := _MAILTO.match(tok):
        return m.group(1).strip()
    candidate = tok.rstrip(".,;")
    return candidate if looks_like_email(candidate) else None


def booking_uid_of(tok: str) -> str | None:
    """A booking uid as typed, or taken from a pasted booking link (…/booking/<uid>)."""
    link = _LINK.match(tok)
    url = link.group(1) if link else tok
    if "/booking/" in url:
        m = _BOOKING_IN_URL.search(url)
        return m.group(1) if m else None
    return tok if _BOOKING_UID.match(tok) else None


def readable(text: str) -> str:
    """Slack's escaped text as a person would read it: `<@U1|bob>` -> @bob, `&amp;` -> &."""

    def one(m: re.Match[str]) -> str:
        inner = m.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return f"@{label or target[1:]}"
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("mailto:"):
            return label or target.removeprefix("mailto:")
        if target.startswith("!"):
            return f"@{label.lstrip('@') or target[1:]}"
        return label or target

    return html.unescape(_ENTITY.sub(one, text))
