"""The websocket is held to the HTTP request's rules: authentication in connection_init (4403
otherwise), origins, the size of a message before it is read, every document limit before any
work, no mutations, graphql-transport-ws only, and the token's expiry."""

from __future__ import annotations

import json
from uuid import uuid4

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from lifecycle.actor import Role
from lifecycle.application import LifecycleApplication
from schema.server.tokens import mint
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer
from tests.e2e.partners.client import connected, socket
from tests.e2e.standings import data_of

SHARED = "subscription { sharedInnovationEvents { position type } }"


async def test_a_connection_without_a_token_is_closed_forbidden(live: LiveServer) -> None:
    async with socket(live.url) as ws:
        await ws.send({"type": "connection_init", "payload": {}})
        assert (await ws.closed())[0] == 4403


async def test_a_connection_with_a_forged_token_is_closed_forbidden(live: LiveServer) -> None:
    async with socket(live.url) as ws:
        await ws.send({"type": "connection_init", "payload": {"token": "e30.e30.forged"}})
        assert (await ws.closed())[0] == 4403


async def test_a_token_for_an_organisation_never_registered_is_closed_forbidden(
        live: LiveServer) -> None:
    token = mint(live.settings, subject="person-1", organisation=uuid4(), roles=[Role.STAFF])
    async with socket(live.url) as ws:
        await ws.send({"type": "connection_init", "payload": {"token": token}})
        assert (await ws.closed())[0] == 4403


async def test_a_bearer_header_in_the_payload_authenticates_too(
        app: LifecycleApplication, live: LiveServer) -> None:
    caller = member(new_organisation(app, "Bearer Trust"), Role.STAFF)
    async with socket(live.url) as ws:
        await ws.send({"type": "connection_init",
                       "payload": {"Authorization": f"Bearer {live.token(caller)}"}})
        assert (await ws.receive())["type"] == "connection_ack"


async def test_a_subscription_before_connection_init_is_closed_unauthorised(
        live: LiveServer) -> None:
    async with socket(live.url) as ws:
        await ws.subscribe(SHARED)
        assert (await ws.closed())[0] == 4401


async def test_a_message_over_the_size_limit_is_refused_unread_before_authentication(
        live: LiveServer) -> None:
    padding = "x" * (live.settings.max_body_bytes + 1)
    async with socket(live.url, max_size=None) as ws:
        await ws.conn.send(json.dumps({"type": "connection_init", "payload": {"pad": padding}}))
        assert (await ws.closed())[0] == 1009


async def test_a_browser_on_a_foreign_origin_is_refused_at_the_handshake(
        live: LiveServer) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with socket(live.url, origin="https://elsewhere.example"):
            pass
    assert refused.value.response.status_code == 403
    async with socket(live.url, origin=live.url) as ws:  # its own origin is welcome
        await ws.send({"type": "connection_init", "payload": {}})
        assert (await ws.closed())[0] == 4403


async def test_only_the_graphql_transport_ws_protocol_is_spoken(live: LiveServer) -> None:
    from websockets.asyncio.client import connect

    from tests.e2e.partners.client import ws_url

    async with connect(ws_url(live.url), subprotocols=["graphql-ws"]) as conn:  # type: ignore[list-item]
        with pytest.raises(Exception):  # noqa: B017, PT011 (closed: which exception is the library's)
            await conn.recv()
        assert conn.close_code == 4406


async def test_mutations_are_refused_over_the_websocket_and_change_nothing(
        app: LifecycleApplication, live: LiveServer) -> None:
    caller = member(new_organisation(app, "Mutating Trust"), Role.STAFF)
    mutation = """mutation { submitIdea(input: {title: "Over the socket", problem: "p",
      proposal: "q"}) { __typename } }"""
    async with connected(live.url, live.token(caller)) as ws:
        op = await ws.subscribe(mutation)
        message = await ws.receive()
    assert message["id"] == op
    assert message["type"] == "error", message
    assert message["payload"][0]["extensions"]["code"] == "MUTATION_OVER_WEBSOCKET"
    found = data_of(live, caller, '{ innovations(filter: {search: "socket"}) '
                                  '{ edges { node { id } } } }')
    assert found["innovations"]["edges"] == []


def _http_code(live: LiveServer, token: str, document: str) -> str:
    body = httpx.post(f"{live.url}/graphql", headers={"Authorization": f"Bearer {token}"},
                      json={"query": document}).json()
    code: str = body["errors"][0]["extensions"]["code"]
    return code


@pytest.mark.parametrize("document", [
    pytest.param("subscription { sharedInnovationEvents { " + "position " * 60_000 + "} }",
                 id="too long"),
    pytest.param("subscription { sharedInnovationEvents { " + "position, " * 2100 + "} }",
                 id="too many tokens"),
    pytest.param("subscription { sharedInnovationEvents { "
                 + " ".join(f"a{n}: position" for n in range(40)) + " } }", id="too many aliases"),
    pytest.param("subscription { sharedInnovationEvents { " + "position " * 150 + "} }",
                 id="too many fields in a selection"),
    pytest.param("subscription { sharedInnovationEvents { innovation { organisation { id } "
                 "nope } } }", id="invalid"),
])
async def test_every_document_limit_of_http_applies_to_a_subscription(
        app: LifecycleApplication, live: LiveServer, document: str) -> None:
    caller = member(new_organisation(app, "Limited Trust"), Role.STAFF)
    token = live.token(caller)
    expected = _http_code(live, token, document.replace("subscription", "query", 1)
                          .replace("sharedInnovationEvents", "innovations(first: 1)", 1))
    async with connected(live.url, token) as ws:
        op = await ws.subscribe(document)
        message = await ws.receive()
    assert message["id"] == op
    assert message["type"] == "error", message
    assert message["payload"][0]["extensions"]["code"] == expected


