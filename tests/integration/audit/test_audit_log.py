"""The transparency log on a real PostgreSQL: the chaining worker appends every event and signs
checkpoints; proofs from the stored tree verify with pymerkle and the standalone verifier;
verification names an event altered, retyped or deleted in the database behind the service's
back."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import anyio
import pytest
from pymerkle import InmemoryTree, verify_consistency

import verify_export as standalone
from lifecycle.audit import recompute, store, tree
from lifecycle.audit.chain import Chainer, TreeDamaged
from lifecycle.audit.checkpoint import SigningKey, open_note
from lifecycle.audit.verify import verify
from lifecycle.store.database import Database
from tests.conftest import new_organisation
from tests.integration.audit_world import EVERY, KEY, ORIGIN, Log, chain_all, chained_log


@pytest.fixture
async def log(server: Database) -> AsyncIterator[Log]:
    async with chained_log(server) as opened:
        yield opened


@pytest.fixture(params=["here", "in worker processes"])
def leaves_from(request: pytest.FixtureRequest, log: Log) -> str | None:
    """Verification recomputing the leaves in its own process, or (given the database's URL)
    in worker processes on the same snapshot: each finding is named the same either way."""
    return None if request.param == "here" else log.db.url


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


async def stored_leaves(log: Log) -> list[bytes]:
    rows = await log.conn.fetch(
        "SELECT notification_id, originator_id, originator_version, topic, state "
        "FROM lifecycle_events ORDER BY notification_id")
    return [tree.leaf(r[0], r[1], r[2], r[3], r[4]) for r in rows]


async def test_every_event_is_chained_and_checkpoints_are_signed_notes(log: Log) -> None:
    leaves = await stored_leaves(log)
    signed = await store.checkpoints(log.conn)
    # every EVERY events, and the rest once the (tiny) interval passed
    assert signed[0].tree_size == EVERY
    assert signed[-1].tree_size == len(leaves)
    reference = InmemoryTree(algorithm="sha256")
    for leaf in leaves:
        reference.append_entry(leaf)
    for checkpoint in signed:
        stated = open_note(checkpoint.note, KEY.verifier())
        assert (stated.origin, stated.size) == (ORIGIN, checkpoint.tree_size)
        assert stated.root_hash == checkpoint.root_hash == reference.get_root(stated.size)
        text, signature = checkpoint.note.split("\n\n")
        assert text == f"{ORIGIN}\n{stated.size}\n{b64(stated.root_hash)}"
        assert signature.startswith("\u2014 test-log ")


async def test_an_inclusion_proof_verifies_with_pymerkle_and_the_standalone_verifier(
        log: Log) -> None:
    leaves = await stored_leaves(log)
    positions = [r[0] for r in await log.conn.fetch(
        "SELECT notification_id FROM lifecycle_events ORDER BY notification_id")]
    first = (await store.checkpoints(log.conn))[0]
    reference = InmemoryTree(algorithm="sha256")
    for leaf in leaves:
        reference.append_entry(leaf)
    for index in (0, 3, EVERY - 1):
        proof = await store.inclusion(log.conn, positions[index], first.tree_size)
        assert (proof.leaf_index, proof.tree_size) == (index, EVERY)
        assert proof.leaf_hash == tree.leaf_hash(leaves[index])
        assert proof.inclusion_path == reference.prove_inclusion(index + 1, EVERY).path[1:]
        assert standalone.root_from_inclusion(index, EVERY, proof.leaf_hash,
                                              proof.inclusion_path) == first.root_hash
    with pytest.raises(store.NoSuchProof):  # after that checkpoint
        await store.inclusion(log.conn, positions[EVERY], first.tree_size)


async def test_a_consistency_proof_between_checkpoints_verifies(log: Log) -> None:
    signed = await store.checkpoints(log.conn)
    old, new = signed[0], signed[-1]
    path = await store.consistency(log.conn, old.tree_size, new.tree_size)
    standalone.verify_consistency(old.tree_size, new.tree_size, old.root_hash, new.root_hash,
                                  path)
    reference = InmemoryTree(algorithm="sha256")
    for leaf in await stored_leaves(log):
        reference.append_entry(leaf)
    verify_consistency(old.root_hash, new.root_hash,
                       reference.prove_consistency(old.tree_size, new.tree_size))
    with pytest.raises(store.NoSuchProof):
        await store.consistency(log.conn, new.tree_size, old.tree_size)


async def test_verify_finds_an_untouched_log_intact(log: Log, leaves_from: str | None) -> None:
    report = await verify(log.conn, KEY.verifier(), dsn=leaves_from)
    assert report.intact, report.findings
    assert report.events == report.chained == log.app.store.head()


async def test_verify_names_the_position_of_an_event_whose_bytes_were_altered(
        log: Log, leaves_from: str | None) -> None:
    position = await log.conn.fetchval(
        "SELECT notification_id FROM lifecycle_events WHERE topic = 'lifecycle/AdoptionDecided'")
    proof = await store.inclusion(log.conn, position)
    await log.conn.execute(
        "UPDATE lifecycle_events SET state = replace(convert_from(state, 'UTF8'), "
        "'safe and cheap', 'risky and dear')::bytea WHERE notification_id = $1", position)
    report = await verify(log.conn, KEY.verifier(), dsn=leaves_from)
    assert [(f.kind, f.position) for f in report.findings] == [("altered", position)]
    row = await log.conn.fetchrow("SELECT * FROM lifecycle_events WHERE notification_id = $1",
                                  position)
    altered = tree.leaf_hash(tree.leaf(position, row["originator_id"],
                                       row["originator_version"], row["topic"], row["state"]))
    signed = await store.checkpoint(log.conn)
    assert signed is not None
    # the proof given before no longer leads from the altered event to the signed root
    assert standalone.root_from_inclusion(proof.leaf_index, proof.tree_size, altered,
                                          proof.inclusion_path) != signed.root_hash


async def test_verify_names_the_position_of_an_event_whose_topic_was_changed(
        log: Log, leaves_from: str | None) -> None:
    position = await log.conn.fetchval(
        "SELECT notification_id FROM lifecycle_events WHERE topic = 'lifecycle/IdeaAccepted'")
    await log.conn.execute("UPDATE lifecycle_events SET topic = 'lifecycle/IdeaDeclined' "
                           "WHERE notification_id = $1", position)
    report = await verify(log.conn, KEY.verifier(), dsn=leaves_from)
    assert [(f.kind, f.position) for f in report.findings] == [("altered", position)]


async def test_verify_reports_deleted_newest_events_as_a_missing_tail(
        log: Log, leaves_from: str | None) -> None:
    head = log.app.store.head()
    newest = [r[0] for r in await log.conn.fetch(
        "SELECT notification_id FROM lifecycle_events ORDER BY notification_id DESC LIMIT 3")]
    await log.conn.execute("DELETE FROM lifecycle_events WHERE notification_id = ANY($1)",
                           newest)
    report = await verify(log.conn, KEY.verifier(), dsn=leaves_from)
    assert [(f.kind, f.position) for f in report.findings] == [("missing_tail", min(newest))]
    assert f"up to position {head}" in report.findings[0].message


async def test_verify_reports_a_missing_tail_when_the_tree_was_cut_back_too(
        log: Log, leaves_from: str | None) -> None:
    signed = await store.checkpoint(log.conn)
    assert signed is not None
    await log.conn.execute("DELETE FROM lifecycle_events WHERE notification_id IN (SELECT "
                           "position FROM audit_leaves WHERE leaf_index >= $1 - 2)",
                           signed.tree_size)
    await log.conn.execute("DELETE FROM audit_leaves WHERE leaf_index >= $1 - 2",
                           signed.tree_size)
    report = await verify(log.conn, KEY.verifier(), dsn=leaves_from)
    assert [f.kind for f in report.findings] == ["missing_tail"]
    assert f"signed over {signed.tree_size} events" in report.findings[0].message


async def test_a_checkpoint_signed_by_another_key_is_reported(
        log: Log, leaves_from: str | None) -> None:
    report = await verify(log.conn, SigningKey.generate("someone-else").verifier(),
                          dsn=leaves_from)
    assert {f.kind for f in report.findings} == {"bad_signature"}


async def test_verify_names_an_event_deleted_from_the_middle_of_the_log(
        log: Log, leaves_from: str | None) -> None:
    position = await log.conn.fetchval(
        "SELECT notification_id FROM lifecycle_events WHERE topic = 'lifecycle/IdeaAccepted'")
    await log.conn.execute("DELETE FROM lifecycle_events WHERE notification_id = $1", position)
    report = await verify(log.conn, KEY.verifier(), dsn=leaves_from)
    assert [(f.kind, f.position) for f in report.findings] == [("missing", position)]


async def test_verify_finds_an_event_altered_along_with_its_stored_leaf_at_the_checkpoint(
        log: Log, leaves_from: str | None) -> None:
    """The stored tree rewritten to match an altered event still parts from the signed
    checkpoint: verify names the first checkpoint whose tree holds the event."""
    position = await log.conn.fetchval(
        "SELECT notification_id FROM lifecycle_events WHERE topic = 'lifecycle/AdoptionDecided'")
    await log.conn.execute(
        "UPDATE lifecycle_events SET state = replace(convert_from(state, 'UTF8'), "
        "'safe and cheap', 'risky and dear')::bytea WHERE notification_id = $1", position)
    row = await log.conn.fetchrow("SELECT * FROM lifecycle_events WHERE notification_id = $1",
                                  position)
    index = await log.conn.fetchval("SELECT leaf_index FROM audit_leaves WHERE position = $1",
                                    position)
    await log.conn.execute("UPDATE audit_nodes SET hash = $1 WHERE level = 0 AND idx = $2",
                           tree.leaf_hash(tree.leaf(position, row["originator_id"],
                                                    row["originator_version"], row["topic"],
                                                    row["state"])), index)
    report = await verify(log.conn, KEY.verifier(), dsn=leaves_from)
    [finding] = report.findings
    assert finding.kind == "checkpoint_mismatch"
    signed_size = await log.conn.fetchval(  # the first checkpoint holding the leaf
        "SELECT min(tree_size) FROM audit_checkpoints WHERE tree_size > $1", index)
    assert f"the first {signed_size} events" in finding.message


async def test_a_checkpoint_kept_elsewhere_finds_a_rewrite_whose_checkpoints_were_deleted(
        log: Log, leaves_from: str | None) -> None:
    """An event altered with its stored leaf, and every checkpoint holding it deleted from the
    database: the stored checkpoints alone find the log intact (an outsider did this), a
    checkpoint the auditor kept names the rewrite; a kept note not signed by the verifier key
    is a finding, not trusted."""
    position = await log.conn.fetchval(
        "SELECT notification_id FROM lifecycle_events WHERE topic = 'lifecycle/AdoptionDecided'")
    index = await log.conn.fetchval("SELECT leaf_index FROM audit_leaves WHERE position = $1",
                                    position)
    kept = await log.conn.fetchval("SELECT note FROM audit_checkpoints WHERE tree_size > $1 "
                                   "ORDER BY tree_size LIMIT 1", index)
    await log.conn.execute(
        "UPDATE lifecycle_events SET state = replace(convert_from(state, 'UTF8'), "
        "'safe and cheap', 'risky and dear')::bytea WHERE notification_id = $1", position)
    row = await log.conn.fetchrow("SELECT * FROM lifecycle_events WHERE notification_id = $1",
                                  position)
    await log.conn.execute("UPDATE audit_nodes SET hash = $1 WHERE level = 0 AND idx = $2",
                           tree.leaf_hash(tree.leaf(position, row["originator_id"],
                                                    row["originator_version"], row["topic"],
                                                    row["state"])), index)
    await log.conn.execute("DELETE FROM audit_checkpoints WHERE tree_size > $1", index)
    unaware = await verify(log.conn, KEY.verifier(), dsn=leaves_from)
    assert unaware.intact  # what the database alone can say
    report = await verify(log.conn, KEY.verifier(), dsn=leaves_from, kept=[kept])
    assert [f.kind for f in report.findings] == ["checkpoint_mismatch"]
    forged = await verify(log.conn, SigningKey.generate("other").verifier(),
                          dsn=leaves_from, kept=[kept])
    assert any(f.kind == "bad_signature" and "kept checkpoint" in f.message
               for f in forged.findings)


async def test_the_chaining_worker_will_not_extend_a_tree_altered_after_it_was_signed(
        log: Log) -> None:
    """An inner node of the signed tree rewritten (an outsider saw the worker go on from it
    and sign checkpoints over a wrong root): the worker refuses to resume, signs nothing more,
    and resumes once the node is put back."""
    signed = await store.checkpoint(log.conn)
    assert signed is not None
    level = signed.tree_size.bit_length() - 1  # the largest node of the signed tree
    was = await log.conn.fetchval("SELECT hash FROM audit_nodes WHERE level = $1 AND idx = 0",
                                  level)
    await log.conn.execute("UPDATE audit_nodes SET hash = sha256(hash) WHERE level = $1 "
                           "AND idx = 0", level)
    new_organisation(log.app, "After the rewrite")
    worker = Chainer(log.db.url, KEY, ORIGIN, every_events=1, every_minutes=0.001,
                     poll_interval=0.05)
    # (a worker that went on would chain until stopped: a generous bound makes that a failure)
    with anyio.fail_after(60), \
            pytest.raises(TreeDamaged, match=f"checkpoint of {signed.tree_size} events"):
        await worker.run(anyio.Event())
    assert (await store.checkpoint(log.conn)) == signed
    await log.conn.execute("UPDATE audit_nodes SET hash = $2 WHERE level = $1 AND idx = 0",
                           level, was)
    await chain_all(log.db, log.app)
    latest = await store.checkpoint(log.conn)
    assert latest is not None
    assert latest.tree_size == log.app.store.head()


async def test_workers_taking_turns_over_many_blocks_name_the_altered_event(
        log: Log, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three worker processes over blocks of 2 positions (each takes every third block): the
    leaves come back in position order and the altered event is still named."""
    monkeypatch.setattr(recompute, "PROCESSES", 3)
    monkeypatch.setattr(recompute, "SPAN", 2)
    intact = await verify(log.conn, KEY.verifier(), dsn=log.db.url)
    assert intact.intact, intact.findings
    assert intact.events == log.app.store.head() > 3 * 2  # every process takes turns
    position = await log.conn.fetchval(
        "SELECT notification_id FROM lifecycle_events WHERE topic = 'lifecycle/AdoptionDecided'")
    await log.conn.execute("UPDATE lifecycle_events SET state = overlay(state PLACING "
                           "'\\x00'::bytea FROM 3 FOR 1) WHERE notification_id = $1", position)
    report = await verify(log.conn, KEY.verifier(), dsn=log.db.url)
    assert [(f.kind, f.position) for f in report.findings] == [("altered", position)]


async def test_a_worker_that_fails_is_an_error_not_a_verdict(log: Log) -> None:
    """A worker that cannot read the log (here: a database that does not exist) stops
    verification with its reason, rather than a report."""
    elsewhere = log.db.with_name("no_such_database").url
    with pytest.raises(recompute.RecomputeFailed, match="no_such_database"):
        await verify(log.conn, KEY.verifier(), dsn=elsewhere)
