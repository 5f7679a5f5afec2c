"""Action, block and callback ids as string enums: every listener and builder names them here.

A button built in `bot/blocks/` and the listener in `bot/slack/` that handles it
share one constant, so renaming one cannot silently orphan the other.
"""

from __future__ import annotations

from enum import StrEnum

FRESH = "fresh"  # the value of CONNECT_START and HOME_CONNECT that replaces an old connection


class Action(StrEnum):
    CONNECT_OPEN = "connect_open"  # the OAuth link button (a URL button; acked and ignored)
    CONNECT_DONE = "connect_done"  # "I've connected": check the Maton connection
    CONNECT_START = "connect_start"  # start linking; value FRESH replaces an old connection
    DISCONNECT_CONFIRM = "disconnect_confirm"
    DISCONNECT_CANCEL = "disconnect_cancel"
    HELP_COMMAND = "help_command"
    # booking from a command (bot/slack/booking.py)
    PICK_SLOT = "pick_slot"  # prefix: one action id a slot button, "pick_slot:<epoch>"
    BOOK_EXACT = "book_exact"  # the one-click "Book Thu 26 Nov, 3:00 PM" button
    SLOTS_PAGE = "slots_page"  # Earlier / Later / "Show Fri 27 Nov"; value "<intent>:<cursor>"
    CHOOSE_TYPE = "choose_type"  # prefix: an ambiguous type's candidates
    BOOK_TYPE = "book_type"  # "Book" on `/cal types`
    INVITE_TEAMMATE = "invite_teammate"  # DM an unlinked teammate an invitation
    # `/cal find` (bot/slack/find.py)
    FIND_WITHOUT = "find_without"  # value "<intent>:<U1,U2>": the same search without them
    FIND_DECLINE = "find_decline"  # in a participant's DM; value "<organiser>:<booking uid>"
    # managing bookings (bot/slack/bookings.py)
    CANCEL_BOOKING = "cancel_booking"  # value: booking uid
    RESCHEDULE_BOOKING = "reschedule_booking"  # value: booking uid
    BOOKINGS_PAGE = "bookings_page"  # value "<status>:<skip>"
    JOIN_MEETING = "join_meeting"  # a URL button
    # the booking modal (bot/slack/modals.py)
    OPEN_BOOKING = "open_booking"  # value: "" or an event type id to preselect
    BOOKING_HOST = "booking_host"  # users_select, dispatches: reload types and times
    BOOKING_TYPE = "booking_type"  # static_select, dispatches: reload times
    BOOKING_DATE = "booking_date"  # datepicker, dispatches: reload times
    BOOKING_TIME = "booking_time"  # static_select, dispatches: hold the chosen slot
    BOOKING_WITH = "booking_with"  # multi_users_select, dispatches: common times
    INPUT = "value"  # the element of a plain input block (its block id says which)
    # App Home and settings modals (bot/slack/home.py, bot/slack/manage.py)
    NEW_EVENT_TYPE = "new_event_type"
    EDIT_EVENT_TYPE = "edit_event_type"  # value: event type id
    DELETE_EVENT_TYPE = "delete_event_type"  # in the edit modal, behind a confirm
    COPY_LINK = "copy_link"  # value: event type id; shows the booking link
    EDIT_SCHEDULE = "edit_schedule"
    EDIT_PROFILE = "edit_profile"
    SCHEDULE_DAY = "schedule_day"  # prefix: "schedule_day.on|start|end" in a weekday row
    OPEN_LINK = "open_link"  # a URL button (acked and ignored)
    HOME_CONNECT = "home_connect"  # App Home of someone not linked: start linking (or FRESH)
    HOME_REFRESH = "home_refresh"  # "Done" after connecting: check, then show the dashboard
    HOME_NOTIFY_OFF = "home_notify_off"  # value: subscription id
    HOME_AGENDA = "home_agenda"  # the daily agenda toggle; value "on" or "off"
    # link unfurls (bot/slack/unfurl.py)
    UNFURL_SLOT = (
        "unfurl_slot"  # prefix: "unfurl_slot:<n>"; value "<team>:<user>:<type id>:<epoch>"
    )
    UNFURL_MORE = "unfurl_more"  # value "<team>:<user>:<type id>": the picker for that type
    # booking notifications (bot/slack/notify.py)
    NOTIFY_CONFIRM = "notify_confirm"  # value: the outbox row id of the request
    NOTIFY_DECLINE = "notify_decline"  # value: the outbox row id; opens the reason modal
    NOTIFY_OFF = "notify_off"  # on `/cal notify list`; value: the subscription id


class View(StrEnum):
    """Modal callback ids."""

    GUEST = "guest_details"  # who to invite, when you are the host and named nobody
    CANCEL_REASON = "cancel_reason"
    BOOKING = "booking_modal"
    EVENT_TYPE = "event_type_modal"  # private_metadata: the event type id, "" for a new one
    SCHEDULE = "schedule_modal"
    PROFILE = "profile_modal"
    NOTICE = "notice_modal"  # loading, booked, a booking link: nothing to submit
    DECLINE_REASON = "decline_reason"  # private_metadata: {"ref": outbox row id}


class Shortcut(StrEnum):
    """Callback ids of the shortcuts declared in the app's manifest."""

    BOOK_MEETING = "book_meeting"  # global: "Book a meeting"
    SCHEDULE_WITH_AUTHOR = "schedule_with_author"  # message: "Schedule with this user"


class Block(StrEnum):
    HELP_EXAMPLES = "help_examples"
    CONNECT_ACTIONS = "connect_actions"
    DISCONNECT_ACTIONS = "disconnect_actions"
    ERROR_ACTIONS = "error_actions"
    FIND_WITHOUT = "find_without"  # "Find a time without ..." under a /cal find reply
    GUEST_NAME = "guest_name"
    GUEST_EMAIL = "guest_email"
    CANCEL_REASON = "cancel_reason"
    SLOTS_NAV = "slots_nav"
    BOOKINGS_NAV = "bookings_nav"
    BOOKING_ROW = "booking"  # prefix: "booking:<uid>", a booking's buttons
    LISTED_ROW = "listed"  # prefix: "listed:<status>:<skip>:<uid>", a row of /cal bookings
    # the booking modal; TYPE and TIME get a ".<rev>" suffix so new options reset the choice
    BOOKING_HOST = "booking_host"
    BOOKING_TYPE = "booking_type"
    BOOKING_DATE = "booking_date"
    BOOKING_TIME = "booking_time"
    BOOKING_WITH = "booking_with"
    BOOKING_NAME = "booking_name"
    BOOKING_EMAIL = "booking_email"
    BOOKING_NOTES = "booking_notes"
    # settings modals
    TYPE_TITLE = "type_title"
    TYPE_SLUG = "type_slug"
    TYPE_LENGTH = "type_length"
    TYPE_DESCRIPTION = "type_description"
    TYPE_HIDDEN = "type_hidden"
    TYPE_DELETE = "type_delete"
    SCHEDULE_DAY = "schedule_day"  # prefix: "schedule_day.Monday", one row a weekday
    SCHEDULE_ZONE = "schedule_zone"
    PROFILE_NAME = "profile_name"
    PROFILE_BIO = "profile_bio"
    PROFILE_ZONE = "profile_zone"
    # App Home
    HOME_ACTIONS = "home_actions"
    HOME_TYPES = "home_types"
    HOME_AGENDA = "home_agenda"
    # booking notifications
    NOTIFY_ACTIONS = "notify_actions"
    DECLINE_REASON = "decline_reason"
