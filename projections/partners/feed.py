"""The one follower of the log per process, fanning each event out to the subscribers that see it.

- It follows the innovations read model's position through the projection ``Watcher`` the
  process already has (its NOTIFY wake-ups, and its periodic re-read of positions that covers a
  lost NOTIFY), and reads the log by position up to it on one dedicated connection. So every
  process delivers every event, whichever process wrote it, and by the time a subscriber hears
  of an event the read models it may query already hold it. No LISTEN of its own: a lost
  wake-up can delay it by the watcher's check interval, never lose an event.
- It folds each event into its ``Audience`` (who sees what at that position: the one rule,
  ``lifecycle/visibility.py``) and offers the resulting ``Happening`` only to the subscribers
  of the organisations that see it there.
- Subscribers that asked the same (the same ``group`` key: the schema gives one per document,
  variables and caller's scope) form one group: the feed decides once per group whether it
  wants an event, and offers the group's members one ``Shared`` object for it, in which they
  keep what they derive from it once for all of them (``schema/partners/sharing.py``: the
  execution of their document). A member never receives what its group's viewer does not see.
- Each subscriber has a bounded queue (``queue_size``). One that falls behind (its queue full)
  is not offered more: its stream ends with ``FellBehind``, naming the position of the last
  event it was given, to resume from with ``after``. Memory stays bounded however slow a client
  is, and no slow client delays the others (its group's other members included).
- ``follow`` with ``after`` first replays the log from that position (visibility folded from
  the log up to it), then continues with the live queue from the position where it registered:
  no gap and no duplicate across the seam.

``run`` is one attempt and raises when its connection is lost; it runs under
``lifecycle.service.supervisor.supervise``, and resumes from its position.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import asyncpg

from lifecycle.service.supervisor import Supervised
from lifecycle.store.sessions import close, connect
from projections.engine import tracking
from projections.engine.log import Log
from projections.engine.watcher import Watcher
from projections.partners.audience import Audience, Happening

log = logging.getLogger(__name__)

SESSION = "lifecycle partners feed"  # its application_name in pg_stat_activity
FOLLOWS = "innovations"  # the read model whose position the feed keeps behind

Interest = Callable[[Happening], bool]


class FellBehind(Exception):
    """The subscriber's queue filled: it was given every event up to ``resume_after``."""

    def __init__(self, resume_after: int) -> None:
        super().__init__(f"fell behind after position {resume_after}")
        self.resume_after = resume_after


@dataclass(eq=False)
class Shared:
    """One event as offered to one group of subscribers (or replayed to one of them).
    ``outcome`` and ``frame`` are the group's to fill: what its members derive from the event
    (its execution, the message sent for it), once for all of them. It lives as long as some
    member's queue holds it."""

    happening: Happening
    outcome: Any = None
    frame: Any = None


@dataclass(eq=False)
class Subscriber:
    group: Group
    start: int  # the feed's position when it registered: its queue holds what comes after
    queue: asyncio.Queue[Shared]
    behind: bool = False
    wake: asyncio.Event = field(default_factory=asyncio.Event)

    def offer(self, shared: Shared) -> None:
        if self.behind:
            return
        try:
            self.queue.put_nowait(shared)
        except asyncio.QueueFull:
            self.behind = True
        self.wake.set()

    async def next(self) -> Shared | None:
        """The next event, or None once this subscriber fell behind."""
        while True:
            if self.behind:
                return None
            if not self.queue.empty():
                return self.queue.get_nowait()
            self.wake.clear()
            await self.wake.wait()


@dataclass(eq=False)
class Group:
    """The subscribers of one organisation (``viewer``) that asked the same (``key``)."""

    viewer: UUID
    key: Hashable
    wants: Interest
    members: set[Subscriber] = field(default_factory=set)


