"""The log's events made leaves again (``tree.LeafHasher``, the README's leaf) for verification,
either here, from a cursor on the verifier's own connection (``InProcess``, as (position, leaf
hash) pairs in position order), or in worker processes reading the same snapshot
(``workers``), which also compare their leaves with the stored tree and make the tree above
them, so that reading, hashing and comparing (nearly all of the work) run on other cores.

A worker is ``python -m lifecycle.audit.recompute``. It reads from its standard input (the URL
holds a password, so not on its command line) four lines: the snapshot id, the database URL,
``first step stop block``, and the tree sizes of the signed checkpoints (space-separated). It
imports that snapshot (PostgreSQL's ``SET TRANSACTION SNAPSHOT``: it sees exactly the rows the
verifier sees), and for each block b in ``range(first, stop, step)`` (the positions
[b * block, (b + 1) * block)) makes the events' leaves and reads the stored leaves of the
same positions. Where they agree (the same positions, in one run of leaf indices, with the
same hashes), it writes a frame ``AGREE`` (1 byte), the first leaf index and the count (8
bytes each), then the run cut at the checkpoints' sizes into segments, their count (2 bytes)
and each: its end (the leaf index after it) and its last event's position (8 bytes each),
its complete subtrees' count (1 byte) and each subtree (``tree.subtrees``): level (1 byte) and
hash (32). Otherwise it writes ``DIFFER`` (1 byte) and the verifier compares that block and
what follows it event by event, to name the first place where they part. Integers are
big-endian and signed. The verifier splits the blocks from the lowest position's to the
highest's among n workers, worker i taking every n-th from the i-th, and reads the frames
from each in turn. (Positions count up from 1 with few gaps; a gap of many blocks would cost
an empty query per block.) A failure is the worker's last line on standard error and exit
status 1.
"""

from __future__ import annotations

import asyncio
import bisect
import re
import struct
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import IO, Any, BinaryIO

import anyio
import asyncpg

from lifecycle.audit import tree

BATCH = 10_000
EVENTS_IN_ORDER = ("SELECT notification_id, originator_id, originator_version, topic, state "
                   "FROM lifecycle_events ORDER BY notification_id")
EVENTS_FROM = ("SELECT notification_id, originator_id, originator_version, topic, state "
               "FROM lifecycle_events WHERE notification_id >= $1 ORDER BY notification_id")
# the head of the leaf as the binary forms of its stored values (see tree.LeafHasher.many_headed)
EVENTS_IN_BLOCK = ("SELECT int8send(notification_id) || uuid_send(originator_id) "
                   "|| int8send(originator_version), topic, state FROM lifecycle_events "
                   "WHERE notification_id >= $1 AND notification_id < $2 "
                   "ORDER BY notification_id")
# the stored leaves of the same positions: first leaf index, count, last leaf index, their
# positions (int8send each) and their hashes, each in leaf order, as one value
STORED_IN_BLOCK = (
    "WITH l AS (SELECT leaf_index, position FROM audit_leaves "
    "WHERE position >= $1 AND position < $2) "
    "SELECT min(leaf_index), count(*), max(leaf_index), "
    "coalesce(string_agg(int8send(position), ''::bytea ORDER BY leaf_index), ''::bytea), "
    "coalesce((SELECT string_agg(hash, ''::bytea ORDER BY idx) FROM audit_nodes "
    "WHERE level = 0 AND idx >= (SELECT min(leaf_index) FROM l) "
    "AND idx <= (SELECT max(leaf_index) FROM l)), ''::bytea) FROM l")
PROCESSES = 2  # the machines this runs on have two cores or more
SPAN = 10_000  # positions in a block: what a worker reads and hashes at a time
AGREE, DIFFER = b"A", b"D"
# What making a leaf of stored values that cannot be one raises (a null topic or state, a
# negative position or version, a topic over 65,535 bytes); and what stands for its hash.
MALFORMED = (ValueError, TypeError, AttributeError, OverflowError, struct.error)
UNREADABLE = b""
Batch = list[tuple[int, bytes]]  # (position, leaf hash), in position order
_SNAPSHOT = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")  # pg_export_snapshot()'s form


