"""Hypothesis strategies over the live schema's introspection (``World.types``): values for
arguments, query documents, and documents malformed in the ways that reach validation rules."""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Any

from hypothesis import strategies as st

from tests.e2e.fuzzing import LEAKS, World

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
