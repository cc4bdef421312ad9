"""Races this process saw settled a moment ago, so a stampede on a settled race costs one read, not a batch.

When a window opens, a thousand drivers book fifty seats; when a load appears, thirty drivers tap it.
Nearly every request arrives after the answer is known (the window is full, the load is gone), yet each
would read the driver, truck, load or window and the Idempotency-Key record in one consistent batch
(4 to 7 keys, 4 to 7 read units) only to refuse. A race's owner notes here what a consistent read or
a failed condition just showed, and refuses the next request for the same thing from that note: the
request then costs only its key's record (`common.idempotency`, so a replay still gets its first reply).

The bound, in the refusing direction only: a note lives `REFUSAL_MEMORY_MS` (1 s). The process that
frees a seat or returns a load forgets the note at once; another process (another Lambda container)
may refuse for at most that long after, as if its read had been that much earlier. Nothing is ever
accepted from a note: every success is decided by its transaction's condition, as before.
"""

import time

from backend.common.bounded_lru import BoundedLRU
from backend.config import setting

MAX_NOTES = 4096  # a few hours of windows and hall loads; the oldest go first


class RecentRefusals:
    """Keys whose race was just settled against newcomers, each for `REFUSAL_MEMORY_MS` of monotonic time."""

    def __init__(self, name="", max_notes=MAX_NOTES):
        self.name = name
        self._until = BoundedLRU(max_notes)  # key -> monotonic deadline (seconds)

    def note(self, key):
        memory_ms = setting("REFUSAL_MEMORY_MS")
        if memory_ms > 0:
            self._until.put(key, time.monotonic() + memory_ms / 1000)

    def known(self, key):
        """True while the note is fresh (an expired note is dropped)."""
        deadline = self._until.get(key)
        if deadline is None:
            return False
        if time.monotonic() < deadline:
            return True
        self._until.pop(key)
        return False

    def forget(self, key):
        self._until.pop(key)

    def clear(self):
        self._until.clear()


_ALL = []


def registry(name):
    """One process-wide set of notes per race (`full windows`, `loads out of the hall`)."""
    notes = RecentRefusals(name)
    _ALL.append(notes)
    return notes


def forget_all():
    """Tests that change a window or load behind the services' backs start from no notes."""
    for notes in _ALL:
        notes.clear()
