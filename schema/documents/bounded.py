"""A least-recently-used cache bounded by the bytes its entries hold, not by their count.

A bound on entries alone lets one stream of large entries (a megabyte of query text each) grow a
process by hundreds of megabytes and keep it there; a bound in bytes holds whatever mix arrives.
An entry's size is what the caller says it holds (``size`` at ``put``) plus a fixed allowance for
the cache's own bookkeeping; an entry above an eighth of the budget is not kept at all, so that
one huge entry cannot flush everything else. Safe to share between the event loop and worker
threads (one lock; every operation is a dictionary step, never I/O).
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

from cachetools import LRUCache

K = TypeVar("K")
V = TypeVar("V")

# The cache's own bytes per entry: the key's and value's containers and the LRU's links.
ENTRY_OVERHEAD = 256
# The largest entry kept is this fraction of the budget.
LARGEST_SHARE = 8


def _held(entry: tuple[object, int]) -> int:
    return entry[1]


class BoundedCache(Generic[K, V]):
    """At most ``max_bytes`` of entries, the least recently used evicted first."""

    def __init__(self, max_bytes: int) -> None:
        if max_bytes < 1:
            raise ValueError("a cache needs at least one byte")
        self.max_bytes = max_bytes
        self._store: LRUCache[K, tuple[V, int]] = LRUCache(max_bytes, getsizeof=_held)
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._store.get(key)
        return None if found is None else found[0]

    def put(self, key: K, value: V, size: int) -> bool:
        """Keep ``value`` under ``key``; ``size`` is the bytes it holds (the key's included).
        Returns whether it was kept (False when it is over an eighth of the budget)."""
        held = size + ENTRY_OVERHEAD
        if held > self.max_bytes // LARGEST_SHARE:
            return False
        with self._lock:
            self._store[key] = (value, held)
        return True

    @property
    def held(self) -> int:
        """The bytes the entries hold now, as counted at ``put``."""
        with self._lock:
            return int(self._store.currsize)

    def __len__(self) -> int:
        with self._lock:
            return len(self._store)
