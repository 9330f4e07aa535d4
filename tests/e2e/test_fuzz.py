"""Fuzzing the GraphQL HTTP surface of the live development server with hypothesis.

Whatever a client sends (mutation inputs of the wrong shape, random query documents built from an
introspection of the live schema, or bodies that are not GraphQL at all) the answer is JSON in
GraphQL's shape: HTTP 200 with ``data`` and/or ``errors``, or a 4xx refusal of the request. Never a
500, a stack trace, SQL text, a masked internal error, or an error code outside the known ones.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.governance.authority import Risk
from lifecycle.store.database import Database
from lifecycle.vocabulary import (
    BetterDirection,
    ChartType,
    Criterion,
    EvaluationMethod,
    PrototypeOutcome,
)
from tests.conftest import ADMIN, member, new_organisation
from tests.e2e.conftest import LiveServer


def fuzz(examples: int) -> settings:
    # no shrinking: composite strategies over a live schema shrink slowly. Derandomized, so a
    # run (CI's) is reproducible: the strategies draw only from their choices, so any seed is
    # stable, and exploring others is a matter of setting FUZZ_RANDOM=1; print_blob names the
    # failing example so a failure found by one seed can be replayed.
    return settings(max_examples=examples, deadline=None, database=None, print_blob=True,
                    derandomize=not os.environ.get("FUZZ_RANDOM"),
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])


# The codes a response may carry: the domain's typed errors (also raised by queries as ``Refused``),
# the server's own GraphQL errors, and the HTTP refusals of schema/app.py.
DOMAIN_CODES = {"VALIDATION", "NOT_FOUND", "WRONG_STAGE", "INVALID_STATE",
                "INSUFFICIENT_AUTHORITY", "FORBIDDEN", "VERSION_CONFLICT",
                "IDEMPOTENCY_KEY_REUSED"}
# The refusals of a document before it runs (schema/documents.py, schema/limits.py).
DOCUMENT_CODES = {"DOCUMENT_TOO_LARGE", "TOO_MANY_TOKENS", "GRAPHQL_PARSE_FAILED",
                  "TOO_MANY_FIELDS", "QUERY_TOO_DEEP", "TOO_MANY_ALIASES",
                  "GRAPHQL_VALIDATION_FAILED", "VALIDATION_ABORTED", "OPERATION_NAME_REQUIRED",
                  "QUERY_TOO_COSTLY", "BAD_USER_INPUT"}
KNOWN_CODES = DOMAIN_CODES | DOCUMENT_CODES | {
    "UNAUTHENTICATED", "NOT_YET_CONSISTENT", "BAD_REQUEST", "PAYLOAD_TOO_LARGE", "NOT_FOUND",
    "METHOD_NOT_ALLOWED", "PERSISTED_QUERY_NOT_FOUND", "PERSISTED_QUERY_HASH_MISMATCH",
    "PERSISTED_QUERY_NOT_IN_LIST", "POSITION_NOT_IN_LOG", "READ_MODEL_STOPPED",
    "VARIABLES_TOO_LARGE"}
TYPED_ERRORS = {"ValidationError", "NotFoundError", "WrongStageError", "InvalidStateError",
                "InsufficientAuthorityError", "ForbiddenError", "VersionConflictError",
                "IdempotencyKeyReusedError"}
MASKED = "Internal error; it has been logged."
LEAKS = ("Traceback", "SELECT", "INSERT", "psycopg", "asyncpg")
START = date(2025, 1, 6)

INTROSPECTION = """
query { __schema { queryType { name } types {
  kind name
  fields(includeDeprecated: true) { name args { name type { ...Ref } } type { ...Ref } }
  inputFields { name type { ...Ref } }
  enumValues(includeDeprecated: true) { name }
  possibleTypes { name } } } }
fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType {
  kind name ofType { kind name } } } } }
