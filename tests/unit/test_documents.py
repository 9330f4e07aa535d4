"""The document pipeline (schema/documents.py, schema/limits.py, schema/cost.py) on the real
schema, without a server: every check linear in the document, cheapest first, each refusal
typed, and the cache bounded in bytes and not defeated by comments."""

from __future__ import annotations

import gc
import threading
import tracemalloc

import pytest
from graphql import GraphQLSchema, OperationDefinitionNode, parse

from lifecycle.service.settings import Mode, Settings
from schema.documents.cost import Estimate, too_costly
from schema.documents.limits import Limits, Shape, fragment_order, fragments_of
from schema.documents.pipeline import Documents, Prepared
from schema.root import build

PRODUCTION = Settings(mode=Mode.PRODUCTION)
PAGE = "query Q($n: Int) { innovations(first: $n) { edges { node { id title } } } }"


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    graphql_schema: GraphQLSchema = build(PRODUCTION)._schema
    return graphql_schema


def codes(prepared: Prepared) -> list[str]:
    return [str((error.extensions or {}).get("code")) for error in prepared.errors]


def doubling_fragments(count: int, field: str = "__typename") -> str:
    """``count`` fragments, each spreading the next twice: 2**count paths through them."""
    parts = ["query Q { ...F0 }"]
    for i in range(count):
        below = f"...F{i + 1} ...F{i + 1}" if i < count - 1 else field
        parts.append(f"fragment F{i} on Query {{ {below} }}")
    return "\n".join(parts)


# -- linear work ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [19, 60, 200])
def test_the_structural_pass_tallies_each_selection_set_once(count: int) -> None:
    """Depth, aliases and fields of a chain of fragments that each spread the next twice are
    found in one visit per selection set (a fragment's tally is reused), where strawberry's
    validators walked all 2**count paths (5 s at 19 fragments)."""
    document = parse(doubling_fragments(count), max_tokens=10_000)
    shape = Shape(document, Limits(12, 30, 100))
    assert shape.visits == count + 1  # each fragment's selection set, and the operation's
    assert shape.errors() == []


def test_the_cost_estimate_visits_each_fragment_once(schema: GraphQLSchema) -> None:
    document = parse(doubling_fragments(200, "me { subject }"), max_tokens=10_000)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    estimate = Estimate(schema, document, operation, {})
    assert estimate.visits == 200 + 1  # each fragment's selection set, and `me`'s
    assert estimate.total() == 1  # one `me`, collected once however often it is spread
    assert estimate.visits == 200 + 2


def test_fragment_order_puts_each_fragment_after_those_it_spreads_and_survives_cycles() -> None:
    document = parse("{ ...A } fragment A on Query { ...B ...C } fragment B on Query { ...C } "
                     "fragment C on Query { ...A __typename } fragment D on Query { ...Nope }")
    order = fragment_order(fragments_of(document))
    assert sorted(order) == ["A", "B", "C", "D"]
    assert order.index("C") < order.index("B") < order.index("A")


def test_a_fragment_chain_longer_than_the_stack_is_ordered_without_recursion() -> None:
    count = 5_000  # Python's recursion limit is 1,000
    text = "{ ...F0 } " + " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}"
                                   for i in range(count)) + f" fragment F{count} on Query {{ a }}"
    order = fragment_order(fragments_of(parse(text, max_tokens=100_000)))
    assert order[0] == f"F{count}"
    assert order[-1] == "F0"


# -- what the structural pass counts ---------------------------------------------------------------


def test_depth_counts_fields_with_selections_through_fragments_but_not_introspection() -> None:
    text = ("query Q { a { ...F } __schema { types { fields { type { name } } } } } "
            "fragment F on T { b { c { d } } }")
    ((_, tally),) = Shape(parse(text), Limits(12, 30, 100)).operations
    assert tally.depth == 3  # a, b, c


def test_aliases_count_each_fragment_once_per_selection_set_as_execution_does() -> None:
    text = ("query Q { x: a { ...F ...F } y: a { ...F } } "
            "fragment F on T { p: b q: c }")
    ((_, tally),) = Shape(parse(text), Limits(12, 30, 100)).operations
    assert tally.aliases == 2 + 2 + 2  # x and y, and F's two under each of them


