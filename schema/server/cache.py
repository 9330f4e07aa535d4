"""A short-lived response cache for read-only operations, off unless configured.

A cached answer is the exact bytes an earlier identical request got from the same caller: the key
is the caller's whole identity (subject, organisation, roles, staff group) and the request body,
so no answer crosses callers. An entry lives ``seconds`` at most, so a cached answer is at most
that stale; a client that needs its own write passes ``consistentWith``, which is part of the
body and so of the key, and an entry made under it was made at or after that position. Only
answers without errors are stored, only for queries (never mutations), and only for bodies up to
``MAX_BODY`` bytes. The cache is per process and bounded in bytes (``max_bytes``: the request
bodies and answers it holds), least recently used out first.

Identical requests that miss at the same time are computed once: the first leads, the others
wait for it and take its answer (or, if it was not cacheable, the next of them leads).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Hashable

import anyio

from schema.documents.bounded import BoundedCache

MAX_BODY = 16_384


class ResponseCache:
    def __init__(self, seconds: float, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.seconds = seconds
        self._store: BoundedCache[Hashable, tuple[float, bytes]] = BoundedCache(max_bytes)
        self._leading: dict[Hashable, anyio.Event] = {}

    @property
    def enabled(self) -> bool:
        return self.seconds > 0

    def key(self, identity: Hashable, body: bytes) -> Hashable | None:
        """The key of a request, or None where it must not be cached."""
        if not self.enabled or identity is None or len(body) > MAX_BODY:
            return None
        return (identity, body)

    def get(self, key: Hashable | None) -> bytes | None:
        if key is None:
            return None
        found = self._store.get(key)
        if found is None:
            return None
        expires, body = found
        if expires <= time.monotonic():
            return None
        return body

    async def lookup(self, key: Hashable | None) -> bytes | None:
        """The cached answer, waiting for an identical request already being computed; None
        means the caller leads: it computes, ``put``s if it may, and must call ``done``."""
        if key is None:
            return None
        while True:
            found = self.get(key)
            if found is not None:
                return found
            leader = self._leading.get(key)
            if leader is None:
                self._leading[key] = anyio.Event()
                return None
            await leader.wait()

    def done(self, key: Hashable | None) -> None:
        leader = self._leading.pop(key, None) if key is not None else None
        if leader is not None:
            leader.set()

    def put(self, key: Hashable | None, body: bytes) -> None:
        if key is None:
            return
        # the key holds the caller's identity and the request body
        held = sys.getsizeof(body) + sum(map(sys.getsizeof, key)) if isinstance(key, tuple) \
            else sys.getsizeof(body)
        self._store.put(key, (time.monotonic() + self.seconds, body), held)
