"""Hardening of the GraphQL HTTP surface, over real HTTP against running uvicorns: the live
development server of conftest, and a production-mode server with CORS and a tighter depth limit.

Errors in the GraphQL document (limits, syntax, validation, wrong variable types, unknown enum
values) are HTTP 200 with ``errors`` and ``data: null``; errors of the HTTP request (malformed or
batched JSON, operations over GET) are HTTP 400, and oversized bodies HTTP 413, all with a JSON
body in GraphQL's error shape.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from lifecycle.actor import Actor
from lifecycle.application import LifecycleApplication
from lifecycle.service.settings import Mode, Settings
from lifecycle.store.database import Database
from tests.e2e.conftest import LiveServer, serving

PORTAL = "https://portal.example.org"
LIST = "query Q($n: Int) { innovations(first: $n) { edges { node { id title } } } }"
DEEP = "{ innovations { edges { node { latestVerdict { measure } } } } }"
SUBMIT = """mutation {{ {aliases} }}"""
IDEA = ('submitIdea(input: {title: "t", problem: "p", proposal: "q"}) '
        '{ ... on IdeaSubmitted { position } }')


# The production server's identity provider: its signing key, published as a JWKS file.
IDP_KEY = ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def production(db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A production-mode server: no introspection, no suggestions, no GraphiQL; CORS for one
    origin; depth limit 3, since no valid query of this schema reaches the default of 12."""
    data_dir = Path(tmp_path_factory.mktemp("production"))
    public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(IDP_KEY.public_key()))
    jwks = data_dir / "jwks.json"
    jwks.write_text(json.dumps({"keys": [{**public, "kid": "idp", "alg": "ES256"}]}))
    settings = Settings(mode=Mode.PRODUCTION, database_url=db.url, projector="off",
                        data_dir=data_dir, jwks_file=jwks, cors_origins=[PORTAL],
                        max_query_depth=3, erasure_log=data_dir / "erasure-log.jsonl")
    with serving(settings, db) as url:
        yield url


def production_token(actor: Actor) -> str:
    """A token the production server's identity provider would issue to ``actor``."""
    now = int(time.time())
    return jwt.encode({"sub": actor.subject, "org": str(actor.organisation),
                       "roles": sorted(r.value for r in actor.roles), "iss": "lifecycle",
                       "aud": "lifecycle-api", "iat": now, "exp": now + 600},
                      IDP_KEY, algorithm="ES256", headers={"kid": "idp"})


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
    assert body["errors"][0]["extensions"]["code"] == "TOO_MANY_TOKENS"


def test_a_document_over_the_length_limit_is_refused_before_it_is_read(
        live: LiveServer) -> None:
    body = gql(live.url, "{ __typename }" + " " * 50_000)
    refused(body, "the limit is 50000")
    assert body["errors"][0]["extensions"]["code"] == "DOCUMENT_TOO_LARGE"


def test_fragments_that_each_spread_the_next_twice_are_answered_at_once(
        live: LiveServer, production: str) -> None:
    """The issue's document (five seconds at 19 fragments, doubling with each one more): the
    limits visit each fragment once, so 60 are answered like 6."""
    def chain(alias: str) -> str:
        parts = ["query Q { ...F0 }"]
        for i in range(60):
            below = f"...F{i + 1} ...F{i + 1}" if i < 59 else "__typename"
            parts.append(f"fragment F{i} on Query {{ {alias.format(i=i)} {below} }}")
        return "\n".join(parts)

    assert gql(production, chain("")) == {"data": {"__typename": "Query"}}
    body = gql(production, chain("a{i}: __typename"))
    refused(body, "60 aliases found. Allowed: 30")
    assert "TOO_MANY_ALIASES" in [e["extensions"]["code"] for e in body["errors"]]


def test_a_selection_set_over_the_field_cap_is_refused_with_its_code(live: LiveServer) -> None:
    """495 fields in one selection set cost graphql-core 1.5-2.7 s of pairwise comparison."""
    body = gql(live.url, "{ " + "me { subject } " * 495 + "}")
    refused(body, "asks for 495 fields", "the limit is 100")
    assert body["errors"][0]["extensions"] == {"code": "TOO_MANY_FIELDS", "fields": 495,
                                               "maxFields": 100}


