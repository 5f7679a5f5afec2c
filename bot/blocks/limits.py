"""Slack's Block Kit limits, and the sizes calbot derives from them: the one place they are
written (README, "How it is built"). Builders truncate to these instead of failing; the
services page free times by them. Constants only: anything may import this module.
"""

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
FIELD_TEXT = 2000
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
MODAL_TIMES = SELECT_OPTIONS  # times the booking modal's select offers
