"""The fast path for leaf fields answers exactly what graphql-core's general path answers: the
same data, and the same errors at the same paths where a value is null or unserializable."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType
from strawberry.permission import BasePermission

from schema.documents._graphql_internals import FastLeaves, leaves, selected


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


class Denied(BasePermission):
    message = "denied"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Thing:
    name: str
    nickname: str | None
    count: int
    colour: Colour
    made: datetime
    price: Decimal
    ident: strawberry.ID
    secret: str | None = strawberry.field(default="s3cr3t", permission_classes=[Denied])

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    async def whisper(self) -> str:
        return self.name.lower()


GOOD = Thing(name="a", nickname=None, count=3, colour=Colour.BLUE,
             made=datetime(2026, 11, 23, 9, 30, tzinfo=UTC), price=Decimal("1.50"),
             ident=strawberry.ID("x1"))
NULL_NAME = Thing(name=None, nickname="n", count=1, colour=Colour.RED,  # type: ignore[arg-type]
                  made=GOOD.made, price=GOOD.price, ident=GOOD.ident)
BAD_COUNT = Thing(name="b", nickname=None, count="many", colour=Colour.RED,  # type: ignore[arg-type]
                  made=GOOD.made, price=GOOD.price, ident=GOOD.ident)
BAD_COLOUR = Thing(name="c", nickname=None, count=1, colour="green",  # type: ignore[arg-type]
                   made=GOOD.made, price=GOOD.price, ident=GOOD.ident)


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing]:
        return [GOOD, NULL_NAME, BAD_COUNT, BAD_COLOUR]

    @strawberry.field
    def maybe_things(self) -> list[Thing | None]:
        return [GOOD, NULL_NAME]


QUERIES = [
    "{ things { name nickname count colour made price ident shout } }",
    "{ maybeThings { name nickname count } }",
    "{ maybeThings { a: name b: name name @skip(if: true) count @include(if: false) } }",
    "{ maybeThings { ... on Thing { colour } ...F } } fragment F on Thing { made nickname }",
    "{ things { shout count w: whisper name s: shout nickname } }",
    "{ maybeThings { whisper name shout } }",
    "{ maybeThings { name secret } }",
]


def run(query: str, fast: bool) -> tuple[str, list[tuple[str, list[Any] | None]]]:
    """The answer as JSON text (so that the order of fields counts) and its errors."""
    schema = strawberry.Schema(query=Query, execution_context_class=FastLeaves if fast else None)
    result = asyncio.run(schema.execute(query))
    errors = sorted((e.message, e.path) for e in result.errors or [])
    return json.dumps(result.data, default=str), errors


@pytest.mark.parametrize("query", QUERIES)
def test_fast_leaves_answer_what_the_general_path_answers_in_the_same_order(query: str) -> None:
    assert run(query, fast=True) == run(query, fast=False)


def test_null_in_a_non_null_leaf_is_still_an_error_at_its_path() -> None:
    data, errors = run("{ maybeThings { name } }", fast=True)
    assert json.loads(data) == {"maybeThings": [{"name": "a"}, None]}
    assert errors == [("Cannot return null for non-nullable field Thing.name.",
                       ["maybeThings", 1, "name"])]


def test_a_plain_field_with_permissions_is_still_checked() -> None:
    data, errors = run("{ maybeThings { name secret } }", fast=True)
    assert json.loads(data) == {"maybeThings": [{"name": "a", "secret": None}, None]}
    assert ("denied", ["maybeThings", 0, "secret"]) in errors


def test_plain_attribute_leaves_take_the_fast_path_and_resolvers_do_not() -> None:
    schema = strawberry.Schema(query=Query, execution_context_class=FastLeaves)
    thing = schema._schema.type_map["Thing"]
    assert isinstance(thing, GraphQLObjectType)
    assert set(leaves(thing)) == {"name", "nickname", "count", "colour", "made", "price",
                                  "ident"}


def test_selected_sees_through_fragments() -> None:
    seen: dict[str, set[str]] = {}

    @strawberry.type
    class Probe:
        @strawberry.field
        def things(self, info: strawberry.Info) -> list[Thing]:
            seen["below"] = selected(info.selected_fields, info.field_name)
            return []

    schema = strawberry.Schema(query=Probe)
    schema.execute_sync("{ things { name ... on Thing { count } ...F } } "
                        "fragment F on Thing { shout }")
    assert seen["below"] == {"name", "count", "shout"}
