"""What `calbot serve` does first, run in child processes by tests/test_operations.py.

Kept apart from the test module so a spawned child imports only the store, not the
emulators and the web app (start-up time is most of that test's cost).
"""

from __future__ import annotations

from typing import Any

from bot.store import Store


def open_and_migrate(paths: list[str], barrier: Any) -> None:
    """Open and migrate each new file at the same moment as the other processes."""
    for path in paths:
        barrier.wait(timeout=30)
        try:
            store = Store(path)
            store.migrate()
            store.close()
        except BaseException:
            barrier.abort()  # the others stop waiting for this process at once
            raise
