"""Fuzzing with malformed documents over real HTTP: the answer is JSON in GraphQL's shape: HTTP 200
with ``data`` and/or ``errors``, or a 4xx refusal of the request. Never a 500, a stack trace, SQL
text, a masked internal error, or an error code outside the known ones (tests/e2e/fuzzing.py).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.e2e.conftest import LiveServer
from tests.e2e.fuzz_strategies import JSON, malformed_document
from tests.e2e.fuzzing import KNOWN_CODES, World, fuzz, fuzz_world, post, sound

world = pytest.fixture(scope="module")(fuzz_world)


# -- 3. malformed documents ------------------------------------------------------------------------
# Documents built to be wrong in the ways that reach validation rules (the project's own and
# strawberry's crashed on some): each must get GraphQL errors with known codes, never an
# internal error.


@fuzz(250)
@given(data=st.data())
def test_malformed_documents_get_graphql_errors_never_internal_ones(
        live: LiveServer, world: World, data: st.DataObject) -> None:
    document = data.draw(malformed_document(world), label="document")
    actor = data.draw(st.sampled_from([None, world.staff]), label="actor")
    variables = data.draw(st.one_of(st.none(), st.fixed_dictionaries({"v": JSON})),
                          label="variables")
    body = sound(post(live, actor, document, variables))
    for error in body.get("errors") or []:  # every refusal says what kind it is
        assert (error.get("extensions") or {}).get("code") in KNOWN_CODES, error
