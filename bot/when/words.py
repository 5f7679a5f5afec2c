"""The error for a phrase only partly understood: it names the words that were not."""

from __future__ import annotations

import re

from bot.when.dates import MONTHS, ORDINALS
from bot.when.days import TOMORROW, WEEKDAYS
from bot.when.values import EXAMPLES, WhenError, nonsense

_KNOWN = (
    frozenset(MONTHS)
    | frozenset(WEEKDAYS)
    | TOMORROW
    | frozenset(w for key in ORDINALS for w in key.split())
    | frozenset(
        """
        today tonight yesterday next this last coming week weeks weekend month months year
        day days in on at the of from to until till and between by before after a an now
        later morning afternoon evening night noon midday midnight am pm one two three four
        five six seven eight nine ten
        """.split()  # noqa: SIM905 - a word list reads better as words
    )
)


def not_understood(text: str, rest: str) -> WhenError:
    """Name the words of `rest` no reader knows ("dec 5 foo" -> "foo"), with examples."""
    unknown = [w for w in rest.split() if w not in _KNOWN and not re.search(r"\d", w)]
    if unknown:
        return nonsense(text, " ".join(unknown))
    if rest.strip() and rest.strip() != text.strip().lower():
        return WhenError(
            f"I couldn't read “{rest.strip()}” in “{text.strip()}” as a day. Try {EXAMPLES}."
        )
    return nonsense(text)
