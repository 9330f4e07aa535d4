"""Idempotency keys and concurrent writers, through GraphQL over real HTTP: a key names one
request of its caller whatever the mutation, and commands that name no version all land however
many arrive at once."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from lifecycle.actor import Actor, Role
from lifecycle.application import LifecycleApplication
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer

CONCURRENT = 100
PAYLOAD = ("__typename ... on UserError { code message } "
           "... on VersionConflictError { expected actual }")


def document(mutation: str) -> str:
    kind = f"{mutation[0].upper()}{mutation[1:]}Input"
    extra = " ... on IdeaSubmitted { innovation { id } }" if mutation == "submitIdea" else ""
    return (f"mutation Do($input: {kind}!) {{ {mutation}(input: $input) {{ {PAYLOAD}{extra} }} }}")


async def send(client: httpx.AsyncClient, live: LiveServer, actor: Actor, mutation: str,
               **input: Any) -> dict[str, Any]:
    response = await client.post(f"{live.url}/graphql", json={
        "query": document(mutation), "variables": {"input": input}},
        headers={"Authorization": f"Bearer {live.token(actor)}"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"][mutation]
    return payload


@pytest.fixture(scope="module")
def staff(app: LifecycleApplication) -> Actor:
    return member(new_organisation(app, "Swansea Bay UHB", ("Morriston",)), Role.STAFF)


async def submitted(client: httpx.AsyncClient, live: LiveServer, staff: Actor) -> str:
    payload = await send(client, live, staff, "submitIdea", title="Hospital at home",
                         problem="p", proposal="q")
    ident: str = payload["innovation"]["id"]
    return ident


async def test_one_key_runs_one_request_whatever_the_mutation(
        live: LiveServer, app: LifecycleApplication, staff: Actor) -> None:
    key = f"key-{uuid4()}"
    async with httpx.AsyncClient(timeout=30) as client:
        first = await send(client, live, staff, "submitIdea", title="Keyed idea", problem="p",
                           proposal="q", idempotencyKey=key)
        ident = first["innovation"]["id"]
        comment = await send(client, live, staff, "commentOnIdea", innovationId=ident,
                             text="with the same key", idempotencyKey=key)
        endorse = await send(client, live, staff, "endorseIdea", innovationId=ident,
                             idempotencyKey=key)
        again = await send(client, live, staff, "submitIdea", title="Keyed idea",
                           problem="p", proposal="q", idempotencyKey=key)
    assert comment["__typename"] == endorse["__typename"] == "IdempotencyKeyReusedError"
    assert comment["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert app.repository.get(UUID(ident)).version == 1  # neither the comment nor endorsement
    assert (again["__typename"], again["innovation"]["id"]) == ("IdeaSubmitted", ident)


async def test_another_persons_key_is_their_own(live: LiveServer, app: LifecycleApplication,
                                                staff: Actor) -> None:
    key = f"key-{uuid4()}"
    colleague = member(staff, Role.STAFF)
    async with httpx.AsyncClient(timeout=30) as client:
        ident = await submitted(client, live, staff)
        mine = await send(client, live, staff, "commentOnIdea", innovationId=ident, text="a",
                          idempotencyKey=key)
        theirs = await send(client, live, colleague, "endorseIdea", innovationId=ident,
                            idempotencyKey=key)
    assert (mine["__typename"], theirs["__typename"]) == ("CommentAdded", "IdeaEndorsed")


async def test_concurrent_comments_that_name_no_version_all_land(
        live: LiveServer, app: LifecycleApplication, staff: Actor) -> None:
    people = [member(staff, Role.STAFF) for _ in range(CONCURRENT)]
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=CONCURRENT)
                                 ) as client:
        ident = await submitted(client, live, staff)
        payloads = await asyncio.gather(*(
            send(client, live, who, "commentOnIdea", innovationId=ident, text=f"comment {n}")
            for n, who in enumerate(people)))
    assert Counter(p["__typename"] for p in payloads) == {"CommentAdded": CONCURRENT}
    assert app.repository.get(UUID(ident)).version == 1 + CONCURRENT


async def test_concurrent_comments_that_name_one_version_give_one_success(
        live: LiveServer, app: LifecycleApplication, staff: Actor) -> None:
    people = [member(staff, Role.STAFF) for _ in range(20)]
    async with httpx.AsyncClient(timeout=120) as client:
        ident = await submitted(client, live, staff)
        payloads = await asyncio.gather(*(
            send(client, live, who, "commentOnIdea", innovationId=ident, text="first!",
                 expectedVersion=1) for who in people))
    assert Counter(p["__typename"] for p in payloads) == {"CommentAdded": 1,
                                                          "VersionConflictError": 19}
    assert {(p["expected"], p["actual"]) for p in payloads
            if p["__typename"] == "VersionConflictError"} == {(1, 2)}