async def test_a_malformed_after_position_is_a_validation_error(
        app: LifecycleApplication, live: LiveServer) -> None:
    caller = member(new_organisation(app, "Malformed Trust"), Role.STAFF)
    async with connected(live.url, live.token(caller)) as ws:
        op = await ws.subscribe("subscription($a: String) { sharedInnovationEvents(after: $a) "
                                "{ position } }", a="not-a-position")
        message = await ws.receive()
    assert message["id"] == op
    assert message["type"] == "error", message
    assert message["payload"][0]["extensions"]["code"] == "VALIDATION"


async def test_the_connection_is_closed_when_its_token_expires(
        app: LifecycleApplication, live: LiveServer) -> None:
    caller = member(new_organisation(app, "Expiring Trust"), Role.STAFF)
    token = mint(live.settings, subject=caller.subject, organisation=caller.organisation,
                 roles=[Role.STAFF], ttl_seconds=4)
    async with socket(live.url) as ws:
        ack = await ws.init(token)
        assert ack["type"] == "connection_ack", "the machine took over 4 s to connect"
        await ws.subscribe(SHARED)
        code, reason = await ws.closed()
    assert (code, reason) == (4403, "the token has expired")


@pytest.mark.parametrize(("message", "why"), [
    pytest.param({"id": "1", "type": "subscribe", "payload": "subscription { x }"},
                 "its payload must be an object", id="payload a string"),
    pytest.param({"id": "1", "type": "subscribe", "payload": {"query": 123}},
                 "payload.query must be a string or null", id="query a number"),
    pytest.param({"id": "1", "type": "subscribe", "payload": {"query": SHARED,
                                                              "variables": [1]}},
                 "payload.variables must be an object or null", id="variables a list"),
    pytest.param({"id": "1", "type": "subscribe", "payload": {"query": SHARED,
                                                              "operationName": 5}},
                 "payload.operationName must be a string or null", id="operation name a number"),
    pytest.param({"id": "1", "type": "subscribe", "payload": {"query": SHARED,
                                                              "extensions": "x"}},
                 "payload.extensions must be an object or null", id="extensions a string"),
    pytest.param({"id": 1, "type": "subscribe", "payload": {"query": SHARED}},
                 "its id must be a string", id="id a number"),
])
async def test_a_malformed_subscribe_message_closes_the_connection_as_invalid(
        app: LifecycleApplication, live: LiveServer, message: dict[str, object],
        why: str) -> None:
    """graphql-transport-ws: an invalid message closes the socket with 4400. Before, a payload
    that was not an object dropped the connection (a server traceback), a query that was not a
    string was answered `complete` with nothing said, and variables that were not an object
    were answered "Internal error"."""
    caller = member(new_organisation(app, "Malformed Message Trust"), Role.STAFF)
    async with connected(live.url, live.token(caller)) as ws:
        await ws.send(message)
        assert await ws.closed() == (4400, f"Invalid subscribe message: {why}")


async def test_the_variables_limit_of_http_applies_to_a_subscription(
        app: LifecycleApplication, live: LiveServer) -> None:
    """Over HTTP a request's variables over the limit are refused before they are coerced
    (VARIABLES_TOO_LARGE); strawberry ignores that refusal for a subscription, which ran."""
    caller = member(new_organisation(app, "Bulky Variables Trust"), Role.STAFF)
    async with connected(live.url, live.token(caller)) as ws:
        op = await ws.subscribe(SHARED, bulk=list(range(30_000)))
        message = await ws.receive()
    assert message["id"] == op
    assert message["type"] == "error", message
    assert message["payload"][0]["extensions"]["code"] == "VARIABLES_TOO_LARGE"


async def test_an_operation_over_the_connections_limit_is_refused_with_a_code(
        app: LifecycleApplication, live: LiveServer) -> None:
    """strawberry's own refusal said "Subscription limit reached" with no code; every refusal
    carries one, and the earlier operations keep running."""
    caller = member(new_organisation(app, "Busy Socket Trust"), Role.STAFF)
    limit = live.settings.max_subscriptions_per_connection
    async with connected(live.url, live.token(caller)) as ws:
        for _ in range(limit):
            await ws.subscribe(SHARED)
        op = await ws.subscribe(SHARED)
        message = await ws.receive()
    assert message["id"] == op
    assert message["type"] == "error", message
    assert message["payload"][0]["extensions"] == {"code": "TOO_MANY_SUBSCRIPTIONS",
                                                   "limit": limit}


@pytest.mark.parametrize(("frame", "reason"), [
    pytest.param('{"type": "ping", "payload": ' + "[" * 100_000 + "]" * 100_000 + "}",
                 "WebSocket message must be valid JSON", id="nested past any parser's depth"),
    pytest.param("[1, 2]", "WebSocket message must be a JSON object", id="an array"),
    pytest.param('"connection_init"', "WebSocket message must be a JSON object", id="a string"),
])
@pytest.mark.parametrize("authenticated", [False, True])
async def test_a_message_that_is_not_a_json_object_closes_the_connection_as_invalid(
        app: LifecycleApplication, live: LiveServer, frame: str, reason: str,
        authenticated: bool) -> None:
    """Each dropped the connection with no close code and a server traceback (the json
    module's RecursionError; strawberry indexing a list or a string as a message)."""
    caller = member(new_organisation(app, "Odd Frames Trust"), Role.STAFF)
    async with socket(live.url, max_size=None) as ws:
        if authenticated:
            assert (await ws.init(live.token(caller)))["type"] == "connection_ack"
        await ws.conn.send(frame)
        assert await ws.closed() == (4400, reason)
