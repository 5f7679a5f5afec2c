"""Errors a service raises for a situation the user can act on.

They carry the facts (a query, a user id, a URL), never words: what the user reads for
each is in bot/blocks/errors.py, the one place error types become messages. This module
imports nothing, so Block Kit builders may name these types.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A problem the user can fix. `detail`, when given, is already user-facing text
    (a time phrase's complaint from bot/when); subclasses carry facts instead."""

    def __init__(self, detail: str = ""):
        self.detail = detail
        super().__init__(detail or type(self).__name__)


class NotLinked(ServiceError):
    """The user never connected Cal.com (or the link was dropped)."""


class LinkPending(ServiceError):
    """The user started `/cal connect` but has not finished OAuth at Maton yet."""

    def __init__(self, url: str):
        self.url = url
        super().__init__()


class NoSuchEventType(ServiceError):
    """Nothing matched; `choices` lets the reply list what exists."""

    def __init__(self, query: str, choices: list):
        self.query = query
        self.choices = choices
        super().__init__()


class AmbiguousEventType(ServiceError):
    """Several matched; the reply offers each as a button."""

    def __init__(self, query: str, candidates: list):
        self.query = query
        self.candidates = candidates
        super().__init__()


class TeammateNotLinked(ServiceError):
    """A mentioned teammate has no Cal.com link; the reply offers to invite them."""

    def __init__(self, user_id: str):
        self.user_id = user_id
        super().__init__()


class SlotTaken(ServiceError):
    """The slot went between showing it and booking it."""


class IntentExpired(ServiceError):
    """A picker button whose intent is gone, too old, or someone else's."""


class NoEmail(ServiceError):
    """The caller's Slack profile has no email, which Cal.com needs for an attendee."""


class GuestHasNoEmail(ServiceError):
    """A guest named by mention has no email in their Slack profile."""

    def __init__(self, user_id: str):
        self.user_id = user_id
        super().__init__()


class CannotPostThere(ServiceError):
    """The bot cannot post in the channel (private and not invited, or not found)."""

    def __init__(self, channel_id: str):
        self.channel_id = channel_id
        super().__init__()


class ChannelArchived(ServiceError):
    def __init__(self, channel_id: str):
        self.channel_id = channel_id
        super().__init__()


class NoPublicUrl(ServiceError):
    """PUBLIC_URL is unset, so Cal.com would have nowhere to send booking events."""


class NoSuchSubscription(ServiceError):
    """Not a subscription of the caller's (gone already, or someone else's)."""


class DuplicateSlug(ServiceError):
    """The user has an event type with that slug already (Cal.com's 400)."""


class NotTheHost(ServiceError):
    """Only the host may confirm or decline a booking request."""

    def __init__(self, host_user_id: str):
        self.host_user_id = host_user_id
        super().__init__()


class RequestGone(ServiceError):
    """The request's notification is gone (turned off) or it was handled already."""


class NotYours(ServiceError):
    """A cancel, reschedule, confirm or decline of a booking the caller does not host."""

    def __init__(self, *, linked: bool):
        self.linked = linked
        super().__init__()


class NotYourView(ServiceError):
    """A modal payload from someone other than who opened the modal."""


class PeopleMissing(ServiceError):
    """`/cal find` can't include everyone asked: not linked, their Cal.com connection
    failed, or no event type of that length. `intent_id` is the search as asked."""

    def __init__(
        self,
        intent_id: str,
        *,
        unlinked: tuple[str, ...] = (),
        failed: tuple[str, ...] = (),
        no_type: tuple[str, ...] = (),
        minutes: int = 0,
    ):
        super().__init__("")
        self.intent_id = intent_id
        self.unlinked = unlinked
        self.failed = failed
        self.no_type = no_type
        self.minutes = minutes

    @property
    def everyone(self) -> tuple[str, ...]:
        return (*self.unlinked, *self.failed, *self.no_type)


class TooManyPeople(ServiceError):
    def __init__(self, limit: int):
        super().__init__("")
        self.limit = limit


class NotAParticipant(ServiceError):
    """Declining a booking you are not invited to (by email, as Cal.com knows you)."""
