"""The webhook delivery worker: every active endpoint gets, in log order and at least once, each
event its organisation sees at that event's position (``Audience``, the one rule) and whose type
it asked for.

- One worker is active per database: it holds an advisory lock on a dedicated connection, as
  the projector does (``lifecycle.store.leadership``); others stand by and take over within
  ``poll_interval`` of its session ending. It runs inside ``serve`` (with the embedded database,
  so ``make run`` delivers) and as ``lifecycle deliver``, under
  ``lifecycle.service.supervisor``: a lost connection ends the attempt, and the next resumes
  from each endpoint's tracked cursor.
- Each endpoint is followed by a task of its own, so that one slow or failing receiver holds up
  no other. It reads the log by position after its cursor (polling every ``poll_interval``; no
  NOTIFY to lose), one event at a time in order: the cursor moves past an event only once its
  delivery succeeded (or it was not for this endpoint). A crash between a receiver's answer and
  the cursor's update delivers that event again, with the same ``webhook-id``.
- A failed attempt is retried with exponential backoff and jitter (tenacity's); after
  ``webhook_attempts`` failed attempts the endpoint is paused with the last reason, for its
  administrator to see and resume. Every attempt is in the delivery log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from uuid import UUID

import anyio
import asyncpg
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from lifecycle.service.settings import Settings
from lifecycle.store import locks
from lifecycle.store.database import transient
from lifecycle.store.leadership import Held, Leadership
from projections.engine.log import Log
from projections.partners import endpoints as store
from projections.partners import outbound
from projections.partners.audience import Audience, Happening
from projections.partners.envelope import envelope
from projections.partners.keys import Seal

log = logging.getLogger(__name__)

LOCK_KEY = locks.DELIVERER  # advisory lock: the active delivery worker
LOCK_SESSION = "lifecycle deliverer lock"
WORK_SESSION = "lifecycle deliverer"
BATCH = 100


class Failed(Exception):
    """One attempt failed (``reason`` in the worker's words)."""


class Paused(Exception):
    """The endpoint was paused after its attempts ran out."""


@dataclass
class Deliverer:
    dsn: str
    settings: Settings
    poll_interval: float = 1.0

    def __post_init__(self) -> None:
        self.log = Log()
        self.leadership = Leadership(self.dsn, LOCK_KEY, "webhook delivery",
                                     session=LOCK_SESSION, poll_interval=self.poll_interval)

    async def run(self, stop: anyio.Event | None = None) -> None:
        """One attempt: stand by for the lock, then deliver until ``stop`` is set. Raises
        when a connection is lost (supervise it)."""
        stop = stop or anyio.Event()
        seal = Seal.of(self.settings)
        await self.leadership.run(stop, lambda held: self._deliver_all(held, seal, stop))

    async def _deliver_all(self, held: Held, seal: Seal, stop: anyio.Event) -> None:
        following: dict[UUID, anyio.CancelScope] = {}
        pool = await asyncpg.create_pool(self.dsn, min_size=1, max_size=4,
                                         server_settings={"application_name": WORK_SESSION})
        try:
            async with anyio.create_task_group() as group:
                while not stop.is_set():
                    await held.confirm()  # a lost lock ends this attempt
                    async with pool.acquire() as conn:
                        current = {e.id: e for e in await store.active(conn)}
                    for ident in [i for i in following if i not in current]:
                        following.pop(ident).cancel()  # paused (or gone)
                    for ident, endpoint in current.items():
                        if ident not in following or following[ident].cancel_called:
                            scope = anyio.CancelScope()
                            following[ident] = scope
                            group.start_soon(self._follow, pool, seal, endpoint, scope)
                    with anyio.move_on_after(self.poll_interval):
                        await stop.wait()
                group.cancel_scope.cancel()
        finally:
            await pool.close()

    async def _follow(self, pool: asyncpg.Pool, seal: Seal, endpoint: store.Endpoint,
                      scope: anyio.CancelScope) -> None:
        """Deliver to one endpoint from its cursor, forever (until paused or cancelled)."""
        with scope:
            async with pool.acquire() as conn:
                audience = await Audience.at(conn, self.log, endpoint.cursor)
            position = endpoint.cursor
            try:
                while True:
                    async with pool.acquire() as conn:
                        rows = await self.log.rows_after(conn, position, BATCH)
                    if not rows:
                        await anyio.sleep(self.poll_interval)
                        continue
                    for recorded in self.log.decode_each(rows):
                        seen = audience.fold(recorded)
                        if seen is not None and endpoint.organisation_id in seen.seen_by \
                                and endpoint.wants(seen.name):
                            await self._deliver(pool, seal, endpoint, seen)
                    position = rows[-1][0]
                    async with pool.acquire() as conn:
                        await store.advance(conn, endpoint.id, position)
            except Paused:
                pass
            except Exception as exc:
                if transient(exc):  # the database, not this endpoint: end the attempt
                    raise
                # A fault of this endpoint's delivery stops it alone; the next poll starts it
                # again from its cursor.
                log.exception("webhook delivery to endpoint %s failed", endpoint.id)
            finally:
                scope.cancel()  # ended: the next poll starts it again if it is active

    async def _deliver(self, pool: asyncpg.Pool, seal: Seal, endpoint: store.Endpoint,
                       happening: Happening) -> None:
        """Deliver one event until it succeeds, or pause the endpoint (``Paused``)."""
        settings = self.settings
        retrying = AsyncRetrying(
            stop=stop_after_attempt(settings.webhook_attempts),
            wait=wait_exponential_jitter(multiplier=settings.webhook_backoff_seconds,
                                         max=settings.webhook_backoff_max_seconds,
                                         jitter=settings.webhook_backoff_seconds),
            retry=retry_if_exception_type(Failed), reraise=True)
        try:
            async for attempt in retrying:
                with attempt:
                    await self._attempt(pool, seal, endpoint, happening)
        except Failed as failed:
            reason = (f"{settings.webhook_attempts} attempts to deliver position "
                      f"{happening.position} failed; the last: {failed}")
            log.warning("webhook endpoint %s paused: %s", endpoint.id, reason)
            async with pool.acquire() as conn:
                await store.pause(conn, endpoint.id, reason)
            raise Paused(reason) from None

    async def _attempt(self, pool: asyncpg.Pool, seal: Seal, endpoint: store.Endpoint,
                       happening: Happening) -> None:
        async with pool.acquire() as conn:
            sealed = await store.sealed_secret(conn, endpoint.id)  # rotations apply at once
        if sealed is None:
            raise Paused("the endpoint is gone")
        body, headers = envelope(happening, endpoint.organisation_id,
                                 self.settings.webhook_source, seal.open(sealed))
        sent = await outbound.post(endpoint.url, body, headers, self.settings)
        async with pool.acquire() as conn, conn.transaction():
            await store.record(conn, endpoint.id, happening.position, happening.name,
                               sent.status, sent.error, sent.succeeded)
            if sent.succeeded:
                await store.advance(conn, endpoint.id, happening.position)
        if not sent.succeeded:
            raise Failed(sent.error)