@pytest.mark.parametrize(("query", "words"), [
    ("{ ...Nope }", "Unknown fragment 'Nope'"),
    ("{ innovations { edges { node { ...Nope } } } }", "Unknown fragment 'Nope'"),
    ("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
     "Cannot spread fragment 'A' within itself"),
    ("{ me { } }", ""),  # an empty selection set is valid in graphql-core 3.3
])
def test_documents_that_crashed_the_old_validators_get_validation_errors(
        live: LiveServer, staff: Actor, query: str, words: str) -> None:
    """strawberry's depth validator raised KeyError on an unknown fragment and ValueError on an
    empty selection set: an internal error where graphql-core has a validation error."""
    body = gql(live.url, query, token=live.token(staff))
    assert all(e["message"] != "Internal error; it has been logged."
               for e in body.get("errors") or [])
    if words:
        assert words in refused(body)
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


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


# Every place graphql-core suggests a name: unknown fields (on an object, and on an interface,
# where it suggests types), arguments (of fields and of directives), types, enum values and
# input fields, each as a literal and through a variable.
SUGGESTING = [
    ("{ innovations { edges { node { titel } } } }", None),
    ('{ node(id: "x") { title } }', None),
    ("{ innovations(fillter: {}) { edges { cursor } } }", None),
    ("{ __typename @include(iff: true) }", None),
    ("query Q($f: InnovationFiltr) { innovations(filter: $f) { edges { cursor } } }", None),
    ("{ innovations(orderBy: SUBMITTED_DES) { edges { cursor } } }", None),
    ("query Q($o: InnovationOrder!) { innovations(orderBy: $o) { edges { cursor } } }",
     {"o": "SUBMITTED_DES"}),
    ('{ innovations(filter: {serch: "falls"}) { edges { cursor } } }', None),
    ("query Q($f: InnovationFilter) { innovations(filter: $f) { edges { cursor } } }",
     {"f": {"serch": "falls"}}),
]


@pytest.mark.parametrize(("query", "variables"), SUGGESTING)
def test_no_suggestion_of_any_form_reaches_a_production_client(
        live: LiveServer, production: str, staff: Actor, query: str,
        variables: dict[str, Any] | None) -> None:
    """graphql-core's own switch (hide_suggestions), in validation and in execution: the old
    stripping missed a message going on past the question mark ("Did you mean 'search'?
    Found: ..."). Development keeps the suggestions, which shows each case makes one. With a
    token: an anonymous caller is refused before its variables are read."""
    assert "Did you mean" in refused(gql(live.url, query, variables, live.token(staff)))
    message = refused(gql(production, query, variables, production_token(staff)))
    assert "Did you mean" not in message
    assert "search'" not in message
    assert "SUBMITTED_DESC" not in message


# Choosing the operation


TWO = "query Mine { me { subject } } query Kind { __typename }"


def test_several_operations_without_a_name_is_the_request_error_graphql_asks_for(
        live: LiveServer) -> None:
    """GraphQL's GetOperation: with more than one operation, operationName must choose one; it
    used to run the first."""
    response = clean(httpx.post(f"{live.url}/graphql", json={"query": TWO}, timeout=10))
    assert response.status_code == 200  # GraphQL over HTTP, for application/json
    body = response.json()
    assert "data" not in body
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "OPERATION_NAME_REQUIRED"
    assert "'Mine', 'Kind'" in error["message"]
    chosen = httpx.post(f"{live.url}/graphql", json={"query": TWO, "operationName": "Kind"},
                        timeout=10)
    assert chosen.json() == {"data": {"__typename": "Query"}}


def test_an_empty_operation_name_is_no_name_and_a_non_string_one_is_400(
        live: LiveServer) -> None:
    one = httpx.post(f"{live.url}/graphql", json={"query": "query Kind { __typename }",
                                                  "operationName": ""}, timeout=10)
    assert one.json() == {"data": {"__typename": "Query"}}
    two = httpx.post(f"{live.url}/graphql", json={"query": TWO, "operationName": ""},
                     timeout=10)
    assert two.json()["errors"][0]["extensions"]["code"] == "OPERATION_NAME_REQUIRED"
    response = httpx.post(f"{live.url}/graphql", json={"query": TWO, "operationName": 7},
                          timeout=10)
    http_error(response, 400, "operationName")


# Bad input


def test_wrong_variable_type_is_a_clear_error(live: LiveServer, staff: Actor) -> None:
    refused(gql(live.url, LIST, {"n": "ten"}, live.token(staff)), "$n", "Int cannot represent",
            "ten")


def test_unknown_enum_value_is_a_clear_error(live: LiveServer, staff: Actor) -> None:
    order = "query Q($o: InnovationOrder!) { innovations(orderBy: $o) { edges { cursor } } }"
    refused(gql(live.url, order, {"o": "SIDEWAYS"}, live.token(staff)), "SIDEWAYS",
            "InnovationOrder")
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
    # the request's id, which its log lines carry, is readable by the page's script
    assert "x-correlation-id" in post.headers["access-control-expose-headers"].lower()

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