"""


# -- the world the fuzzing runs in -----------------------------------------------------------------


@dataclass(repr=False)
class World:
    staff: Actor
    lead: Actor
    governor: Actor
    auditor: Actor
    root: Actor
    innovation: str
    measure: str
    organisation: str
    types: dict[str, dict[str, Any]]

    def ids(self) -> list[str]:
        return [self.innovation, self.measure, self.organisation]

    def __repr__(self) -> str:
        # hypothesis names a strategy by its arguments when a draw fails; the introspected
        # schema would make that name hundreds of kB, and hypothesis's "overly large repr"
        # warning (an error under this project's filterwarnings) then hid the draw's own error
        return f"World(organisation={self.organisation}, {len(self.types)} types)"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # hypothesis's pretty printer would spell a dataclass out field by field
        printer.text(repr(self))


@pytest.fixture(scope="module")
def world(live: LiveServer, app: LifecycleApplication) -> World:
    org = new_organisation(app, "Powys Teaching Health Board", ("Bronllys", "Llandrindod"))
    staff, lead = member(org, Role.STAFF), member(org, Role.INNOVATION_LEAD)
    governor = member(org, Role.GOVERNANCE_TEAM, Role.GOVERNANCE_DIRECTORATE,
                      Role.GOVERNANCE_EXECUTIVE, Role.GOVERNANCE_BOARD)
    ctx = CommandContext(lead)
    idea = app.execute(c.SubmitIdea(title="Fuzzed idea", problem="p", proposal="q"),
                       CommandContext(staff)).aggregate_id
    app.execute(c.AcceptIdea(idea, reason="r"), ctx)
    proto = app.execute(c.StartPrototype(idea, "PDSA", "h", "p", START), ctx).created_id
    app.execute(c.CompletePrototype(idea, proto, PrototypeOutcome.SUCCEEDED, "r", "l", START),
                ctx)
    app.execute(c.RecordEvaluation(idea, EvaluationMethod.SERVICE_EVALUATION,
                                   ((Criterion.SAFETY, 4),), "e", "adopt",
                                   estimated_cost=Decimal(100), risk=Risk.LOW,
                                   evaluated_on=START), ctx)
    measure = app.execute(c.DefineMeasure(idea, name="Falls", unit="falls",
                                          better=BetterDirection.LOWER, chart=ChartType.XMR),
                          ctx).aggregate_id
    body = httpx.post(f"{live.url}/graphql", json={"query": INTROSPECTION}, timeout=30).json()
    types = {t["name"]: t for t in body["data"]["__schema"]["types"]}
    return World(staff, lead, governor, member(org, Role.AUDITOR), ADMIN, str(idea),
                 str(measure), str(org.organisation), types)


# -- what every answer must look like -------------------------------------------------------------


def sound(response: httpx.Response, statuses: frozenset[int] = frozenset({200, 400, 413})
          ) -> dict[str, Any]:
    """The answer is JSON in GraphQL's shape, with no leak and only known error codes."""
    for leak in LEAKS:
        assert leak not in response.text, response.text[:2000]
    assert response.status_code in statuses, (response.status_code, response.text[:2000])
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert isinstance(body, dict), body
    assert set(body) <= {"data", "errors", "extensions"}, body
    for error in body.get("errors") or []:
        assert isinstance(error["message"], str), error
        assert error["message"] != MASKED, body
        code = (error.get("extensions") or {}).get("code")
        if code is not None:
            assert code in KNOWN_CODES, error
        # an error met while resolving a field is deliberate, and so carries a code
        assert "path" not in error or code is not None, error
    if response.status_code != 200:
        assert body.get("errors"), body
        assert body.get("data") is None, body
    else:
        assert "data" in body or body.get("errors"), body
    result: dict[str, Any] = body
    return result


