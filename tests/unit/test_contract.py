"""The published contract stays in step with the code."""

from __future__ import annotations

from graphql import GraphQLInterfaceType, GraphQLUnionType, get_named_type

from schema.contract import CONTRACT, sdl
from schema.root import build


def test_schema_graphql_is_generated_from_the_code() -> None:
    assert CONTRACT.read_text() == sdl(), (
        "schema.graphql is stale: run `python -m schema.contract` and review the change")


def test_every_mutation_answers_a_change_or_a_typed_error() -> None:
    """Clients read ``position`` and ``replayed`` through one interface, whatever the mutation."""
    schema = build()._schema
    change = schema.get_type("Change")
    user_error = schema.get_type("UserError")
    assert isinstance(change, GraphQLInterfaceType)
    assert isinstance(user_error, GraphQLInterfaceType)
    mutation = schema.mutation_type
    assert mutation is not None
    assert len(mutation.fields) > 30
    for name, field in mutation.fields.items():
        payload = get_named_type(field.type)
        assert isinstance(payload, GraphQLUnionType), name
        for member in payload.types:
            assert change in member.interfaces or user_error in member.interfaces, (
                f"{name}: {member.name}")
        assert any(change in member.interfaces for member in payload.types), name
