"""Verification of the whole log: every stored event is made a leaf again from its stored bytes
(``tree.leaf``), the tree is recomputed in position order, and it is compared with the stored
tree, leaf by leaf, and with every signed checkpoint (each signature checked with the verifier
key). The first place where they part is reported: an altered event (its bytes, topic, record
or version changed), an event missing from the middle, one that is not in the tree, or a log
shorter than what was chained and signed (deleted newest events); or that all is intact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import asyncpg

from lifecycle.audit import store, tree
from lifecycle.audit.checkpoint import BadCheckpoint, open_note

Kind = Literal["altered", "missing", "unchained", "missing_tail", "checkpoint_mismatch",
               "bad_signature"]
BATCH = 10_000
EVENTS_IN_ORDER = ("SELECT notification_id, originator_id, originator_version, topic, state "
           "FROM lifecycle_events ORDER BY notification_id")
_LEAVES = ("SELECT l.leaf_index, l.position, n.hash FROM audit_leaves l "
           "JOIN audit_nodes n ON n.level = 0 AND n.idx = l.leaf_index ORDER BY l.leaf_index")


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
                 on_progress: Callable[[int, int], None] | None = None) -> Report:
    """Verify the log on ``conn`` (see the module) against checkpoints signed by ``verifier``
    (a signed-note verifier key). ``on_progress(events done, events in the log)``."""
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
    total = int(await conn.fetchval("SELECT count(*) FROM lifecycle_events"))
    frontier = tree.Frontier()
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        events_cursor = await conn.cursor(EVENTS_IN_ORDER)
        leaves_cursor = await conn.cursor(_LEAVES)
        events: list[Any] = []
        leaves: list[Any] = []
        events_done = leaves_done = False
        while not report.findings:
            # Rows come a batch at a time from each cursor; each run of pairs is compared in
            # one synchronous loop (an await a row would cost more than the hashing).
            if not events and not events_done:
                events = list(await events_cursor.fetch(BATCH))
                events_done = not events
            if not leaves and not leaves_done:
                leaves = list(await leaves_cursor.fetch(BATCH))
                leaves_done = not leaves
            if not events or not leaves:
                if leaves:
                    report.findings.append(Finding(
                        "missing_tail", leaves[0]["position"],
                        f"the log ends at position {report.last_position}, but the tree holds "
                        f"events up to position {await _last_chained(conn)}: events from "
                        f"position {leaves[0]['position']} on were deleted"))
                elif events:  # chained up to here: the rest is the worker's next work
                    report.unchained = len(events)
                    while rows := await events_cursor.fetch(BATCH):
                        report.unchained += len(rows)
                break
            run = min(len(events), len(leaves))
            _compare(events[:run], leaves[:run], frontier, pending, report)
            del events[:run], leaves[:run]
            if on_progress:
                on_progress(report.events, total)
    if not report.findings and pending:
        report.findings.append(Finding(
            "missing_tail", None, f"a checkpoint was signed over {pending[-1].tree_size} "
                                  f"events, but the log and its tree hold {frontier.size}"))
    if on_progress:
        on_progress(report.events + report.unchained, total)
    return report


def _compare(events: list[Any], leaves: list[Any], frontier: tree.Frontier,
             pending: list[store.StoredCheckpoint], report: Report) -> None:
    """Compare events with the stored leaves in their places, pair by pair, appending each
    recomputed leaf to ``frontier`` and comparing each checkpoint it reaches; stop at the
    first finding (added to ``report``)."""
    leaf, leaf_hash, append = tree.leaf, tree.leaf_hash, frontier.append
    for event, stored in zip(events, leaves, strict=True):
        position = event[0]
        report.chained = stored[0] + 1
        if position != stored[1]:
            missing = min(position, stored[1])
            report.findings.append(Finding(
                "missing" if position > stored[1] else "unchained", missing,
                f"the event at position {missing} was deleted" if position > missing
                else f"the event at position {missing} is not in the tree where its "
                     "position puts it"))
            return
        digest = leaf_hash(leaf(position, event[1], event[2], event[3], event[4]))
        if digest != stored[2]:
            report.findings.append(Finding(
                "altered", position, f"the event at position {position} was changed after "
                                     "it was chained (its bytes, type, record or version)"))
            return
        append(digest)
        report.events += 1
        report.last_position = position
        while pending and pending[0].tree_size == frontier.size:
            checkpoint = pending.pop(0)
            report.checkpoints += 1
            if frontier.root() != checkpoint.root_hash:
                report.findings.append(Finding(
                    "checkpoint_mismatch", position,
                    f"the tree of the first {checkpoint.tree_size} events (to position "
                    f"{position}) does not have the root its signed checkpoint states: an "
                    "event up to there was changed along with the stored tree"))
                return


async def _last_chained(conn: asyncpg.Connection) -> int:
    return (await store.size(conn))[1]
