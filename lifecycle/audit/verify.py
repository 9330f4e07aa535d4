"""Verification of the whole log: every stored event is made a leaf again from its stored bytes
(``tree.leaf``), the tree is recomputed in position order, and it is compared with the stored
tree, leaf by leaf, and with every signed checkpoint (each signature checked with the verifier
key). The first place where they part is reported: an altered event (its bytes, topic, record
or version changed), an event missing from the middle, one that is not in the tree, or a log
shorter than what was chained and signed (deleted newest events); or that all is intact.

Given the database's URL, the events are read, made leaves and compared with the stored leaves
in worker processes on the same snapshot (``lifecycle.audit.recompute``), on other cores, a
block of positions at a time; this one checks that the blocks follow one another and
recomputes the tree above them from the complete subtrees they send. From the first block
that does not agree (or without the URL, from the start), the events are made leaves here and
compared with the stored leaves one by one, which names the first place where they part.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import asyncpg

from lifecycle.audit import store, tree
from lifecycle.audit.checkpoint import BadCheckpoint, open_note
from lifecycle.audit.recompute import (
    BATCH,
    EVENTS_FROM,
    EVENTS_IN_ORDER,
    UNREADABLE,
    Batch,
    InProcess,
    RecomputeFailed,
    Workers,
    workers,
)

Kind = Literal["altered", "missing", "unchained", "missing_tail", "checkpoint_mismatch",
               "bad_signature"]
__all__ = ["BATCH", "EVENTS_IN_ORDER", "Finding", "Report", "verify"]
_LEAVES_FROM = ("SELECT l.leaf_index, l.position, n.hash FROM audit_leaves l "
                "JOIN audit_nodes n ON n.level = 0 AND n.idx = l.leaf_index "
                "WHERE l.leaf_index >= $1 ORDER BY l.leaf_index")


@dataclass(frozen=True)
class Finding:
    kind: Kind
    position: int | None
    message: str


@dataclass
class Report:
    events: int = 0  # events made leaves again
    chained: int = 0  # leaves the stored tree has
    checkpoints: int = 0  # checkpoints compared
    unchained: int = 0  # newest events the worker has not chained yet (not a fault)
    last_position: int = 0  # of the last event verified
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings


async def verify(conn: asyncpg.Connection, verifier: str,
                 on_progress: Callable[[int, int], None] | None = None,
                 dsn: str | None = None, kept: Sequence[str] = ()) -> Report:
    """Verify the log on ``conn`` (see the module) against checkpoints signed by ``verifier``
    (a signed-note verifier key): those stored, and ``kept``, signed notes an auditor kept
    elsewhere (so that checkpoints deleted from the database after a rewrite of the log and
    its tree are still compared). ``on_progress(events done, events in the log)``. ``dsn``:
    the URL of ``conn``'s database, to recompute the leaves in worker processes; raises
    ``recompute.RecomputeFailed`` if one fails. An event whose stored values cannot be a leaf
    (a null, a number out of range) is a finding, ``altered``, not an error."""
    report = Report()
    signed = await store.checkpoints(conn)
    pending: list[store.StoredCheckpoint] = []
    for checkpoint in signed:
        try:
            stated = open_note(checkpoint.note, verifier)
        except BadCheckpoint as exc:
            report.findings.append(Finding("bad_signature", None, f"checkpoint of "
                                           f"{checkpoint.tree_size} events: {exc}"))
            continue
        if (stated.size, stated.root_hash) != (checkpoint.tree_size, checkpoint.root_hash):
            report.findings.append(Finding("bad_signature", None, f"checkpoint of "
                                           f"{checkpoint.tree_size} events: its note states "
                                           "another tree"))
            continue
        pending.append(checkpoint)
    for note in kept:
        try:
            stated = open_note(note, verifier)
        except BadCheckpoint as exc:
            report.findings.append(Finding("bad_signature", None, f"a kept checkpoint: {exc}"))
            continue
        pending.append(store.StoredCheckpoint(stated.size, stated.root_hash, note))
    pending.sort(key=lambda checkpoint: checkpoint.tree_size)
    total = int(await conn.fetchval("SELECT count(*) FROM lifecycle_events"))
    frontier = tree.Frontier()
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        position: int | None = 0
        if dsn is not None:
            sizes = sorted({c.tree_size for c in pending})
            async with workers(conn, dsn, sizes) as blocks:
                position = await _agreeing(blocks, frontier, pending, report, total,
                                           on_progress)
        if position is not None:  # the rest, event by event
            reader = _Reader(InProcess(await conn.cursor(EVENTS_FROM, position)),
                             await conn.cursor(_LEAVES_FROM, frontier.size))
            await _walk(reader, conn, frontier, pending, report, total, on_progress)
    if not report.findings and pending:
        report.findings.append(Finding(
            "missing_tail", None, f"a checkpoint was signed over {pending[-1].tree_size} "
                                  f"events, but the log and its tree hold {frontier.size}"))
    if on_progress:
        on_progress(report.events + report.unchained, total)
    return report


async def _agreeing(blocks: Workers, frontier: tree.Frontier,
                    pending: list[store.StoredCheckpoint], report: Report, total: int,
                    on_progress: Callable[[int, int], None] | None) -> int | None:
    """Take the workers' blocks onto ``frontier`` while each agrees with the stored tree and
    starts where the one before ended, comparing each checkpoint as it is reached. Returns
    the position from which the rest is to be compared event by event (the first block that
    does not agree, or the end of the log), or None after a finding (added to ``report``).
    Raises ``RecomputeFailed`` for a frame that does not add up (a fault of the worker)."""
    while (block := await blocks.fetch()) is not None:
        if not block.agree or (block.count and block.first != frontier.size):
            return block.start
        for segment in block.segments:
            events = segment.end - frontier.size
            frontier.extend_subtrees(segment.subtrees)
            if frontier.size != segment.end:
                raise RecomputeFailed(f"a worker's subtrees end at leaf {frontier.size}, "
                                      f"its segment at {segment.end}")
            report.events += events
            report.chained = segment.end
            report.last_position = segment.last_position
            if not _checkpoints_hold(frontier, pending, report):
                return None
        if on_progress:
            on_progress(report.events, total)
    return blocks.end


async def _walk(reader: _Reader, conn: asyncpg.Connection, frontier: tree.Frontier,
                pending: list[store.StoredCheckpoint], report: Report, total: int,
                on_progress: Callable[[int, int], None] | None) -> None:
    """Compare the recomputed leaves with the stored ones, run by run, until the first
    finding or the end of either."""
    try:
        events, leaves = await reader.next([], [])
        while not report.findings:
            if not events or not leaves:
                if leaves:
                    report.findings.append(Finding(
                        "missing_tail", leaves[0]["position"],
                        f"the log ends at position {report.last_position}, but the tree "
                        f"holds events up to position {await _last_chained(conn)}: events "
                        f"from position {leaves[0]['position']} on were deleted"))
                elif events:  # chained up to here: the rest is the worker's next work
                    report.unchained = len(events)
                    while batch := await reader.events.fetch():
                        report.unchained += len(batch)
                break
            run = min(len(events), len(leaves))
            # The next rows are read while these are compared: the database (and the second
            # process) make them meanwhile, and the comparison lets the reader in between.
            reader.prefetch(events[run:], leaves[run:])
            await _compare(events[:run], leaves[:run], frontier, pending, report)
            events, leaves = await reader.next(events[run:], leaves[run:])
            if on_progress:
                on_progress(report.events, total)
    finally:
        await reader.settle()


class _Reader:
    """Batches of recomputed leaves (``events``, as (position, leaf hash)) and of stored leaves
    (their cursor), the next ones read ahead in a task while the current ones are compared."""

    def __init__(self, events: InProcess, leaves: Any) -> None:
        self.events, self.leaves = events, leaves
        self.done = [False, False]
        self.ahead: asyncio.Task[tuple[list[Any], list[Any]]] | None = None

    def prefetch(self, events: list[Any], leaves: list[Any]) -> None:
        self.ahead = asyncio.ensure_future(self._read(events, leaves))

    async def next(self, events: list[Any], leaves: list[Any]) -> tuple[list[Any], list[Any]]:
        """``events`` and ``leaves`` (what is left of the last batches), each topped up with
        the next batch where it ran out."""
        if self.ahead is None:
            return await self._read(events, leaves)
        ahead, self.ahead = self.ahead, None
        return await ahead

    async def _read(self, events: list[Any], leaves: list[Any]) -> tuple[list[Any], list[Any]]:
        if not events and not self.done[0]:
            events = await self.events.fetch()
            self.done[0] = not events
        if not leaves and not self.done[1]:
            leaves = list(await self.leaves.fetch(BATCH))
            self.done[1] = not leaves
        return events, leaves

    async def settle(self) -> None:
        """Wait for a read still under way (the transaction ends only after it)."""
        if self.ahead is not None:
            ahead, self.ahead = self.ahead, None
            await asyncio.gather(ahead, return_exceptions=True)


SLICE = 1000  # pairs compared between two chances for the reader to go on


async def _compare(events: Batch, leaves: list[Any], frontier: tree.Frontier,
                   pending: list[store.StoredCheckpoint], report: Report) -> None:
    """``_compare_run`` over the runs, a slice at a time, letting the event loop (the
    reader) run in between; stop at the first finding."""
    for at in range(0, len(events), SLICE):
        _compare_run(events[at:at + SLICE], leaves[at:at + SLICE], frontier, pending, report)
        if report.findings:
            return
        await asyncio.sleep(0)


def _compare_run(events: Batch, leaves: list[Any], frontier: tree.Frontier,
                 pending: list[store.StoredCheckpoint], report: Report) -> None:
    """``_compare_pairs``, at once where every pair agrees (the events are where the stored
    leaves put them, with the leaf hashes stored, at the leaf indices that follow on): the
    leaves go onto ``frontier`` a checkpoint at a time, each checkpoint compared as it is
    reached. Where a pair disagrees,
    the run is compared pair by pair, which names the first place they part."""
    positions = [e[0] for e in events]
    digests = [e[1] for e in events]
    if (positions != [s[1] for s in leaves] or digests != [s[2] for s in leaves]
            or leaves[0][0] != frontier.size  # the stored leaf indices follow on, unbroken
            or leaves[-1][0] != frontier.size + len(leaves) - 1):
        _compare_pairs(events, leaves, frontier, pending, report)
        return
    done = 0
    while done < len(digests):
        upto = len(digests)
        if pending and pending[0].tree_size - frontier.size < upto - done:
            upto = done + pending[0].tree_size - frontier.size
        frontier.extend(digests[done:upto])
        report.events += upto - done
        report.chained = leaves[upto - 1][0] + 1
        report.last_position = positions[upto - 1]
        done = upto
        if not _checkpoints_hold(frontier, pending, report):
            return


def _checkpoints_hold(frontier: tree.Frontier, pending: list[store.StoredCheckpoint],
                      report: Report) -> bool:
    """Compare the checkpoints of ``frontier.size`` leaves with its root; False (with the
    finding added) where one differs."""
    while pending and pending[0].tree_size == frontier.size:
        checkpoint = pending.pop(0)
        report.checkpoints += 1
        if frontier.root() != checkpoint.root_hash:
            position = report.last_position
            report.findings.append(Finding(
                "checkpoint_mismatch", position,
                f"the tree of the first {checkpoint.tree_size} events (to position "
                f"{position}) does not have the root its signed checkpoint states: an "
                "event up to there was changed along with the stored tree"))
            return False
    return True


def _compare_pairs(events: Batch, leaves: list[Any], frontier: tree.Frontier,
                   pending: list[store.StoredCheckpoint], report: Report) -> None:
    """Compare events with the stored leaves in their places, pair by pair, appending each
    recomputed leaf to ``frontier`` and comparing each checkpoint it reaches; stop at the
    first finding (added to ``report``)."""
    for (position, digest), stored in zip(events, leaves, strict=True):
        report.chained = stored[0] + 1
        if position != stored[1]:
            missing = min(position, stored[1])
            report.findings.append(Finding(
                "missing" if position > stored[1] else "unchained", missing,
                f"the event at position {missing} was deleted" if position > missing
                else f"the event at position {missing} is not in the tree where its "
                     "position puts it"))
            return
        if stored[0] != frontier.size:  # the tree skips leaves: deleted with their events
            after = report.last_position
            report.findings.append(Finding(
                "missing", after + 1, f"the tree has no leaf {frontier.size}: an event after "
                                      f"position {after} was deleted, and its place in the "
                                      f"tree with it (the next event, at {position}, is "
                                      f"leaf {stored[0]})"))
            return
        if digest != stored[2]:
            report.findings.append(Finding(
                "altered", position, f"the event at position {position} was changed after "
                                     "it was chained (its bytes, type, record or version)"
                                     + ("; its stored values cannot be a leaf (a null, or a "
                                        "number out of range)" if digest == UNREADABLE
                                        else "")))
            return
        frontier.extend((digest,))
        report.events += 1
        report.last_position = position
        if not _checkpoints_hold(frontier, pending, report):
            return


async def _last_chained(conn: asyncpg.Connection) -> int:
    return (await store.size(conn))[1]
