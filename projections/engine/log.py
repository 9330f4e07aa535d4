"""Reading the global log: batches of decoded events after a position.

Positions increase but have gaps (the sequence skips on a failed insert), so nothing here assumes
consecutive numbers: a batch is "the next N events after this position", and the position after
it is the last one read.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent

from lifecycle.application import register_transcodings

SELECT_AFTER = (
    "SELECT notification_id, originator_id, originator_version, topic, state, recorded_at "
    "FROM lifecycle_events WHERE notification_id > $1 ORDER BY notification_id LIMIT $2"
)


@dataclass(frozen=True)
class Recorded:
    """A decoded event with its place in the log and the database's time of recording."""

    position: int
    recorded_at: datetime
    event: Any

    @property
    def originator_id(self) -> UUID:
        ident: UUID = self.event.originator_id
        return ident


@dataclass(frozen=True)
class Undecodable:
    """An event this version cannot read: a type a newer writer added (its topic resolves to
    nothing here), or a shape with no upcaster. It stands in the batch where the event was, so
    that each read model can stop at it or pass it (``Projection.may_fold``)."""

    originator_id: UUID
    topic: str
    error: str


def mapper() -> Mapper[UUID]:
    transcoder = JSONTranscoder()
    register_transcodings(transcoder)
    return Mapper(transcoder=transcoder)


class Log:
    """The log as a projector reads it, through one decoder shared by every projection."""

    def __init__(self) -> None:
        self.mapper = mapper()

    async def rows_after(self, conn: asyncpg.Connection, position: int,
                         limit: int) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await conn.fetch(SELECT_AFTER, position, limit)
        return rows

    def decode(self, rows: list[asyncpg.Record]) -> list[Recorded]:
        """Decode every row; raises on the first one this version cannot read."""
        to_event = self.mapper.to_domain_event
        return [
            Recorded(row[0], row[5], to_event(StoredEvent(row[1], row[2], row[3], row[4])))
            for row in rows
        ]

    def decode_each(self, rows: list[asyncpg.Record]) -> list[Recorded]:
        """Decode every row, putting an ``Undecodable`` in place of any this version cannot
        read, so that one unreadable event does not stop every read model (the live projector
        reads so; a rebuild, which must fold everything, uses ``decode``)."""
        try:
            return self.decode(rows)
        except Exception:  # noqa: S110 (then row by row, to find which)
            pass
        to_event = self.mapper.to_domain_event
        batch = []
        for row in rows:
            event: Any
            try:
                event = to_event(StoredEvent(row[1], row[2], row[3], row[4]))
            except Exception as exc:
                event = Undecodable(row[1], row[3], f"{type(exc).__name__}: {exc}")
            batch.append(Recorded(row[0], row[5], event))
        return batch

    async def head(self, conn: asyncpg.Connection) -> int:
        value = await conn.fetchval("SELECT coalesce(max(notification_id), 0) "
                                    "FROM lifecycle_events")
        return int(value)


@contextmanager
def collected_every(batches: int) -> Iterator[Callable[[], None]]:
    """For a long pass over the log: pause the cyclic garbage collector, and collect once every
    ``batches`` calls of the callable this yields (one a batch read).

    Python's collector is triggered by allocation counts; decoding thousands of events a batch
    triggers it constantly, and each full collection walks every batch still in flight, which
    cost a rebuild of a million events a quarter of its time. Reference counting still frees
    everything else at once; only cyclic garbage waits, for at most ``batches`` batches. The
    collector's state is restored on exit.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        if count % batches == 0:
            gc.collect()

    try:
        yield tick
    finally:
        if was_enabled:
            gc.enable()
