"""The audit over HTTP and the command line: history, as of, proofs."""

from __future__ import annotations

import base64
import json
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

import verify_export as standalone
from lifecycle.actor import Actor
from lifecycle.application import LifecycleApplication
from lifecycle.audit.history import history
from lifecycle.audit.keys import signing_key
from lifecycle.store.database import Database
from tests.conftest import drop_database, fresh_database, make_app, new_organisation
from tests.e2e.conftest import LiveServer
from tests.e2e.test_cli import LIFECYCLE, env_for, run
from tests.integration.audit_world import World, build

HISTORY = """query($id: ID!, $first: Int, $after: String) {
  history(id: $id, first: $first, after: $after) {
    edges { cursor node { position recordedAt version type subject organisationId role why
                          data } }
    pageInfo { hasNextPage hasPreviousPage endCursor } } }"""


@pytest.fixture(scope="module")
def world(app: LifecycleApplication) -> World:
    return build(app)


def ask(live: LiveServer, actor: Actor, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(f"{live.url}/graphql", headers={
        "Authorization": f"Bearer {live.token(actor)}"}, json={
        "query": query, "variables": variables}, timeout=30)
    body: dict[str, Any] = response.json()
    return body


def test_history_pages_over_graphql_with_who_acted_and_why(live: LiveServer,
                                                           world: World) -> None:
    first = ask(live, world.auditor, HISTORY, id=str(world.innovation), first=5)
    assert "errors" not in first, first
    page = first["data"]["history"]
    assert [e["node"]["type"] for e in page["edges"]][:2] == ["IdeaSubmitted", "IdeaAccepted"]
    assert page["edges"][1]["node"]["why"] == "worth a trial"
    assert page["pageInfo"]["hasNextPage"]
    rest = ask(live, world.auditor, HISTORY, id=str(world.innovation), first=50,
               after=page["pageInfo"]["endCursor"])["data"]["history"]
    assert rest["edges"][0]["node"]["version"] == 6
    assert rest["edges"][0]["node"]["data"]["outcome"] == "ADOPT"
    assert not rest["pageInfo"]["hasNextPage"]
    assert rest["pageInfo"]["hasPreviousPage"]


def test_a_summary_partner_and_a_stranger_get_no_history(live: LiveServer,
                                                         world: World) -> None:
    for outsider in (world.summary, world.stranger):
        body = ask(live, outsider, HISTORY, id=str(world.innovation))
        assert body == {"data": {"history": None}}


def test_a_cursor_of_another_list_is_refused(live: LiveServer, world: World) -> None:
    body = ask(live, world.lead, HISTORY, id=str(world.innovation), after="bm90LWEtY3Vyc29y")
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"


def test_history_command_prints_every_event_as_json_lines(db: Database, world: World,
                                                          tmp_path: Path) -> None:
    result = run(["history", str(world.innovation)], env_for(db, tmp_path))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["type"] for line in lines][:2] == ["IdeaSubmitted", "IdeaAccepted"]
    assert lines[5]["why"] == "safe and cheap"
    refused = run(["history", "not-an-id"], env_for(db, tmp_path))
    assert refused.returncode == 2
    assert "not a record's id" in refused.stderr


AS_OF = """query($id: ID!, $at: DateTime!) {
  innovation(id: $id, asOf: $at) { id version stage problem latestDecision evaluations } }"""
DECISIONS = """query($at: DateTime) { decisions(asOf: $at, first: 50) {
  edges { node { innovationId outcome } } } }"""


def moments(app: LifecycleApplication, world: World) -> dict[str, str]:
    """When the world's innovation was first recorded, evaluated, and decided on."""
    entries = history(app, None, world.innovation, first=100).entries
    at = {e.type: e.recorded_at for e in reversed(entries)}
    return {"before": (at["IdeaSubmitted"] - timedelta(seconds=1)).isoformat(),
            "evaluated": at["EvaluationRecorded"].isoformat(),
            "decided": at["AdoptionDecided"].isoformat()}


def test_as_of_answers_the_state_recorded_then_not_todays(
        live: LiveServer, app: LifecycleApplication, world: World) -> None:
    at = moments(app, world)
    wait_for_read_model(live, world)
    before = ask(live, world.auditor, AS_OF, id=str(world.innovation), at=at["evaluated"])
    assert before["data"]["innovation"] == {
        "id": str(world.innovation), "version": 5, "stage": "EVALUATING",
        "problem": "Lost notes", "latestDecision": None, "evaluations": 1}
    after = ask(live, world.auditor, AS_OF, id=str(world.innovation), at=at["decided"])
    assert after["data"]["innovation"]["latestDecision"] == "ADOPT"
    assert after["data"]["innovation"]["stage"] == "ADOPTED"
    summary = ask(live, world.summary, AS_OF, id=str(world.innovation), at=at["decided"])
    assert summary["data"]["innovation"]["problem"] is None  # today's scope: a summary
    hidden = ask(live, world.stranger, AS_OF, id=str(world.innovation), at=at["decided"])
    assert hidden == {"data": {"innovation": None}}