def post(live: LiveServer, actor: Actor | None, query: str,
         variables: dict[str, Any] | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {live.token(actor)}"} if actor else {}
    # allow_nan: a NaN or an infinity is sent as the non-standard JSON the server must refuse
    content = json.dumps({"query": query, "variables": variables}, allow_nan=True)
    return httpx.post(f"{live.url}/graphql", content=content.encode(), timeout=30,
                      headers={**headers, "Content-Type": "application/json"})


# -- strategies ------------------------------------------------------------------------------------


def clean_text(text: str) -> bool:
    """Generated text must not itself contain what ``sound`` looks for in an echo."""
    upper = text.upper()
    return not any(leak.upper() in upper for leak in LEAKS)


SPECIAL_STRINGS = st.sampled_from([
    "", " ", "\x00", "a\x00b", "\t\n\r", "NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "inf",
    "1e999999999", "-1e-999999999", "1E+2147483648", "0x10", "1_000", "١٢٣", "00000", "-0",
    "99999999999999999999999999999999999.999", "0.001", "1.005", "12,50", "£100",
    "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "not-a-uuid", "{12345678-1234-5678-1234-567812345678}", "urn:uuid:1234",
    "2025-02-30", "2025-13-01", "0000-01-01", "9999-12-31", "-0001-01-01", "+275760-09-13",
    "2025-01-06T25:61:61", "2025-W01-1", "20250106", "' OR '1'='1", "Robert'); DROP TABLE x;--",
    "$1", "%s", "{}", "[]", "null", "true", "\\", "\"", "\u202e\u0627\u200b", "💥" * 3,
    "\ud7ff\ue000\uffff", "\U0001d573\U0001d58a\U0001d591", "\u0301" * 50,
])
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    SPECIAL_STRINGS,
    st.builds(lambda ch, n: ch * n, st.sampled_from(["x", "é", "💥", "\x00", " "]),
              st.sampled_from([201, 1_001, 10_001, 100_001, 300_000])),
).filter(clean_text)
NUMBERS = st.one_of(
    st.integers(min_value=-(2**31), max_value=2**31 - 1),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, -1, 2**31, -(2**31) - 1, 2**53 + 1, 2**63, 10**400]),
    st.floats(allow_nan=True, allow_infinity=True),
)
DECIMALS = st.one_of(
    NUMBERS,
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    SPECIAL_STRINGS,
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)
DATES = st.one_of(
    st.dates().map(date.isoformat),
    st.datetimes().map(lambda d: d.isoformat()),
    SPECIAL_STRINGS,
    st.integers(),
)
SHORT_TEXT = st.one_of(st.text(max_size=20), SPECIAL_STRINGS).filter(clean_text)
JSON = st.recursive(
    st.none() | st.booleans() | NUMBERS | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=3),
    max_leaves=6,
)


def shaped_cursor(value: Any) -> str:
    """Any JSON value (integers beyond 64 bits and NaN included) as an unpadded urlsafe base64
    cursor, the way the server encodes its own."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def cursors() -> st.SearchStrategy[str]:
    """Random strings, and base64 of random JSON shaped like the server's own cursors."""
    order = st.sampled_from(["SUBMITTED_DESC", "SUBMITTED_ASC", "UPDATED_DESC", "TITLE_ASC",
                             "DECIDED_DESC"])
    value = st.one_of(JSON, st.datetimes().map(lambda d: d.isoformat()))
    ident = st.one_of(st.uuids().map(str), JSON)
    triple = st.tuples(order, value, ident).map(list)
    shaped = st.one_of(triple, JSON).map(shaped_cursor)
    position = st.tuples(st.uuids().map(lambda u: u.hex), st.integers()).map(
        lambda p: base64.urlsafe_b64encode(f"{p[0]}:{p[1]}".encode()).decode().rstrip("="))
    return st.one_of(TEXT, shaped, position)


def unwrap(ref: dict[str, Any]) -> dict[str, Any]:
    while ref["kind"] in ("NON_NULL", "LIST"):
        ref = ref["ofType"]
    return ref


@st.composite
def value_for(draw: st.DrawFn, world: World, ref: dict[str, Any], name: str = "",
              depth: int = 0, text: st.SearchStrategy[str] = TEXT) -> Any:
    """A variable value for a type reference: mostly of roughly the right type, sometimes not."""
    if draw(st.integers(0, 9)) == 0:  # anything at all, in the wrong place
        return draw(JSON)
    kind = ref["kind"]
    if kind == "NON_NULL":
        return draw(value_for(world, ref["ofType"], name, depth, text))
    if kind == "LIST":
        inner = value_for(world, ref["ofType"], name, depth + 1, text)
        return draw(st.lists(inner, max_size=0 if depth > 2 else 3))
    type_name = ref["name"]
    if kind == "ENUM":
        values = [v["name"] for v in world.types[type_name]["enumValues"]]
        return draw(st.one_of(st.sampled_from(values), text, st.sampled_from(
            [v.lower() for v in values])))
    if kind == "INPUT_OBJECT":
        if depth > 3:
            return {}
        fields = world.types[type_name]["inputFields"]
        result: dict[str, Any] = {}
        for field in fields:
            required = field["type"]["kind"] == "NON_NULL"
            # a required field is left out one time in twenty
            if draw(st.integers(0, 19)) if required else draw(st.booleans()):
                result[field["name"]] = draw(value_for(world, field["type"], field["name"],
                                                       depth + 1, text))
        if draw(st.integers(0, 9)) == 0:
            result[draw(st.text(min_size=1, max_size=10))] = draw(JSON)
        return result
    if type_name == "ID" or name.endswith(("Id", "By")):
        return draw(st.one_of(st.sampled_from(world.ids()), st.uuids().map(str), text,
                              st.integers()))
    if type_name in ("String",) and name in ("after", "before"):
        return draw(cursors())
    if type_name == "String" and name == "consistentWith":
        return draw(cursors())
    if type_name in ("Int", "Float"):
        return draw(NUMBERS)
    if type_name == "Decimal":
        return draw(DECIMALS)
    if type_name in ("Date", "DateTime"):
        return draw(DATES)
    if type_name == "Boolean":
        return draw(st.one_of(st.booleans(), JSON))
    return draw(text)


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


