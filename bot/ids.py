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


class Block(StrEnum):
    HELP_EXAMPLES = "help_examples"
    CONNECT_ACTIONS = "connect_actions"
    DISCONNECT_ACTIONS = "disconnect_actions"
    ERROR_ACTIONS = "error_actions"