def test_as_of_before_the_innovation_existed_is_not_found_at_that_time(
        live: LiveServer, app: LifecycleApplication, world: World) -> None:
    at = moments(app, world)
    wait_for_read_model(live, world)
    body = ask(live, world.lead, AS_OF, id=str(world.innovation), at=at["before"])
    assert body["data"] == {"innovation": None}
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND_AT_THAT_TIME"
    assert "did not exist at" in body["errors"][0]["message"]


def test_as_of_without_a_utc_offset_is_refused(live: LiveServer, world: World) -> None:
    body = ask(live, world.lead, AS_OF, id=str(world.innovation), at="2025-01-01T00:00:00")
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert "asOf" in body["errors"][0]["message"]


def test_the_decision_register_as_of_excludes_later_decisions(
        live: LiveServer, app: LifecycleApplication, world: World) -> None:
    at = moments(app, world)

    def decided(moment: str | None) -> list[str]:
        body = ask(live, world.governance, DECISIONS, at=moment)
        assert "errors" not in body, body
        return [e["node"]["innovationId"] for e in body["data"]["decisions"]["edges"]]

    assert str(world.innovation) in decided(at["decided"])
    assert str(world.innovation) not in decided(at["evaluated"])


def wait_for_read_model(live: LiveServer, world: World) -> None:
    """Until the innovations read model has the world's innovation (the projector runs in the
    served app), within a generous deadline."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        body = ask(live, world.lead, "query($id: ID!) { innovation(id: $id) { id } }",
                   id=str(world.innovation))
        if body.get("data", {}).get("innovation"):
            return
        time.sleep(0.1)
    raise AssertionError("the read model did not reach the innovation")


PROOF = """query($position: String!, $checkpoint: String) {
  auditProof(position: $position, checkpoint: $checkpoint) {
    position leafIndex treeSize leafHash inclusionPath checkpoint } }"""
CONSISTENCY = """query($a: String!, $b: String!) {
  auditConsistency(fromSize: $a, toSize: $b) { fromSize toSize consistencyPath } }"""


def decision_position(app: LifecycleApplication, world: World) -> int:
    entries = history(app, None, world.innovation, first=100).entries
    return next(e.position for e in entries if e.type == "AdoptionDecided")


def proved(live: LiveServer, actor: Actor, position: int) -> dict[str, Any]:
    """The event's inclusion proof, once the served chaining worker has signed a checkpoint
    that holds it (within a generous deadline)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        body = ask(live, actor, PROOF, position=str(position))
        if body.get("errors", [{}])[0].get("extensions", {}).get("code") == "NO_SUCH_PROOF":
            time.sleep(0.1)  # not chained, or after the latest checkpoint: not yet
            continue
        assert "errors" not in body, body
        if body["data"]["auditProof"] is not None:
            proof: dict[str, Any] = body["data"]["auditProof"]
            return proof
        time.sleep(0.1)
    raise AssertionError("no checkpoint came to hold the event")


def test_an_events_inclusion_proof_over_graphql_verifies_standalone(
        live: LiveServer, app: LifecycleApplication, world: World) -> None:
    position = decision_position(app, world)
    proof = proved(live, world.auditor, position)
    key = standalone.parse_key(signing_key(live.settings).verifier())
    _, size, root = standalone.open_checkpoint(proof["checkpoint"], key)
    assert size == int(proof["treeSize"])
    leaf = base64.b64decode(proof["leafHash"])
    path = [base64.b64decode(h) for h in proof["inclusionPath"]]
    assert standalone.root_from_inclusion(int(proof["leafIndex"]), size, leaf, path) == root
    row = app.store.datastore.pool.getconn()
    try:
        stored = row.execute("SELECT originator_id, originator_version, topic, state FROM "
                             "lifecycle_events WHERE notification_id = %s", (position,)).fetchone()
    finally:
        app.store.datastore.pool.putconn(row)
    assert stored is not None
    assert leaf == standalone.leaf_hash(standalone.leaf_bytes(
        position, str(stored["originator_id"]), stored["originator_version"],
        stored["topic"], stored["state"]))


def test_a_proof_is_only_for_who_may_read_the_events_record(
        live: LiveServer, app: LifecycleApplication, world: World) -> None:
    position = decision_position(app, world)
    proved(live, world.full, position)
    for outsider in (world.summary, world.stranger):
        assert ask(live, outsider, PROOF, position=str(position)) == {
            "data": {"auditProof": None}}
    refused = ask(live, world.auditor, PROOF, position="-1")
    assert refused["errors"][0]["extensions"]["code"] == "VALIDATION"


