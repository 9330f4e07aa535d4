"""The log's events made leaves again (``tree.LeafHasher``, the README's leaf) for verification,
a batch at a time, as (position, leaf hash) pairs in position order: either here, from a
cursor on the verifier's own connection (``InProcess``), or in worker processes reading the
same snapshot (``workers``), so that reading and hashing the events (most of the work) runs on
other cores while the verifier reads the stored tree, compares and builds the tree above.

A worker is ``python -m lifecycle.audit.recompute``. It reads from its standard input (the URL
holds a password, so not on its command line) three lines: the snapshot id, the database URL,
and ``first step stop block``. It imports that snapshot (PostgreSQL's ``SET TRANSACTION
SNAPSHOT``: it sees exactly the rows the verifier sees), and for each block b in
``range(first, stop, step)`` (the positions [b * block, (b + 1) * block)) writes one frame to
its standard output: the count n (4 bytes, big-endian), the n positions (8 bytes each,
big-endian, signed), the n leaf hashes (32 bytes each). The verifier splits the blocks from
the lowest position's to the highest's among n workers, worker i taking every n-th from the
i-th, and reads the frames from each in turn. (Positions count up from 1 with few gaps; a gap
of many blocks would cost an empty query per block.) A failure is the worker's last line on
standard error and exit status 1.
"""

from __future__ import annotations

import asyncio
import re
import struct
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, BinaryIO, Protocol

import anyio
import asyncpg

from lifecycle.audit import tree

BATCH = 10_000
EVENTS_IN_ORDER = ("SELECT notification_id, originator_id, originator_version, topic, state "
                   "FROM lifecycle_events ORDER BY notification_id")
# the head of the leaf as the binary forms of its stored values (see tree.LeafHasher.many_headed)
EVENTS_IN_BLOCK = ("SELECT int8send(notification_id) || uuid_send(originator_id) "
                   "|| int8send(originator_version), topic, state FROM lifecycle_events "
                   "WHERE notification_id >= $1 AND notification_id < $2 "
                   "ORDER BY notification_id")
PROCESSES = 2  # the machines this runs on have two cores or more
SPAN = 10_000  # positions in a block: what a worker reads and hashes at a time
Batch = list[tuple[int, bytes]]  # (position, leaf hash), in position order
_SNAPSHOT = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")  # pg_export_snapshot()'s form


class RecomputeFailed(Exception):
    """A worker process stopped before the end of its blocks; the message is its reason."""


class Leaves(Protocol):
    async def fetch(self) -> Batch:
        """The next batch of events as leaves; empty at the end of the log."""
        ...


class InProcess:
    """The leaves of the events read from ``cursor`` (over ``EVENTS_IN_ORDER``), hashed here."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.hasher = tree.LeafHasher()

    async def fetch(self) -> Batch:
        rows = await self.cursor.fetch(BATCH)
        return list(zip([row[0] for row in rows], self.hasher.many(rows), strict=True))


class Workers:
    """The leaves as the worker processes (see the module) send them: block b from process
    b mod n, in block order. Each frame is read in a thread, so that a pipe is drained (and
    its process goes on) while the event loop compares the batch before."""

    def __init__(self, processes: list[subprocess.Popen[bytes]], blocks: int) -> None:
        self.processes, self.blocks, self.next_block = processes, blocks, 0

    async def fetch(self) -> Batch:
        while self.next_block < self.blocks:
            process = self.processes[self.next_block % len(self.processes)]
            self.next_block += 1
            if batch := await anyio.to_thread.run_sync(_frame, process):
                return batch
        return []


def _frame(process: subprocess.Popen[bytes]) -> Batch:
    out = process.stdout
    assert out is not None
    head = out.read(4)
    (count,) = struct.unpack(">I", head) if len(head) == 4 else (-1,)
    body = out.read(40 * count) if count > 0 else b""
    if count < 0 or len(body) != 40 * count:
        assert process.stderr is not None
        said = process.stderr.read().decode(errors="replace").strip().splitlines()
        raise RecomputeFailed(said[-1] if said else f"exit status {process.wait()}")
    positions = struct.unpack(f">{count}q", body[:8 * count])
    hashes = [body[at:at + 32] for at in range(8 * count, 40 * count, 32)]
    return list(zip(positions, hashes, strict=True))


@asynccontextmanager
async def workers(conn: asyncpg.Connection, dsn: str) -> AsyncIterator[Workers]:
    """``PROCESSES`` processes recomputing the leaves of the log as ``conn``'s transaction (a
    repeatable read one, open) sees it, from the database at ``dsn``, a block of ``SPAN``
    positions at a time; stopped on leaving."""
    processes, block = PROCESSES, SPAN
    snapshot = str(await conn.fetchval("SELECT pg_export_snapshot()"))
    low, high = await conn.fetchrow("SELECT coalesce(min(notification_id), 0), "
                                    "coalesce(max(notification_id), 0) FROM lifecycle_events")
    blocks = range(low // block, high // block + 1)
    started: list[subprocess.Popen[bytes]] = []
    try:
        for first in range(processes):
            started.append(await anyio.to_thread.run_sync(
                _start, f"{snapshot}\n{dsn}\n{blocks.start + first} {processes} "
                        f"{blocks.stop} {block}\n"))
        yield Workers(started, len(blocks))
    finally:
        with anyio.CancelScope(shield=True):
            for process in started:
                if process.poll() is None:
                    process.terminate()  # stopped at a finding: the rest is not needed
                await anyio.to_thread.run_sync(process.wait)
                for pipe in (process.stdout, process.stderr):
                    if pipe is not None:
                        pipe.close()


def _start(lines: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-m", "lifecycle.audit.recompute"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdin is not None
    process.stdin.write(lines.encode())
    process.stdin.close()
    return process


async def _send_leaves(dsn: str, snapshot: str, blocks: range, block: int,
                       out: BinaryIO) -> None:
    if not _SNAPSHOT.fullmatch(snapshot):
        raise ValueError(f"not a snapshot id: {snapshot!r}")
    conn = await asyncpg.connect(dsn, server_settings={
        "application_name": "lifecycle audit verify (leaves)"})
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            await conn.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            in_block = await conn.prepare(EVENTS_IN_BLOCK)
            hasher = tree.LeafHasher()

            def read(b: int) -> asyncio.Future[list[Any]]:
                rows: asyncio.Future[list[Any]] = asyncio.ensure_future(
                    in_block.fetch(b * block, (b + 1) * block))
                return rows

            ahead = read(blocks[0]) if blocks else None
            for at in range(len(blocks)):
                assert ahead is not None
                rows = await ahead
                if at + 1 < len(blocks):  # the next block is asked for, and made, meanwhile
                    ahead = read(blocks[at + 1])
                    await asyncio.sleep(0)
                out.write(struct.pack(">I", len(rows)))
                out.write(b"".join([row[0][:8] for row in rows]))  # the positions
                out.write(b"".join(hasher.many_headed(rows)))
            out.flush()
    finally:
        await conn.close()


def main() -> None:
    snapshot, dsn = sys.stdin.readline().strip(), sys.stdin.readline().strip()
    try:
        first, step, stop, block = (int(word) for word in sys.stdin.readline().split())
        asyncio.run(_send_leaves(dsn, snapshot, range(first, stop, step), block,
                                 sys.stdout.buffer))
    except (ValueError, OSError, asyncpg.PostgresError) as exc:
        sys.stderr.write(f"{type(exc).__name__}: {exc}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