# -- 2. random query documents ---------------------------------------------------------------------


def literal(value: Any) -> str:
    """A value as a GraphQL literal (JSON is nearly GraphQL; object keys lose their quotes)."""
    if isinstance(value, dict):
        fields = ", ".join(f"{k}: {literal(v)}" for k, v in value.items()
                           if k.isidentifier() and k.isascii())
        return "{" + fields + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, float) and value != value:
        return "NaN"  # a syntax error, which is fine
    return json.dumps(value)


@st.composite
def enum_literal(draw: st.DrawFn, world: World, ref: dict[str, Any], name: str) -> str:
    """Enum arguments go unquoted, as in a real document."""
    named = unwrap(ref)
    if named["kind"] == "ENUM" and ref["kind"] != "LIST" and draw(st.booleans()):
        values = [v["name"] for v in world.types[named["name"]]["enumValues"]]
        return draw(st.one_of(st.sampled_from(values),
                              st.from_regex(r"\A[A-Z_]{1,12}\Z")))
    return literal(draw(value_for(world, ref, name, text=SHORT_TEXT)))


def pick(draw: st.DrawFn, items: list[Any], least: int, most: int) -> list[Any]:
    """Some of ``items``, each at most once, in their order."""
    if not items:
        return []
    indices = draw(st.lists(st.integers(0, len(items) - 1), min_size=least, max_size=most))
    return [items[i] for i in sorted(set(indices))]


@st.composite
def selection(draw: st.DrawFn, world: World, type_name: str, depth: int) -> str:
    kind = world.types[type_name]["kind"]
    parts: list[str] = []
    if kind in ("UNION", "INTERFACE") or draw(st.integers(0, 4)) == 0:
        parts.append("__typename")
    if kind in ("UNION", "INTERFACE"):
        possible = [t["name"] for t in world.types[type_name]["possibleTypes"]]
        for target in pick(draw, possible, 0, 2):
            parts.append(f"... on {target} {draw(selection(world, target, depth + 1))}")
    if kind in ("OBJECT", "INTERFACE"):
        fields = world.types[type_name]["fields"]
        if depth >= 3:
            fields = [f for f in fields
                      if world.types[unwrap(f["type"])["name"]]["kind"] in ("SCALAR", "ENUM")]
        chosen = pick(draw, fields, 1, 3)
        for field in chosen:
            args = [f"{a['name']}: {draw(enum_literal(world, a['type'], a['name']))}"
                    for a in field["args"]
                    if a["type"]["kind"] == "NON_NULL" or draw(st.booleans())]
            text = field["name"] + (f"({', '.join(args)})" if args else "")
            named = unwrap(field["type"])
            if world.types[named["name"]]["kind"] not in ("SCALAR", "ENUM"):
                text += " " + draw(selection(world, named["name"], depth + 1))
            parts.append(text)
    if not parts:
        parts.append("__typename")
    return "{ " + " ".join(parts) + " }"


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


# -- 3. malformed documents ------------------------------------------------------------------------
# Documents built to be wrong in the ways that reach validation rules (the project's own and
# strawberry's crashed on some): each must get GraphQL errors with known codes, never an
# internal error.


def named_types(world: World, *kinds: str) -> list[str]:
    return sorted(name for name, t in world.types.items()
                  if not kinds or t["kind"] in kinds)


@st.composite
def odd_type(draw: st.DrawFn, world: World) -> str:
    """A variable type: any type of the schema (objects and unions included), an unknown one,
    wrapped in lists and non-nulls, sometimes deeply."""
    name = draw(st.one_of(st.sampled_from(named_types(world)), st.just("Nope"),
                          st.from_regex(r"\A[A-Z][a-z]{0,8}\Z")))
    for _ in range(draw(st.integers(0, 3)) or draw(st.sampled_from([0, 0, 40]))):
        name = f"[{name}]" if draw(st.booleans()) else f"{name}!"
    return name.replace("!!", "!")


