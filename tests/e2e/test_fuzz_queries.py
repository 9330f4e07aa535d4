"""Fuzzing queries over real HTTP: random query documents and variables, built from an introspection
of the live schema; the answer is JSON in GraphQL's shape: HTTP 200 with ``data`` and/or ``errors``,
or a 4xx refusal of the request. Never a 500, a stack trace, SQL text, a masked internal error, or
an error code outside the known ones (tests/e2e/fuzzing.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.e2e.conftest import LiveServer
from tests.e2e.fuzz_strategies import selection, unwrap, value_for
from tests.e2e.fuzzing import World, fuzz, fuzz_world, post, sound

world = pytest.fixture(scope="module")(fuzz_world)


# -- 2. random query documents ---------------------------------------------------------------------


@fuzz(150)
@given(data=st.data())
def test_random_query_documents_never_crash_the_server(live: LiveServer, world: World,
                                                       data: st.DataObject) -> None:
    document = data.draw(selection(world, "Query", 0), label="document")
    actor = data.draw(st.sampled_from([None, world.staff, world.lead, world.governor,
                                       world.auditor]), label="actor")
    sound(post(live, actor, document))


@fuzz(60)
@given(data=st.data())
def test_random_query_variables_never_crash_the_server(live: LiveServer, world: World,
                                                       data: st.DataObject) -> None:
    """Each root field with all its arguments as variables, fuzzed like mutation inputs."""
    query = world.types["Query"]
    field = data.draw(st.sampled_from(query["fields"]), label="field")
    declared = ", ".join(f"${a['name']}: {type_text(a['type'])}" for a in field["args"])
    passed = ", ".join(f"{a['name']}: ${a['name']}" for a in field["args"])
    named = unwrap(field["type"])
    body = ""
    if world.types[named["name"]]["kind"] not in ("SCALAR", "ENUM"):
        body = data.draw(selection(world, named["name"], 1), label="selection")
    document = (f"query Q{'(' + declared + ')' if declared else ''} "
                f"{{ {field['name']}{'(' + passed + ')' if passed else ''} {body} }}")
    variables = {a["name"]: data.draw(value_for(world, a["type"], a["name"]), label=a["name"])
                 for a in field["args"] if data.draw(st.integers(0, 4))}
    sound(post(live, world.lead, document, variables))


def type_text(ref: dict[str, Any]) -> str:
    if ref["kind"] == "NON_NULL":
        return type_text(ref["ofType"]) + "!"
    if ref["kind"] == "LIST":
        return f"[{type_text(ref['ofType'])}]"
    name: str = ref["name"]
    return name
