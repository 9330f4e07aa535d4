"""The chaining worker: the one owner of the transparency log. It appends every event of the
global log, in position order, as a leaf of the RFC 9162 tree (``lifecycle.audit.tree``),
stores the complete subtrees each leaf completes, and signs a checkpoint every
``every_events`` leaves and, while the log grows, at least every ``every_minutes``.

Like the projector (``projections/engine/runner.py``): one worker is active at a time, holding
an advisory lock on a dedicated connection, others stand by (``lifecycle.store.leadership``); it
is woken by the event store's NOTIFY and also looks every ``poll_interval``
(``leadership.rounds``); ``run`` is one attempt that raises when it loses
a connection, to be run under ``lifecycle.service.supervisor.supervise`` (``serve`` with the
embedded database, ``lifecycle chain`` against a shared one). Each batch of leaves, their nodes
and any checkpoint are one transaction, so a crash leaves the stored tree whole, and the next
attempt resumes from it. Inserts take the recorder's table lock, so no event can commit later
with a lower position than one already chained.

Before it resumes, it checks the stored tree against the latest signed checkpoint (the root
made from the stored nodes at that size). A tree altered since (an inner node rewritten or
deleted) would otherwise be extended and signed over; instead every attempt fails with
``TreeDamaged`` until the tree is repaired, and nothing more is signed.
"""

from __future__ import annotations

import logging
from typing import Any

import anyio
import anyio.to_thread
import asyncpg

from lifecycle.audit import store, tree
from lifecycle.audit.checkpoint import SigningKey, sign
from lifecycle.audit.keys import signing_key
from lifecycle.service.settings import Settings
from lifecycle.store import locks
from lifecycle.store.leadership import Held, Leadership, rounds
from lifecycle.store.sessions import session

log = logging.getLogger(__name__)

LOCK_KEY = locks.CHAIN  # advisory lock: the active chaining worker
LOCK_SESSION = "lifecycle chain lock"
LISTEN_SESSION = "lifecycle chain listener"
WORK_SESSION = "lifecycle chain"
SELECT_AFTER = ("SELECT notification_id, originator_id, originator_version, topic, state "
                "FROM lifecycle_events WHERE notification_id > $1 "
                "ORDER BY notification_id LIMIT $2")


class TreeDamaged(RuntimeError):
    """The stored tree does not give the root its latest signed checkpoint states: it was
    altered after it was signed. Chaining stops (each attempt fails) until it is repaired."""


async def check_signed_tree(conn: asyncpg.Connection) -> None:
    """Raise ``TreeDamaged`` unless the stored nodes give the latest checkpoint's root (O(log
    n) nodes, read in one query)."""
    latest = await store.checkpoint(conn)
    if latest is None:
        return
    try:
        root = await store.computed(conn, lambda nodes: tree.root(latest.tree_size, nodes))
    except KeyError:
        root = None  # a node it needs was deleted
    if root != latest.root_hash:
        raise TreeDamaged(
            f"the stored tree does not give the root of the signed checkpoint of "
            f"{latest.tree_size} events: it was altered after it was signed; chaining stops "
            "until it is repaired (`lifecycle audit verify` compares it with the log)")