def test_a_proof_the_log_cannot_give_says_why_to_who_may_read_the_record(
        live: LiveServer, app: LifecycleApplication, world: World) -> None:
    """An auditor asking for a proof against a size that is no checkpoint, or for consistency
    backwards, was answered null, as for an event it may not see; the command line said why."""
    position = decision_position(app, world)
    size = int(proved(live, world.auditor, position)["treeSize"])
    never = "9000000000000000000"  # no checkpoint has this size
    body = ask(live, world.auditor, PROOF, position=str(position), checkpoint=never)
    assert body["data"] == {"auditProof": None}
    assert body["errors"][0]["extensions"] == {"code": "NO_SUCH_PROOF"}
    assert body["errors"][0]["message"] == "no such checkpoint"
    backwards = ask(live, world.auditor, CONSISTENCY, a=str(size), b="1")
    assert backwards["errors"][0]["extensions"] == {"code": "NO_SUCH_PROOF"}
    assert backwards["errors"][0]["message"] == f"no consistency proof from checkpoint {size} to 1"
    # whoever may not read the record learns nothing more than before
    assert ask(live, world.stranger, PROOF, position=str(position), checkpoint=never) == {
        "data": {"auditProof": None}}


def test_consistency_between_two_checkpoints_over_graphql_verifies(
        live: LiveServer, app: LifecycleApplication, world: World) -> None:
    first = proved(live, world.auditor, decision_position(app, world))
    other = build(app)  # more events: a later checkpoint
    later = proved(live, other.auditor, app.store.head())
    key = standalone.parse_key(signing_key(live.settings).verifier())
    _, old, old_root = standalone.open_checkpoint(first["checkpoint"], key)
    _, new, new_root = standalone.open_checkpoint(later["checkpoint"], key)
    body = ask(live, world.auditor, CONSISTENCY, a=str(old), b=str(new))
    path = [base64.b64decode(h) for h in body["data"]["auditConsistency"]["consistencyPath"]]
    standalone.verify_consistency(old, new, old_root, new_root, path)


def test_prove_and_verify_commands(db: Database, live: LiveServer, app: LifecycleApplication,
                                   world: World) -> None:
    position = decision_position(app, world)
    proved(live, world.auditor, position)
    env = env_for(db, live.settings.data_dir)
    result = run(["audit", "prove", str(position)], env)
    assert result.returncode == 0, result.stderr
    proof = json.loads(result.stdout)
    assert proof["position"] == position
    assert proof["inclusion_path"]
    verified = run(["audit", "verify"], env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.strip().endswith("intact")
    by_key = run(["audit", "verify", "--key", signing_key(live.settings).verifier()], env)
    assert by_key.returncode == 0, by_key.stdout + by_key.stderr
    refused = run(["audit", "prove", "twelve"], env)
    assert refused.returncode == 2
    assert "decimal digits" in refused.stderr
    bad_key = run(["audit", "verify", "--key", "not-a-key"], env)
    assert bad_key.returncode == 2
    assert "--key" in bad_key.stderr
    kept = live.settings.data_dir / "kept-checkpoint"
    with app.store.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute("SELECT note FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1")
        row = curs.fetchone()
    assert row is not None
    kept.write_text(row["note"])
    against_kept = run(["audit", "verify", "--checkpoint", str(kept)], env)
    assert against_kept.returncode == 0, against_kept.stdout + against_kept.stderr
    assert against_kept.stdout.strip().endswith("intact")
    unreadable = run(["audit", "verify", "--checkpoint", str(kept.with_name("nowhere"))], env)
    assert unreadable.returncode == 2
    assert "--checkpoint" in unreadable.stderr


def test_export_command_refuses_a_malformed_range(db: Database, tmp_path: Path) -> None:
    refused = run(["audit", "export", "--organisation", "5b0c7f0e-5a8e-4c39-9f7e-1f1f1f1f1f1f",
                   "--from", "2025-02-01", "--to", "2025-01-31"], env_for(db, tmp_path))
    assert refused.returncode == 2
    assert "--to" in refused.stderr


def test_chain_command_chains_and_signs_then_stops_on_sigterm(server: Database,
                                                              tmp_path: Path) -> None:
    db = fresh_database(server, "lifecycle_chain_cli")
    app = make_app(db)
    try:
        new_organisation(app)
        env = {**env_for(db, tmp_path), "LIFECYCLE_AUDIT_CHECKPOINT_EVENTS": "1"}
        worker = subprocess.Popen([*LIFECYCLE, "chain"], env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                with app.store.datastore.get_connection() as conn, conn.cursor() as curs:
                    curs.execute("SELECT max(tree_size) AS n FROM audit_checkpoints")
                    row = curs.fetchone()
                if row is not None and row["n"] == app.store.head():
                    break
                assert worker.poll() is None, worker.communicate()[0]
                assert time.monotonic() < deadline, "the chaining worker signed nothing"
                time.sleep(0.1)
        finally:
            worker.send_signal(signal.SIGTERM)
            output = worker.communicate(timeout=30)[0]
        assert worker.returncode == 0, output
    finally:
        app.close()
        drop_database(server, db)
