"""An organisation's audit export, as JSON Lines: a header naming the latest signed checkpoint,
every checkpoint (oldest first, each with the consistency proof from the one before), and the
organisation's events recorded in a date range, each with its stored bytes and its inclusion
proof against the latest checkpoint. ``verify_export.py`` checks one with nothing but Python
and ``cryptography``.

An organisation's events are those of the records it owns: itself, and every record (an
innovation, challenge or measure) whose first event was recorded for it. Events after the
latest checkpoint are not in the export (nothing signed holds them yet). An event whose actor
was erased (``PersonErased``) says so (``"actor_erased": true``), beside its unchanged bytes.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from uuid import UUID

import asyncpg
from eventsourcing.persistence import StoredEvent

from lifecycle.audit import store, tree
from lifecycle.errors import ValidationFailed
from projections.engine.log import mapper

_FIRST_EVENTS = ("SELECT originator_id, originator_version, topic, state FROM lifecycle_events "
                 "WHERE originator_version = 1 AND notification_id <= $1")
_EVENTS = """
SELECT e.notification_id, e.recorded_at, e.originator_id, e.originator_version, e.topic,
       e.state, l.leaf_index
FROM lifecycle_events e JOIN audit_leaves l ON l.position = e.notification_id
WHERE e.originator_id = ANY($1) AND e.recorded_at >= $2 AND e.recorded_at < $3
  AND l.leaf_index < $4
ORDER BY e.notification_id
"""


@dataclass(frozen=True)
class Range:
    """Whole UTC days, both ends included."""

    organisation: UUID
    first: date
    last: date


def parse_range(organisation: str, first: str, last: str) -> Range:
    """The export's range from the command line's text. Raises ``ValidationFailed`` naming
    ``organisation``, ``from`` or ``to``: not an id, not an ISO date, or ``to`` before
    ``from``."""
    try:
        owner = UUID(organisation)
    except ValueError:
        raise ValidationFailed("organisation", "must be an organisation's id") from None
    days = []
    for field, text in (("from", first), ("to", last)):
        try:
            days.append(date.fromisoformat(text))
        except ValueError:
            raise ValidationFailed(field, "must be a date, YYYY-MM-DD") from None
    if days[1] < days[0]:
        raise ValidationFailed("to", "must not be before {0}", "from")
    return Range(owner, days[0], days[1])


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


async def export(conn: asyncpg.Connection, wanted: Range, write: Callable[[str], None]) -> int:
    """Write the export of ``wanted`` line by line; return how many events it holds. Raises
    ``store.NoSuchProof`` when the log has no checkpoint yet."""
    latest = await store.checkpoint(conn)
    if latest is None:
        raise store.NoSuchProof("the log has no signed checkpoint yet")
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        last_position = await conn.fetchval(
            "SELECT position FROM audit_leaves WHERE leaf_index = $1", latest.tree_size - 1)
        owned = await _records_of(conn, wanted.organisation, last_position)
        write(json.dumps({"kind": "header", "organisation": str(wanted.organisation),
                          "from": wanted.first.isoformat(), "to": wanted.last.isoformat(),
                          "tree_size": latest.tree_size, "checkpoint": latest.note}))
        previous = None
        for checkpoint in await store.checkpoints(conn):
            line: dict[str, object] = {"kind": "checkpoint", "tree_size": checkpoint.tree_size,
                                       "note": checkpoint.note}
            if previous is not None:
                line["consistency_path"] = [_b64(h) for h in await store.consistency(
                    conn, previous, checkpoint.tree_size)]
            write(json.dumps(line))
            previous = checkpoint.tree_size
        start = datetime.combine(wanted.first, time(), UTC)
        end = datetime.combine(wanted.last + timedelta(days=1), time(), UTC)
        count = 0
        erased = await _erased(conn)
        decoder = mapper()
        for row in await conn.fetch(_EVENTS, list(owned), start, end, latest.tree_size):
            index: int = row["leaf_index"]
            actor = getattr(decoder.to_domain_event(StoredEvent(
                row["originator_id"], row["originator_version"], row["topic"], row["state"])),
                "actor", None)
            path = await store.computed(conn, partial(_path, index, latest.tree_size))
            write(json.dumps({
                "kind": "event", "position": row["notification_id"],
                "recorded_at": row["recorded_at"].isoformat(),
                "originator_id": str(row["originator_id"]),
                "originator_version": row["originator_version"], "topic": row["topic"],
                "state": _b64(row["state"]), "leaf_index": index,
                "inclusion_path": [_b64(h) for h in path], "actor_erased": actor in erased}))
            count += 1
    return count


async def _erased(conn: asyncpg.Connection) -> set[str]:
    """Everyone erased, as the person registry (the write side's truth) has it."""
    return {r[0] for r in await conn.fetch(
        "SELECT subject FROM lifecycle_people WHERE erased_at IS NOT NULL")}


def _path(index: int, size: int, nodes: tree.Nodes) -> list[bytes]:
    return tree.inclusion_path(index, size, nodes)


async def _records_of(conn: asyncpg.Connection, organisation: UUID,
                      last_position: int) -> set[UUID]:
    """The organisation itself and every record whose first event was recorded for it."""
    decoder = mapper()
    owned = {organisation}
    for row in await conn.fetch(_FIRST_EVENTS, last_position):
        event = decoder.to_domain_event(StoredEvent(row[0], row[1], row[2], row[3]))
        if getattr(event, "actor_organisation", None) == organisation:
            owned.add(row[0])
    return owned
