"""Fuzzing with bodies that are not GraphQL at all, over real HTTP: the answer is JSON in GraphQL's
shape: HTTP 200 with ``data`` and/or ``errors``, or a 4xx refusal of the request. Never a 500, a
stack trace, SQL text, a masked internal error, or an error code outside the known ones
(tests/e2e/fuzzing.py).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.e2e.conftest import LiveServer
from tests.e2e.fuzz_strategies import JSON, TEXT
from tests.e2e.fuzzing import World, fuzz, fuzz_world, sound

world = pytest.fixture(scope="module")(fuzz_world)


# -- 3. garbage bodies -----------------------------------------------------------------------------

CONTENT_TYPES = st.sampled_from(["application/json", "application/json; charset=latin-1",
                                 "text/plain", "application/graphql", "multipart/form-data",
                                 "application/x-www-form-urlencoded", None])


@fuzz(80)
@given(raw=st.binary(max_size=300), content_type=CONTENT_TYPES)
def test_random_bytes_are_a_4xx_json_error(live: LiveServer, raw: bytes,
                                           content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = httpx.post(f"{live.url}/graphql", content=raw, headers=headers, timeout=30)
    sound(response, frozenset({400, 413, 415}))


BODIES = st.one_of(
    JSON.filter(lambda v: not isinstance(v, dict)),
    st.dictionaries(st.text(max_size=10).filter(lambda k: k != "query"), JSON, max_size=4),
    st.fixed_dictionaries({"query": JSON.filter(lambda v: not isinstance(v, str))},
                          optional={"variables": JSON, "operationName": JSON}),
    st.fixed_dictionaries({"query": st.just("{ __typename }")},
                          optional={"extensions": JSON}).map(
        lambda d: {**d, "variables": "not an object"}),
)


@fuzz(80)
@given(value=BODIES)
def test_random_json_values_are_a_4xx_json_error(live: LiveServer, value: Any) -> None:
    response = httpx.post(f"{live.url}/graphql", content=json.dumps(value).encode(),
                          headers={"Content-Type": "application/json"}, timeout=30)
    sound(response, frozenset({400, 413}))


@fuzz(60)
@given(query=TEXT, operation=st.none() | TEXT, variables=st.none() | JSON)
def test_random_query_text_is_never_a_server_error(live: LiveServer, world: World, query: str,
                                                   operation: str | None, variables: Any) -> None:
    content = json.dumps({"query": query, "operationName": operation, "variables": variables})
    response = httpx.post(f"{live.url}/graphql", content=content.encode(), timeout=30,
                          headers={"Content-Type": "application/json",
                                   "Authorization": f"Bearer {live.token(world.staff)}"})
    sound(response)