def test_unknown_fragments_cycles_and_empty_selections_count_as_nothing() -> None:
    """The validators these replace raised on these (KeyError, max() of nothing): an internal
    error where graphql-core reports a validation error."""
    text = "{ a { } ...Nope ...A } fragment A on Query { ...B } fragment B on Query { ...A }"
    shape = Shape(parse(text), Limits(12, 30, 100))
    assert shape.errors() == []
    assert shape.operations[0][1].fields == 1


@pytest.mark.parametrize("text", [
    "{ " + "a " * 101 + "}",
    "{ " + "... on Query { a } " * 101 + "}",  # inline fragments are the same level
    "{ " + "... { " * 10 + "a " * 101 + "}" * 10 + " }",
    "{ ...A ...B } fragment A on Query { " + "a " * 51 + "} fragment B on Query { "
    + "b " * 50 + "}",
    "{ x { ...A } } fragment A on T { " + "a " * 101 + "}",
])
def test_a_selection_set_over_the_field_cap_is_refused_before_graphql_core_validates(
        schema: GraphQLSchema, text: str) -> None:
    documents = Documents(PRODUCTION)
    prepared = documents.prepare_now(text, schema)
    assert codes(prepared)[0] == "TOO_MANY_FIELDS"
    assert prepared.errors[0].extensions == {"code": "TOO_MANY_FIELDS", "fields": 101,
                                             "maxFields": 100}
    assert documents.validations == 0


def test_depth_and_aliases_are_refused_with_codes_before_graphql_core_validates(
        schema: GraphQLSchema) -> None:
    documents = Documents(PRODUCTION)
    deep = documents.prepare_now("query Deep {" + " me {" * 13 + " subject" + " }" * 13 + " }",
                                 schema)
    assert codes(deep) == ["QUERY_TOO_DEEP"]
    assert deep.errors[0].message == "'Deep' exceeds maximum operation depth of 12"
    aliased = documents.prepare_now("{ " + " ".join(f"a{i}: __typename" for i in range(31))
                                    + " }", schema)
    assert codes(aliased) == ["TOO_MANY_ALIASES"]
    assert aliased.errors[0].message == "31 aliases found. Allowed: 30"
    assert documents.validations == 0


# -- cheapest first, and typed ---------------------------------------------------------------------


def test_a_document_over_the_length_limit_is_refused_before_it_is_read(
        schema: GraphQLSchema) -> None:
    documents = Documents(PRODUCTION)
    prepared = documents.prepare_now("{ __typename }" + " " * 50_000, schema)
    assert prepared.document is None
    assert codes(prepared) == ["DOCUMENT_TOO_LARGE"]
    assert len(documents.cache) == 0  # a refusal by length is not worth its bytes


def test_too_many_tokens_and_syntax_errors_are_typed(schema: GraphQLSchema) -> None:
    documents = Documents(PRODUCTION)
    tokens = documents.prepare_now("{ " + "__typename " * 2_001 + "}", schema)
    assert codes(tokens) == ["TOO_MANY_TOKENS"]
    assert "more than 2000 tokens" in tokens.errors[0].message
    comments = documents.prepare_now("#\n" * 2_001 + "{ __typename }", schema)
    assert codes(comments) == ["TOO_MANY_TOKENS"]
    syntax = documents.prepare_now("{ __typename", schema)
    assert codes(syntax) == ["GRAPHQL_PARSE_FAILED"]
    nested = documents.prepare_now("{ a(b: " + "[" * 300 + "]" * 300 + ") }", schema)
    assert codes(nested) == ["GRAPHQL_PARSE_FAILED"]
    assert "nested too deeply" in nested.errors[0].message
    assert documents.validations == 0


def test_graphql_core_errors_carry_a_code_and_no_suggestion_in_production(
        schema: GraphQLSchema) -> None:
    prepared = Documents(PRODUCTION).prepare_now("{ innovations { edges { node { titel } } } }",
                                                  schema)
    assert codes(prepared) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "Did you mean" not in prepared.errors[0].message
    development = Documents(Settings()).prepare_now(
        "{ innovations { edges { node { titel } } } }", schema)
    assert "Did you mean 'title'" in development.errors[0].message


def test_work_beyond_graphql_cores_budget_is_aborted_with_a_code(schema: GraphQLSchema) -> None:
    """Fields at the cap, each with a selection to compare: graphql-core's pairwise comparison
    stops at the budget instead of running for seconds."""
    text = "{ " + "me { subject subject } " * 100 + "}"
    prepared = Documents(PRODUCTION).prepare_now(text, schema)
    assert codes(prepared) == ["VALIDATION_ABORTED"]


