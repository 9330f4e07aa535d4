"""The fuzzing's own strategies (tests/e2e/fuzz_strategies.py): they draw without error, name
themselves briefly, and run in a world that holds what they reach."""

from __future__ import annotations

import base64
import json
from typing import Any
from uuid import UUID

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.e2e.fuzz_strategies import (
    JSON,
    enum_literal,
    malformed_document,
    selection,
    shaped_cursor,
    value_for,
)
from tests.e2e.fuzzing import World, fuzz, fuzz_world

world = pytest.fixture(scope="module")(fuzz_world)


@settings(max_examples=200, deadline=None, database=None)
@example(10**400).via("an integer orjson could not encode")
@example(["TITLE_ASC", 2**64, float("nan")]).via("a cursor-shaped triple")
@given(value=JSON)
def test_every_json_value_can_be_shaped_as_a_cursor(value: Any) -> None:
    """The cursor strategy never fails on its own draws (it used orjson, which refuses integers
    beyond 64 bits: every query's consistentWith then crashed the document strategy)."""
    assert base64.urlsafe_b64decode(shaped_cursor(value) + "==") == json.dumps(value).encode()


@fuzz(300)
@given(data=st.data())
def test_the_strategies_draw_for_every_root_field_without_error(world: World,
                                                                data: st.DataObject) -> None:
    """Drawing alone (no server) succeeds across the whole schema: a document over the Query
    type, and a value for every argument of a root field, so a fuzz test fails only on what the
    server answers."""
    data.draw(selection(world, "Query", 0), label="document")
    root = world.types[data.draw(st.sampled_from(["Query", "Mutation"]), label="root")]
    field = data.draw(st.sampled_from(root["fields"]), label="field")
    for argument in field["args"]:
        data.draw(value_for(world, argument["type"], argument["name"]), label=argument["name"])
        data.draw(enum_literal(world, argument["type"], argument["name"]), label="literal")


def test_a_strategy_over_the_schema_has_a_short_name(world: World) -> None:
    """Hypothesis names a failing strategy by its repr; over 30 kB it warns instead (an error
    here), which hid the strategy's own error behind an inconsistent-generation report."""
    for strategy in (selection(world, "Query", 0), malformed_document(world),
                     value_for(world, world.types["Query"]["fields"][0]["type"])):
        assert len(repr(strategy)) < 1_000, repr(strategy)[:200]


def test_the_world_is_fuzzable(world: World) -> None:
    """The fixture really built an innovation and a measure for the fuzzed ids to reach."""
    assert UUID(world.innovation) != UUID(world.measure)
    assert {"submitIdea", "registerOrganisation"} <= {
        f["name"] for f in world.types["Mutation"]["fields"]}
