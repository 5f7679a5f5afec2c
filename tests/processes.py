"""`calbot serve` as a real subprocess, for tests that drive the process itself."""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

CALBOT = Path(sys.executable).parent / "calbot"


class Process:
    """`calbot serve` in a subprocess; its log lines read on a thread into a queue."""

    def __init__(self, env: dict[str, str]):
        self.proc = subprocess.Popen(
            [str(CALBOT), "serve", "--port", "0"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line)

    def wait_for_line(self, pattern: str, timeout: float = 15) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(remaining, 0.01))
            except queue.Empty:
                raise AssertionError(
                    f"no log line like {pattern!r}; got:\n{''.join(self.seen)}"
                ) from None
            self.seen.append(line)
            if found := re.search(pattern, line):
                return found
