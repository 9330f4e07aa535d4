"""The published contract stays in step with the code."""

from __future__ import annotations

from graphql import GraphQLInterfaceType, GraphQLUnionType, get_named_type

from schema.contract import CONTRACT, sdl
from schema.root import build


def test_schema_graphql_is_generated_from_the_code() -> None:
    assert CONTRACT.read_text() == sdl(), (
        "schema.graphql is stale: run `python -m schema.contract` and review the change")


# Mutations of the delivery worker's own tables (webhook endpoints and their secrets, which must
# never enter the event log): they record no event, so they have no log position to answer.
NOT_IN_THE_LOG = {"registerWebhookEndpoint", "rotateWebhookSecret", "resumeWebhookEndpoint"}


def test_every_mutation_answers_a_change_or_a_typed_error() -> None:
    """Clients read ``position`` and ``replayed`` through one interface, whatever the mutation
    that writes to the log; the others answer their own type or the same typed errors."""
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
        successes = [m for m in payload.types if user_error not in m.interfaces]
        assert len(successes) == 1, name
        if name in NOT_IN_THE_LOG:
            assert change not in successes[0].interfaces, name
            assert "position" not in successes[0].fields, name
        else:
            assert change in successes[0].interfaces, f"{name}: {successes[0].name}"