class Feed:
    def __init__(self, dsn: str, watcher: Watcher, *, queue_size: int = 256,
                 batch_size: int = 500, check_interval: float = 1.0) -> None:
        self.dsn = dsn
        self.watcher = watcher
        self.queue_size = queue_size
        self.batch_size = batch_size
        self.check_interval = check_interval
        self.log = Log()
        self.audience: Audience | None = None
        self.health = Supervised("partners feed")
        self.ready = asyncio.Event()
        self._groups: dict[UUID, dict[Hashable, Group]] = defaultdict(dict)

    @property
    def position(self) -> int:
        return self.audience.position if self.audience is not None else 0

    @property
    def subscribers(self) -> int:
        return sum(len(group.members) for groups in self._groups.values()
                   for group in groups.values())

    async def run(self) -> None:
        """Follow the log until cancelled; raises when the connection is lost."""
        conn = await connect(self.dsn, SESSION)
        try:
            if self.audience is None:
                start = await tracking.position(conn, FOLLOWS)
                self.audience = await Audience.at(conn, self.log, start)
                self.ready.set()
                log.info("partners feed following the log from position %d", start)
            while True:
                reached = self.watcher.positions.get(FOLLOWS, 0)
                if reached <= self.position:
                    await self.watcher.wait(FOLLOWS, self.position + 1,
                                            within=self.check_interval)
                    if conn.is_closed():
                        raise ConnectionError("the partners feed's connection was lost")
                    continue
                await self._catch_up(conn, reached)
        finally:
            await close(conn)

    async def _catch_up(self, conn: asyncpg.Connection, until: int) -> None:
        assert self.audience is not None
        while self.position < until:
            rows = [row for row in await self.log.rows_after(conn, self.position,
                                                             self.batch_size)
                    if row[0] <= until]
            if not rows:
                self.audience.position = until
                return
            for recorded in self.log.decode_each(rows):
                happening = self.audience.fold(recorded)
                if happening is not None:
                    self._fan_out(happening)
            self.audience.position = rows[-1][0]

    def _fan_out(self, happening: Happening) -> None:
        for viewer in happening.seen_by:
            for group in tuple(self._groups.get(viewer, {}).values()):
                if group.wants(happening):
                    shared = Shared(happening)
                    for subscriber in tuple(group.members):
                        subscriber.offer(shared)

    def _register(self, viewer: UUID, wants: Interest, key: Hashable) -> Subscriber:
        # No await between reading the position and joining the fan-out: the subscriber's
        # queue then holds exactly the events after ``start``.
        groups = self._groups[viewer]
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(viewer, key, wants)
        subscriber = Subscriber(group, self.position, asyncio.Queue(self.queue_size))
        group.members.add(subscriber)
        return subscriber

    def _unregister(self, subscriber: Subscriber) -> None:
        group = subscriber.group
        group.members.discard(subscriber)
        groups = self._groups.get(group.viewer)
        if not group.members and groups is not None and groups.get(group.key) is group:
            del groups[group.key]
            if not groups:
                del self._groups[group.viewer]

    async def follow(self, pool: asyncpg.Pool, viewer: UUID, wants: Interest,
                     after: int | None = None, group: Hashable | None = None
                     ) -> AsyncIterator[Shared]:
        """The events organisation ``viewer`` sees and ``wants``: those after ``after`` (from
        the log, then live) or, without it, those from now on. Followers of one ``viewer``
        with an equal ``group`` key (hashable; it must decide ``wants``) are given the same
        ``Shared`` object for each live event; without a key, a follower is a group alone.
        Raises ``FellBehind``."""
        await self.ready.wait()
        subscriber = self._register(viewer, wants, object() if group is None else group)
        last = subscriber.start if after is None else after
        try:
            if last < subscriber.start:
                async for happening in self._replay(pool, viewer, wants, last,
                                                    subscriber.start):
                    if subscriber.behind:
                        raise FellBehind(last)
                    yield Shared(happening)
                    last = happening.position
                last = subscriber.start
            while True:
                live = await subscriber.next()
                if live is None:
                    raise FellBehind(last)
                if live.happening.position <= last:
                    continue
                yield live
                last = live.happening.position
        finally:
            self._unregister(subscriber)

    async def _replay(self, pool: asyncpg.Pool, viewer: UUID, wants: Interest, after: int,
                      until: int) -> AsyncIterator[Happening]:
        """The events in (``after``, ``until``] that ``viewer`` saw and ``wants``, each seen
        as it was at its position. A pooled connection is held per batch, never while the
        client is being sent to."""
        async with pool.acquire() as conn:
            audience = await Audience.at(conn, self.log, after)
        position = after
        while position < until:
            async with pool.acquire() as conn:
                rows = [row for row in await self.log.rows_after(conn, position,
                                                                 self.batch_size)
                        if row[0] <= until]
            if not rows:
                return
            batch = []
            for recorded in self.log.decode_each(rows):
                seen = audience.fold(recorded)
                if seen is not None and viewer in seen.seen_by and wants(seen):
                    batch.append(seen)
            position = rows[-1][0]
            for happening in batch:
                yield happening
