"""The published contract stays in step with the code."""

from __future__ import annotations

from schema.contract import CONTRACT, sdl


def test_schema_graphql_is_generated_from_the_code() -> None:
    assert CONTRACT.read_text() == sdl(), (
        "schema.graphql is stale: run `python -m schema.contract` and review the change")
