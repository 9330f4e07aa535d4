"""Fuzzing mutation inputs over real HTTP: whatever shape the input has, the answer is JSON in
GraphQL's shape: HTTP 200 with ``data`` and/or ``errors``, or a 4xx refusal of the request. Never a
500, a stack trace, SQL text, a masked internal error, or an error code outside the known ones
(tests/e2e/fuzzing.py).

What the fuzzing stored must be foldable: the last test here finds every read model running.
"""

from __future__ import annotations

import asyncpg
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifecycle.actor import Actor
from lifecycle.store.database import Database
from tests.e2e.conftest import LiveServer
from tests.e2e.fuzz_strategies import value_for
from tests.e2e.fuzzing import DOMAIN_CODES, TYPED_ERRORS, World, fuzz, fuzz_world, post, sound

world = pytest.fixture(scope="module")(fuzz_world)


# -- 1. mutation inputs ----------------------------------------------------------------------------

MUTATIONS = ["submitIdea", "recordEvaluation", "recordFunding", "recordObservations",
             "decideAdoption", "registerOrganisation"]


def actor_for(world: World, mutation: str) -> Actor:
    return {"submitIdea": world.staff, "decideAdoption": world.governor,
            "registerOrganisation": world.root}.get(mutation, world.lead)


def success_type(world: World, mutation: str) -> set[str]:
    union = world.types[f"{mutation[0].upper()}{mutation[1:]}Payload"]
    return {t["name"] for t in union["possibleTypes"]} - TYPED_ERRORS


@pytest.mark.parametrize("mutation", MUTATIONS)
@fuzz(40)
@given(data=st.data())
def test_fuzzed_mutation_inputs_never_crash_the_server(live: LiveServer, world: World,
                                                       mutation: str, data: st.DataObject) -> None:
    input_type = f"{mutation[0].upper()}{mutation[1:]}Input"
    variables = {"input": data.draw(value_for(world, {"kind": "NON_NULL", "ofType": {
        "kind": "INPUT_OBJECT", "name": input_type}}), label="input")}
    document = (f"mutation Do($input: {input_type}!) {{ {mutation}(input: $input) {{ __typename "
                "... on UserError { message code } ... on ValidationError { field } } }")
    body = sound(post(live, actor_for(world, mutation), document, variables))
    payload = (body.get("data") or {}).get(mutation)
    if payload is not None:
        typename = payload["__typename"]
        assert typename in TYPED_ERRORS | success_type(world, mutation), payload
        if typename in TYPED_ERRORS:
            assert payload["code"] in DOMAIN_CODES, payload
            assert payload["message"], payload
    else:
        assert body.get("errors"), body


async def test_fuzzed_input_left_every_read_model_running(db: Database) -> None:
    """Whatever the fuzzing stored must be foldable: no projection may have stopped on it (a
    NUL character once got into the log and stopped the innovations read model)."""
    conn = await asyncpg.connect(db.url)
    try:
        stopped = await conn.fetch("SELECT name, error_position, error FROM "
                                   "projection_positions WHERE error IS NOT NULL")
    finally:
        await conn.close()
    assert [tuple(row) for row in stopped] == []
