"""The graphql-core and strawberry machinery that ``schema/documents/_graphql_internals.py``
relies on is still there and still behaves as relied on. Each test fails on an upgrade that
changes it: the fast paths would otherwise fall back silently (slower, still correct) or the
limits stop holding. The pins in ``pyproject.toml`` and ``requirements.lock`` are what these
tests were written against."""

from __future__ import annotations

import asyncio
import inspect
import tomllib
from enum import Enum
from importlib import metadata
from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLError, parse, validate
from graphql.execution import Executor
from graphql.validation.rules import overlapping_fields_can_be_merged
from strawberry.extensions import SchemaExtension

from schema.documents import _graphql_internals as internals

ROOT = Path(__file__).resolve().parents[2]
PINNED = {"graphql-core": "3.3.2", "strawberry-graphql": "0.341.2"}


@strawberry.type
class Thing:
    name: str
    count: int

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


@strawberry.enum
class Colour(Enum):
    RED = "red"


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing]:
        return [Thing(name="a", count=1), Thing(name="b", count=2)]


def test_the_versions_relied_on_are_installed_and_pinned_exactly() -> None:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "dependencies"]
    lock = (ROOT / "requirements.lock").read_text().splitlines()
    for name, version in PINNED.items():
        assert metadata.version(name) == version
        assert f"{name}=={version}" in dependencies
        assert f"{name}=={version}" in lock


def test_graphql_core_builds_the_executor_with_suggestions_hidden_when_asked() -> None:
    assert "hide_suggestions" in inspect.signature(Executor.build).parameters

    @strawberry.type
    class Ask:
        @strawberry.field
        def paint(self, colour: Colour) -> str:
            return str(colour)

    text = "query($c: Colour!) { paint(colour: $c) }"
    variables = {"c": "REDD"}
    loud = strawberry.Schema(query=Ask, execution_context_class=internals.executor(True))
    quiet = strawberry.Schema(query=Ask, execution_context_class=internals.executor(False))
    loud_errors = loud.execute_sync(text, variable_values=variables).errors or []
    quiet_errors = quiet.execute_sync(text, variable_values=variables).errors or []
    assert "Did you mean" in loud_errors[0].message
    assert quiet_errors
    assert "Did you mean" not in quiet_errors[0].message


STARTED: list[str] = []


async def _load() -> Inner:
    STARTED.append("loaded")
    return Inner(word="late")


@strawberry.type
class Inner:
    word: str


@strawberry.type
class Holder:
    # An object field holding a Deferred, typed as what it yields (as an innovation's
    # organisation is): graphql-core awaits it while completing the field.
    value: Inner | None


@strawberry.type
class Holding:
    @strawberry.field
    def holder(self) -> Holder:
        return Holder(value=internals.Deferred(_load))  # type: ignore[arg-type]


def test_graphql_core_awaits_an_awaitable_a_plain_field_holds_only_where_selected() -> None:
    STARTED.clear()
    schema = strawberry.Schema(query=Holding, execution_context_class=internals.executor(False))
    assert asyncio.run(schema.execute("{ holder { value { word } } }")).data == {
        "holder": {"value": {"word": "late"}}}
    assert asyncio.run(schema.execute("{ holder { __typename } }")).data == {
        "holder": {"__typename": "Holder"}}
    assert STARTED == ["loaded"]  # once: not where the field was not selected


def test_graphql_core_reads_the_overlap_budget_from_the_module_global_lowered() -> None:
    assert isinstance(overlapping_fields_can_be_merged.MAX_COMPLEXITY_BUDGET, int)
    schema = strawberry.Schema(query=Query)._schema
    fields = " ".join(f"a{n}: name" for n in range(60))
    document = parse(f"{{ things {{ {fields} }} things {{ {fields} }} }}")
    before = overlapping_fields_can_be_merged.MAX_COMPLEXITY_BUDGET
    try:
        assert validate(schema, document) == []
        internals.limit_overlap_work(10)
        errors = validate(schema, document)
    finally:
        overlapping_fields_can_be_merged.MAX_COMPLEXITY_BUDGET = before
    assert any(isinstance(e, internals.ValidationAbortedError) for e in errors)


def test_graphql_cores_parser_leaves_its_token_count_on_the_document() -> None:
    document = parse("{ things { name } } # a comment")
    assert "token_count" in vars(document)
    assert internals.token_count(document, -1) == 7  # six tokens and the comment


def test_strawberry_runs_a_document_and_validation_outcome_an_extension_supplies() -> None:
    """An extension's document is run instead of the query text's, and its (empty) list of
    errors stands for validation, which strawberry then skips: ``nosuch`` would fail it."""
    prepared = parse("{ things { name } }")

    class Supplies(SchemaExtension):
        def on_parse(self) -> Any:
            internals.use_document(self.execution_context, prepared)
            yield

        def on_validate(self) -> Any:
            internals.use_validation(self.execution_context, [])
            yield

    schema = strawberry.Schema(query=Query, extensions=[Supplies])
    assert schema.execute_sync("{ nosuch }").data == {"things": [{"name": "a"}, {"name": "b"}]}
    refused = [GraphQLError("refused")]

    class Refuses(Supplies):
        def on_validate(self) -> Any:
            internals.use_validation(self.execution_context, refused)
            yield

    schema = strawberry.Schema(query=Query, extensions=[Refuses])
    result = schema.execute_sync("{ things { name } }")
    assert result.data is None
    assert [e.message for e in result.errors or []] == ["refused"]


def test_selected_sees_through_fragments() -> None:
    seen: dict[str, set[str]] = {}

    @strawberry.type
    class Probe:
        @strawberry.field
        def things(self, info: strawberry.Info) -> list[Thing]:
            seen["below"] = internals.selected(info.selected_fields, info.field_name)
            return []

    schema = strawberry.Schema(query=Probe)
    schema.execute_sync("{ things { name ... on Thing { count } ...F } } "
                        "fragment F on Thing { shout }")
    assert seen["below"] == {"name", "count", "shout"}
