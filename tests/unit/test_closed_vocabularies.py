"""One type for one thing everywhere: a value drawn from a fixed set (a point's class, a signal's
rule and direction, a correction's kind, an adoption's status, a decision's outcome and risk, a
stage) is a GraphQL enum wherever it appears (types, inputs, error types), never a String that
a client must compare by spelling."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    get_named_type,
)

from schema.root import build

# Field names that hold a value of a fixed set wherever they appear.
CLOSED = {"classification", "verdict", "direction", "rule", "status", "outcome", "risk", "stage",
          "allowedFrom", "kind", "scope", "authority", "requiredAuthority", "required", "taken",
          "better", "chart", "judgement", "method", "source", "criterion", "fromStage",
          "toStage"}
# Open on purpose: NotFoundError.kind names what was not found in the domain's words (any
# aggregate, as the message says).
OPEN = {("NotFoundError", "kind")}


def test_every_field_of_a_closed_vocabulary_is_an_enum() -> None:
    schema = build()._schema
    strings = []
    for type_ in schema.type_map.values():
        if type_.name.startswith("__") or not isinstance(
                type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            continue
        for name, field in type_.fields.items():
            named = get_named_type(field.type)
            if name in CLOSED and (type_.name, name) not in OPEN \
                    and named.name == "String":
                strings.append(f"{type_.name}.{name}: {named.name}")
    assert not strings


def test_a_thing_has_one_enum_wherever_it_appears() -> None:
    schema = build()._schema
    by_thing: dict[tuple[str, str], set[str]] = {}
    for type_name, field_name, enum in _enum_fields(schema):
        by_thing.setdefault((type_name, field_name), set()).add(enum)
    # The class of a point: a chart point's, the current variation's, a measure's verdict, an
    # innovation's latest verdict and an adopting site's verdict are all one enum.
    assert {by_thing[k].pop() for k in (("ChartPoint", "classification"),
                                        ("CurrentVariation", "classification"),
                                        ("Measure", "verdict"), ("Verdict", "verdict"),
                                        ("SiteVerdict", "verdict"))} == {"Classification"}
    assert {by_thing[k].pop() for k in (("WrongStageError", "stage"),
                                        ("WrongStageError", "allowedFrom"),
                                        ("Innovation", "stage"))} == {"Stage"}
    assert by_thing[("ChartSignal", "rule")] == by_thing[("ChartPoint", "rules")] == {"Rule"}


def _enum_fields(schema: object) -> list[tuple[str, str, str]]:
    found = []
    for type_ in schema.type_map.values():  # type: ignore[attr-defined]
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for name, field in type_.fields.items():
                named = get_named_type(field.type)
                if isinstance(named, GraphQLEnumType):
                    found.append((type_.name, name, named.name))
    return found
