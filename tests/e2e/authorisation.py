"""What the authorisation matrix's modules share: the schema the matrices are read from, how
much of an innovation each standing sees, selections of every field of a type, asking as a
standing, and sending a mutation (with what its payload may be)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from graphql import (
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    get_named_type,
    is_leaf_type,
)

from lifecycle.application import LifecycleApplication
from schema import positions
from schema.root import build
from tests.e2e.conftest import LiveServer
from tests.e2e.standings import (
    ADOPTER,
    ANONYMOUS,
    AUDITOR,
    FULL,
    NONE,
    NONE_AUDITOR,
    OWN,
    REVOKED,
    SUMMARY,
    World,
    assert_unauthenticated,
    build_world,
    data_of,
    post,
)

SCHEMA: GraphQLSchema = build_schema(build().as_str())
# How much of an innovation of the owning trust each standing sees (lifecycle/visibility.py).
SCOPE = {OWN: "OWN", AUDITOR: "OWN", FULL: "FULL", ADOPTER: "FULL", SUMMARY: "SUMMARY",
         REVOKED: None, NONE: None, NONE_AUDITOR: None}
DETAIL = {s for s, scope in SCOPE.items() if scope in ("OWN", "FULL")}
SEES = {s for s, scope in SCOPE.items() if scope is not None}
OWNERS = {OWN, AUDITOR}  # of the owning trust: its board's questions count the record
# What a summary shows (README, "Roles"); every other field of an innovation is its detail.
SUMMARY_FIELDS = frozenset({
    "id", "version", "title", "stage", "innovationClass", "tags", "organisationId",
    "organisation", "site", "challengeId", "submittedBy", "staffGroup", "owner", "endorsements",
    "comments", "submittedAt", "stageEnteredAt", "prototypes", "evaluations", "adoptions",
    "liveAdoptions", "latestDecision", "updatedAt"})
DETAIL_FIELDS = frozenset({"problem", "proposal", "fundingTotal", "latestVerdict", "workspace"})


def leaves(type_name: str) -> str:
    """A selection of every field of ``type_name``, and of the leaves of its object fields."""
    parts = []
    named = SCHEMA.get_type(type_name)
    assert isinstance(named, GraphQLObjectType)
    for name, f in named.fields.items():
        inner = get_named_type(f.type)
        if is_leaf_type(inner):
            parts.append(name)
        elif isinstance(inner, GraphQLObjectType):
            sub = " ".join(n for n, g in inner.fields.items()
                           if is_leaf_type(get_named_type(g.type)) and not g.args)
            if sub:  # an object of connections only (the workspace) is selected by ``every``
                parts.append(f"{name} {{ {sub} }}")
    return " ".join(parts)


def every(type_name: str) -> str:
    """A selection of every connection of ``type_name`` (the workspace), each node's leaves and
    its object fields' leaves: a connection added to it is asked for here at once."""
    named = SCHEMA.get_type(type_name)
    assert isinstance(named, GraphQLObjectType)
    parts = []
    for name, f in named.fields.items():
        connection = get_named_type(f.type)
        assert isinstance(connection, GraphQLObjectType), (type_name, name)
        edge = get_named_type(connection.fields["edges"].type)
        assert isinstance(edge, GraphQLObjectType)
        node = get_named_type(edge.fields["node"].type)
        parts.append(f"{name}(first: 100) {{ edges {{ cursor node {{ {leaves(node.name)} }} }} "
                     "pageInfo { hasNextPage } }")
    return " ".join(parts)


def standings_world(app: LifecycleApplication, live: LiveServer) -> World:
    """The world the matrix runs on (tests/e2e/standings.py), once its read models hold it: each
    module of the matrix registers this as its module-scoped ``world`` fixture."""
    built = build_world(app, live)
    built.at = positions.encode(app.store.epoch(), app.store.head())
    wait_for_read_models(built)
    return built


def wait_for_read_models(world: World) -> None:
    """Queries without ``consistentWith`` (the board's, spread's verdicts) wait here until the
    read models hold the whole record."""
    query = """query($id: ID!) { spread(innovationId: $id) { siteVerdicts { measureId } }
        innovation(id: $id) { latestVerdict { measureId } }
        decisions(first: 50) { edges { node { innovationId } } } challenges { id } }"""
    deadline = time.monotonic() + 30
    while True:
        got = data_of(world.live, world.callers[OWN], query, id=str(world.target))
        if (got["spread"] and len(got["spread"]["siteVerdicts"]) == 2
                and got["innovation"] and got["innovation"]["latestVerdict"]
                and str(world.target) in {e["node"]["innovationId"]
                                          for e in got["decisions"]["edges"]}
                and str(world.challenge) in {ch["id"] for ch in got["challenges"]}):
            return
        assert time.monotonic() < deadline, got
        time.sleep(0.05)


def ask(world: World, standing: str, query: str, **variables: Any) -> dict[str, Any]:
    """The data ``standing`` gets, with no errors (anonymous: refused outright, and None)."""
    body = post(world.live, world.caller(standing), query, **variables)
    if standing == ANONYMOUS:
        assert_unauthenticated(body)
        return {}
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def as_for_a_random_id(world: World, standing: str, query: str, key: str,
                       **variables: Any) -> dict[str, Any]:
    """What ``standing`` gets for ``variables``, asserted equal to what it gets with ``key``
    replaced by an id never used."""
    got = ask(world, standing, query, **variables)
    random = ask(world, standing, query, **{**variables, key: str(uuid4())})
    assert got == random, (standing, got, random)
    return got


ERROR_FIELDS = "__typename ... on UserError { code message } ... on NotFoundError { kind ident }"
ERRORS = frozenset({"ValidationError", "NotFoundError", "WrongStageError", "InvalidStateError",
                    "InsufficientAuthorityError", "ForbiddenError", "VersionConflictError",
                    "IdempotencyKeyReusedError"})


def mutation(name: str) -> str:
    """The mutation, asking for its errors, and for the object its success carries (whose
    detail shows what the caller's scope shows)."""
    success = SCHEMA.get_type(success_of(name))
    assert isinstance(success, GraphQLObjectType)
    carried = " ".join(f"{field} {{ id {'problem' if field == 'innovation' else ''} }}"
                       for field in ("innovation", "measure") if field in success.fields)
    receipt = " ".join(n for n, f in success.fields.items() if is_leaf_type(get_named_type(f.type)))
    return (f"mutation Do($input: {name[0].upper()}{name[1:]}Input!) {{\n"
            f"  {name}(input: $input) {{ {ERROR_FIELDS} ... on {success.name} {{ {carried} "
            f"{receipt} }} }} }}")


def success_of(name: str) -> str:
    """The success member of the mutation's payload union."""
    assert SCHEMA.mutation_type is not None
    union = get_named_type(SCHEMA.mutation_type.fields[name].type)
    assert isinstance(union, GraphQLUnionType)
    (success,) = [str(t.name) for t in union.types if t.name not in ERRORS]
    return success


@dataclass
class Sent:
    payload: dict[str, Any]
    stored: bool = field(default=False)


def send(world: World, app: LifecycleApplication, actor: Any, name: str,
         input: dict[str, Any]) -> Sent:
    head = app.store.head()
    body = post(world.live, actor, mutation(name), input=input)
    assert "errors" not in body, body
    return Sent(body["data"][name], app.store.head() > head)