@dataclass(frozen=True)
class Segment:
    """Leaves that agree with the stored tree, up to a checkpoint's size or a block's end."""

    end: int  # the leaf index after the segment's last
    last_position: int  # the position of its last event
    subtrees: list[tuple[int, bytes]]  # tree.subtrees of its leaves


@dataclass(frozen=True)
class Block:
    """A worker's frame: the positions [start, start + SPAN) agree with the stored leaves
    ``first`` onwards (``segments``, none for a block with no events and no leaves), or not
    (``agree`` false)."""

    start: int
    agree: bool
    first: int = 0
    count: int = 0
    segments: tuple[Segment, ...] = ()


class RecomputeFailed(Exception):
    """A worker process stopped before the end of its blocks; the message is its reason."""


class InProcess:
    """The leaves of the events read from ``cursor`` (over ``EVENTS_FROM``), hashed here."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.hasher = tree.LeafHasher()

    async def fetch(self) -> Batch:
        """The next events as (position, leaf hash); ``UNREADABLE`` in place of the hash of
        an event whose stored values cannot be a leaf (a null, a number out of range)."""
        rows = await self.cursor.fetch(BATCH)
        try:
            digests = self.hasher.many(rows)
        except MALFORMED:
            digests = [self._one(row) for row in rows]
        return list(zip([row[0] for row in rows], digests, strict=True))

    def _one(self, row: Any) -> bytes:
        try:
            return self.hasher.many([row])[0]
        except MALFORMED:
            return UNREADABLE


class Workers:
    """The blocks as the worker processes (see the module) send them: block b from process
    b mod n, in block order. Each frame is read in a thread, so that a pipe is drained (and
    its process goes on) while the event loop takes the block before."""

    def __init__(self, processes: list[subprocess.Popen[bytes]], blocks: range,
                 span: int) -> None:
        self.processes, self.blocks, self.span, self.next_block = processes, blocks, span, 0

    @property
    def end(self) -> int:
        """The position after the last block's."""
        return self.blocks.stop * self.span

    async def fetch(self) -> Block | None:
        """The next block; None after the last."""
        if self.next_block >= len(self.blocks):
            return None
        process = self.processes[self.next_block % len(self.processes)]
        start = self.blocks[self.next_block] * self.span
        self.next_block += 1
        return await anyio.to_thread.run_sync(_frame, process, start)


def _frame(process: subprocess.Popen[bytes], start: int) -> Block:
    out = process.stdout
    assert out is not None
    try:
        kind = _read(out, 1)
        if kind == DIFFER:
            return Block(start, False)
        if kind != AGREE:
            raise EOFError
        first, count, many = struct.unpack(">qqH", _read(out, 18))
        segments = []
        for _ in range(many):
            end, last, nodes = struct.unpack(">qqB", _read(out, 17))
            body = _read(out, 33 * nodes)
            segments.append(Segment(end, last, [(body[at], body[at + 1:at + 33])
                                                for at in range(0, 33 * nodes, 33)]))
        return Block(start, True, first, count, tuple(segments))
    except EOFError:
        assert process.stderr is not None
        said = process.stderr.read().decode(errors="replace").strip().splitlines()
        raise RecomputeFailed(said[-1] if said else f"exit status {process.wait()}") from None


def _read(out: IO[bytes], size: int) -> bytes:
    got = out.read(size)
    if len(got) != size:
        raise EOFError
    return got


