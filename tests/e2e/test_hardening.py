"""Hardening of the GraphQL HTTP surface, over real HTTP against running uvicorns: the live
development server of conftest, and a production-mode server with CORS and a tighter depth limit.

Errors in the GraphQL document (limits, syntax, validation, wrong variable types, unknown enum
values) are HTTP 200 with ``errors`` and ``data: null``; errors of the HTTP request (malformed or
batched JSON, operations over GET) are HTTP 400, and oversized bodies HTTP 413, all with a JSON
body in GraphQL's error shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from lifecycle.actor import Actor
from lifecycle.application import LifecycleApplication
from lifecycle.database import Database
from lifecycle.settings import Mode, Settings
from tests.e2e.conftest import LiveServer, serving

PORTAL = "https://portal.example.org"
LIST = "query Q($n: Int) { innovations(first: $n) { edges { node { id title } } } }"
DEEP = "{ innovations { edges { node { latestVerdict { measure } } } } }"
SUBMIT = """mutation {{ {aliases} }}"""
IDEA = ('submitIdea(input: {title: "t", problem: "p", proposal: "q"}) '
        '{ ... on IdeaSubmitted { position } }')


@pytest.fixture(scope="module")
def production(db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A production-mode server: no introspection, no suggestions, no GraphiQL; CORS for one
    origin; depth limit 3, since no valid query of this schema reaches the default of 12."""
    settings = Settings(mode=Mode.PRODUCTION, database_url=db.url, projector="off",
                        data_dir=Path(tmp_path_factory.mktemp("production")),
                        cors_origins=[PORTAL], max_query_depth=3)
    with serving(settings, db) as url:
        yield url


def clean(response: httpx.Response) -> httpx.Response:
    """No stack trace or SQL ever reaches a client."""
    assert "Traceback" not in response.text
    assert "SELECT" not in response.text
    return response


def gql(url: str, query: str, variables: dict[str, Any] | None = None,
        token: str | None = None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = clean(httpx.post(f"{url}/graphql", json={"query": query, "variables": variables},
                                headers=headers, timeout=10))
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def refused(body: dict[str, Any], *words: str) -> str:
    """The operation was refused before execution, with an error naming the limit."""
    assert body.get("data") is None
    assert all("path" not in error for error in body["errors"])  # no field was resolved
    messages = " | ".join(error["message"] for error in body["errors"])
    for word in words:
        assert word in messages
    return messages


def http_error(response: httpx.Response, status: int, *words: str) -> None:
    clean(response)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["errors"][0]
    assert error["extensions"]["code"]
    for word in words:
        assert word in error["message"]


# Limits on the document


def test_too_deep_is_refused_naming_the_limit(live: LiveServer, production: str) -> None:
    assert "'Q' exceeds maximum operation depth of 3" in refused(
        gql(production, f"query Q {DEEP}"))
    nested = "{ innovations { edges { node " + "{ a " * 11 + "}" * 11 + " } } }"
    refused(gql(live.url, nested), "exceeds maximum operation depth of 12")


def test_too_many_aliases_stores_nothing(live: LiveServer, staff: Actor,
                                         app: LifecycleApplication) -> None:
    head = app.store.head()
    aliases = " ".join(f"a{i}: {IDEA}" for i in range(31))
    body = gql(live.url, SUBMIT.format(aliases=aliases), token=live.token(staff))
    refused(body, "31 aliases found. Allowed: 30")
    assert app.store.head() == head


def test_too_many_tokens_is_refused(live: LiveServer) -> None:
    body = gql(live.url, "{ " + "__typename " * 2100 + "}")
    refused(body, "more than 2000 tokens")


def test_too_costly_list_query_is_refused(live: LiveServer, staff: Actor) -> None:
    token = live.token(staff)
    body = gql(live.url, LIST, {"n": 1_000_000}, token)
    # innovations 1 + edges 1 + a million nodes
    message = refused(body, "Query cost 1000002 is above the limit of 5000")
    assert body["errors"][0]["extensions"] == {"code": "QUERY_TOO_COSTLY", "cost": 1000002,
                                               "maxCost": 5000}
    assert "first or last" in message
    fine = gql(live.url, LIST, {"n": 10}, token)
    assert "errors" not in fine
    assert isinstance(fine["data"]["innovations"]["edges"], list)


# Introspection and suggestions


def test_introspection_is_off_in_production_and_on_in_development(live: LiveServer,
                                                                  production: str) -> None:
    query = "{ __schema { queryType { name } } }"
    refused(gql(production, query), "introspection has been disabled")
    assert gql(production, "{ __typename }") == {"data": {"__typename": "Query"}}
    assert gql(live.url, query)["data"] == {"__schema": {"queryType": {"name": "Query"}}}


def test_field_suggestions_are_off_in_production_and_on_in_development(
        live: LiveServer, production: str) -> None:
    query = "{ innovations { edges { node { titel } } } }"
    assert "Did you mean 'title'" in refused(gql(live.url, query))
    message = refused(gql(production, query), "Cannot query field 'titel' on type 'Innovation'")
    assert "Did you mean" not in message
    order = "query Q($o: InnovationOrder!) { innovations(orderBy: $o) { edges { cursor } } }"
    assert "Did you mean" in refused(gql(live.url, order, {"o": "SUBMITTED_DES"}))
    assert "Did you mean" not in refused(gql(production, order, {"o": "SUBMITTED_DES"}),
                                         "SUBMITTED_DES")


# Bad input


def test_wrong_variable_type_is_a_clear_error(live: LiveServer) -> None:
    refused(gql(live.url, LIST, {"n": "ten"}), "$n", "Int cannot represent", "ten")


def test_unknown_enum_value_is_a_clear_error(live: LiveServer) -> None:
    order = "query Q($o: InnovationOrder!) { innovations(orderBy: $o) { edges { cursor } } }"
    refused(gql(live.url, order, {"o": "SIDEWAYS"}), "SIDEWAYS", "InnovationOrder")
    refused(gql(live.url, "{ innovations(orderBy: SIDEWAYS) { edges { cursor } } }"),
            "SIDEWAYS", "InnovationOrder")


def test_oversized_body_is_413_and_stores_nothing(live: LiveServer, staff: Actor,
                                                 app: LifecycleApplication) -> None:
    head = app.store.head()
    big = {"query": f"mutation {{ {IDEA} }}", "variables": {"pad": "x" * 1_000_001}}
    headers = {"Authorization": f"Bearer {live.token(staff)}"}
    response = httpx.post(f"{live.url}/graphql", json=big, headers=headers, timeout=10)
    http_error(response, 413, "over the limit of 1000000 bytes")

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"query": "{ __typename }", "pad": "'
        for _ in range(20):
            yield b"x" * 100_000
        yield b'"}'

    response = httpx.post(f"{live.url}/graphql", content=chunks(), timeout=10,
                          headers={**headers, "Content-Type": "application/json"})
    http_error(response, 413, "over the limit")
    assert app.store.head() == head


def test_malformed_json_is_400_with_a_json_error(live: LiveServer) -> None:
    response = httpx.post(f"{live.url}/graphql", content=b'{"query": "{ __typename }"',
                          headers={"Content-Type": "application/json"})
    http_error(response, 400, "The request body is not valid JSON")
    response = httpx.post(f"{live.url}/graphql", content=b'"just a string"',
                          headers={"Content-Type": "application/json"})
    http_error(response, 400, "must be a JSON object")


def test_batched_array_is_400(live: LiveServer) -> None:
    response = httpx.post(f"{live.url}/graphql",
                          json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}])
    http_error(response, 400, "Batching is off")