def nested(value: str, depth: int, opening: str = "[", closing: str = "]") -> str:
    return opening * depth + value + closing * depth


@st.composite
def odd_value(draw: st.DrawFn) -> str:
    """A literal argument value: huge numbers, deep lists and objects, variables."""
    return draw(st.one_of(
        st.sampled_from(["1e999", "-1e999", "99999999999999999999999999", "-0", "0.0000001",
                         "1.5", "2147483648", "-2147483649", "null", "true", '""', "[]", "{}",
                         "$undefined", "SIDEWAYS", '"""block"""']),
        st.builds(nested, st.sampled_from(["1", '"x"', "null", "$v"]),
                  st.integers(1, 260)),
        st.builds(lambda depth: "{a: " * depth + "1" + "}" * depth, st.integers(1, 120)),
        st.integers().map(str),
    ))


def malformation(world: World) -> st.SearchStrategy[tuple[str, str]]:
    """One wrong piece: (text for the operation's selection set, text for after it)."""
    types = st.sampled_from(named_types(world))
    composite = st.sampled_from(named_types(world, "OBJECT", "INTERFACE", "UNION"))
    field = st.sampled_from([f["name"] for f in world.types["Query"]["fields"]])
    fixed = st.sampled_from([
        ("...Nope", ""),
        ("...A", "fragment A on Query { ...B } fragment B on Query { ...A }"),
        ("...A", "fragment A on Query { ...A }"),
        ("__typename { a }", ""),
        ("__typename @skip", ""),
        ("__typename @skip(if: $v) @skip(if: true)", ""),
        ("__typename @nope(x: 1)", ""),
        ("__typename", "fragment A on Query @include(if: true) { __typename }"),
        ("__typename", "fragment A on Query { __typename }"),  # unused
        ("...A(x: 1)", "fragment A on Query { __typename }"),
        ("__typename", "query Again { __typename } query Again { __typename }"),
        ("__typename", "{ __typename }"),
        ("__typename", "subscription S { __typename }"),
        ("__typename", "mutation M { nope }"),
    ])
    return st.one_of(
        fixed,
        types.map(lambda t: ("...A", f"fragment A on {t} {{ __typename }}")),
        composite.map(lambda t: ("...A", f"fragment A on {t} {{ ...A __typename }}")),
        types.map(lambda t: (f"... on {t} {{ __typename }}", "")),
        field.map(lambda f: (f, "")),  # an object field without its selection set
        field.map(lambda f: (f"{f} {{ }}", "")),
        field.map(lambda f: (f"a: {f} a: __typename", "")),
        st.tuples(field, odd_value()).map(
            lambda p: (f"{p[0]}(first: {p[1]}) {{ __typename }}", "")),
        odd_value().map(lambda v: (f"innovations(first: {v}) {{ edges {{ cursor }} }}", "")),
        odd_value().map(lambda v: (f"innovations(filter: {v}) {{ edges {{ cursor }} }}", "")),
        st.integers(1, 210).map(lambda n: (nested("__typename", n, "... on Query { ", " }"),
                                           "")),
        st.integers(1, 210).map(lambda n: (nested("subject", n, "me { ", " }"), "")),
        st.integers(25, 40).map(
            lambda n: (" ".join(f"x{i}: __typename" for i in range(n)), "")),
        st.integers(90, 130).map(lambda n: ("__typename " * n, "")),
    )


@st.composite
def malformed_document(draw: st.DrawFn, world: World) -> str:
    pieces = draw(st.lists(malformation(world), min_size=1, max_size=3))
    variables = draw(st.lists(odd_type(world), max_size=3))
    declared = ", ".join(f"$v{i or ''}: {t}" + draw(st.sampled_from(
        ["", " = 1", " = null", " = [[[]]]", " @skip(if: true)", " = $v"]))
        for i, t in enumerate(variables))
    head = draw(st.sampled_from(["query Q", "query", "mutation Q", "query Q @skip(if: true)"]))
    text = (f"{head}{'(' + declared + ')' if declared else ''} "
            f"{{ {' '.join(p[0] for p in pieces)} }} {' '.join(p[1] for p in pieces)}")
    if draw(st.integers(0, 9)) == 0:  # cut short anywhere
        text = text[:draw(st.integers(0, len(text)))]
    return text


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