def test_the_cost_estimate_reads_page_variables_and_their_defaults(
        schema: GraphQLSchema) -> None:
    document = parse("query Q($n: Int = 7) { innovations(first: $n) { edges { node { "
                     "...Org } } } } fragment Org on Innovation { organisation { id } }")
    # innovations 1 + edges 1 + 7 nodes of (node 1 + organisation 1): 16
    assert too_costly(schema, document, {}, None, 16) == []
    assert too_costly(schema, document, {}, None, 15)[0].extensions == {
        "code": "QUERY_TOO_COSTLY", "cost": 16, "maxCost": 15}
    assert too_costly(schema, document, {"n": 100}, "Q", 5_000) == []
    refused = too_costly(schema, document, {"n": 10_000}, "Q", 5_000)
    assert refused[0].extensions == {"code": "QUERY_TOO_COSTLY", "cost": 20_002,
                                     "maxCost": 5_000}


# -- the cache -----------------------------------------------------------------------------


def test_a_unique_comment_does_not_buy_a_second_validation(schema: GraphQLSchema) -> None:
    documents = Documents(PRODUCTION)
    for n in range(20):
        prepared = documents.prepare_now(f"# request {n}\n{PAGE}", schema)
        assert prepared.errors == ()
    assert documents.validations == 1


def test_an_invalid_document_is_validated_again_for_each_text_with_its_own_locations(
        schema: GraphQLSchema) -> None:
    documents = Documents(PRODUCTION)
    first = documents.prepare_now("{ nope }", schema)
    second = documents.prepare_now("\n\n{ nope }", schema)
    assert first.errors[0].locations is not None
    assert second.errors[0].locations is not None
    assert (first.errors[0].locations[0].line, second.errors[0].locations[0].line) == (1, 3)
    assert documents.prepare_now("{ nope }", schema) is first  # the same text is a hit


def test_the_cache_holds_no_more_bytes_than_its_budget(schema: GraphQLSchema) -> None:
    """150 distinct documents of about 45,000 characters (the issue sent 150 of 1 MB, which the
    length limit now refuses without keeping): the cache counts them and evicts the oldest, and
    the memory traced afterwards stays within its budget."""
    budget = 4 * 1024 * 1024
    documents = Documents(PRODUCTION.model_copy(update={"document_cache_bytes": budget}))
    documents.prepare_now(PAGE, schema)  # graphql-core's caches, warmed outside the count
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for n in range(150):
            documents.prepare_now(f"# {n}\n{PAGE} # {'x' * 45_000}", schema)
        gc.collect()  # a parsed document's tokens link both ways: freed by the cycle collector
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert documents.cache.held <= budget
    assert len(documents.cache) < 150
    assert grown <= budget * 1.25  # what the count misses is small beside it


async def test_a_new_document_is_prepared_off_the_event_loop_and_a_known_one_is_not(
        schema: GraphQLSchema) -> None:
    documents = Documents(PRODUCTION)
    threads: list[int] = []
    prepare_now = documents.prepare_now

    def recording(text: str, graphql_schema: GraphQLSchema) -> Prepared:
        threads.append(threading.get_ident())
        return prepare_now(text, graphql_schema)

    documents.prepare_now = recording  # type: ignore[method-assign,assignment]
    first = await documents.prepare(PAGE, schema)
    again = await documents.prepare(PAGE, schema)
    assert again is first
    assert len(threads) == 1
    assert threads[0] != threading.get_ident()
    assert documents.offloaded == 1


def test_many_selection_sets_under_the_cap_are_refused_when_their_pairs_add_up(
        schema: GraphQLSchema) -> None:
    """A ladder of fragments, each adding a field and spreading the next, brings nearly the cap
    into every set: graphql-core compared them for seconds; the sum of the sets' squared sizes
    refuses it before."""
    parts = ["query Q { ...F0 }"]
    for i in range(100):
        below = f"...F{i + 1} ...F{i + 1}" if i < 99 else ""
        parts.append(f"fragment F{i} on Query {{ me {{ subject }} {below} }}")
    documents = Documents(PRODUCTION)
    prepared = documents.prepare_now("\n".join(parts), schema)
    assert codes(prepared) == ["TOO_MANY_FIELDS"]
    assert prepared.errors[0].extensions is not None
    assert prepared.errors[0].extensions["maxFieldPairs"] == 40_000
    assert documents.validations == 0
