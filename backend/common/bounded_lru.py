"""A thread-safe map of at most `size` entries, the least recently used dropped first.

The per-process memories of the hot path (verified tokens, their headers, settled races) are each one of
these: bounded, so a container's memory never grows with the traffic it has seen.
"""

import threading
from collections import OrderedDict


class BoundedLRU:
    def __init__(self, size):
        self._items, self._size, self._lock = OrderedDict(), size, threading.Lock()

    def get(self, key):
        """The value (now the most recently used), or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value):
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def pop(self, key):
        with self._lock:
            self._items.pop(key, None)

    def clear(self):
        with self._lock:
            self._items.clear()