class Chainer:
    def __init__(self, dsn: str, key: SigningKey, origin: str, *, every_events: int = 1000,
                 every_minutes: float = 10.0, batch_size: int = 5000,
                 poll_interval: float = 1.0) -> None:
        self.dsn = dsn
        self.key = key
        self.origin = origin
        self.every_events = every_events
        self.every_seconds = every_minutes * 60
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.size = 0  # leaves chained, as last committed
        self.leadership = Leadership(dsn, LOCK_KEY, "chaining worker", session=LOCK_SESSION,
                                     poll_interval=poll_interval)

    async def run(self, stop: anyio.Event | None = None) -> None:
        """One attempt: wait to become active, then chain until ``stop`` is set (see the
        module). Raises ``LostLock``, ``LostConnection`` or the driver's error."""
        stop = stop or anyio.Event()
        await self.leadership.run(stop, lambda held: self._chain(held, stop))

    async def _chain(self, held: Held, stop: anyio.Event) -> None:
        async with rounds(held, self.dsn, LISTEN_SESSION, stop) as steps, \
                session(self.dsn, WORK_SESSION) as work_conn:
            await check_signed_tree(work_conn)
            frontier, last = await store.frontier(work_conn)
            self.size = frontier.size
            signed = await work_conn.fetchrow(
                "SELECT tree_size, extract(epoch FROM clock_timestamp() - signed_at) AS age "
                "FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1")
            signed_size = signed["tree_size"] if signed else 0
            signed_at = anyio.current_time() - (float(signed["age"]) if signed else 0.0)
            async for _ in steps:
                while True:
                    due = anyio.current_time() - signed_at >= self.every_seconds
                    room = signed_size + self.every_events - frontier.size
                    rows = await work_conn.fetch(SELECT_AFTER, last,
                                                 min(self.batch_size, max(room, 1)))
                    sign_now = frontier.size + len(rows) > signed_size and (
                        due or frontier.size + len(rows) - signed_size >= self.every_events)
                    if not rows and not sign_now:
                        break
                    made = await anyio.to_thread.run_sync(_append, frontier, rows)
                    await self._commit(work_conn, rows, made, frontier, sign_now)
                    self.size = frontier.size
                    if rows:
                        last = rows[-1]["notification_id"]
                    if sign_now:
                        signed_size, signed_at = frontier.size, anyio.current_time()
                    if len(rows) < min(self.batch_size, max(room, 1)) and not sign_now:
                        break

    async def _commit(self, conn: asyncpg.Connection, rows: list[Any],
                      made: list[tuple[int, int, bytes]], frontier: tree.Frontier,
                      sign_now: bool) -> None:
        start = frontier.size - len(rows)
        async with conn.transaction():
            if rows:
                await conn.copy_records_to_table(
                    "audit_leaves", columns=("leaf_index", "position"),
                    records=[(start + i, r["notification_id"]) for i, r in enumerate(rows)])
                await conn.copy_records_to_table("audit_nodes", columns=("level", "idx", "hash"),
                                                 records=made)
            if sign_now:
                root = frontier.root()
                await conn.execute(
                    "INSERT INTO audit_checkpoints (tree_size, root_hash, note) "
                    "VALUES ($1, $2, $3)", frontier.size, root,
                    sign(self.origin, frontier.size, root, self.key))


def _append(frontier: tree.Frontier, rows: list[Any]) -> list[tuple[int, int, bytes]]:
    """Append each event as a leaf; every node the leaves complete (CPU only: run off the
    event loop)."""
    made: list[tuple[int, int, bytes]] = []
    for r in rows:
        leaf = tree.leaf(r["notification_id"], r["originator_id"], r["originator_version"],
                         r["topic"], r["state"])
        made.extend(frontier.append(tree.leaf_hash(leaf)))
    return made


def for_settings(settings: Settings, dsn: str) -> Chainer:
    """The chaining worker these settings describe (key, origin, checkpoint intervals).
    Raises ``ConfigurationError`` when there is no usable signing key."""
    return Chainer(dsn, signing_key(settings), settings.audit_origin,
                   every_events=settings.audit_checkpoint_events,
                   every_minutes=settings.audit_checkpoint_minutes)


def in_serve(settings: Settings, embedded: bool) -> bool:
    """Whether ``serve`` runs the chaining worker: "on", or "auto" with the embedded database
    (one process owns it; development only, so production's "auto" is "off"); against a shared
    database, run ``lifecycle chain`` workers."""
    return settings.audit_chain == "on" or (
        settings.audit_chain == "auto" and embedded and settings.development)
