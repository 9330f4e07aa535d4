"""A faster execution of the commonest field: a leaf (scalar or enum) read from an attribute.

graphql-core resolves every field the same general way: a resolve-info object, the resolver (for
a plain attribute, strawberry's default one), then value completion. A page of 50 innovations
has some 600 such leaves, and that general path is most of the time of such a query. For a field
whose resolver is strawberry's default (no resolver, no extensions, no permissions) and whose
type is a scalar or enum, this reads the attribute and serializes it with the type's own
serializer, which is exactly what the general path ends in. Anything else (an absent attribute,
a null in a non-null field, a value the serializer refuses, middleware) goes the general way, so
errors and their paths are graphql-core's own. An object's fast leaves are read in one pass over
its fields; graphql-core executes the others, and the answer keeps the order the query asked.
"""

from __future__ import annotations

from typing import Any, NamedTuple, cast

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    Undefined,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter


class Leaf(NamedTuple):
    attribute: str
    serialize: Any
    nullable: bool


_LEAVES: dict[GraphQLObjectType, dict[str, Leaf]] = {}


def _leaf(field: GraphQLField) -> Leaf | None:
    if not getattr(field.resolve, "_is_default", False):
        return None
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    # Strawberry marks a field without a resolver as default even when it has permission
    # classes or field extensions, which must still run: only a basic field is a plain read.
    if not getattr(definition, "is_basic_field", False):
        return None
    attribute = getattr(definition, "python_name", None)
    nullable = not isinstance(field.type, GraphQLNonNull)
    named = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if attribute is None or not isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return None
    return Leaf(attribute, named.serialize, nullable)


def leaves(parent: GraphQLObjectType) -> dict[str, Leaf]:
    """The fast-path fields of a type, found once per type."""
    found = _LEAVES.get(parent)
    if found is None:
        found = _LEAVES[parent] = {name: leaf for name, field in parent.fields.items()
                                   if (leaf := _leaf(field)) is not None}
    return found


def _read(leaf: Leaf, source: Any) -> Any:
    """The serialized value of ``leaf`` on ``source``, or Undefined where graphql-core's general
    path must decide (an absent attribute, a null in a non-null field, a refused value)."""
    value = getattr(source, leaf.attribute, Undefined)
    if value is None:
        return None if leaf.nullable else Undefined
    if value is Undefined:
        return Undefined
    try:
        serialized = leaf.serialize(value)
    except Exception:
        return Undefined
    return Undefined if serialized is None else serialized


class FastLeaves(StrawberryGraphQLCoreExecutionContext):
    def _plain(self) -> bool:
        manager = self.middleware_manager
        return manager is None or not manager.middlewares

    def execute_fields(self, parent_type: GraphQLObjectType, source_value: Any,
                       path: Path | None, grouped_field_set: dict[str, Any],
                       position_context: Any) -> Any:
        """An object's fields: its fast leaves read here in one pass (no path, no call per
        field), the rest by graphql-core, and the answer in the order the query asked."""
        if not self._plain():
            return super().execute_fields(parent_type, source_value, path, grouped_field_set,
                                          position_context)
        table = leaves(parent_type)
        fast: dict[str, Any] = {}
        for response_name, details in grouped_field_set.items():
            leaf = table.get(details[0].node.name.value)
            if leaf is not None and (value := _read(leaf, source_value)) is not Undefined:
                fast[response_name] = value
        if len(fast) == len(grouped_field_set):
            return fast
        rest = ({name: details for name, details in grouped_field_set.items()
                 if name not in fast} if fast else grouped_field_set)
        completed = super().execute_fields(parent_type, source_value, path, rest,
                                           position_context)
        if not fast:
            return completed
        if self.is_awaitable(completed):

            async def in_order() -> dict[str, Any]:
                return _merged(grouped_field_set, fast, await completed)

            return in_order()
        return _merged(grouped_field_set, fast, cast(dict[str, Any], completed))


def _merged(order: dict[str, Any], fast: dict[str, Any], rest: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``order`` (the query's), from ``fast`` or ``rest`` (where a field that
    resolved to nothing, e.g. an unknown one, is absent as graphql-core leaves it)."""
    merged = {}
    for name in order:
        if name in fast:
            merged[name] = fast[name]
        elif name in rest:
            merged[name] = rest[name]
    return merged
