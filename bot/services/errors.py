"""Errors a service raises for a situation the user can act on; each carries its own message."""

from __future__ import annotations


class ServiceError(Exception):
    """A problem the user can fix; `user_message` is shown to them as it is."""

    user_message: str = "That didn't work."
    offer_connect: bool = False  # the reply carries a "Connect Cal.com" button

    def __init__(self, user_message: str | None = None):
        if user_message:
            self.user_message = user_message
        super().__init__(self.user_message)


class NotLinked(ServiceError):
    user_message = (
        "You haven't connected your Cal.com account yet. "
        "Run `/cal connect` (it takes a minute, once)."
    )
    offer_connect = True


class LinkPending(ServiceError):
    """The user started `/cal connect` but has not finished OAuth at Maton yet."""

    def __init__(self, url: str):
        self.url = url
        super().__init__(
            "You haven't finished connecting Cal.com yet: open the link from `/cal connect`, "
            "approve access, then try again."
        )


class NoSuchEventType(ServiceError):
    """Nothing matched; `choices` lets the reply list what exists."""

    def __init__(self, query: str, choices: list):
        self.query = query
        self.choices = choices
        names = ", ".join(f"`{t.slug}`" for t in choices[:10]) or "none yet"
        super().__init__(f"No event type matches “{query}”. There are: {names}.")


class AmbiguousEventType(ServiceError):
    """Several matched; the reply offers each as a button."""

    def __init__(self, query: str, candidates: list):
        self.query = query
        self.candidates = candidates
        super().__init__(f"“{query}” matches {len(candidates)} event types: which one?")


class TeammateNotLinked(ServiceError):
    """A mentioned teammate has no Cal.com link; the reply offers to invite them."""

    def __init__(self, user_id: str):
        self.user_id = user_id
        super().__init__(f"<@{user_id}> hasn't connected Cal.com yet.")


class SlotTaken(ServiceError):
    user_message = "That time was just taken. Here are the times still free that day."


class IntentExpired(ServiceError):
    user_message = "Those buttons have expired (or belong to someone else). Run the command again."


class NoEmail(ServiceError):
    user_message = "Your Slack profile has no email address, which Cal.com needs for a booking."
