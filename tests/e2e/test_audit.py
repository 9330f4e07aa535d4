"""The audit over HTTP and the command line: history, as of, proofs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from lifecycle.actor import Actor
from lifecycle.application import LifecycleApplication
from lifecycle.store.database import Database
from tests.e2e.conftest import LiveServer
from tests.e2e.test_cli import env_for, run
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