def test_queries_over_get_are_400(live: LiveServer) -> None:
    response = httpx.get(f"{live.url}/graphql", params={"query": "{ __typename }"},
                         headers={"Accept": "application/json"})
    http_error(response, 400, "over GET are off")
    response = httpx.get(f"{live.url}/graphql", headers={"Accept": "application/json"})
    http_error(response, 400, "over GET are off")


def test_other_methods_are_405(live: LiveServer) -> None:
    response = httpx.put(f"{live.url}/graphql", json={"query": "{ __typename }"})
    http_error(response, 405, "only supports GET and POST")


def test_graphiql_is_off_in_production(production: str) -> None:
    response = httpx.get(f"{production}/graphql", headers={"Accept": "text/html"})
    http_error(response, 404)
    assert httpx.get(f"{production}/graphiql/static/graphiql.min.js").status_code == 404


# CORS


def test_cors_allows_only_the_configured_origins(live: LiveServer, production: str) -> None:
    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
    allowed = httpx.options(f"{production}/graphql", headers={"Origin": PORTAL, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == PORTAL
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    post = httpx.post(f"{production}/graphql", json={"query": "{ __typename }"},
                      headers={"Origin": PORTAL})
    assert post.headers["access-control-allow-origin"] == PORTAL

    other = "https://elsewhere.example.com"
    refused_preflight = httpx.options(f"{production}/graphql",
                                      headers={"Origin": other, **preflight})
    assert "access-control-allow-origin" not in refused_preflight.headers
    post = httpx.post(f"{production}/graphql", json={"query": "{ __typename }"},
                      headers={"Origin": other})
    assert "access-control-allow-origin" not in post.headers
    none_configured = httpx.post(f"{live.url}/graphql", json={"query": "{ __typename }"},
                                 headers={"Origin": PORTAL})
    assert "access-control-allow-origin" not in none_configured.headers
