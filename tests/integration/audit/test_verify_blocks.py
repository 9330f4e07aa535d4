"""Verification in worker processes, a block of positions at a time: each worker compares its
block's recomputed leaves with the stored ones and sends the complete subtrees above them;
the first block that does not agree is handed to the event-by-event comparison. Whatever was
done to the log behind the service's back, the findings are the ones the event-by-event
comparison alone names, wherever in a block (or between blocks) the damage is."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from lifecycle.audit import recompute
from lifecycle.audit.verify import verify
from lifecycle.store.database import Database
from tests.integration.audit_world import KEY, Log, chained_log

SPAN = 3  # positions in a block: the small log (a dozen events) spans several blocks


@pytest.fixture
async def log(server: Database, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Log]:
    monkeypatch.setattr(recompute, "SPAN", SPAN)
    async with chained_log(server) as opened:
        yield opened


async def middle(log: Log, offset: int = 0) -> int:
    """A position near the middle of the log, ``offset`` from the start of its block."""
    head = log.app.store.head()
    return int(head // 2 // SPAN * SPAN + offset)


async def alter_state(log: Log) -> None:
    await log.conn.execute("UPDATE lifecycle_events SET state = state || '\\x20'::bytea "
                           "WHERE notification_id = $1", await middle(log, 1))


async def change_topic(log: Log) -> None:
    await log.conn.execute("UPDATE lifecycle_events SET topic = topic || 'X' "
                           "WHERE notification_id = $1", await middle(log, 2))


async def delete_first_of_a_block(log: Log) -> None:
    await log.conn.execute("DELETE FROM lifecycle_events WHERE notification_id = $1",
                           await middle(log, 0))


async def delete_last_of_a_block(log: Log) -> None:
    await log.conn.execute("DELETE FROM lifecycle_events WHERE notification_id = $1",
                           await middle(log, SPAN - 1))


async def delete_last_of_a_block_and_its_place_in_the_tree(log: Log) -> None:
    """The blocks each agree with what is left; the tree's leaf indices skip one between
    them."""
    position = await middle(log, SPAN - 1)
    await log.conn.execute("DELETE FROM lifecycle_events WHERE notification_id = $1", position)
    await log.conn.execute("DELETE FROM audit_leaves WHERE position = $1", position)


async def delete_with_its_place_where_no_checkpoint_covers_it(log: Log) -> None:
    """As above, with the checkpoints after it gone too: only the hole in the tree's leaf
    indices tells (an outsider found this reported intact)."""
    position = await middle(log, 1)
    index = await log.conn.fetchval("SELECT leaf_index FROM audit_leaves WHERE position = $1",
                                    position)
    await log.conn.execute("DELETE FROM lifecycle_events WHERE notification_id = $1", position)
    await log.conn.execute("DELETE FROM audit_nodes WHERE level = 0 AND idx = $1", index)
    await log.conn.execute("DELETE FROM audit_leaves WHERE position = $1", position)
    await log.conn.execute("DELETE FROM audit_checkpoints WHERE tree_size > $1", index)


async def null_state(log: Log) -> None:
    await log.conn.execute("UPDATE lifecycle_events SET state = NULL "
                           "WHERE notification_id = $1", await middle(log, 1))


async def null_topic(log: Log) -> None:
    await log.conn.execute("UPDATE lifecycle_events SET topic = NULL "
                           "WHERE notification_id = $1", await middle(log, 1))


async def negative_version(log: Log) -> None:
    await log.conn.execute("UPDATE lifecycle_events SET originator_version = -5 "
                           "WHERE notification_id = $1", await middle(log, 1))


async def delete_a_whole_block(log: Log) -> None:
    start = await middle(log)
    await log.conn.execute("DELETE FROM lifecycle_events WHERE notification_id >= $1 "
                           "AND notification_id < $2", start, start + SPAN)


async def delete_the_newest(log: Log) -> None:
    await log.conn.execute("DELETE FROM lifecycle_events WHERE notification_id > $1",
                           log.app.store.head() - 3)


async def swap_two_stored_positions(log: Log) -> None:
    """The tree's position index (audit_leaves) says two events sit in each other's place."""
    first = await middle(log, 1)
    for was, becomes in ((first, -1), (first + 1, first), (-1, first + 1)):  # one is unique
        await log.conn.execute("UPDATE audit_leaves SET position = $2 WHERE position = $1",
                               was, becomes)


async def drop_a_stored_leaf_hash(log: Log) -> None:
    await log.conn.execute(
        "DELETE FROM audit_nodes WHERE level = 0 AND idx = (SELECT leaf_index FROM "
        "audit_leaves WHERE position = $1)", await middle(log, 2))


async def alter_a_stored_leaf_hash(log: Log) -> None:
    await log.conn.execute(
        "UPDATE audit_nodes SET hash = sha256(hash) WHERE level = 0 AND idx = (SELECT "
        "leaf_index FROM audit_leaves WHERE position = $1)", await middle(log, 2))


async def add_unchained_events(log: Log) -> None:
    """Not damage: events written after the chaining worker last ran."""
    await log.conn.execute(
        "INSERT INTO lifecycle_events (originator_id, originator_version, topic, state) "
        "SELECT gen_random_uuid(), 1, 'lifecycle/Later', '\\x7b7d'::bytea "
        "FROM generate_series(1, 6)")


DAMAGE = [alter_state, change_topic, delete_first_of_a_block, delete_last_of_a_block,
          delete_last_of_a_block_and_its_place_in_the_tree,
          delete_with_its_place_where_no_checkpoint_covers_it, null_state, null_topic,
          negative_version, delete_a_whole_block,
          delete_the_newest, swap_two_stored_positions, drop_a_stored_leaf_hash,
          alter_a_stored_leaf_hash]


def findings(report: Any) -> list[tuple[str, int | None, str]]:
    return [(f.kind, f.position, f.message) for f in report.findings]


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda damage: damage.__name__)
async def test_workers_name_what_the_event_by_event_comparison_names(
        log: Log, damage: Any) -> None:
    await damage(log)
    by_event = await verify(log.conn, KEY.verifier())
    by_block = await verify(log.conn, KEY.verifier(), dsn=log.db.url)
    assert by_event.findings, "the damage is found"
    assert findings(by_block) == findings(by_event)
    assert (by_block.events, by_block.chained, by_block.last_position) == \
        (by_event.events, by_event.chained, by_event.last_position)


# What the damage is named, and where (offset in the block of ``middle``).
NAMED = {alter_state: ("altered", 1), change_topic: ("altered", 2),
         delete_first_of_a_block: ("missing", 0), delete_last_of_a_block: ("missing", SPAN - 1),
         delete_last_of_a_block_and_its_place_in_the_tree: ("missing", SPAN - 1),
         delete_with_its_place_where_no_checkpoint_covers_it: ("missing", 1),
         null_state: ("altered", 1), null_topic: ("altered", 1), negative_version: ("altered", 1)}


@pytest.mark.parametrize("damage", list(NAMED), ids=lambda damage: damage.__name__)
async def test_the_damage_is_named_at_its_position(log: Log, damage: Any) -> None:
    """Each is a finding of its kind at its position, not a crash (an outsider's null state,
    null topic and negative version stopped verification with a traceback) and not intact."""
    kind, offset = NAMED[damage]
    await damage(log)
    report = await verify(log.conn, KEY.verifier(), dsn=log.db.url)
    assert [(f.kind, f.position) for f in report.findings] == \
        [(kind, await middle(log, offset))]


async def test_unchained_newest_events_are_counted_not_reported(log: Log) -> None:
    await add_unchained_events(log)
    by_event = await verify(log.conn, KEY.verifier())
    by_block = await verify(log.conn, KEY.verifier(), dsn=log.db.url)
    assert by_block.intact
    assert by_event.intact
    assert by_block.unchained == by_event.unchained == 6
    assert by_block.events == by_event.events == log.app.store.head() - 6


async def test_an_intact_log_is_made_leaves_by_the_workers_alone(
        log: Log, monkeypatch: pytest.MonkeyPatch) -> None:
    """The verifier's own process hashes no event of an intact, fully chained log: every
    block agreed, and the tree above them came from the workers' subtrees."""
    hashed_here: list[int] = []
    fetch = recompute.InProcess.fetch

    async def counted(self: recompute.InProcess) -> recompute.Batch:
        batch = await fetch(self)
        hashed_here.append(len(batch))
        return batch

    monkeypatch.setattr(recompute.InProcess, "fetch", counted)
    report = await verify(log.conn, KEY.verifier(), dsn=log.db.url)
    assert report.intact, report.findings
    assert report.events == log.app.store.head() > 3 * SPAN
    assert report.checkpoints > 1
    assert sum(hashed_here) == 0
