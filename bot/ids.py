"""Action, block and callback ids as string enums: every listener and builder names them here.

A button built in `bot/blocks/` and the listener in `bot/slack/` that handles it
share one constant, so renaming one cannot silently orphan the other.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    CONNECT_OPEN = "connect_open"  # the OAuth link button (a URL button; acked and ignored)
    CONNECT_DONE = "connect_done"  # "I've connected": check the Maton connection
    CONNECT_START = "connect_start"  # start linking; value "fresh" replaces an old connection
    DISCONNECT_CONFIRM = "disconnect_confirm"
    DISCONNECT_CANCEL = "disconnect_cancel"
    HELP_COMMAND = "help_command"
    # booking from a command (bot/slack/booking.py)
    PICK_SLOT = "pick_slot"  # prefix: one action id a slot button, "pick_slot:<epoch>"
    BOOK_EXACT = "book_exact"  # the one-click "Book Thu 26 Nov, 3:00 PM" button
    SLOTS_PAGE = "slots_page"  # Earlier / Later / "Show Fri 27 Nov"; value "<intent>:<day>"
    CHOOSE_TYPE = "choose_type"  # prefix: an ambiguous type's candidates
    BOOK_TYPE = "book_type"  # "Book" on `/cal types`
    INVITE_TEAMMATE = "invite_teammate"  # DM an unlinked teammate an invitation
    # managing bookings (bot/slack/bookings.py)
    CANCEL_BOOKING = "cancel_booking"  # value: booking uid
    RESCHEDULE_BOOKING = "reschedule_booking"  # value: booking uid
    BOOKINGS_PAGE = "bookings_page"  # value "<status>:<skip>"
    JOIN_MEETING = "join_meeting"  # a URL button
    # booking notifications (bot/slack/notify.py)
    NOTIFY_CONFIRM = "notify_confirm"  # value: the outbox row id of the request
    NOTIFY_DECLINE = "notify_decline"  # value: the outbox row id; opens the reason modal
    NOTIFY_OFF = "notify_off"  # on `/cal notify list`; value: the subscription id


class View(StrEnum):
    """Modal callback ids."""

    GUEST = "guest_details"  # who to invite, when you are the host and named nobody
    CANCEL_REASON = "cancel_reason"
    DECLINE_REASON = "decline_reason"  # private_metadata: {"ref": outbox row id}


class Block(StrEnum):
    HELP_EXAMPLES = "help_examples"
    CONNECT_ACTIONS = "connect_actions"
    DISCONNECT_ACTIONS = "disconnect_actions"
    ERROR_ACTIONS = "error_actions"
    GUEST_NAME = "guest_name"
    GUEST_EMAIL = "guest_email"
    CANCEL_REASON = "cancel_reason"
    SLOTS_NAV = "slots_nav"
    BOOKINGS_NAV = "bookings_nav"
    # booking notifications
    NOTIFY_ACTIONS = "notify_actions"
    DECLINE_REASON = "decline_reason"
