"""Slack's Block Kit limits, the sizes calbot derives from them, and calbot's own limits
that both a parser and a builder enforce: the one place they are written (README, "How it
is built"). Builders truncate to these instead of failing; the services page free times by
them. Constants only: anything may import this module.
"""

MESSAGE_BLOCKS = 50
MESSAGE_TEXT = 40_000  # chat.postMessage truncates a message's text beyond this
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
FIELD_TEXT = 2000
SECTION_FIELDS = 10
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
OPTION_TEXT = 75
OPTION_VALUE = 150
SELECT_OPTIONS = 100
ACTIONS_ELEMENTS = 25
CONTEXT_ELEMENTS = 10
MODAL_TITLE = 24
PRIVATE_METADATA = 3000
HEADER_TEXT = 150

# derived
PICKER_SLOTS = ACTIONS_ELEMENTS  # time buttons one picker message shows at most
PICKER_DAYS = 20  # days one picker message shows: two blocks each, within MESSAGE_BLOCKS

# calbot's own (README, "Finding a time with teammates"): people besides you in one meeting,
# named to `/cal find` (bot/grammar/find.py, bot/services/find.py) or chosen in the booking
# modal's "With" (bot/blocks/booking_modal.py)
MAX_PEOPLE = 8

# The largest payload Slack can send calbot, in characters. Slack documents no size for a
# request, only for what it carries; the largest is a message shortcut's `message` (anyone's
# message, not only calbot's): its text, and sections each holding their text and ten fields.
# Views and block actions carry calbot's own blocks, built within these limits: its largest,
# a booking modal's submission with every input filled, is tens of kilobytes.
LARGEST_PAYLOAD = MESSAGE_TEXT + MESSAGE_BLOCKS * (SECTION_TEXT + SECTION_FIELDS * FIELD_TEXT)
# `POST /slack/events` refuses a longer body with 413 before verifying it (bot/web.py). Form-
# encoded JSON spends up to 3 bytes a character (`"` is `%22`): 3.57 MB, rounded up to 4 MiB,
# the default bolt-js also chose for its receivers.
REQUEST_BODY = 4 * 1024 * 1024
