"""A faster execution of the commonest field: a leaf (scalar or enum) read from an attribute.

graphql-core resolves every field the same general way: a resolve-info object, the resolver (for
a plain attribute, strawberry's default one), then value completion. A page of 50 innovations
has some 600 such leaves, and that general path is most of the time of such a query. For a field
whose resolver is strawberry's default (no resolver, no extensions, no permissions) and whose
type is a scalar or enum, this reads the attribute and serializes it with the type's own
serializer, which is exactly what the general path ends in. Anything else (an absent attribute,
a null in a non-null field, a value the serializer refuses, middleware) goes the general way, so
errors and their paths are graphql-core's own.
"""

from __future__ import annotations

from typing import Any, NamedTuple

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


class FastLeaves(StrawberryGraphQLCoreExecutionContext):
    def execute_field(self, parent_type: GraphQLObjectType, source: Any,
                      field_details_list: Any, path: Path, position_context: Any) -> Any:
        leaf = leaves(parent_type).get(field_details_list[0].node.name.value)
        manager = self.middleware_manager
        if leaf is not None and (manager is None or not manager.middlewares):
            value = getattr(source, leaf.attribute, Undefined)
            if value is None and leaf.nullable:
                return None
            if value is not None and value is not Undefined:
                try:
                    serialized = leaf.serialize(value)
                except Exception:
                    serialized = None
                if serialized is not None and serialized is not Undefined:
                    return serialized
        return super().execute_field(parent_type, source, field_details_list, path,
                                     position_context)
