"""The interim lines shown while an answer takes more than about a second, and "busy".

Pure: the words for a request (a slash command's first word, a button's action id).
`bot.slack.context` shows the line and replaces it in place with the answer.
"""

from __future__ import annotations

from typing import Any

from bot.ids import Action

BUSY = (
    ":hourglass: calbot is very busy right now, so it didn't start that. "
    "Please try again in a few seconds."
)
BUSY_INLINE = BUSY.removeprefix(":hourglass: ")  # a modal's inline error shows no emoji
WORKING = "Working on it…"
LOOKING_UP_TIMES = "Looking up free times…"
BOOKING = "Booking…"
LOOKING_UP_BOOKINGS = "Looking up your bookings…"
CANCELLING = "Cancelling…"

_BY_COMMAND = {
    "book": LOOKING_UP_TIMES,
    "slots": LOOKING_UP_TIMES,
    "find": LOOKING_UP_TIMES,
    "bookings": LOOKING_UP_BOOKINGS,
    "agenda": LOOKING_UP_BOOKINGS,
    "cancel": CANCELLING,
}
_BY_ACTION = {
    Action.PICK_SLOT: BOOKING,
    Action.BOOK_EXACT: BOOKING,
    Action.SLOTS_PAGE: LOOKING_UP_TIMES,
    Action.CHOOSE_TYPE: LOOKING_UP_TIMES,
    Action.BOOK_TYPE: LOOKING_UP_TIMES,
    Action.CANCEL_BOOKING: CANCELLING,
    Action.BOOKINGS_PAGE: LOOKING_UP_BOOKINGS,
}


def interim_text(body: dict[str, Any]) -> str:
    """What to show while `body`'s answer is on its way."""
    if body.get("command"):
        words = (body.get("text") or "").split()
        return _BY_COMMAND.get(words[0].lower() if words else "", WORKING)
    action_id = str(((body.get("actions") or [{}])[0]).get("action_id") or "")
    return _BY_ACTION.get(action_id.split(":", 1)[0], WORKING)  # type: ignore[call-overload]


def interim_message(text: str) -> dict[str, Any]:
    return {"text": f":hourglass_flowing_sand: {text}"}