@asynccontextmanager
async def workers(conn: asyncpg.Connection, dsn: str,
                  checkpoints: Sequence[int]) -> AsyncIterator[Workers]:
    """``PROCESSES`` processes recomputing and comparing the leaves of the log as ``conn``'s
    transaction (a repeatable read one, open) sees it, from the database at ``dsn``, a block
    of ``SPAN`` positions at a time, cutting runs at the tree sizes ``checkpoints``; stopped
    on leaving."""
    processes, block = PROCESSES, SPAN
    snapshot = str(await conn.fetchval("SELECT pg_export_snapshot()"))
    low, high = await conn.fetchrow("SELECT coalesce(min(notification_id), 0), "
                                    "coalesce(max(notification_id), 0) FROM lifecycle_events")
    blocks = range(low // block, high // block + 1)
    sizes = " ".join(str(size) for size in checkpoints)
    started: list[subprocess.Popen[bytes]] = []
    try:
        for first in range(processes):
            started.append(await anyio.to_thread.run_sync(
                _start, f"{snapshot}\n{dsn}\n{blocks.start + first} {processes} "
                        f"{blocks.stop} {block}\n{sizes}\n"))
        yield Workers(started, blocks, block)
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


def compare_block(rows: Sequence[Any], stored: Sequence[Any], hasher: tree.LeafHasher,
                  checkpoints: Sequence[int]) -> bytes:
    """A block's frame (see the module): ``rows`` its events as ``EVENTS_IN_BLOCK`` gives
    them, ``stored`` its stored leaves as ``STORED_IN_BLOCK`` does, ``checkpoints`` the signed
    tree sizes in ascending order. An event that cannot be a leaf makes the block ``DIFFER``."""
    first, count, last, positions, hashes = stored
    try:
        digests = hasher.many_headed(rows)
    except MALFORMED:  # the verifier names the event, comparing event by event
        return DIFFER
    if count != len(rows):
        return DIFFER
    if not rows:
        return AGREE + struct.pack(">qqH", 0, 0, 0)
    if (last - first + 1 != count or positions != b"".join([row[0][:8] for row in rows])
            or hashes != b"".join(digests)):
        return DIFFER
    end = first + count
    cuts = [size for size in checkpoints[bisect.bisect_right(checkpoints, first):]
            if size < end] + [end]
    frame = [AGREE, struct.pack(">qqH", first, count, len(cuts))]
    at = first
    for cut in cuts:
        made = tree.subtrees(at, digests[at - first:cut - first])
        frame.append(struct.pack(">qqB", cut, int.from_bytes(rows[cut - first - 1][0][:8],
                                                             "big", signed=True), len(made)))
        frame.extend(bytes((level,)) + digest for level, digest in made)
        at = cut
    return b"".join(frame)


async def _send_blocks(dsn: str, snapshot: str, blocks: range, block: int,
                       checkpoints: Sequence[int], out: BinaryIO) -> None:
    if not _SNAPSHOT.fullmatch(snapshot):
        raise ValueError(f"not a snapshot id: {snapshot!r}")
    conn = await asyncpg.connect(dsn, server_settings={
        "application_name": "lifecycle audit verify (leaves)"})
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            await conn.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            in_block = await conn.prepare(EVENTS_IN_BLOCK)
            stored_in_block = await conn.prepare(STORED_IN_BLOCK)
            hasher = tree.LeafHasher()

            def read(b: int) -> asyncio.Future[tuple[list[Any], Any]]:
                lo, hi = b * block, (b + 1) * block
                both: asyncio.Future[tuple[list[Any], Any]] = asyncio.ensure_future(
                    _both(in_block.fetch(lo, hi), stored_in_block.fetchrow(lo, hi)))
                return both

            ahead = read(blocks[0]) if blocks else None
            for at in range(len(blocks)):
                assert ahead is not None
                rows, stored = await ahead
                if at + 1 < len(blocks):  # the next block is asked for, and made, meanwhile
                    ahead = read(blocks[at + 1])
                    await asyncio.sleep(0)
                out.write(compare_block(rows, stored, hasher, checkpoints))
            out.flush()
    finally:
        await conn.close()


async def _both(events: Awaitable[list[Any]], stored: Awaitable[Any]) -> tuple[list[Any], Any]:
    return await events, await stored


def main() -> None:
    snapshot, dsn = sys.stdin.readline().strip(), sys.stdin.readline().strip()
    try:
        first, step, stop, block = (int(word) for word in sys.stdin.readline().split())
        checkpoints = sorted(int(word) for word in sys.stdin.readline().split())
        asyncio.run(_send_blocks(dsn, snapshot, range(first, stop, step), block, checkpoints,
                                 sys.stdout.buffer))
    except (ValueError, OSError, asyncpg.PostgresError) as exc:
        sys.stderr.write(f"{type(exc).__name__}: {exc}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
