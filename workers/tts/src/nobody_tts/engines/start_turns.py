"""Syntheses take turns to start, in one process.

Syntheses started together share the cores and all reach their first audio when the last does:
eight sessions answered at once each waited for all eight. Started one at a time (the pool has a
process per core), each gets its first audio in turn. A turn lasts only until the synthesis has
its first audio, so a long text does not hold up the next start. The first piece of an utterance
goes before later ones: a later sentence has the earlier ones' playing time to spare, while a
listener waiting for a first word has nothing."""

from __future__ import annotations

import threading
import time

# A start waits at most this long: one that hangs must not hold up the rest.
WAIT_S = 1.0


class StartTurns:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._busy = False
        self._urgent_waiting = 0
        self._waiting = 0

    def acquire(self, urgent: bool, cancelled: threading.Event, wait_s: float | None = None) -> bool:
        """True: this synthesis holds the turn (release it). False: cancelled, or waited too long."""
        deadline = time.monotonic() + (WAIT_S if wait_s is None else wait_s)
        with self._cond:
            self._urgent_waiting += urgent
            self._waiting += 1
            try:
                while not cancelled.is_set():
                    if not self._busy and (urgent or not self._urgent_waiting):
                        self._busy = True
                        return True
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    # Short waits: a cancellation is seen without anyone notifying.
                    self._cond.wait(min(left, 0.05))
                return False
            finally:
                self._urgent_waiting -= urgent
                self._waiting -= 1

    def release(self) -> None:
        with self._cond:
            self._busy = False
            self._cond.notify_all()

    @property
    def busy(self) -> bool:
        with self._cond:
            return self._busy

    @property
    def waiting(self) -> tuple[int, int]:
        """(all, urgent) syntheses waiting for their turn."""
        with self._cond:
            return self._waiting, self._urgent_waiting
